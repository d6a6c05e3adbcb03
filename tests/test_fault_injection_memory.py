"""kill -9 around the review memory: the review server storing reviews while `translate` runs
(and is killed, and the server itself is killed), and the migration of a memory.tmx of the
format before the database.

A review the server acknowledged (a 2xx) is in the memory whatever is killed afterwards; the
outputs stay one complete generation; a killed migration leaves no database or a complete one,
and the next run migrates every review.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
from support.memory import memory_entries
from test_fault_injection import CLI, KILL_SWITCH, count_changes

from fr2en_dossier.model import BOILERPLATE_FLAG, REVIEW
from fr2en_dossier.outputs import load_current

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261202


def check_outputs(project: Path) -> None:
    """The outputs are one complete generation: the link names it, every file of it parses."""
    from fr2en_dossier.formats.po import read_po
    from fr2en_dossier.formats.tmx import read_tmx

    out = project / "output"
    report = load_current(out)
    assert Path(os.readlink(out)).name == report.run.id
    assert len(read_tmx(out / "dossier.tmx")) == len(report.segments)
    assert sum(len(read_po(p)) for p in (out / "po").glob("*.po")) == len(report.segments)


def start_server(project: Path) -> tuple[subprocess.Popen, str, str]:
    proc = subprocess.Popen([sys.executable, "-c", CLI, "review", "serve", "--port", "0",
                             "--no-browser"], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    url = proc.stdout.readline().strip()
    base, token = url.split("/?token=")
    return proc, base, token


def test_acknowledged_reviews_survive_kills_of_translate_and_of_the_server(tmp_path, installed_package):
    project = tmp_path
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copy(ROOT / "glossary.tsv", project)
    shutil.copy(ROOT / "fr2en.toml", project)
    translate = [sys.executable, "-c", CLI, "translate", "--quiet", "--no-cache"]
    assert subprocess.run(translate, cwd=project, capture_output=True).returncode == 0
    keys = [s.key for s in load_current(project / "output").segments
            if BOILERPLATE_FLAG not in s.flags]
    rng = random.Random(SEED)
    acknowledged: dict[str, str] = {}  # key → the last English the server said it stored
    server, base, token = start_server(project)
    try:
        for round_ in range(8):
            run = subprocess.Popen(translate, cwd=project, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            killer = threading.Timer(rng.uniform(0.1, 2.5), run.kill)
            killer.start()
            kill_server_after = rng.randint(1, 6) if round_ % 2 else None
            for n in range(6):
                key, text = rng.choice(keys), f"Round {round_}, review {n}."
                if n == kill_server_after:
                    server.kill()  # SIGKILL, maybe in the middle of a save
                try:
                    answer = httpx.post(f"{base}/api/confirm", json={"key": key, "target": text},
                                        headers={"X-Fr2en-Token": token}, timeout=30)
                except httpx.TransportError:
                    continue  # the server is gone: not acknowledged
                if answer.status_code == 200:
                    acknowledged[key] = text
            run.wait()
            killer.cancel()
            if server.poll() is not None:
                server, base, token = start_server(project)
            stored = {(e.key, e.target) for e in memory_entries(project) if e.origin == REVIEW}
            assert set(acknowledged.items()) <= stored
            check_outputs(project)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    assert subprocess.run(translate, cwd=project, capture_output=True).returncode == 0
    by_key = {s.key: s for s in load_current(project / "output").segments}
    assert acknowledged and all(by_key[k].target == t for k, t in acknowledged.items())


LEGACY_REVIEWS = 40


def legacy_project(folder: Path) -> set[tuple[str, str]]:
    """A project whose memory is a memory.tmx of the format before the database."""
    from fr2en_dossier.memory import ReviewMemory, contexts
    from fr2en_dossier.memory.exchange import export_tmx

    shutil.copytree(ROOT / "seeds", folder / "seeds")
    assert subprocess.run([sys.executable, "-c", CLI, "init", "."], cwd=folder).returncode == 0
    assert subprocess.run([sys.executable, "-c", CLI, "translate", "--no-mt"], cwd=folder,
                          capture_output=True).returncode == 0
    segments = load_current(folder / "output").segments
    reviews = set()
    with ReviewMemory(folder / "scratch.sqlite") as scratch:
        for n, (seg, context) in enumerate(zip(segments, contexts(segments))):
            if n < LEGACY_REVIEWS and BOILERPLATE_FLAG not in seg.flags:
                scratch.record(seg, f"Legacy review {n}.", context)
                reviews.add((seg.source, f"Legacy review {n}."))
        export_tmx(scratch, folder / "memory.tmx")
    for path in [*folder.glob("memory.sqlite*"), *folder.glob("scratch.sqlite*")]:
        path.unlink()
    return reviews


def test_a_killed_migration_leaves_no_database_or_a_whole_one(tmp_path):
    """Killed just before one of its first file-system changes (the migration happens as the
    run opens the memory), eight times: each time the database is absent or whole, and the
    next run migrates every review and leaves no temporary file."""
    original = tmp_path / "original"
    original.mkdir()
    reviews = legacy_project(original)
    args = [sys.executable, str(KILL_SWITCH), "{}", "translate", "--no-mt"]
    probe = tmp_path / "probe"
    shutil.copytree(original, probe, symlinks=True)
    changes = count_changes([a.replace("{}", "0") for a in args], probe)
    rng = random.Random(SEED)
    outcomes = []
    for moment in sorted(rng.sample(range(1, changes // 2), 8)):
        folder = tmp_path / f"kill{moment}"
        shutil.copytree(original, folder, symlinks=True)
        subprocess.run([a.replace("{}", str(moment)) for a in args], cwd=folder,
                       capture_output=True, timeout=120)
        if (folder / "memory.sqlite").exists():
            assert {(e.source, e.target) for e in memory_entries(folder)} == reviews
            outcomes.append("whole")
        else:
            outcomes.append("half-made" if list(folder.glob(".memory.sqlite.*.tmp")) else "none")
        done = subprocess.run([sys.executable, "-c", CLI, "translate", "--no-mt"], cwd=folder,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert {(e.source, e.target) for e in memory_entries(folder)} == reviews
        assert not list(folder.glob(".memory.sqlite.*.tmp"))
        english = "".join(p.read_text(encoding="utf-8")
                          for p in (folder / "output" / "en").glob("*.txt"))
        assert all(target in english for _, target in reviews)
    print("outcomes:", outcomes)
    assert "whole" in outcomes and {"none", "half-made"} & set(outcomes)
