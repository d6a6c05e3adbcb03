"""The MT stage around the runner: batches finishing in any order, the cache committed batch
by batch (a kill -9 loses only unfinished batches), the engine's identity keying the cache,
and which limit a ``truncated`` flag names. The real engine on the synthetic package."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier.engine import EngineOptions, TranslationCache, install_file, load_engine, translate_segments
from fr2en_dossier.engine.identity import content_hash
from fr2en_dossier.engine.runners import LocalRunner
from fr2en_dossier.engine.translator import Engine
from fr2en_dossier.formats.view import flag_reason
from fr2en_dossier.model import TRUNCATED, Segment

from conftest import ROOT, seed_lines
from support.seed_segments import seed_segments
from test_engine import CountingEngine

SHUFFLED_BATCH = 200  # tokens: the 24 segments make about 10 batches
FIELDS = ("target", "score", "origin", "flags", "reasons", "term_method", "alignment")


def outcome(segments: list[Segment]) -> list[tuple]:
    return [tuple(getattr(seg, f) for f in FIELDS) for seg in segments]


class ShuffledRunner:
    """The local runner, but the batches come back in an order drawn by ``rng``."""

    def __init__(self, runner: LocalRunner, rng: random.Random):
        self.runner, self.rng = runner, rng
        self.passes: list[int] = []  # batches per call
        self.device, self.compute_type, self.workers = runner.device, runner.compute_type, runner.workers

    def run(self, batches):
        done = list(self.runner.run(batches))
        self.passes.append(len(done))
        self.rng.shuffle(done)
        yield from done

    def close(self) -> None:
        self.runner.close()


@pytest.fixture(scope="module")
def local_result(synthetic_package, tmp_path_factory):
    """Segments translated by the plain local engine (the reference), with word alignments
    asked for every third segment."""
    from argostranslate import settings as argos

    saved = argos.package_data_dir, argos.package_dirs
    folder = tmp_path_factory.mktemp("packages")
    argos.package_data_dir, argos.package_dirs = folder, [folder]
    try:
        pkg = install_file(synthetic_package)
        segs = seed_segments(24)
        with load_engine(EngineOptions(max_batch_tokens=SHUFFLED_BATCH)) as engine:
            stats = translate_segments(segs, engine, align=lambda seg: seg.block % 3 == 0)
    finally:
        argos.package_data_dir, argos.package_dirs = saved
    return pkg, outcome(segs), stats


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_batches_finishing_in_any_order_give_the_local_result(local_result, rng):
    pkg, expected, expected_stats = local_result
    options = EngineOptions(max_batch_tokens=SHUFFLED_BATCH)
    runner = ShuffledRunner(LocalRunner(pkg.path, options), rng)
    segs = seed_segments(24)
    stats = translate_segments(segs, Engine(pkg, options, runner=runner), align=lambda seg: seg.block % 3 == 0)
    assert min(runner.passes) > 3  # first decodings and re-decodes: several batches each
    assert outcome(segs) == expected
    assert stats.term_prefix + stats.term_forced > 0  # the re-decodes went through the runner
    assert {**vars(stats), "term_seconds": 0} == {**vars(expected_stats), "term_seconds": 0}


KILLED_RUN = """
import os, signal, sys
sys.path[:0] = [sys.argv[1]]
from seed_segments import seed_segments
from fr2en_dossier.engine import EngineOptions, TranslationCache, load_engine, translate_segments

finished = 0
def progress(done, total):
    global finished
    if done:
        finished += 1
        if finished == 3:  # three batches stored, the others still being decoded
            os.kill(os.getpid(), signal.SIGKILL)

engine = load_engine(EngineOptions(max_batch_tokens=300))
with TranslationCache(sys.argv[2]) as cache:
    translate_segments(seed_segments(), engine, cache=cache, progress=progress)
