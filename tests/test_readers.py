"""Readers: the same article as .txt, .html, .md and .docx gives the same segments and hits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.sample_docx import write_article_docx

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.glossary import apply_glossary, load_glossary
from fr2en_dossier.loader import load_documents
from fr2en_dossier.model import (
    BOILERPLATE,
    BOILERPLATE_FLAG,
    BOLD,
    CODE,
    DOCX,
    FORMAT,
    HEADING,
    HTML,
    ITALIC,
    LINK,
    LIST_ITEM,
    MARKDOWN,
    QUOTE,
    TXT,
    document_from_dict,
    document_to_dict,
)
from fr2en_dossier.readers import read_document
from fr2en_dossier.segmenter import segment_documents

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
BULLET = re.compile(r"- ")


@pytest.fixture
def samples(tmp_path) -> dict[str, Path]:
    """The sample article in each format, each alone in a folder (same stem)."""
    paths = {}
    for suffix in ("txt", "html", "md"):
        folder = tmp_path / suffix
        folder.mkdir()
        paths[suffix] = folder / f"article.{suffix}"
        paths[suffix].write_bytes((DATA / f"article.{suffix}").read_bytes())
    (tmp_path / "docx").mkdir()
    paths["docx"] = write_article_docx(tmp_path / "docx" / "article.docx")
    return paths


def _content(path: Path) -> list[tuple[str, list[tuple[int, int, str, str, str]]]]:
    """Non-boilerplate segments: (French, hits as offsets in it, matched text, target, kind).
    A .txt list item's "- " is its markup, as <li> is: left out of the comparison."""
    glossary = load_glossary(ROOT / "glossary.tsv")
    segments = segment_documents(load_documents([path]).documents)
    apply_glossary(segments, glossary)
    content = []
    for seg in segments:
        if BOILERPLATE_FLAG in seg.flags:
            continue
        cut = seg.start + (len(BULLET.match(seg.source)[0]) if BULLET.match(seg.source) else 0)
        hits = [(h.start - cut, h.end - cut, h.source, h.target, h.kind) for h in seg.hits]
        content.append((seg.source[cut - seg.start :], hits))
    return content


def test_every_format_gives_the_same_segments_and_glossary_hits(samples):
    reference = _content(samples["txt"])
    assert len(reference) == 14 and any(hits for _, hits in reference)
    for suffix in ("html", "md", "docx"):
        assert _content(samples[suffix]) == reference, suffix


def test_every_format_gives_the_same_block_kinds(samples):
    kinds = {}
    for suffix, path in samples.items():
        (doc,) = load_documents([path]).documents
        kinds[suffix] = [b.kind for b in doc.blocks if b.kind != BOILERPLATE]
    assert kinds["md"] == kinds["html"] == kinds["docx"]
    assert kinds["md"].count(HEADING) == 3 and kinds["md"].count(LIST_ITEM) == 3
    assert kinds["md"].count(QUOTE) == 1
    # .txt has no quote mark-up: the quote is a paragraph there, everything else is the same
    assert [k if k != QUOTE else "paragraph" for k in kinds["md"]] == kinds["txt"]


def test_html_keeps_metadata_and_the_page_around_the_article_as_boilerplate(samples):
    doc = read_document(samples["html"])
    assert doc.format == HTML
    assert doc.meta == {
        "title": "Les e-mails de Musk et d’OpenAI dévoilent les tensions des débuts",
        "author": "Claire Martin",
        "date": "2024-03-07",
        "site": "Tech Actu",
        "url": "https://tech-actu.example/ia/musk-openai-emails",
    }
    boilerplate = [b.text for b in doc.blocks if b.kind == BOILERPLATE]
    for text in ("Accueil", "Publicité – Abonnez-vous pour 1 € le premier mois", "Lire aussi :",
                 "© 2024 Tech Actu – Tous droits réservés", "Mentions légales"):
        assert text in boilerplate
    assert doc.blocks[0].text == "Tech Actu"  # in page order: the site header comes first
    assert all("<" not in b.text and "&" not in b.text for b in doc.blocks)
    assert "window.dataLayer" not in " ".join(b.text for b in doc.blocks)
    nav = next(b for b in doc.blocks if b.text == "Accueil")
    assert [(s.style, s.href) for s in nav.spans] == [(LINK, "https://tech-actu.example/")]


