"""The real engine (CTranslate2 + SentencePiece) on the synthetic Argos package.

The synthetic model outputs one gibberish piece per source piece (tests/support), so results
are deterministic and a translation's word count follows its source's.
"""

from __future__ import annotations

import os

import pytest

from fr2en_dossier.engine import (
    EngineOptions,
    TranslationCache,
    load_engine,
    translate_segments,
)
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.model import BOILERPLATE_FLAG, TRUNCATED, Segment

from conftest import seed_lines

SENTENCES = [
    "La récente affaire juridique entre Elon Musk et OpenAI a révélé une série d’emails.",
    "Musk poursuit OpenAI.",
    "Ces échanges mettent en lumière les tensions qui ont façonné l’entreprise.",
    "Lire aussi :",
]


def segment(text: str, index: int = 0, **fields) -> Segment:
    return Segment(doc="d", block=index, index=0, kind="paragraph", start=0, end=len(text),
                   source=text, **fields)


class CountingEngine:
    """Wraps a real engine and records what it was asked to translate and re-decode."""

    def __init__(self, engine):
        self.engine = engine
        self.calls: list[list[str]] = []
        self.constrained_calls: list[list] = []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, texts, **kwargs):
        self.calls.append(list(texts))
        return self.engine.translate(texts, **kwargs)

    def constrained(self, constraints, **kwargs):
        self.constrained_calls.append(list(constraints))
        return self.engine.constrained(constraints, **kwargs)


@pytest.fixture
def engine(installed_package):
    return load_engine(EngineOptions())


def test_translates_in_input_order_whatever_the_batching_and_the_workers(engine):
    lines = [line for line in seed_lines() if line.strip()][:40]
    alone = [engine.translate([line])[0] for line in lines]
    small_batches = load_engine(EngineOptions(max_batch_tokens=200)).translate(lines)
    assert [t.text for t in small_batches] == [t.text for t in alone]
    for threads in (1, 3):  # one worker; more workers than cores
        parallel = load_engine(EngineOptions(threads=threads, max_batch_tokens=200)).translate(lines)
        assert [(t.text, t.score) for t in parallel] == [(t.text, t.score) for t in small_batches]
    assert all(t.text and t.text != line for t, line in zip(alone, lines))
    # Decoding ends at a real end of sentence: about one output word per source word.
    for t, line in zip(alone, lines):
        assert abs(len(t.text.split()) - len(line.split())) <= 1 + len(line.split()) // 20


def test_empty_input_gives_empty_translation_without_score(engine):
    first, empty = engine.translate([SENTENCES[0], ""])
    assert empty.text == "" and empty.score is None and not empty.truncated
    assert first.text and isinstance(first.score, float)


def test_long_input_is_split_and_flagged_but_nothing_is_lost(installed_package):
    text = " ".join(SENTENCES * 3)
    whole = load_engine(EngineOptions(max_input_tokens=1000, max_batch_tokens=2000)).translate(
        [text]
    )[0]
    split = load_engine(EngineOptions(max_input_tokens=12)).translate([text])[0]
    assert not whole.truncated and split.truncated
    assert split.text.split() == whole.text.split()  # every source word was translated


def test_output_cut_at_the_decoding_cap_is_flagged(installed_package):
    result = load_engine(EngineOptions(max_decoding_length=5)).translate([SENTENCES[0]])[0]
    assert result.truncated and len(result.text.split()) <= 5


