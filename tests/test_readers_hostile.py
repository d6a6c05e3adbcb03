"""Hostile or unusual inputs: read, or refused in one line naming the file (never a traceback,
never silent loss)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.sample_docx import write_article_docx

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.loader import load_documents
from fr2en_dossier.model import LINK
from fr2en_dossier.readers import package, read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _rezip(path: Path, edit) -> Path:
    """``path`` with ``edit(name, data) -> data`` applied to every entry."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            target.writestr(info, edit(info.filename, data))
    return path


def test_a_long_heading_does_not_abort_the_run(tmp_path, monkeypatch, installed_package):
    import docx

    heading = "Un titre très long " * 20  # 380 characters, and its English longer
    document = docx.Document()
    document.add_paragraph(heading.strip(), style="Title")
    document.add_paragraph("Le texte de l'article suit le titre.")
    (tmp_path / "articles").mkdir()
    document.save(str(tmp_path / "articles" / "long.docx"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", "--quiet", "articles"])
    assert result.exit_code == 0, result.output
    english = docx.Document(str(tmp_path / "output" / "en" / "long.docx"))
    assert len(english.core_properties.title) == 255  # Word's limit: the property is cut…
    assert len(english.paragraphs[0].text) > 255  # …the heading itself stays whole
    assert english.paragraphs[0].text != heading.strip()


def test_a_hyperlink_to_a_missing_relationship_keeps_its_words(tmp_path):
    path = write_article_docx(tmp_path / "lien.docx")
    _rezip(path, lambda name, data: data.replace(b'r:id="rId', b'r:id="gone') if name ==
           "word/document.xml" else data)
    doc = read_document(path)
    block = next(b for b in doc.blocks if b.text.startswith("La récente affaire"))
    assert "OpenAI" in block.text and not [s for s in block.spans if s.style == LINK]


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".pptx"])
def test_a_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(package, "MAX_UNPACKED", 1_000_000)
    path = tmp_path / f"bombe{suffix}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * 2_000_000 + b">")  # 2 MB, 2 KB packed
    assert path.stat().st_size < 10_000
    with pytest.raises(Fr2enError, match=re.escape(f"bombe{suffix}: refused: its parts would "
                                                   "unpack to 2 MB")) as caught:
        read_document(path)
    assert "\n" not in str(caught.value)


def test_a_zip_that_unpacks_to_more_than_it_declares_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_UNPACKED", 1_000_000)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 2_000_000)
    raw = bytearray(data.getvalue())
    for header, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # declared size: 100 bytes
        where = raw.find(header)
        raw[where + at : where + at + 4] = (100).to_bytes(4, "little")
    (tmp_path / "menteur.docx").write_bytes(bytes(raw))
    with pytest.raises(Fr2enError, match=r"menteur.docx: not a readable Word .docx file"):
        read_document(tmp_path / "menteur.docx")


def test_a_paragraph_inside_300_nested_divs_is_read(tmp_path):
    path = tmp_path / "profond.html"
    path.write_text("<html><body>" + "<div>" * 300 + "<p>Un paragraphe très profond dans la "
                    "page.</p>" + "</div>" * 300 + "</body></html>", encoding="utf-8")
    assert [b.text for b in read_document(path).blocks] == [
        "Un paragraphe très profond dans la page."]


def test_a_10_mb_paragraph_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "fleuve.html"
    path.write_text("<html><body><p>" + "Une phrase assez longue pour remplir la page. " * 230_000
                    + "</p></body></html>", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"fleuve.html: refused: a paragraph of more than "
                                         r"1,000,000 characters"):
        read_document(path)


def test_markdown_nested_deeper_than_the_parser_reads_is_a_warning(tmp_path):
    path = tmp_path / "gigogne.md"
    path.write_text("".join(">" * n + f" citation {n}\n\n" for n in range(1, 70)), encoding="utf-8")
    result = load_documents([path])
    assert result.warnings == [f"{path}:99: nested deeper than 50 levels: 20 line(s) left out"]
    assert len(result.documents[0].blocks) == 49


def test_the_cli_prints_reader_warnings_one_line_each(tmp_path, monkeypatch):
    (tmp_path / "gigogne.md").write_text("> " * 60 + "fond\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["segment", "gigogne.md"])
    assert "fr2en: warning: gigogne.md:1: nested deeper than 50 levels: 1 line(s) left out" in (
        result.output)


@pytest.mark.parametrize("name", ["bip\x07.txt", "retour\r.md", "\u202egnp.txt"])
def test_a_file_name_with_a_control_character_is_refused(tmp_path, name):
    (tmp_path / name).write_text("Un texte.\n", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"a file name with a control character \(U\+") as caught:
        load_documents([tmp_path / name])
    assert "\n" not in str(caught.value) and "\r" not in str(caught.value)
