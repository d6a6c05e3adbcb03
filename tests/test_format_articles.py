"""English in the input's format: en/<stem>.html, .md, .docx, parsed back by real readers."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.interop import require_tool
from support.sample_docx import write_article_docx

from fr2en_dossier.cli import main
from fr2en_dossier.markup import english_documents
from fr2en_dossier.model import BOILERPLATE, BOILERPLATE_FLAG, BOLD, ITALIC, LINK, PARAGRAPH
from fr2en_dossier.model import MARKUP_UNALIGNED, Block, Document, Hit, Segment, Span, parts_of
from fr2en_dossier.outputs import load_current, write_generation
from fr2en_dossier.qa import check_dossier
from fr2en_dossier.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
ARTICLE_LINKS = {"https://openai.com/index/openai-elon-musk/"}


@pytest.fixture
def translated(tmp_path, monkeypatch, installed_package) -> Path:
    """The sample article as web.html, notes.md, word.docx and plain.txt, translated by the
    synthetic engine; returns the output folder."""
    inputs = tmp_path / "articles"
    inputs.mkdir()
    shutil.copy(DATA / "article.html", inputs / "web.html")
    shutil.copy(DATA / "article.md", inputs / "notes.md")
    shutil.copy(DATA / "article.txt", inputs / "plain.txt")
    write_article_docx(inputs / "word.docx")
    shutil.copy(ROOT / "glossary.tsv", tmp_path / "glossary.tsv")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", "--quiet", "articles"])
    assert result.exit_code == 0, result.output
    assert "en/*.html (1)" in result.output and "en/*.docx (1)" in result.output
    return tmp_path / "output"


def _structure(doc: Document) -> list[str]:
    """The content blocks' kinds in order (headings with their level)."""
    return [
        f"{b.kind}{b.level}" if b.kind == "heading" else b.kind
        for b in doc.blocks
        if b.kind != BOILERPLATE
    ]


def test_every_english_output_reads_back_with_the_input_structure(translated):
    inputs = translated.parent / "articles"
    for stem, suffix in (("web", ".html"), ("notes", ".md"), ("word", ".docx")):
        french = read_document(inputs / f"{stem}{suffix}")
        english = read_document(translated / "en" / f"{stem}{suffix}")
        assert english.format == french.format
        structure = _structure(english)
        assert structure == _structure(french), stem
        assert structure.count("list-item") == 3 and structure.count("heading2") == 2
        links = {s.href for b in english.blocks for s in b.spans if s.style == LINK}
        assert ARTICLE_LINKS <= links, stem  # a link is never lost
        assert all("<" not in b.text for b in english.blocks)
    report = load_current(translated)
    assert {d.stem: d.format for d in report.run.documents} == {
        "web": "html", "notes": "markdown", "word": "docx", "plain": "txt"
    }
    assert not (translated / "en" / "plain.html").exists()


def test_html_output_parses_in_lxml_and_html5lib(translated):
    import html5lib
    import lxml.html

    text = (translated / "en" / "web.html").read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(text)  # strict: any parse error raises
    page = lxml.html.fromstring(text)
    assert len(tree.findall(".//h2")) == len(page.findall(".//h2")) == 2
    assert len(page.findall(".//ul/li")) == 3 and len(page.findall(".//blockquote")) == 1
    assert page.find(".//a[@class='source']").get("href") == (
        "https://tech-actu.example/ia/musk-openai-emails"
    )
    assert "Claire Martin" in page.find(".//p[@class='meta']").text_content()


def test_markdown_output_has_the_inputs_blocks(translated):
    """Written in place: the same block tokens (lists, quote, headings) as the French, the
    untranslated "Lire aussi" list included, and only the units' inline text changed."""
    from markdown_it import MarkdownIt

    def blocks(path: Path) -> list[tuple[str, str, list | None]]:
        tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
        return [(t.type, t.tag, t.map) for t in tokens if t.type != "inline"]

    french = translated.parent / "articles" / "notes.md"
    assert blocks(translated / "en" / "notes.md") == blocks(french)
    english = (translated / "en" / "notes.md").read_text(encoding="utf-8").splitlines()
    kept = [line for line in french.read_text(encoding="utf-8").splitlines() if line in english]
    assert "Lire aussi :" in kept and any(line.startswith("- [Pourquoi Elon Musk") for line in kept)
    assert "La récente affaire" not in "\n".join(english)  # translated


def test_docx_output_keeps_the_paragraph_styles(translated):
    import docx

    french = docx.Document(str(translated.parent / "articles" / "word.docx"))
    english = docx.Document(str(translated / "en" / "word.docx"))
    assert [p.style.name for p in english.paragraphs] == [p.style.name for p in french.paragraphs]
    assert english.paragraphs[3].text == "Lire aussi :"  # boilerplate: left as it was
    assert english.paragraphs[1].text != french.paragraphs[1].text  # translated
    assert english.core_properties.language == "en"