def test_progress_reports_every_text_up_to_the_total(engine):
    calls = []
    engine.translate(SENTENCES * 5 + [""], progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (21, 21)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {21}


def test_no_package_installed_is_a_one_line_error_with_the_remedy(argos_packages_dir):
    with pytest.raises(Fr2enError) as err:
        load_engine(EngineOptions())
    message = str(err.value)
    assert err.value.exit_code == 2 and "\n" not in message
    assert "fr2en model install" in message and "--file" in message and "--no-mt" in message


def test_cuda_without_a_gpu_is_a_clear_error_and_auto_falls_back_to_cpu(installed_package):
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("a GPU is visible")
    with pytest.raises(Fr2enError, match="--device cuda"):
        load_engine(EngineOptions(device="cuda"))
    assert load_engine(EngineOptions(device="auto")).device == "cpu"


def test_unsupported_compute_type_is_a_clear_error(installed_package):
    with pytest.raises(Fr2enError, match="compute-type bfloat99"):
        load_engine(EngineOptions(compute_type="bfloat99"))


def test_bad_option_values_are_rejected():
    with pytest.raises(Fr2enError, match="device"):
        EngineOptions(device="tpu")
    with pytest.raises(Fr2enError, match="beam-size"):
        EngineOptions(beam_size=0)
    with pytest.raises(Fr2enError, match="max-batch-tokens"):
        EngineOptions(max_batch_tokens=10, max_input_tokens=20)


def test_a_broken_model_file_is_a_one_line_error_naming_the_package(installed_package):
    (installed_package.path / "model" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(Fr2enError) as err:
        load_engine(EngineOptions())
    assert str(installed_package.path) in str(err.value) and "\n" not in str(err.value)


def test_cache_key_names_package_version_and_output_options(installed_package):
    key = load_engine(EngineOptions()).cache_key
    assert "translate-fr_en@1.9" in key and "beam=4" in key and "int8" in key
    assert load_engine(EngineOptions(beam_size=2)).cache_key != key
    assert load_engine(EngineOptions(threads=1, max_batch_tokens=512)).cache_key == key


# --- translate_segments ------------------------------------------------------------------


def test_translate_segments_fills_targets_in_one_engine_call(engine):
    counting = CountingEngine(engine)
    done = segment("Déjà traduit.", target="Already translated.", origin="review")
    junk = segment("Partager sur Facebook", flags=[BOILERPLATE_FLAG])
    rewritten = segment("assurance-chômage", engine_input="AGI")
    todo = [segment(text, i) for i, text in enumerate(SENTENCES)]
    duplicate = segment(SENTENCES[1], 9)
    stats = translate_segments([done, junk, rewritten, *todo, duplicate], counting)

    assert counting.calls == [["AGI", *SENTENCES]]  # mt_input, once each, one call
    assert done.target == "Already translated." and done.origin == "review"
    assert junk.target is None and junk.origin == ""
    assert rewritten.target == engine.translate(["AGI"])[0].text
    for seg in [rewritten, *todo, duplicate]:
        assert seg.target and seg.origin == "mt" and isinstance(seg.score, float)
    assert duplicate.target == todo[1].target
    assert (stats.segments, stats.from_cache, stats.translated, stats.truncated) == (6, 0, 5, 0)


def test_rerun_on_unchanged_text_translates_nothing(engine, tmp_path):
    counting = CountingEngine(engine)
    with TranslationCache(tmp_path / "cache.sqlite3") as cache:
        first = [segment(text, i) for i, text in enumerate(SENTENCES)]
        translate_segments(first, counting, cache=cache)
        again = [segment(text, i) for i, text in enumerate(SENTENCES)]
        stats = translate_segments(again, counting, cache=cache)
        assert len(counting.calls) == 1
        assert [s.target for s in again] == [s.target for s in first]
        assert [s.score for s in again] == [s.score for s in first]
        assert {s.origin for s in again} == {"cache"} and stats.from_cache == 4
        edited = [segment(SENTENCES[0] + " Fin.", 0), segment(SENTENCES[1], 1)]
        translate_segments(edited, counting, cache=cache)
        assert counting.calls[-1] == [SENTENCES[0] + " Fin."]
    # The cache persists on disk and is keyed by the engine's options.
    with TranslationCache(tmp_path / "cache.sqlite3") as cache:
        assert SENTENCES[2] in cache.get_many(engine.cache_key, [SENTENCES[2]])
        assert cache.get_many("other-options", SENTENCES) == {}


def test_truncation_survives_the_cache(installed_package, tmp_path):
    engine = load_engine(EngineOptions(max_input_tokens=8))
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        for expected_origin in ("mt", "cache"):
            seg = segment(SENTENCES[0])
            stats = translate_segments([seg], engine, cache=cache)
            assert seg.origin == expected_origin and TRUNCATED in seg.flags
            assert stats.truncated == 1


def test_progress_counts_cached_and_fresh_inputs(engine, tmp_path):
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        translate_segments([segment(SENTENCES[0])], engine, cache=cache)
        calls = []
        segs = [segment(text, i) for i, text in enumerate(SENTENCES)]
        translate_segments(segs, engine, cache=cache, progress=lambda *a: calls.append(a))
    assert calls[0] == (1, 4) and calls[-1] == (4, 4)


def test_a_corrupt_cache_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(Fr2enError) as err:
        TranslationCache(path)
    assert str(path) in str(err.value) and "--no-cache" in str(err.value)
    assert path.read_bytes().startswith(b"this is not")  # left for the user to inspect


def test_default_cache_location_follows_the_environment(monkeypatch, tmp_path):
    from fr2en_dossier.engine import default_cache_path

    monkeypatch.setenv("FR2EN_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_path() == tmp_path / "here" / "mt-cache.sqlite3"
    monkeypatch.delenv("FR2EN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "fr2en-dossier" / "mt-cache.sqlite3"


def test_cpu_threads_become_one_thread_workers():
    from fr2en_dossier.engine.options import cpu_workers

    assert cpu_workers(1) == (1, 1)
    assert cpu_workers(3) == (3, 1)
    assert cpu_workers(0) == (len(os.sched_getaffinity(0)), 1)
