"""Enforcement: engine input rewriting before MT, hits on segments, term verification after MT."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fr2en_dossier.glossary import Glossary, apply_glossary, missing_terms, rewrite, term_spans, verify_terms
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.model import TERM_MISSING, Hit, Segment

GLOSSARY = Glossary(
    [
        Entry("assurance-chômage", "AGI", "UI → unemployment insurance", "fix"),
        Entry("interface utilisateur", "AI", kind="fix"),
        Entry("IA", "AI", exact_case=True),
        Entry("conseil d'administration", "board", forms=("plural",)),
        Entry("bailleur de fonds", "backer", forms=("plural",)),
        Entry("procès", "lawsuit"),
        Entry("bénéfice plafonné", "capped-profit", kind="fix"),
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
        ("mettre l’interface utilisateur au service", "mettre l’AI au service"),
        ("l'organisation quitte l'assurance-chômage", "l'organisation quitte l'AGI"),
        ("L’assurance-chômage", "L’AGI"),
        ("Ce fut l'IA", "Ce fut l'AI"),
        ("quitter le conseil d'administration", "quitter le board"),
        ("les conseils d’administration", "les boards"),  # a plural match gets the plural target
        ("les premiers bailleurs de fonds", "les premiers backers"),
        ("Procès intenté par Musk", "Lawsuit intenté par Musk"),  # capital kept at the start
        ("qu'openai de Musk", "qu'OpenAI de Musk"),  # keep: canonical spelling
        ("du procès", "du lawsuit"),
    ],
)
def test_rewrite(source, expected):
    assert engine_input(source) == expected


@pytest.mark.parametrize(
    "source, expected",
    [
        ("de l'assurance-chômage", "du board"),
        ("à l'assurance-chômage", "au board"),
        ("l’assurance-chômage", "le board"),
        ("D'assurance-chômage", "De board"),
        ("qu'assurance-chômage", "que board"),
        ("le PDG", "l'AI"),
        ("la PDG", "l'AI"),
        ("Que PDG", "Qu'AI"),
        ("du PDG", "de l'AI"),
        ("Au PDG", "À l'AI"),
        ("de PDG, l’assurance-chômage", "d’AI, le board"),
        ("la présidente du PDG", "la présidente de l'AI"),
        ("le IA", "le AI"),  # both start with a vowel: the French is left as it was
    ],
)
def test_articles_follow_the_replacement(source, expected):
    """When the first letter changes from vowel to consonant or back, the article follows."""
    glossary = Glossary([Entry("assurance-chômage", "board", kind="fix"), Entry("PDG", "AI"),
                         Entry("IA", "AI", exact_case=True)])
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
        Hit(57, 74, "assurance-chômage", "AGI", "fix", "UI → unemployment insurance", "assurance-chômage"),
    ]
    assert all(block[h.start : h.end] == h.source for h in segment.hits)
    assert segment.engine_input == "Musk a quitté le board de l’AGI."
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


class EchoEngine:
    """A fake MT engine: returns its input as the translation (the glossary stage is the unit
    under test; the real engine is exercised in the pipeline tests)."""

    def translate(self, texts: list[str]) -> list[str]:
        return list(texts)


def translate(segments: list[Segment], engine) -> None:
    for segment, target in zip(segments, engine.translate([s.mt_input for s in segments])):
        segment.target = target


SOURCES = [
    "Musk est le parrain de l’assurance-chômage.",
    "Il a quitté le conseil d'administration d'OpenAI.",
    "Un modèle à « bénéfice plafonné ».",
    "Rien à signaler.",
]


def test_engine_given_the_engine_input_produces_every_term():
    segments = [seg(s) for s in SOURCES]
    apply_glossary(segments, GLOSSARY)
    translate(segments, EchoEngine())
    verify_terms(segments)
    assert [s.flags for s in segments] == [[], [], [], []]


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
def test_echo_engine_never_misses_a_rewritten_term(text):
    """Whatever the text, the engine input contains every hit's target term."""
    segment = seg(text)
    apply_glossary([segment], GLOSSARY)
    translate([segment], EchoEngine())
    verify_terms([segment])
    assert TERM_MISSING not in segment.flags
    assert all(segment.source[h.start - 10 : h.end - 10] == h.source for h in segment.hits)
