"""Glossary matching rules (issue 3, item 3) on hand-made text, plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fr2en_dossier.glossary import Glossary
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.glossary.matcher import WORD, _word_keys, address_spans, word_key

ENTRIES = [
    Entry("IA", "AI", exact_case=True),
    Entry("assurance-chômage", "AGI", kind="fix", forms=("plural",)),
    Entry("interface utilisateur", "AI", kind="fix"),
    Entry("conseil d'administration", "board", forms=("plural",)),
    Entry("directeur scientifique", "chief scientist", forms=("plural", "feminine")),
    Entry("à but lucratif", "for-profit"),
    Entry("à but lucratif plafonné", "capped-profit", kind="fix"),
    Entry("e-mail", "email", forms=("plural",)),
    Entry("Musk contre. OpenAi", "Musk v. OpenAI", kind="fix"),
    Entry("Elon Musk", "Elon Musk", kind="keep"),
    Entry("OpenAI", "OpenAI", kind="keep"),
    Entry("xAI", "xAI", kind="keep"),
    Entry("procès", "lawsuit"),
]
GLOSSARY = Glossary(ENTRIES)


def found(text: str, glossary: Glossary = GLOSSARY) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.target) for m in glossary.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # case-insensitive unless the entry says otherwise
        ("Le CONSEIL D'ADMINISTRATION", [("CONSEIL D'ADMINISTRATION", "board")]),
        ("l'IA, l'ia, l'Ia", [("IA", "AI")]),
        # ' and ’ alike; elisions in front of a term
        ("du conseil d’administration", [("conseil d’administration", "board")]),
        ("l’assurance-chômage et qu’OpenAI", [("assurance-chômage", "AGI"), ("OpenAI", "OpenAI")]),
        ("jusqu'à l'IA", [("IA", "AI")]),
        # hyphen / space variants, and a hyphen left out
        ("l'assurance chômage", [("assurance chômage", "AGI")]),
        ("l'interface-utilisateur", [("interface-utilisateur", "AI")]),
        ("un email, un e‑mail", [("email", "email"), ("e‑mail", "email")]),
        # plural / feminine forms where the entry allows them, only on the head words
        ("les conseils d'administration", [("conseils d'administration", "board")]),
        ("les assurances-chômage", [("assurances-chômage", "AGI")]),
        ("la directrice scientifique, les directrices scientifiques", [
            ("directrice scientifique", "chief scientist"),
            ("directrices scientifiques", "chief scientist"),
        ]),
        ("les interfaces utilisateur", []),  # no forms on that entry
        ("conseil d'administrations", []),  # the complement does not inflect
        # word boundaries
        ("les médias, l'IAG, IA2, _IA", []),
        ("OpenAIs et openai", [("openai", "OpenAI")]),
        # longest match wins, also across start positions
        ("à but lucratif plafonné", [("à but lucratif plafonné", "capped-profit")]),
        ("une entreprise à but lucratif.", [("à but lucratif", "for-profit")]),
        ("Elon Musk contre. OpenAi", [("Musk contre. OpenAi", "Musk v. OpenAI")]),
        ("Elon Musk contre OpenAI", [("Elon Musk", "Elon Musk"), ("OpenAI", "OpenAI")]),
        ("Musk contre.OpenAi", [("Musk contre.OpenAi", "Musk v. OpenAI")]),
        # nothing inside URLs, e-mail addresses, domain names
        ("voir x.ai et https://openai.com/ia/procès ou www.xai.fr/IA", []),
        ("écrire à ia@openai.com ou IA@procès.fr", []),
        ("xAI (x.ai) et l'IA.", [("xAI", "xAI"), ("IA", "AI")]),
        # decomposed accents (NFD) match the composed entry
        ("le proce\u0300s", [("proce\u0300s", "lawsuit")]),
    ],
)
def test_matching_rules(text, expected):
    assert found(text) == expected


def test_case_sensitive_entry_checks_spelling_not_only_letters():
    glossary = Glossary([Entry("IA", "AI", exact_case=True), Entry("Ia", "Ia", kind="keep", exact_case=True)])
    assert found("IA Ia ia iA", glossary) == [("IA", "AI"), ("Ia", "Ia")]


def test_address_spans():
    text = "site x.ai, mail a.b@c.org, https://x.com/a?b=1 et www.openai.com. Fin.Pas un domaine"
    assert [text[a:b] for a, b in address_spans(text)] == [
        "x.ai", "a.b@c.org", "https://x.com/a?b=1", "www.openai.com.",
    ]


def test_glued_sentences_are_not_domains():
    # "2019.Depuis" and "intérêts.en" (seed 003) must not hide a hit
    assert address_spans("en 2019.Depuis son départ, d’intérêts.en adoptant") == []


# --- properties --------------------------------------------------------------------------------

_SOURCES = [e.source for e in ENTRIES]
_FILLER = ["le", "la", "de", "l'", "d’", "médias", "IAG", "Musk", "contre", "x.ai", "a@b.fr", "ia",
           "-", ",", "."]
_pieces = st.lists(st.sampled_from(_SOURCES + _FILLER), max_size=12)
_noise = st.text(alphabet="aAiIeé’'-. @/:xl\u00a0", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_pieces.map(" ".join), _noise, st.text(max_size=40)))
def test_matches_never_overlap_and_slice_back(text):
    matches = GLOSSARY.find(text)
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:]))
    for m in matches:
        assert 0 <= m.start < m.end <= len(text)
        piece = text[m.start : m.end]
        assert piece[0].isalnum() and piece[-1].isalnum()
        # the matched text alone is found again, as the same entry
        assert [(x.start, x.end, x.entry) for x in GLOSSARY.find(piece)] == [(0, len(piece), m.entry)]
        assert not any(a < m.end and m.start < b for a, b in address_spans(text))


@settings(max_examples=300, deadline=None)
@given(_pieces)
def test_every_entry_written_out_is_covered_by_a_hit(pieces):
    """An entry's source between spaces is always inside some hit (its own or a longer one)."""
    text, spans = "", []
    for piece in pieces:
        start = len(text) + (1 if text else 0)
        text = f"{text} {piece}" if text else piece
        if piece in _SOURCES:
            spans.append((start, start + len(piece)))
    hits = [(m.start, m.end) for m in GLOSSARY.find(text)]
    for start, end in spans:
        assert any(a < end and start < b for a, b in hits), (text, text[start:end])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_word_keys_fast_path_agrees_with_word_key(text):
    spans = [m.span() for m in WORD.finditer(text)]
    assert _word_keys(text, spans) == [word_key(text[s:e]) for s, e in spans]