"""


def test_a_rerun_after_a_kill_translates_only_the_unfinished_batches(installed_package, tmp_path):
    path = tmp_path / "cache.sqlite3"
    run = subprocess.run([sys.executable, "-c", KILLED_RUN, str(ROOT / "tests" / "support"), str(path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == -9, run.stderr
    engine = CountingEngine(load_engine(EngineOptions(max_batch_tokens=300)))
    segs = seed_segments()
    with TranslationCache(path) as cache:
        stored = len(cache)
        assert 0 < stored
        stats = translate_segments(segs, engine, cache=cache)
    [asked] = engine.calls
    everything = list(dict.fromkeys(seg.mt_input for seg in segs))
    # Only the inputs no finished batch stored go to the engine again.
    assert len(asked) == len(everything) - stored and stats.from_cache > 0
    whole = seed_segments()
    translate_segments(whole, load_engine(EngineOptions(max_batch_tokens=300)))
    assert [s.target for s in segs] == [s.target for s in whole]
    assert [s.flags for s in segs] == [s.flags for s in whole]


def test_each_finished_batch_is_one_commit(installed_package, tmp_path):
    commits = []

    class Recording(TranslationCache):
        def store(self, items):
            items = list(items)
            commits.append(len(items))
            super().store(items)

    segs = seed_segments(60)
    with Recording(tmp_path / "c.sqlite3") as cache, load_engine(EngineOptions(max_batch_tokens=200)) as engine:
        translate_segments(segs, engine, cache=cache)
        assert len(commits) > 3 and sum(commits) == len(cache)


# --- identity ----------------------------------------------------------------------------


def test_a_different_model_with_the_same_version_is_not_served_the_old_english(
    installed_package, argos_packages_dir, tmp_path
):
    from support.synthetic_argos import build_package

    text = "La récente affaire juridique entre Elon Musk et OpenAI a révélé une série d’emails."
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        first = Segment("d", 0, 0, "paragraph", 0, len(text), text)
        with load_engine(EngineOptions()) as engine:
            old = engine.identity
            translate_segments([first], engine, cache=cache)
        other = build_package(tmp_path / "other", seed_lines(), seed=7)  # same name and version
        install_file(other)
        again = Segment("d", 0, 0, "paragraph", 0, len(text), text)
        with load_engine(EngineOptions()) as engine:
            new = engine.identity
            translate_segments([again], engine, cache=cache)
    assert (new.code, new.version) == (old.code, old.version) == ("translate-fr_en", "1.9")
    assert new.model_hash != old.model_hash and len(new.model_hash) == 64
    assert again.origin == "mt" and again.target != first.target


def test_the_model_hash_is_kept_until_a_file_changes_size_or_mtime(installed_package):
    model = installed_package.path / "model" / "model.bin"
    before = content_hash(installed_package.path)
    stat = model.stat()
    data = bytearray(model.read_bytes())
    data[-1] ^= 0xFF
    model.write_bytes(bytes(data))
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert content_hash(installed_package.path) == before  # not read again: same size, mtime
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert content_hash(installed_package.path) != before


# --- truncated: which limit --------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "named", "not_named"),
    [
        (EngineOptions(max_input_tokens=8), "max_input_tokens: 8", "max_decoding_length"),
        (EngineOptions(max_decoding_length=5), "max_decoding_length: 5", "input limit"),
    ],
)
def test_the_truncated_reason_names_the_limit_hit(installed_package, tmp_path, options, named, not_named):
    text = "Ces échanges mettent en lumière les tensions qui ont façonné l’entreprise."
    with TranslationCache(tmp_path / "c.sqlite3") as cache, load_engine(options) as engine:
        for origin in ("mt", "cache"):
            seg = Segment("d", 0, 0, "paragraph", 0, len(text), text)
            translate_segments([seg], engine, cache=cache)
            assert seg.origin == origin and TRUNCATED in seg.flags
            reason = flag_reason(seg, TRUNCATED)
            assert named in reason and not_named not in reason
