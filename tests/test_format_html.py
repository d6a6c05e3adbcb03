"""review.html: structure, escaping, highlights, badges, totals, self-containment."""

from __future__ import annotations

import re

import lxml.html
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fr2en_dossier.formats.html import render_review_html, write_review_html
from fr2en_dossier.formats.report import RunInfo
from fr2en_dossier.model import parts_of
from fr2en_dossier.model import (
    BOILERPLATE,
    BOILERPLATE_FLAG,
    FIX,
    FLAGS,
    HEADING,
    KEEP,
    LENGTH_RATIO,
    NUMBER_MISMATCH,
    PARAGRAPH,
    TERM,
    TERM_MISSING,
    Hit,
    Segment,
)

SCRIPT = "<script>alert(1)</script>"


def _q(element, selector):
    """Elements under ``element`` matching a small CSS-like selector: "tag.class", "#id",
    "tag[attr]" steps separated by spaces (descendants)."""
    path = "."
    for step in selector.split():
        m = re.fullmatch(r"([\w*]*)(?:\.([\w-]+))?(?:#([\w-]+))?(?:\[([\w-]+)\])?", step)
        tag, cls, ident, attr = m.groups()
        path += f"//{tag or '*'}"
        if cls:
            path += f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
        if ident:
            path += f"[@id='{ident}']"
        if attr:
            path += f"[@{attr}]"
    return element.xpath(path)


def _dossier():
    b0 = "Musk et l'assurance-chômage"
    b1 = f"OpenAI a levé 60 millions. Le conseil d'administration {SCRIPT} décide."
    s1 = b1.index("Le conseil")
    return [
        Segment(
            "d<1>",
            0,
            0,
            HEADING,
            0,
            len(b0),
            b0,
            engine_input="Musk et l'AGI",
            target="Musk and unemployment insurance",
            hits=[
                Hit(0, 4, "Musk", "Musk", KEEP, "a name"),
                Hit(10, 27, "assurance-chômage", "AGI", FIX, 'UI → "AGI" <sic>'),
            ],
            flags=[TERM_MISSING],
            origin="mt",
        ),
        Segment(
            "d<1>",
            1,
            0,
            PARAGRAPH,
            0,
            s1 - 1,
            b1[: s1 - 1],
            target="OpenAI raised 16 million.",
            hits=[Hit(0, 6, "OpenAI", "OpenAI", KEEP)],
            flags=[NUMBER_MISMATCH],
            origin="cache",
        ),
        Segment(
            "d<1>",
            1,
            1,
            PARAGRAPH,
            s1,
            len(b1),
            b1[s1:],
            target=f"The Board {SCRIPT} decides.",
            hits=[Hit(s1 + 3, s1 + 27, "conseil d'administration", "board", TERM)],
            origin="review",
        ),
        Segment("e", 0, 0, BOILERPLATE, 0, 4, "fbpx", flags=[BOILERPLATE_FLAG]),
    ]


def _page(segments=None, run=None):
    """The page of ``segments`` after QA (flags, reasons and hit alignment recomputed)."""
    from fr2en_dossier.qa import check_dossier

    segments = segments or _dossier()
    check_dossier(segments)
    return lxml.html.document_fromstring(render_review_html(segments, run))


def test_one_row_per_segment_with_key_source_and_target():
    page = _page()
    rows = _q(page, "tr.seg")
    assert [r.get("id") for r in rows] == [
        "seg-d<1>:0:0",
        "seg-d<1>:1:0",
        "seg-d<1>:1:1",
        "seg-e:0:0",
    ]
    for row, seg in zip(rows, _dossier(), strict=True):
        assert _q(row, "td.key a")[0].text_content() == seg.key
        assert _q(row, "td.fr")[0].text_content().startswith(seg.source)
        assert seg.target is None or _q(row, "td.en")[0].text_content().startswith(seg.target)
    assert [s.get("id") for s in _q(page, "section.doc")] == ["doc-d<1>", "doc-e"]


