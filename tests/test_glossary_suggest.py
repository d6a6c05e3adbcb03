"""`suggest_terms`: French candidates (names, acronyms, nouns, noun phrases) not yet in the
glossary, ranked by termhood, with both French pipelines (spaCy's fr_core_news_sm, patterns)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fr2en_dossier.glossary import Glossary, load_glossary, suggest_terms
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.glossary.suggest import _norm
from fr2en_dossier.loader import load_documents
from fr2en_dossier.model import BOILERPLATE_FLAG, Segment
from fr2en_dossier.segmenter import segment_documents

from conftest import ROOT, SEEDS

PIPELINES = ["spacy", "patterns"]


def segments(*texts: str) -> list[Segment]:
    return [Segment("doc", i, 0, "paragraph", 0, len(t), t) for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def seeds() -> list[Segment]:
    return segment_documents(load_documents([SEEDS]).documents)


TEXTS = (
    "Les dirigeants de Mistral AI ont parlé au PDG de Nvidia.",
    "Mistral AI a levé des fonds ; la puissance de calcul manque.",
    "Selon Arthur Mensch, la puissance de calcul coûte cher au PDG.",
    "Arthur Mensch dirige Mistral AI. Les dirigeants parlent de sécurité de l'IA.",
    "Les investisseurs voient l’intelligence artificielle générale.",
    "Voir mistral.ai et l’intelligence artificielle générale, Nvidia.",
    "Dirigeants et investisseurs. Les procès des investisseurs.",
    "Procès : le bénéfice plafonné. Malgré tout, les bénéfices plafonnés.",
)


def table(candidates) -> dict[str, tuple[int, str, str]]:
    return {c.text: (c.count, c.category, c.kind) for c in candidates}


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_names_acronyms_nouns_and_phrases_grouped_by_lemma(pipeline):
    found = table(suggest_terms(segments(*TEXTS), Glossary([]), pipeline=pipeline))
    assert found["Mistral AI"] == (3, "name", "keep")
    assert found["Arthur Mensch"] == (2, "name", "keep")
    assert found["Nvidia"] == (2, "name", "keep")
    assert found["PDG"] == (2, "acronym", "keep")
    assert found["puissance de calcul"] == (2, "phrase", "term")
    assert found["intelligence artificielle générale"] == (2, "phrase", "term")
    assert found["investisseur"][:2] == (3, "noun")  # "investisseurs" ×3
    assert found["procès"][:2] == (2, "noun")  # "procès", "Procès"
    assert found["bénéfice plafonné"][:2] == (2, "phrase")  # singular and plural
    assert "dirigeant" in found


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_sentence_openers_and_function_words_are_not_candidates(pipeline):
    found = [c.text for c in suggest_terms(segments(*TEXTS), Glossary([]), 1, pipeline=pipeline)]
    for opener in ("Les", "Selon", "Dirigeants", "Voir", "Procès", "Malgré", "Arthur", "Mistral"):
        assert opener not in found
    assert not any(text.split()[0].lower() in ("les", "la", "de", "selon") for text in found)


def test_forms_cover_every_inflection_seen():
    [plafonne] = [c for c in suggest_terms(segments(*TEXTS), Glossary([]), pipeline="patterns")
                  if c.text == "bénéfice plafonné"]  # fmt: skip
    assert plafonne.forms == ("plural",)
    assert set(plafonne.surfaces) == {"bénéfice plafonné", "bénéfices plafonnés"}


def test_glossary_entries_and_their_hits_are_left_out():
    glossary = Glossary([Entry("Mistral AI", "Mistral AI", kind="keep"), Entry("PDG", "CEO"),
                         Entry("intelligence artificielle générale", "AGI")])
    found = table(suggest_terms(segments(*TEXTS), glossary, pipeline="patterns"))
    assert not {"Mistral AI", "PDG", "intelligence artificielle générale", "intelligence",
                "intelligence artificielle"} & set(found)
    assert "Arthur Mensch" in found and "puissance de calcul" in found


def test_an_entry_under_another_spelling_is_not_suggested():
    glossary = Glossary([Entry("Puissance de calcul", "computing power", exact_case=True)])
    found = suggest_terms(segments(*TEXTS), glossary, pipeline="patterns")
    assert "puissance de calcul" not in [c.text for c in found]


def test_first_occurrence_gives_the_key_and_context():
    [nvidia] = [c for c in suggest_terms(segments(*TEXTS), Glossary([]), pipeline="patterns")
                if c.text == "Nvidia"]  # fmt: skip
    assert nvidia.key == "doc:0:0" and nvidia.context == TEXTS[0]
    assert [c["key"] for c in nvidia.contexts] == ["doc:0:0", "doc:5:0"]


def test_long_context_is_cut_around_the_occurrence():
    text = "x " * 100 + "Rust Belt et " + "y " * 100
    [candidate] = [c for c in suggest_terms(segments(text, text), Glossary([]), pipeline="patterns")
                   if c.text == "Rust Belt"]  # fmt: skip
    assert candidate.context.startswith("…") and candidate.context.endswith("…")
    assert len(candidate.context) < 2 * 60 + len("Rust Belt") + 2


def test_boilerplate_and_addresses_do_not_count():
    segs = segments("Suivez Foo Media sur foomedia.com", "Suivez Foo Media", "site www.Foo.com et Foo.com")
    segs[1].flags.append(BOILERPLATE_FLAG)
    assert suggest_terms(segs, Glossary([]), min_count=2, pipeline="patterns") == []


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_seeds_from_scratch_rank_the_shipped_glossary_high(seeds, pipeline):
    """With an empty glossary, the top 50 holds most sources of the shipped glossary that the
    seeds use twice or more, and a good share of all of them (README "Glossary")."""
    glossary = load_glossary(ROOT / "glossary.tsv")
    found = suggest_terms(seeds, Glossary([]), 1, pipeline=pipeline)
    top = {_norm(c.text) for c in found[:50]}
    counts = {e.source: 0 for e in glossary.entries}
    for seg in seeds:
        for match in glossary.find(seg.source):
            counts[match.entry.source] += 1
    recurring = [s for s, n in counts.items() if n >= 2]
    assert sum(_norm(s) in top for s in recurring) >= 0.75 * len(recurring)
    assert sum(_norm(s) in top for s in counts) >= 0.4 * len(counts)
    openers = {"choc", "malgré", "pouvons", "finalement", "grâce", "sauf", "suite", "conclusion"}
    assert not any(c.text in {o.capitalize() for o in openers} for c in found)


@given(st.dictionaries(
    st.lists(st.sampled_from(["conseil", "de", "administration", "fonds", "bailleur"]),
             min_size=1, max_size=4).map(lambda words: ("phrase", *words)),
    st.integers(1, 9), max_size=30))  # fmt: skip
def test_longer_counts_equal_the_pairwise_definition(phrases):
    """The linear computation gives what comparing every pair of phrases would."""
    from fr2en_dossier.glossary.candidates import _longer_counts

    longer = _longer_counts(phrases)
    for key in phrases:
        padded = f" {' '.join(key[1:])} "
        pairwise = sorted(n for other, n in phrases.items()
                          if other != key and padded in f" {' '.join(other[1:])} ")  # fmt: skip
        assert sorted(longer.get(key, [])) == pairwise
