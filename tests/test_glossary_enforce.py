"""The glossary around MT: source repairs (fix entries only), hits on segments, term verification."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fr2en_dossier.glossary import Glossary, apply_glossary, missing_terms, rewrite, term_spans, verify_terms
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.model import TERM_MISSING, Hit, Segment

GLOSSARY = Glossary(
    [
        Entry("assurance-chômage", "AGI", "UI → unemployment insurance", "fix", repair="AGI"),
        Entry("interface utilisateur", "AI", kind="fix", repair="IA"),
        Entry("IA", "AI", exact_case=True),
        Entry("conseil d'administration", "board", forms=("plural",)),
        Entry("bailleur de fonds", "backer", forms=("plural",)),
        Entry("procès", "lawsuit"),
        Entry("bénéfice plafonné", "capped-profit", kind="fix", repair="profit plafonné"),
        Entry("à but non lucratif", "nonprofit"),
        Entry("OpenAI", "OpenAI", kind="keep"),
        Entry("Musk", "Musk", kind="keep"),
    ]
)


def engine_input(text: str) -> str:
    return rewrite(text, GLOSSARY.find(text))


@pytest.mark.parametrize(
    "source, expected",
    [
        # the example: the elision stays grammatical before a vowel
        ("parrain de l'assurance-chômage", "parrain de l'AGI"),
        ("mettre l’interface utilisateur au service", "mettre l’IA au service"),
        ("l'organisation quitte l'assurance-chômage", "l'organisation quitte l'AGI"),
        ("L’assurance-chômage", "L’AGI"),
        ("Un modèle à « bénéfice plafonné ».", "Un modèle à « profit plafonné »."),
        ("Bénéfice plafonné", "Profit plafonné"),  # capital kept at the start
        # term and keep entries leave the French as it is
        ("Ce fut l'IA", "Ce fut l'IA"),
        ("quitter le conseil d'administration", "quitter le conseil d'administration"),
        ("Procès intenté par Musk", "Procès intenté par Musk"),
        ("qu'openai de Musk", "qu'openai de Musk"),
    ],
)
def test_rewrite(source, expected):
    assert engine_input(source) == expected


@pytest.mark.parametrize(
    "source, expected",
    [
        ("de l'assurance-chômage", "du conseil"),
        ("à l'assurance-chômage", "au conseil"),
        ("l’assurance-chômage", "le conseil"),
        ("D'assurance-chômage", "De conseil"),
        ("qu'assurance-chômage", "que conseil"),
        ("le PDG", "l'IA"),
        ("la PDG", "l'IA"),
        ("Que PDG", "Qu'IA"),
        ("du PDG", "de l'IA"),
        ("Au PDG", "À l'IA"),
        ("de PDG, l’assurance-chômage", "d’IA, le conseil"),
        ("la présidente du PDG", "la présidente de l'IA"),
        ("le ordinateur", "le IA"),  # both start with a vowel: the French is left as it was
    ],
)
def test_articles_follow_the_replacement(source, expected):
    """When the first letter changes from vowel to consonant or back, the article follows."""
    glossary = Glossary([Entry("assurance-chômage", "board", kind="fix", repair="conseil"),
                         Entry("PDG", "CEO", kind="fix", repair="IA"),
                         Entry("ordinateur", "AI", kind="fix", repair="IA")])
    assert rewrite(source, glossary.find(source)) == expected


def seg(source: str, start: int = 10, **kwargs) -> Segment:
    return Segment("doc", 3, 1, "paragraph", start, start + len(source), source, **kwargs)


def test_apply_glossary_fills_hits_in_block_offsets_and_engine_input():
    block = "Intro.    Musk a quitté le conseil d’administration de l’assurance-chômage."
    segment = seg(block[10:], start=10)
    apply_glossary([segment], GLOSSARY)
    assert segment.hits == [
        Hit(10, 14, "Musk", "Musk", "keep", "", "Musk"),
        Hit(27, 51, "conseil d’administration", "board", "term", "", "conseil d'administration"),
        Hit(57, 74, "assurance-chômage", "AGI", "fix", "UI → unemployment insurance",
            "assurance-chômage", "AGI"),
    ]
    assert all(block[h.start : h.end] == h.source for h in segment.hits)
    assert segment.engine_input == "Musk a quitté le conseil d’administration de l’AGI."
    assert segment.source == block[10:]  # the original is kept


def test_apply_glossary_leaves_engine_input_none_when_nothing_changes():
    segments = [seg("OpenAI et Musk."), seg("Rien ici."), seg("x", engine_input="stale")]
    segments[2].hits = [Hit(0, 1, "x", "y", "term")]
    apply_glossary(segments, GLOSSARY)
    assert [s.engine_input for s in segments] == [None, None, None]
    assert [len(s.hits) for s in segments] == [2, 0, 0]


# --- verification after MT -------------------------------------------------------------------


@pytest.mark.parametrize(
    "term, text",
    [
        ("AI", "AI is here"),
        ("OpenAI", "OpenAI's emails"),
        ("OpenAI", "OpenAI’s emails"),
        ("board", "the boards"),
        ("board", "Board members"),
        ("capped-profit", "a capped profit model"),
        ("capped-profit", "a Capped-Profit model"),
        ("co-founder", "the cofounders"),
        ("Musk v. OpenAI", "In Musk v. OpenAI,"),
        ("nonprofit", "the nonprofit’s board"),
        ("Wall Street Journal", "the Wall Street Journal reported"),
    ],
)
def test_term_is_found(term, text):
    assert term_spans(term, text)


@pytest.mark.parametrize(
    "term, text",
    [
        ("AI", "the ai lab"),  # capitals count beyond the first letter
        ("AI", "OpenAI and xAI"),  # inside a word
        ("AGI", "AI"),
        ("board", "aboard the plane"),
        ("nonprofit", "a non-profit"),  # another spelling is a deviation to review
        ("OpenAI", "Open AI"),
        ("", "anything"),
    ],
)
def test_term_is_not_found(term, text):
    assert not term_spans(term, text)


SOURCES = [
    "Musk est le parrain de l’assurance-chômage.",
    "Il a quitté le conseil d'administration d'OpenAI.",
    "Un modèle à « bénéfice plafonné ».",
    "Rien à signaler.",
]


def test_engine_ignoring_the_glossary_is_flagged_term_missing():
    segments = [seg(s) for s in SOURCES]
    apply_glossary(segments, GLOSSARY)
    for segment in segments:
        segment.target = segment.source  # what an engine fed the raw French would keep
    verify_terms(segments)
    assert [s.flags for s in segments] == [[TERM_MISSING], [TERM_MISSING], [TERM_MISSING], []]
    assert [h.target for h in missing_terms(segments[1])] == ["board"]  # "OpenAI" is there


def test_verify_terms_recomputes_the_flag_and_skips_untranslated_segments():
    segment = seg("le conseil d'administration")
    apply_glossary([segment], GLOSSARY)
    segment.target = "the council"
    verify_terms([segment])
    assert segment.flags == [TERM_MISSING]
    segment.target = "the board"  # e.g. after review
    verify_terms([segment])
    assert segment.flags == []
    for target in (None, "", "  "):
        segment.target, segment.flags = target, [TERM_MISSING]
        verify_terms([segment])
        assert segment.flags == []


def test_missing_terms_lists_each_term_once():
    segment = seg("l'IA et l'IA")
    apply_glossary([segment], GLOSSARY)
    segment.target = "the intelligence"
    assert [h.target for h in missing_terms(segment)] == ["AI"]


_PIECES = ["l'", "le ", "de ", "du ", "IA", "procès", "Musk", "assurance-chômage", " ", ","]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_only_fix_entries_change_the_engine_input(text):
    """Whatever the text: each fix hit's repair is in the engine input, and a text whose hits
    are all term/keep reaches the engine unchanged."""
    segment = seg(text)
    apply_glossary([segment], GLOSSARY)
    fixes = [h for h in segment.hits if h.kind == "fix"]
    assert all(h.repair.casefold() in segment.mt_input.casefold() for h in fixes)
    if not fixes:
        assert segment.engine_input is None
    assert all(segment.source[h.start - 10 : h.end - 10] == h.source for h in segment.hits)


def test_verify_terms_aligns_each_hit_with_its_english_and_gives_the_reason():
    segment = seg("Le procès de Musk et le procès d'OpenAI sur l'IA.")
    apply_glossary([segment], GLOSSARY)
    segment.target = "Musk's lawsuit and the OpenAI lawsuit about the intelligence."
    verify_terms([segment])
    spans = {(h.source, h.start): (h.en_start, h.en_end) for h in segment.hits}
    assert [segment.target[a:b] for a, b in spans.values() if a is not None] == [
        "lawsuit", "Musk's", "lawsuit", "OpenAI"
    ]
    [ia] = [h for h in segment.hits if h.source == "IA"]
    assert (ia.en_start, ia.en_end) == (None, None)
    assert segment.reasons == {TERM_MISSING: "glossary term(s) missing from the English: AI (IA)"}
