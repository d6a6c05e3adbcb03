"""OpenDocument text and PowerPoint, read and written in place.

.odt: files made by LibreOffice itself (pandoc's Word test documents and the sample article,
converted by ``soffice``); .pptx: python-pptx's test presentations (tests/data/pptx/).
Every paragraph LibreOffice reads as text is a unit; translated by the synthetic engine, the
English file has the same entries in the same order, the same paragraphs, lists, tables,
links, notes, frames and shapes, every entry but the text parts byte for byte the same, and
LibreOffice (.odt) or python-pptx (.pptx: LibreOffice Impress is not installed here) opens it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from support.office import convert, counts, entries, is_a_unit, text_lines, words
from support.sample_docx import write_article_docx

from fr2en_dossier.cli import main
from fr2en_dossier.readers import read_document
from fr2en_dossier.readers.odt import TEXT
from fr2en_dossier.readers.pptx import A, P

DATA = Path(__file__).resolve().parent / "data"
ODT_SOURCES = ["lists", "tables", "links", "notes", "headers", "textbox_image", "inline_images",
               "track_changes_insertion", "nested_smart_tags"]
ODT_TAGS = [f"{{{TEXT}}}{t}" for t in ("p", "h", "list", "list-item", "a", "note")] + [
    "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-cell",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
]
PPTX_TAGS = [f"{{{A}}}{t}" for t in ("p", "hlinkClick", "tbl", "fld", "br")] + [
    f"{{{P}}}{t}" for t in ("sp", "pic", "grpSp", "graphicFrame")]


def _translate(folder: Path, monkeypatch) -> Path:
    monkeypatch.chdir(folder.parent)
    result = CliRunner().invoke(main, ["translate", "--quiet", folder.name])
    assert result.exit_code == 0, result.output
    return folder.parent / "output" / "en"


def _compare(path: Path, english_path: Path, text_part, tags) -> int:
    """Checks of one English file against its French; how many units changed."""
    french, english = entries(path), entries(english_path)
    assert list(english) == list(french), path.name
    assert counts(english, text_part, tags) == counts(french, text_part, tags), path.name
    for name, data in french.items():
        if not text_part(name) and name not in ("meta.xml", "docProps/core.xml"):
            assert english[name] == data, (path.name, name)
    before = [b.text for b in read_document(path).blocks]
    after = [b.text for b in read_document(english_path).blocks]
    assert len(after) == len(before), path.name
    return sum(a != b for a, b in zip(before, after))


def test_libreoffice_documents_are_written_in_place(tmp_path, monkeypatch, installed_package):
    sources = [DATA / "docx" / f"pandoc-{name}.docx" for name in ODT_SOURCES]
    sources.append(write_article_docx(tmp_path / "article.docx"))
    made = convert(sources, "odt", tmp_path / "articles", tmp_path / "lo")
    exported = text_lines(made, tmp_path / "txt", tmp_path / "lo")
    for path in made:
        units = {words(b.text) for b in read_document(path).blocks}
        for line in exported[path.name]:
            assert is_a_unit(line, units), (path.name, line)
    english = _translate(tmp_path / "articles", monkeypatch)
    changed = sum(_compare(path, english / path.name, lambda n: n in ("content.xml",
                                                                      "styles.xml"), ODT_TAGS)
                  for path in made)
    assert changed >= 60
    for path in made:
        first = next(iter(entries(english / path.name)))
        assert first == "mimetype"  # first, as ODF requires
    text_lines([english / p.name for p in made], tmp_path / "txt-en", tmp_path / "lo")
    article = read_document(english / "article.odt")
    assert article.meta["title"] != read_document(tmp_path / "articles" / "article.odt").meta[
        "title"]


def test_presentations_are_written_in_place(tmp_path, monkeypatch, installed_package):
    (tmp_path / "slides").mkdir()
    files = sorted((DATA / "pptx").glob("*.pptx"))
    for path in files:
        shutil.copy(path, tmp_path / "slides" / path.name)
    english = _translate(tmp_path / "slides", monkeypatch)
    changed = sum(_compare(path, english / path.name,
                           lambda n: n.startswith(("ppt/slides/slide", "ppt/notesSlides/")),
                           PPTX_TAGS) for path in files)
    assert changed >= 20
    for path in files:  # python-pptx opens every English file and reads the same text
        import pptx

        shown = {words(paragraph.text) for slide in pptx.Presentation(english / path.name).slides
                 for shape in slide.shapes if shape.has_text_frame
                 for paragraph in shape.text_frame.paragraphs} - {""}
        assert shown <= {words(b.text) for b in read_document(english / path.name).blocks}