def _spans(doc, index):
    block = doc.blocks[index]
    return [(s.style, block.text[s.start : s.end], s.href) for s in block.spans]


@pytest.mark.parametrize("suffix", ["html", "md", "docx"])
def test_inline_markup_is_mapped_onto_the_plain_text(samples, suffix):
    doc = read_document(samples[suffix])
    texts = [b.text for b in doc.blocks]
    first = texts.index(next(t for t in texts if t.startswith("La récente affaire")))
    assert _spans(doc, first) == [
        (BOLD, "Elon Musk", ""),
        (LINK, "OpenAI", "https://openai.com/index/openai-elon-musk/"),
    ]
    second = _spans(doc, first + 1)
    assert [s[:2] for s in second][0] == (ITALIC, "à but non lucratif")
    assert second[1][1].startswith("Alors que Musk") and second[1][0] == ITALIC
    assert not any(s.style == FORMAT for s in doc.blocks[first].spans)  # plain runs: no format
    gym = next(b for b in doc.blocks if b.text.startswith("Le code du projet"))
    style = CODE
    assert [(s.style, gym.text[s.start : s.end]) for s in gym.spans] == [(style, "gym")]


def test_markdown_structure_and_styles():
    doc = read_document(DATA / "article.md")
    assert doc.format == MARKDOWN
    heads = [(b.style, b.level) for b in doc.blocks if b.kind == HEADING]
    assert heads == [("h1", 1), ("h2", 2), ("h2", 2)]
    assert {b.style for b in doc.blocks if b.kind == LIST_ITEM} == {"ul"}


def test_markdown_code_blocks_nested_lists_and_escapes(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "1. Premier point\n   - sous-point *important*\n2. Second\n\n"
        "```\ncode <b>brut</b>\n  indenté\n```\n\nUn \\*vrai\\* astérisque et <span>html</span>.\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert [(b.kind, b.style, b.level, b.text) for b in doc.blocks] == [
        (LIST_ITEM, "ol", 1, "Premier point"),
        (LIST_ITEM, "ul", 2, "sous-point important"),
        (LIST_ITEM, "ol", 1, "Second"),
        (BOILERPLATE, "pre", 0, "code <b>brut</b>\n  indenté"),
        ("paragraph", "p", 0, "Un *vrai* astérisque et html."),
    ]


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_no_break_spaces_are_kept_as_in_a_text_file(tmp_path, suffix):
    """French typography's no-break spaces ("Prix : 1 000 €") are text, not markup spacing."""
    french = "Prix\u00a0: 1\u202f000\u00a0€ en  tout."
    page = f"<html><body><p>{french}</p></body></html>" if suffix == ".html" else french
    path = tmp_path / f"prix{suffix}"
    path.write_text(page + "\n", encoding="utf-8")
    (block,) = [b for b in read_document(path).blocks if b.kind != BOILERPLATE]
    assert block.text == "Prix\u00a0: 1\u202f000\u00a0€ en tout."


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_only_web_and_mail_links_are_kept(tmp_path, suffix):
    links = ["javascript:alert(1)", " JavaScript:alert(2)", "data:text/html,x",
             "https://a.example/", "mailto:x@a.example", "#note"]  # fmt: skip
    if suffix == ".html":
        body = " ".join(f'<a href="{href}">lien {n}</a>' for n, href in enumerate(links))
        page = f"<html><body><p>Voici des liens : {body}.</p></body></html>"
    else:
        page = "Voici des liens : " + " ".join(
            f"[lien {n}](<{href}>)" for n, href in enumerate(links)) + "."
    path = tmp_path / f"liens{suffix}"
    path.write_text(page + "\n", encoding="utf-8")
    (block,) = [b for b in read_document(path).blocks if b.kind != BOILERPLATE]
    kept = {span.href for span in block.spans if span.style == LINK}
    assert kept == {"https://a.example/", "mailto:x@a.example", "#note"}
    if suffix == ".html":
        assert block.text == "Voici des liens : lien 0 lien 1 lien 2 lien 3 lien 4 lien 5."
    else:  # markdown-it itself does not make links of these schemes: the source stays text
        assert block.text.startswith("Voici des liens : [lien 0](<javascript:alert(1)>)")


