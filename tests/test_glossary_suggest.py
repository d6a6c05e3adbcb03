"""`suggest_terms`: candidate names, acronyms and noun phrases not yet in the glossary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fr2en_dossier.glossary import Glossary, suggest_terms
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.model import BOILERPLATE_FLAG, Segment


def segments(*texts: str) -> list[Segment]:
    return [Segment("doc", i, 0, "paragraph", 0, len(t), t) for i, t in enumerate(texts)]


TEXTS = (
    "Les dirigeants de Mistral AI ont parlé au PDG de Nvidia.",
    "Mistral AI a levé des fonds ; la puissance de calcul manque.",
    "Selon Arthur Mensch, la puissance de calcul coûte cher au PDG.",
    "Arthur Mensch dirige Mistral AI. Les dirigeants parlent de sécurité de l'IA.",
    "Les investisseurs voient l’intelligence artificielle générale.",
    "Voir mistral.ai et l’intelligence artificielle générale, Nvidia.",
    "Dirigeants et investisseurs.",
)


def table(candidates) -> list[tuple[int, str, str]]:
    return [(c.count, c.kind, c.text) for c in candidates]


def test_names_acronyms_and_phrases_with_counts():
    assert table(suggest_terms(segments(*TEXTS), Glossary([]))) == [
        (3, "name", "Mistral AI"),
        (2, "acronym", "PDG"),
        (2, "name", "Arthur Mensch"),
        (2, "name", "Nvidia"),
        (2, "phrase", "intelligence artificielle générale"),  # its sub-phrases are as frequent
        (2, "phrase", "puissance de calcul"),
    ]


def test_sentence_initial_common_words_are_not_names():
    found = [c.text for c in suggest_terms(segments(*TEXTS), Glossary([]), min_count=1)]
    assert "Les" not in found and "Selon" not in found  # stop words
    assert "Dirigeants" not in found  # "dirigeants" occurs in lower case
    assert "Arthur" not in found and "Mistral" not in found  # names at a sentence start still are
    assert "dirigeants" not in found  # one word is not a phrase


def test_glossary_entries_and_their_hits_are_left_out():
    glossary = Glossary([Entry("Mistral AI", "Mistral AI", kind="keep"), Entry("PDG", "CEO"),
                         Entry("intelligence artificielle générale", "AGI")])
    assert table(suggest_terms(segments(*TEXTS), glossary)) == [
        (2, "name", "Arthur Mensch"),
        (2, "name", "Nvidia"),
        (2, "phrase", "puissance de calcul"),
    ]


def test_an_entry_under_another_spelling_is_not_suggested():
    glossary = Glossary([Entry("Puissance de calcul", "computing power", exact_case=True)])
    assert "puissance de calcul" not in [c.text for c in suggest_terms(segments(*TEXTS), glossary)]


def test_first_occurrence_gives_the_key_and_context():
    [candidate] = [c for c in suggest_terms(segments(*TEXTS), Glossary([])) if c.text == "Nvidia"]
    assert candidate.key == "doc:0:0"
    assert candidate.context == TEXTS[0]  # short enough to be shown whole


def test_long_context_is_cut_around_the_occurrence():
    text = "x " * 100 + "Rust Belt et " + "y " * 100
    [candidate] = suggest_terms(segments(text, text), Glossary([]))
    assert candidate.text == "Rust Belt"
    assert candidate.context.startswith("…") and candidate.context.endswith("…")
    assert len(candidate.context) < 2 * 60 + len("Rust Belt") + 2


def test_boilerplate_and_addresses_do_not_count():
    segs = segments("Suivez Foo Media sur foomedia.com", "Suivez Foo Media", "site www.Foo.com et Foo.com")
    segs[1].flags.append(BOILERPLATE_FLAG)
    assert suggest_terms(segs, Glossary([]), min_count=2) == []


@given(st.dictionaries(
    st.lists(st.sampled_from(["conseil", "de", "administration", "fonds", "bailleur"]),
             min_size=1, max_size=4).map(" ".join),
    st.integers(1, 9), max_size=30))  # fmt: skip
def test_longer_phrase_counts_equal_the_pairwise_definition(phrases):
    """The linear computation gives what comparing every pair of phrases would."""
    from fr2en_dossier.glossary.suggest import _longer_counts

    longer = _longer_counts(phrases)
    for norm in phrases:
        padded = f" {norm} "
        pairwise = max((n for other, n in phrases.items()
                        if other != norm and padded in f" {other} "), default=0)  # fmt: skip
        assert longer.get(norm, 0) == pairwise
