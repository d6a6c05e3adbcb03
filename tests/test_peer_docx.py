"""python-docx's and pandoc's .docx test files (tests/data/docx/) through fr2en, with LibreOffice.

- Every paragraph LibreOffice reads as text (its text export, once the tracked changes are
  accepted) is the text of a unit (list labels and note marks, which LibreOffice writes as
  text, left aside).
- Translated by the synthetic engine, each English file has the same paragraphs, numbering
  (``w:numPr``), tables, hyperlinks, drawings, VML pictures and text boxes as its French, in
  every part of the package; every other entry of the package is byte for byte the same; the
  translated units' text has changed; LibreOffice opens every English file.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from support.office import counts, entries, is_a_unit, text_lines, words

from fr2en_dossier.cli import main
from fr2en_dossier.readers import read_document
from fr2en_dossier.readers.docx import W

DATA = Path(__file__).resolve().parent / "data" / "docx"
FILES = sorted(DATA.glob("*.docx"))
COUNTED = [f"{{{W}}}{tag}" for tag in (
    "numPr", "tbl", "hyperlink", "drawing", "pict", "txbxContent", "p", "sectPr",
    "footnoteReference", "fldChar", "fldSimple", "ins", "sdt", "smartTag", "bookmarkStart")]


def _word_part(name: str) -> bool:
    return name.startswith("word/") and name.endswith(".xml")


def _accepted(path: Path, target: Path) -> Path:
    """A copy of ``path`` with its tracked deletions and moves-away removed."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if _word_part(info.filename):
                root = etree.fromstring(data)
                for gone in root.xpath("//w:del|//w:moveFrom", namespaces={"w": W}):
                    gone.getparent().remove(gone)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            copy.writestr(info, data)
    return target


def test_every_paragraph_libreoffice_reads_is_a_unit(tmp_path):
    (tmp_path / "accepted").mkdir()
    copies = [_accepted(path, tmp_path / "accepted" / path.name) for path in FILES]
    exported = text_lines(copies, tmp_path / "txt", tmp_path / "lo")
    assert len(FILES) >= 25
    for path in FILES:
        units = {words(block.text) for block in read_document(path).blocks}
        for line in exported[path.name]:
            assert is_a_unit(line, units), (path.name, line)


def _boxes(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """(text Word shows, text of the fallback copy) of each text box with a fallback."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    boxes = []
    for name, data in parts.items():
        if _word_part(name):
            for alternate in etree.fromstring(data).iter(f"{{{mc}}}AlternateContent"):
                texts = ["".join(t.text or "" for t in alternate.iter(f"{{{mc}}}{side}")
                                 .__next__().iter(f"{{{W}}}t"))
                         for side in ("Choice", "Fallback")]
                if all(texts):
                    boxes.append(tuple(texts))
    return boxes


@pytest.fixture
def translated(tmp_path, monkeypatch, installed_package) -> Path:
    (tmp_path / "articles").mkdir()
    for path in FILES:
        shutil.copy(path, tmp_path / "articles" / path.name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", "--quiet", "articles"])
    assert result.exit_code == 0, result.output
    return tmp_path / "output" / "en"


def test_the_english_files_keep_their_structure_and_open_in_libreoffice(translated, tmp_path):
    changed = boxes = 0
    for path in FILES:
        french, english = entries(path), entries(translated / path.name)
        assert list(english) == list(french), path.name  # the same entries in the same order
        assert counts(english, _word_part, COUNTED) == counts(french, _word_part, COUNTED)
        for name, data in french.items():
            if not _word_part(name) and name != "docProps/core.xml":
                assert english[name] == data, (path.name, name)
        for (shown, copy), (shown_en, copy_en) in zip(_boxes(french), _boxes(english)):
            assert shown != copy or shown_en == copy_en, path.name  # the copy has the English
            boxes += shown_en != shown
        before = [b.text for b in read_document(path).blocks]
        after = [b.text for b in read_document(translated / path.name).blocks]
        assert len(after) == len(before), path.name
        changed += sum(a != b for a, b in zip(before, after))
    assert changed >= 100 and boxes >= 2
    exported = text_lines([translated / p.name for p in FILES], tmp_path / "txt", tmp_path / "lo")
    assert sum(len(lines) for lines in exported.values()) > 100