def test_every_text_is_escaped():
    html = render_review_html(_dossier())
    assert SCRIPT not in html
    assert html.count("<script") == 1  # the page's own script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = lxml.html.document_fromstring(html)
    assert len(_q(page, "script")) == 1


_printable = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))
    | st.sampled_from("<>&\"'"),
    min_size=1,
    max_size=60,
)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(_printable, _printable, _printable)
def test_any_text_shows_exactly_as_written(source, target, comment):
    assume(target.strip())  # blank English: see test_blank_english_reads_no_translation
    hit = Hit(0, len(source), source, target[:5], TERM, comment)
    seg = Segment("doc", 0, 0, PARAGRAPH, 0, len(source), source, target=target, hits=[hit])
    row = _q(_page([seg]), "tr.seg")[0]
    assert _q(row, "td.fr")[0].text_content() == source
    assert _q(row, "td.en")[0].text_content() == target
    assert _q(row, "td.fr mark")[0].get("title").endswith(comment)


@pytest.mark.parametrize("target", [None, "", " ", "\n"])
def test_blank_english_reads_no_translation(target):
    seg = Segment("doc", 0, 0, PARAGRAPH, 0, 5, "Texte", target=target)
    assert _q(_q(_page([seg]), "tr.seg")[0], "td.en")[0].text_content() == "no translation"


def test_hits_are_highlighted_on_both_sides_with_the_entry_on_hover():
    rows = _q(_page(), "tr.seg")
    fr = _q(rows[0], "td.fr mark")
    assert [(m.text_content(), m.get("class")) for m in fr] == [
        ("Musk", "hit hit-keep"),
        ("assurance-chômage", "hit hit-fix"),
    ]
    assert fr[1].get("title") == (
        'glossary fix: assurance-chômage → AGI [not in the English] — UI → "AGI" <sic>'
    )
    assert fr[0].get("title") == "glossary keep: Musk → Musk [English 0-4: Musk] — a name"
    assert [m.text_content() for m in _q(rows[0], "td.en mark")] == ["Musk"]  # AGI is missing
    assert _q(rows[0], ".mt-input")[0].text_content() == "Musk et l'AGI"
    en = _q(rows[2], "td.en mark")
    assert [(m.text_content(), m.get("class")) for m in en] == [("Board", "hit hit-term")]
    assert "conseil d'administration → board" in en[0].get("title")


def test_target_terms_match_whole_words_only():
    seg = Segment(
        "d",
        0,
        0,
        PARAGRAPH,
        0,
        2,
        "IA",
        target="OpenAI builds AI.",
        hits=[Hit(0, 2, "IA", "AI", TERM)],
    )
    assert [m.text_content() for m in _q(_page([seg]), "td.en mark")] == ["AI"]


def test_flags_are_badges_explaining_themselves():
    rows = _q(_page(), "tr.seg")
    assert rows[0].get("data-flags") == TERM_MISSING
    badge = _q(rows[0], ".badge")[0]
    assert badge.text_content() == "term missing"
    assert badge.get("title") == "glossary term(s) missing from the English: AGI (assurance-chômage)"
    assert _q(rows[1], ".badge")[0].get("title") == (
        "number(s) of the French missing from the English: 60 millions"
    )
    assert _q(rows[2], ".badge") == []
    assert "muted" in rows[3].get("class")


def test_totals_and_one_filter_per_flag():
    page = _page(run=RunInfo(engine="translate-fr_en 1.9", glossary="glossary.tsv"))
    tiles = {_q(t, "span")[0].text: _q(t, "b")[0].text for t in _q(page, ".tile")}
    assert tiles == {
        "documents": "2",
        "segments": "4",
        "translated": "3",
        "machine": "2",
        "reviewed": "1",
        "memory matches": "0",
        "flagged": "2",
    }
    chips = {
        _q(c, "input")[0].get("data-flag"): _q(c, "b")[0].text
        for c in _q(page, "label.chip")
        if _q(c, "input[data-flag]")
    }
    assert chips == {
        **{f: "0" for f in FLAGS},
        TERM_MISSING: "1",
        NUMBER_MISMATCH: "1",
        BOILERPLATE_FLAG: "1",
    }
    assert _q(page, "#only-flagged")
    assert "translate-fr_en 1.9 · glossary glossary.tsv" in _q(page, ".run")[0].text_content()
    assert "no MT (--no-mt)" in _q(_page(run=RunInfo(mt=False)), ".run")[0].text_content()


