"""Glossary terms enforced by decoding (engine.terms), with the real engine.

The package's output is gibberish except where ``renderings`` make a word come out (see
tests/support/synthetic_argos.py): "Musk" copies itself (1-best), "lawsuit" is the second
choice for "procès", "trial" the first choice for "jugement". "board" and "Ωmega" never come
by themselves; "Ω" is not even in the model's vocabulary.
"""

from __future__ import annotations

import pytest

from fr2en_dossier.engine import EngineOptions, TranslationCache, install_file, load_engine, translate_segments
from fr2en_dossier.engine.terms import FORCED, NBEST, PREFIX, job_for
from fr2en_dossier.engine.translator import Constraint
from fr2en_dossier.glossary import Glossary, apply_glossary
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.model import TERM, TERM_FORCED, Hit, Segment
from fr2en_dossier.qa import check_dossier

from conftest import seed_lines
from test_engine import CountingEngine

RENDERINGS = {"Musk": ("Musk", 1.2), "lawsuit": ("procès", 0.9), "trial": ("jugement", 1.2)}
GLOSSARY = Glossary(
    [
        Entry("Musk", "Musk", kind="keep"),
        Entry("procès", "lawsuit", avoid=("trial",)),
        Entry("conseil d'administration", "board"),
        Entry("puissance de calcul", "Ωmega"),
        Entry("interface utilisateur", "AI", kind="fix", repair="IA"),
    ]
)


@pytest.fixture(scope="module")
def terms_package(tmp_path_factory):
    from support.synthetic_argos import build_package

    return build_package(tmp_path_factory.mktemp("terms"), seed_lines(), renderings=RENDERINGS)


@pytest.fixture
def engine(terms_package, argos_packages_dir):
    install_file(terms_package)
    return CountingEngine(load_engine(EngineOptions()))


def segments(*texts: str) -> list[Segment]:
    segs = [Segment("d", i, 0, "paragraph", 0, len(t), t) for i, t in enumerate(texts)]
    apply_glossary(segs, GLOSSARY)
    return segs


def test_a_segment_holding_its_terms_costs_nothing_more(engine):
    [seg] = segments("Musk a parlé hier.")
    stats = translate_segments([seg], engine)
    assert "Musk" in seg.target.split() and seg.term_method == ""
    assert engine.constrained_calls == [] and stats.term_missing == 0


def test_the_best_hypothesis_holding_the_term_is_chosen(engine):
    [seg] = segments("Le procès commence demain.")
    plain = engine.engine.translate([seg.source])[0]
    assert "lawsuit" not in plain.text  # the 1-best lacks it
    stats = translate_segments([seg], engine)
    assert "lawsuit" in seg.target.split() and seg.term_method == NBEST
    assert seg.score < plain.score  # the chosen hypothesis's own score
    assert engine.constrained_calls == []
    assert (stats.term_missing, stats.term_nbest) == (1, 1)


def test_a_term_in_no_hypothesis_is_forced_by_prefix_where_its_french_aligns(engine):
    [seg] = segments("Hier le conseil d'administration a voté.")
    plain = engine.engine.translate([seg.source])[0].text.split()
    stats = translate_segments([seg], engine)
    words = seg.target.split()
    assert seg.term_method == PREFIX and TERM_FORCED not in seg.flags
    # "Hier le" → its two words, then the term where "conseil" was; the model finishes.
    assert words[:3] == [*plain[:2], "board"] and len(words) > 3
    [[constraint]] = engine.constrained_calls
    board = tuple(engine.tokenize("board"))
    # The prefix: up to the aligned span, the term, then the first piece of the next word.
    assert constraint.prefix[-len(board) - 1 : -1] == board
    assert constraint.prefix[-1].startswith("\u2581")
    assert stats.term_prefix == 1


def test_a_term_the_model_cannot_spell_is_written_over_its_aligned_span(engine):
    [seg] = segments("La puissance de calcul augmente vite.")
    stats = translate_segments([seg], engine)
    check_dossier([seg])
    assert seg.term_method == FORCED and TERM_FORCED in seg.flags
    assert "Ωmega" in seg.target and "⁇" not in seg.target
    assert "Ωmega" in seg.reasons[TERM_FORCED]
    [hit] = seg.hits
    assert seg.target[hit.en_start : hit.en_end] == "Ωmega"
    assert stats.term_forced == 1


def test_every_path_in_one_run_with_at_most_one_extra_decode_each(engine, tmp_path):
    texts = [
        "Musk a parlé hier.",
        "Le procès commence demain.",
        "Hier le conseil d'administration a voté.",
        "La puissance de calcul augmente vite.",
        "Musk et le conseil d'administration ont perdu le procès hier.",
        "Rien à signaler ici.",
        "Il a mis l'interface utilisateur au service de tous.",
    ]
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        segs = segments(*texts)
        stats = translate_segments(segs, engine, cache=cache)
        check_dossier(segs)
        # Term and keep hits leave the French alone; the fix is repaired into French.
        assert engine.calls == [[*texts[:6], "Il a mis l'IA au service de tous."]]
        [constraints] = engine.constrained_calls  # one re-decode pass ...
        assert len(constraints) == 4  # ... of the segments that needed it, once each
        for seg in segs:
            for hit in seg.hits:
                assert seg.target[hit.en_start : hit.en_end].startswith(hit.target), seg.target
        assert [s.term_method for s in segs] == ["", NBEST, PREFIX, FORCED, PREFIX, "", PREFIX]
        assert (stats.term_missing, stats.term_nbest, stats.term_prefix, stats.term_forced) == (
            5, 1, 3, 1)
        assert stats.term_seconds > 0
        again = segments(*texts)
        translate_segments(again, engine, cache=cache)
        assert len(engine.calls) == 1 and len(engine.constrained_calls) == 1  # all cached
        assert [(s.target, s.term_method) for s in again] == [(s.target, s.term_method) for s in segs]
        assert TERM_FORCED in again[3].flags


def test_renderings_to_avoid_are_suppressed_in_the_re_decode(engine):
    source = tuple(engine.tokenize("Le jugement commence."))
    free, avoided = engine.engine.constrained(
        [Constraint(source, ()), Constraint(source, (), ((*engine.tokenize("trial"),),))]
    )
    assert "trial" in free.text.split() and "trial" not in avoided.text.split()
    [seg] = segments("Le procès et le conseil d'administration.")
    translate_segments([seg], engine)
    [[constraint]] = engine.constrained_calls
    assert tuple(engine.tokenize("trial")) in constraint.suppress


def test_a_terms_french_is_found_as_a_whole_word_where_the_hit_is():
    """"loi" is the hit, not the "loi" inside "emploi"; in a repaired input, whole words."""
    text = "L'emploi et la loi."
    hit = Hit(15, 18, "loi", "law", TERM, entry="loi")
    seg = Segment("d", 0, 0, "paragraph", 0, len(text), text, hits=[hit])
    assert job_for(seg).spans == ((15, 18),)
    seg.engine_input = "L'EMPLOI et la LOI."  # as a fix would rewrite the French elsewhere
    assert job_for(seg).spans == ((15, 18),)