def test_docx_styles_and_metadata(samples):
    doc = read_document(samples["docx"])
    assert doc.format == DOCX and doc.meta["author"] == "Claire Martin"
    assert doc.meta["date"] == "2024-03-07"
    styles = [b.style for b in doc.blocks]
    assert styles[:3] == ["Title", "Normal", "Normal"]
    assert {"Heading 2", "List Bullet", "Quote"} <= set(styles)


def test_a_web_page_named_txt_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_bytes((DATA / "article.html").read_bytes())
    doc = read_document(path)
    assert doc.format == HTML and "Accueil" in [b.text for b in doc.blocks]


def test_a_short_page_without_main_content_is_read_block_by_block(tmp_path):
    path = tmp_path / "court.html"
    path.write_text("<html><body><h1>Titre</h1><p>Un <em>court</em> texte.</p>"
                    "<ul><li>un</li></ul></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks if b.kind != BOILERPLATE][:1] == [
        (HEADING, "Titre")
    ]
    assert "Un court texte." in [b.text for b in doc.blocks]


def test_directories_read_the_four_formats_and_skip_the_rest(tmp_path, samples):
    for path in samples.values():
        (tmp_path / "all").mkdir(exist_ok=True)
        (tmp_path / "all" / f"{path.suffix[1:]}-{path.name}").write_bytes(path.read_bytes())
    for name in ("scan.pdf", "data.csv", "lettre.doc"):
        (tmp_path / "all" / name).write_bytes(b"x")
    result = load_documents([tmp_path / "all"])
    assert sorted(d.format for d in result.documents) == sorted([DOCX, HTML, MARKDOWN, TXT])
    assert sorted(p.name for p in result.skipped) == ["data.csv", "lettre.doc", "scan.pdf"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scan.pdf", "scan.pdf: PDF is not supported; convert it first, e.g. pdftotext -layout scan.pdf"),
        ("lettre.doc", "lettre.doc: DOC is not supported; convert it first, e.g. soffice --headless"),
        ("note.rtf", "note.rtf: RTF is not supported; convert it first"),
        ("cassé.docx", "cassé.docx: not a readable Word .docx file"),
        ("cassé.odt", "cassé.odt: not a readable OpenDocument .odt file"),
        ("cassé.pptx", "cassé.pptx: not a readable PowerPoint .pptx file"),
    ],
)
def test_unsupported_or_damaged_files_named_explicitly_are_one_line_errors(tmp_path, name, message):
    (tmp_path / name).write_bytes(b"%PDF-1.4\n\x00binary")
    with pytest.raises(Fr2enError, match=re.escape(message)) as caught:
        load_documents([tmp_path / name])
    assert "\n" not in str(caught.value)


def test_latin1_text_error_says_how_to_convert(tmp_path):
    (tmp_path / "vieux.txt").write_bytes("Été\n".encode("latin-1"))
    with pytest.raises(Fr2enError, match=r"vieux.txt:1: not UTF-8 text .*iconv -f latin1 -t utf-8"):
        load_documents([tmp_path / "vieux.txt"])


@pytest.mark.parametrize("suffix", ["txt", "html", "md", "docx"])
def test_a_document_layout_round_trips_through_its_record(samples, suffix):
    doc = read_document(samples[suffix])
    again = document_from_dict(document_to_dict(doc))
    assert again == doc
