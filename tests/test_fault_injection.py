"""kill -9 at seeded random moments of `translate`, `review import` (of PO files, and of an XLIFF
2.1 file a CAT tool sent back) and `model install`.

Half the kills come after a random delay (any moment: start-up, MT, writing); the other half
just before a random one of the run's file-system changes (support/kill_switch.py), so that
the writes themselves, short as they are, are hit many times.

After every kill: the outputs are exactly one complete generation (every file parses and all
carry one run id), the memory parses and has lost no review, and argostranslate can still
list its packages. Then the same command runs to the end, which must leave no staging behind
and record the review that was being imported.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import docx
import polib
import pytest
from lxml import etree
from support.xliff_edit import set_state

from fr2en_dossier.formats.po import read_po
from fr2en_dossier.formats.xliff_review import review_units
from support.memory import memory_entries
from fr2en_dossier.model import BOILERPLATE_FLAG, REVIEW
from fr2en_dossier.outputs import generations_dir, load_current

ROOT = Path(__file__).resolve().parent.parent
CLI = "from fr2en_dossier.cli import main; main()"
DATA = Path(__file__).resolve().parent / "data"
KILL_SWITCH = Path(__file__).resolve().parent / "support" / "kill_switch.py"
SEED = 20261124
PLAN = ["translate"] * 12 + ["import"] * 8 + ["xliff"] * 4 + ["install"] * 8  # 32 kills
RETURNED = "returned.xlf"  # an XLIFF 2.1 file a CAT tool sent back, imported by "xliff"


@pytest.fixture
def project(tmp_path, installed_package) -> Path:
    """The seeds plus one article as a web page, one as Markdown and one as a Word document."""
    from support.sample_docx import write_article_docx

    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(DATA / "article.html", tmp_path / "seeds" / "web.html")
    shutil.copy(DATA / "article.md", tmp_path / "seeds" / "notes.md")
    write_article_docx(tmp_path / "seeds" / "word.docx")
    shutil.copy(ROOT / "glossary.tsv", tmp_path)
    shutil.copy(ROOT / "fr2en.toml", tmp_path)
    return tmp_path


def command(kind: str, project: Path, package: Path, kill_at: int | None = None) -> list[str]:
    args = {
        "translate": ["translate", "--quiet", "--no-cache"],
        "import": ["review", "import", *sorted(str(p) for p in (project / "output" / "po").glob("*.po"))],
        "xliff": ["review", "import", str(project / RETURNED)],
        "install": ["model", "install", "--file", str(package)],
    }[kind]
    if kill_at is None:
        return [sys.executable, "-c", CLI, *args]
    return [sys.executable, str(KILL_SWITCH), str(kill_at), *args]


def count_changes(args: list[str], cwd: Path) -> int:
    """How many file-system changes a full run of ``args`` (a kill-switch command) makes."""
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return int(done.stderr.rsplit("file-system changes: ", 1)[1])


def run(args: list[str], cwd: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def kill_at(args: list[str], cwd: Path, delay: float) -> None:
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()  # SIGKILL: no cleanup of any kind
    proc.wait()


def edit_a_po_entry(project: Path, number: int) -> tuple[str, str]:
    """Confirm a new English for one segment in the current outputs, as a reviewer does."""
    segments = [s for s in load_current(project / "output").segments
                if BOILERPLATE_FLAG not in s.flags]  # fmt: skip
    seg = segments[number * 7 % len(segments)]
    path = project / "output" / "po" / f"{seg.doc}.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == seg.key)
    entry.msgstr, entry.fuzzy = f"Reviewed sentence number {number}.", False
    po.save()
    return seg.source, entry.msgstr


def edit_an_xliff_unit(project: Path, number: int) -> tuple[str, str]:
    """Review one segment in a copy of the current dossier.xlf, as a CAT tool returns it."""
    segments = [s for s in load_current(project / "output").segments
                if BOILERPLATE_FLAG not in s.flags]  # fmt: skip
    seg = segments[number * 11 % len(segments)]
    shutil.copy(project / "output" / "dossier.xlf", project / RETURNED)
    english = f"Reviewed in a CAT tool, number {number}."
    set_state(project / RETURNED, seg.key, "reviewed", english)
    return seg.source, english


def check_consistent(project: Path, reviews: set[tuple[str, str]]) -> None:
    out = project / "output"
    report = load_current(out)  # parses, or raises
    run_id = report.run.id
    assert out.is_symlink() and Path(os.readlink(out)).name == run_id
    tmx = etree.parse(str(out / "dossier.tmx"))
    assert tmx.xpath("/tmx/header/prop[@type='x-run-id']/text()") == [run_id]
    docs = {s.doc for s in report.segments}
    assert {p.stem for p in (out / "po").glob("*.po")} == docs
    assert {p.stem for p in (out / "en").glob("*.txt")} == docs
    assert {p.stem for p in (out / "xliff").glob("*.xlf")} == docs
    for path in [out / "dossier.xlf", *(out / "xliff").glob("*.xlf")]:
        assert review_units(path)[0] == run_id
    for path in (out / "po").glob("*.po"):
        read_po(path)
        assert polib.pofile(str(path)).metadata["X-Fr2en-Run-Id"] == run_id
    pages = [out / "review.html", out / "en" / "web.html"]
    for page in pages:
        assert f'<meta name="fr2en-run-id" content="{run_id}">' in page.read_text(encoding="utf-8")
    assert docx.Document(str(out / "en" / "word.docx")).core_properties.identifier == run_id
    assert (out / "en" / "notes.md").is_file()
    kept = {(e.source, e.target) for e in memory_entries(project) if e.origin == REVIEW}
    assert reviews <= kept


def leftovers(project: Path, packages: Path) -> list[Path]:
    """Staging folders and link files of killed runs and installs."""
    found = list(generations_dir(project / "output").glob(".staging-*"))
    found += project.glob(".output.link-*")
    for folder in (packages, packages.parent):
        found += [p for p in folder.glob(".fr2en-install-*") if p.is_dir()]
    return found


def check_no_leftovers(project: Path, packages: Path) -> None:
    from argostranslate import package

    assert leftovers(project, packages) == []
    installed = package.get_installed_packages()  # what argospm and LibreTranslate call
    assert [(p.from_code, p.to_code) for p in installed] == [("fr", "en")]


def test_kill_9_at_random_moments_loses_nothing(project, synthetic_package, argos_packages_dir):
    rng = random.Random(SEED)
    reviews: set[tuple[str, str]] = set()
    durations, changes = {}, {}
    for kind in ("translate", "import", "xliff", "install"):  # full runs, to know what each does
        if kind == "xliff":
            edit_an_xliff_unit(project, -1)  # a file to import (its review is not counted)
        durations[kind] = run(command(kind, project, synthetic_package), project)
        changes[kind] = count_changes(command(kind, project, synthetic_package, 0), project)
    check_consistent(project, reviews)
    caught_writing = 0  # kills that hit a write in progress (they left staging behind)
    plan = PLAN[:]
    rng.shuffle(plan)
    for number, kind in enumerate(plan):
        edit = {"translate": edit_a_po_entry, "import": edit_a_po_entry, "xliff": edit_an_xliff_unit}
        review = edit[kind](project, number) if kind in edit else None
        if number % 2:  # any moment of the run
            kill_at(command(kind, project, synthetic_package), project,
                    rng.uniform(0, durations[kind] * 1.1))  # fmt: skip
        else:  # just before one of its file-system changes
            args = command(kind, project, synthetic_package, rng.randint(1, changes[kind]))
            subprocess.run(args, cwd=project, capture_output=True, timeout=300)
        check_consistent(project, reviews)
        caught_writing += bool(leftovers(project, argos_packages_dir))
        run(command(kind, project, synthetic_package), project)  # the next run, to the end
        check_no_leftovers(project, argos_packages_dir)
        if review:
            reviews.add(review)
        check_consistent(project, reviews)
    assert len(reviews) == 24
    print(f"{caught_writing} of {len(plan)} kills hit a write in progress")
    assert caught_writing >= len(plan) // 8  # the kills do reach the writes, not only start-up