def test_the_page_is_self_contained(tmp_path):
    path = write_review_html(_dossier(), tmp_path / "review.html")
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"""\b(?:src|href)\s*=\s*(?!["']?#)""", html)  # only in-page links
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_length_ratio_review_tag_and_boilerplate_text():
    source = "Une phrase française assez longue pour compter."
    seg = Segment(
        "d",
        0,
        0,
        PARAGRAPH,
        0,
        len(source),
        source,
        target="Short.",
        flags=[LENGTH_RATIO],
        origin="review",
    )
    rows = _q(_page([seg, *_dossier()[3:]]), "tr.seg")
    assert _q(rows[0], ".badge")[0].get("title") == (
        "the English is 0.13× the French's length (expected 0.5–2.0×)"
    )
    assert _q(rows[0], "td.key .origin")[0].text_content() == "reviewed"
    assert _q(rows[1], "td.en")[0].text_content() == "boilerplate: not translated"


def _article(doc: str, title: str, n: int = 1) -> list[Segment]:
    heading = Segment(doc, 0, 0, HEADING, 0, len(title), title, target="T", origin="mt")
    body = [Segment(doc, 1, i, PARAGRAPH, 0, 9, f"Phrase {i}.", target=f"Sentence {i}.",
                    origin="mt") for i in range(n)]
    return [heading, *body]


def test_documents_by_title_in_natural_order():
    segments = [*_article("art_10", "Dix"), *_article("art_2", "Deux <i>"), *_article("art_1", "Un")]
    page = _page(segments)
    assert [s.get("id") for s in _q(page, "section.doc")] == ["doc-art_1", "doc-art_2", "doc-art_10"]
    assert [h.text_content().split(" art_")[0] for h in _q(page, "section.doc h2")] == [
        "Un", "Deux <i>", "Dix"]
    assert [o.text for o in _q(page, "select#jump option")][1:] == [
        "Un (2)", "Deux <i> (2)", "Dix (2)"]


def test_flag_reasons_are_text_not_only_hover():
    rows = _q(_page(), "tr.seg")
    assert _q(rows[0], "td.flags .why")[0].text_content() == (
        "glossary term(s) missing from the English: AGI (assurance-chômage)")
    assert _q(rows[1], "td.flags .why")[0].text_content() == (
        "number(s) of the French missing from the English: 60 millions")


def test_a_large_dossier_gets_an_index_and_one_page_per_document(tmp_path):
    from fr2en_dossier.formats.html import write_review_pages

    segments = [*_article("art_2", "Deux", 3), *_article("art_10", f"Dix {SCRIPT}", 3)]
    written = write_review_pages(parts_of(segments), tmp_path / "review.html", split_above=5)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "review.html", "review-pages/art_2.html", "review-pages/art_10.html"]
    index = lxml.html.parse(str(tmp_path / "review.html")).getroot()
    links = [(a.get("href"), a.text_content()) for a in _q(index, "tr.doc-row a")]
    assert links == [("review-pages/art_2.html", "Deux"), ("review-pages/art_10.html", f"Dix {SCRIPT}")]
    page = lxml.html.parse(str(tmp_path / "review-pages" / "art_10.html")).getroot()
    assert [r.get("data-key") for r in _q(page, "tr.seg")] == [
        "art_10:0:0", "art_10:1:0", "art_10:1:1", "art_10:1:2"]
    assert _q(page, "a.index-link")[0].get("href") == "../review.html"
    assert len(_q(page, "script")) == 1 and len(_q(index, "script")) == 1
    assert write_review_pages(parts_of(segments), tmp_path / "small.html") == [tmp_path / "small.html"]
