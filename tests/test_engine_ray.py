"""The Ray backend on an embedded two-CPU cluster (one for the module): the same report.json
segments as the local backend, with 1 and 2 actors, on the seeds (terminology passes
included) and on 300 newstest sentences; an actor killed mid-run; a driver killed with -9.

Skipped only when Ray is not installed (``pip install 'fr2en-dossier[ray]'``; CI installs it
with the test extra)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from click.testing import CliRunner  # noqa: E402

from fr2en_dossier.cli import main  # noqa: E402
from fr2en_dossier.engine import EngineOptions, load_engine, translate_segments  # noqa: E402
from fr2en_dossier.engine import ray_backend  # noqa: E402
from fr2en_dossier.glossary import apply_glossary, load_glossary  # noqa: E402
from fr2en_dossier.model import Segment, segment_to_dict  # noqa: E402

from conftest import ROOT  # noqa: E402

NEWSTEST = ROOT.parent / "shared" / "bench" / "newstest2013.fr"
SMALL_BATCHES = 300  # tokens: many batches, so that an actor can be killed with work left


@pytest.fixture(scope="module")
def cluster():
    """The embedded cluster, its temp dir under a short FR2EN_CACHE_DIR (Ray's socket paths)."""
    short = Path(tempfile.mkdtemp(prefix="f2r", dir="/tmp"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FR2EN_CACHE_DIR", str(short))
        mp.setenv("RAY_ADDRESS", "127.0.0.1:9")  # a cluster that is not there: never joined
        ray_backend.connect("local", num_cpus=2)
    session = ray_backend._session
    assert session is not None and session.parent == short / "ray"
    yield session
    ray_backend.shutdown()
    assert ray_backend.session_processes(session) == [] and not session.exists()
    shutil.rmtree(short, ignore_errors=True)


def translated(segments, **options) -> list[dict]:
    with load_engine(EngineOptions(**options)) as engine:
        translate_segments(segments, engine, align=lambda seg: seg.block % 4 == 0)
    return [segment_to_dict(seg) for seg in segments]


def newstest_segments() -> list[Segment]:
    if not NEWSTEST.is_file():
        pytest.skip(f"no {NEWSTEST} in this checkout")
    lines = [line.strip() for line in NEWSTEST.read_text(encoding="utf-8").splitlines()
             if line.strip()][:300]
    segs = [Segment("n", i, 0, "paragraph", 0, len(t), t) for i, t in enumerate(lines)]
    apply_glossary(segs, load_glossary(ROOT / "glossary.tsv"))
    return segs


@pytest.fixture
def project(tmp_path):
    for name in ("seeds", "glossary.tsv", "fr2en.toml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    return tmp_path


def report_segments(project: Path, *args: str) -> list[dict]:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["translate", "--quiet", "--no-cache", *args])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return json.loads((project / "output" / "report.json").read_text())["segments"]


@pytest.mark.parametrize("workers", [1, 2])
def test_ray_writes_the_report_segments_local_writes_on_the_seeds(cluster, installed_package,
                                                                  project, workers):
    local = report_segments(project)
    assert any(seg.get("term_method") for seg in local)  # the terminology passes ran
    assert report_segments(project, "--backend", "ray", "--workers", str(workers)) == local


@pytest.mark.parametrize("workers", [1, 2])
def test_ray_translates_newstest_as_local_does(cluster, installed_package, workers):
    local = translated(newstest_segments())
    assert translated(newstest_segments(), backend="ray", workers=workers) == local


def test_the_embedded_cluster_is_private_quiet_and_sized(cluster):
    from ray._common.usage import usage_lib

    assert not usage_lib.usage_stats_enabled()
    # Ray listens on the machine's address: a client without the session's token is refused
    gcs = ray.get_runtime_context().gcs_address
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_AUTH")}
    stranger = subprocess.run(
        [sys.executable, "-c", f"import ray; ray.init(address={gcs!r}); print('joined')"],
        env=env, capture_output=True, text=True, timeout=120)
    assert stranger.returncode != 0 and "joined" not in stranger.stdout
    assert "Authentication" in stranger.stderr + stranger.stdout
    resources = ray.cluster_resources()
    assert resources["CPU"] == 2
    assert 128 << 20 <= resources["object_store_memory"] < 256 << 20  # the model, twice, or 128 MiB


def test_each_actor_reports_what_it_resolved_and_the_cache_key_is_the_local_one(
    cluster, installed_package
):
    with load_engine(EngineOptions(backend="ray", workers=2)) as engine:
        workers = engine.workers
        key = engine.cache_key
    assert len({w["pid"] for w in workers}) == 2
    assert {(w["device"], w["compute_type"][:4]) for w in workers} == {("cpu", "int8")}
    with load_engine(EngineOptions()) as local:
        assert key == local.cache_key  # same output, so the same cache entries


def test_the_model_shipped_through_the_object_store_gives_the_same_output(
    cluster, installed_package, monkeypatch
):
    monkeypatch.setattr(ray_backend, "SHARED_PATH", ())  # as on a cluster of other machines
    from support.seed_segments import seed_segments

    local = translated(seed_segments(30))
    assert translated(seed_segments(30), backend="ray", workers=1) == local


def test_an_actor_killed_mid_run_is_restarted_and_the_output_is_unchanged(cluster, installed_package):
    from support.seed_segments import seed_segments

    expected = translated(seed_segments(), max_batch_tokens=SMALL_BATCHES)
    with load_engine(EngineOptions(backend="ray", workers=2, max_batch_tokens=SMALL_BATCHES)) as engine:
        victim = engine.workers[0]["pid"]
        killed = []

        def progress(done, total):
            if done and not killed:  # the first batch is back: kill an actor with work queued
                os.kill(victim, signal.SIGKILL)
                killed.append(done)

        segs = seed_segments()
        translate_segments(segs, engine, progress=progress, align=lambda seg: seg.block % 4 == 0)
        assert killed and killed[0] < len(segs)
        restarted = ray.get(engine.runner.actors[0].describe.remote())
    assert restarted["pid"] != victim
    assert [segment_to_dict(seg) for seg in segs] == expected


DRIVER = """
import sys, time
from fr2en_dossier.engine import EngineOptions, load_engine
from fr2en_dossier.engine import ray_backend
engine = load_engine(EngineOptions(backend="ray", workers=1, threads=1))
engine.translate(["Bonjour à tous."])
print(ray_backend._session, flush=True)
time.sleep(600)
"""


def test_a_driver_killed_with_9_leaves_no_ray_process_after_the_next_start(installed_package):
    short = Path(tempfile.mkdtemp(prefix="f2r", dir="/tmp"))
    env = dict(os.environ, FR2EN_CACHE_DIR=str(short), RAY_ADDRESS="127.0.0.1:9")
    session = None
    try:
        driver = subprocess.Popen([sys.executable, "-c", DRIVER], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        session = Path(driver.stdout.readline().strip())
        assert session.parent == short / "ray" and ray_backend.session_processes(session)
        driver.kill()
        driver.wait()
        subprocess.run([sys.executable, "-c", "from fr2en_dossier.engine import EngineOptions, "
                        "load_engine; load_engine(EngineOptions())"], env=env, check=True)
        assert ray_backend.session_processes(session) == [] and not session.exists()
    finally:
        for pid in ray_backend.session_processes(session) if session else ():
            os.kill(pid, signal.SIGKILL)  # only when the test failed
        shutil.rmtree(short, ignore_errors=True)