def test_docx_output_opens_in_libreoffice(translated, tmp_path):
    soffice = require_tool("soffice")
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "html", "--outdir", str(tmp_path / "lo-out"), str(translated / "en" / "word.docx")],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    import lxml.html

    page = lxml.html.parse(str(tmp_path / "lo-out" / "word.html")).getroot()
    assert len(page.findall(".//h2")) == 2 and len(page.findall(".//li")) == 5  # 2 kept as read


def test_review_import_rebuilds_the_articles_from_the_report_alone(translated, tmp_path):
    shutil.rmtree(translated.parent / "articles")  # inputs are not read again
    report = load_current(translated)
    first = report.run.id
    again = write_generation(parts_of(report.segments, report.run.documents), tmp_path / "again",
                             report.run).run.id
    for name in ("web.html", "pages/web.html", "notes.md", "plain.txt"):
        before = (translated / "en" / name).read_text(encoding="utf-8")
        after = (tmp_path / "again" / "en" / name).read_text(encoding="utf-8")
        assert after.replace(again, first) == before, name  # a new run id, or none
    before, after = (docx_texts(folder / "en" / "word.docx") for folder in (translated,
                                                                             tmp_path / "again"))
    assert before == after


def docx_texts(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_the_review_page_shows_each_documents_format(translated):
    page = (translated / "review.html").read_text(encoding="utf-8")
    for stem, fmt in (("web", "html"), ("notes", "markdown"), ("word", "docx"), ("plain", "txt")):
        assert f'{stem} <small class="format">{fmt}</small>' in page


# --- placing inline markup on the English (markup.english_documents) ------------------------


def _one(text: str, spans: list[Span], target: str, hits=()) -> tuple[Block, Segment]:
    seg = Segment("d", 0, 0, PARAGRAPH, 0, len(text), text, target=target, hits=list(hits))
    doc = Document("d", Path("d.md"), [Block("d", 0, 1, text, PARAGRAPH, "p", 0, spans)], "markdown")
    (english,) = english_documents([doc], [seg])
    check_dossier([seg], [doc])  # where markup-unaligned is set
    return english.blocks[0], seg


def _marked(block: Block) -> list[tuple[str, str, str]]:
    return [(s.style, block.text[s.start : s.end], s.href) for s in block.spans]


def test_a_whole_sentence_span_covers_the_whole_english_sentence():
    block, seg = _one("Tout est en gras.", [Span(0, 16, BOLD)], "All of it is bold.")
    assert _marked(block) == [(BOLD, "All of it is bold", "")]
    assert MARKUP_UNALIGNED not in seg.flags


def test_a_span_found_as_is_in_the_english_is_placed_there():
    block, seg = _one("Le PDG de Tesla parle.", [Span(10, 15, LINK, "https://t.example")],
                      "The CEO of Tesla speaks.")
    assert _marked(block) == [(LINK, "Tesla", "https://t.example")]
    assert MARKUP_UNALIGNED not in seg.flags


def test_a_span_on_a_glossary_hit_goes_to_its_english_term():
    hit = Hit(3, 6, "PDG", "CEO", "term")
    block, seg = _one("Le PDG parle.", [Span(3, 6, ITALIC)], "The CEO speaks.", [hit])
    assert _marked(block) == [(ITALIC, "CEO", "")]
    assert MARKUP_UNALIGNED not in seg.flags


def test_an_unaligned_short_span_is_flagged_and_a_link_is_kept_after_the_sentence():
    text = "Une annonce très importante pour tous les lecteurs du journal."
    spans = [Span(11, 15, ITALIC), Span(33, 36, LINK, "https://news.example/a")]
    block, seg = _one(text, spans, "A very big announcement for every reader.")
    assert block.text == "A very big announcement for every reader. (news.example)"
    assert _marked(block) == [(LINK, "news.example", "https://news.example/a")]
    assert seg.flags == [MARKUP_UNALIGNED]


def test_an_unaligned_span_over_half_the_sentence_covers_the_whole_english():
    text = "Il a dit que tout cela était faux et dangereux."
    block, seg = _one(text, [Span(9, 46, BOLD)], "He said it was all false and dangerous.")
    assert _marked(block) == [(BOLD, "He said it was all false and dangerous", "")]
    assert seg.flags == [MARKUP_UNALIGNED]


def test_untranslated_french_keeps_its_spans_and_the_flag_is_recomputed():
    block, seg = _one("Un mot en gras.", [Span(3, 6, BOLD)], "")
    assert _marked(block) == [(BOLD, "mot", "")] and MARKUP_UNALIGNED not in seg.flags
    seg.flags.append(MARKUP_UNALIGNED)
    check_dossier([seg], [])
    assert MARKUP_UNALIGNED not in seg.flags


def test_boilerplate_blocks_are_left_out_unless_asked_for():
    seg = Segment("d", 0, 0, BOILERPLATE, 0, 7, "Accueil", flags=[BOILERPLATE_FLAG])
    doc = Document("d", Path("d.html"), [Block("d", 0, 1, "Accueil", BOILERPLATE)], "html")
    assert english_documents([doc], [seg])[0].blocks == []
    (kept,) = english_documents([doc], [seg], include_boilerplate=True)[0].blocks
    assert kept.text == "Accueil"


def test_a_partial_span_follows_the_engines_attention(translated):
    """Segments with markup on part of their French get the engine's word alignment, and the
    markup goes on the English words it names (the synthetic model attends, so it has one)."""
    report = load_current(translated)
    partial = [s for s in report.segments if s.alignment]
    assert partial, "no segment got an alignment"
    for seg in partial:
        assert seg.origin == "mt" and seg.target
        for fa, fb, ea, eb in seg.alignment:
            assert 0 <= fa < fb <= len(seg.source) and 0 <= ea < eb <= len(seg.target)
            assert not seg.source[fa:fb].isspace() and not seg.target[ea:eb].isspace()
    # markup placed by the alignment is not flagged; the segments without one (cached, or
    # rewritten by the terminology passes) fall back to the sentence-level rule
    aligned = [s for s in partial if MARKUP_UNALIGNED not in s.flags]
    assert aligned


def test_the_alignment_places_a_span_the_other_rules_cannot():
    text = "Le chat noir dort."
    seg = Segment("d", 0, 0, PARAGRAPH, 0, len(text), text, target="The black cat sleeps.")
    seg.alignment = [[0, 2, 0, 3], [3, 7, 10, 13], [8, 12, 4, 9], [13, 18, 14, 21]]
    block = Block("d", 0, 1, text, PARAGRAPH, "p", 0, [Span(3, 7, BOLD)])
    doc = Document("d", Path("d.md"), [block], "markdown")
    (english,) = english_documents([doc], [seg])
    check_dossier([seg], [doc])
    assert _marked(english.blocks[0]) == [(BOLD, "cat", "")]
    assert MARKUP_UNALIGNED not in seg.flags
    seg.alignment = []  # no alignment (a review, a cached translation): the fallback rule
    check_dossier([seg], [doc])
    assert MARKUP_UNALIGNED in seg.flags


@pytest.mark.parametrize(("text", "spans"), [
    ("Bonjour le monde", [Span(0, 7, BOLD)]),  # bold at the start of the line
    ("Titre en italique", [Span(0, 5, ITALIC)]),
    ("3.5 millions de dollars", []),  # not a numbered list
    ("1. Un point numéroté dans le texte", []),
    ("- un tiret au début", []),
    ("# pas un titre", []),
    ("---", []),
    ("+ plus", []),
    ("Un *astérisque* et un > chevron", []),
    ("L'Express a révélé", [Span(0, 18, BOLD), Span(2, 9, ITALIC)]),  # nested: **L'*Express* …**
    ("«Non» dit-il", [Span(0, 5, BOLD)]),  # ** cannot close after » before a letter: <strong>
])  # fmt: skip
def test_markdown_reads_back_as_the_same_text_and_markup(tmp_path, text, spans):
    """A unit written in place, as a paragraph and as a list item, reads back as its text
    with its markup (the Markdown reader on the written file)."""
    from fr2en_dossier.formats.markdown import write_markdown

    for source in ("Un paragraphe.\n", "- Un point.\n"):
        path = tmp_path / "d.md"
        path.write_text(source, encoding="utf-8")
        french = read_document(path)
        english = replace(french, blocks=[replace(french.blocks[0], text=text, spans=spans)])
        write_markdown(english, french, tmp_path / "en.md")
        (block,) = read_document(tmp_path / "en.md").blocks
        assert (block.text, block.spans, block.kind) == (text, spans, french.blocks[0].kind) or (
            block.text == text and "<strong>" in (tmp_path / "en.md").read_text())


def test_two_unplaced_links_both_follow_the_sentence():
    text = "Voir ici et là pour le détail complet de cette affaire."
    seg = Segment("d", 0, 0, PARAGRAPH, 0, len(text), text, target="See the full details.")
    links = [Span(5, 8, LINK, "https://a.example/x"), Span(12, 14, LINK, "https://b.example/y")]
    doc = Document("d", Path("d.md"), [Block("d", 0, 1, text, PARAGRAPH, "p", 0, links)], "markdown")
    (english,) = english_documents([doc], [seg])
    block = english.blocks[0]
    assert block.text == "See the full details. (a.example) (b.example)"
    assert _marked(block) == [(LINK, "a.example", "https://a.example/x"),
                              (LINK, "b.example", "https://b.example/y")]  # fmt: skip


def test_code_and_raw_html_blocks_are_written_back_as_read():
    code = "x = 1.\nSi y = 2.\n    Alors z."
    segs = [Segment("d", 0, 0, PARAGRAPH, 0, 6, "x = 1.", target="x = 1.", flags=[BOILERPLATE_FLAG]),
            Segment("d", 0, 1, PARAGRAPH, 7, 15, "Si y = 2.", target="If y = 2.",
                    flags=[BOILERPLATE_FLAG])]  # fmt: skip
    block = Block("d", 0, 1, code, BOILERPLATE, "pre", 0, [])
    (english,) = english_documents([Document("d", Path("d.md"), [block], "markdown")], segs)
    assert english.blocks == [block]
