"""The review workspace without a browser: reviews, glossary entries and re-translation with
the synthetic Argos package (the real engine), merge/split keeping the other reviews."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.memory import ReviewMemory
from fr2en_dossier.model import CACHE, DRAFT, MT, REVIEW
from fr2en_dossier.pipeline import translate_dossier
from fr2en_dossier.project import Project
from fr2en_dossier.workspace import BadRequest, Workspace

ROOT = Path(__file__).resolve().parent.parent
DOC = "002_902d186d48ac727e"


@pytest.fixture()
def workspace(tmp_path, installed_package):
    from fr2en_dossier.cli import run_mt
    from fr2en_dossier.loader import load_documents

    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "glossary.tsv", tmp_path / "glossary.tsv")
    project = Project.defaults(tmp_path)
    options = project.engine_options()

    def mt(segments, align=None):
        return run_mt(segments, align, engine_options=options, no_cache=False, quiet=True)

    translate_dossier(project, load_documents(project.inputs).documents,
                      glossary_path=project.glossary, mt=mt, engine_options=options)
    return Workspace(project)


def test_documents_queries_and_reviews(workspace):
    docs = workspace.documents()
    assert [d["doc"] for d in docs] == sorted(d["doc"] for d in docs)
    assert docs[2]["title"] == "Elon Musk contre OpenAI : du père des idées au critique le plus bruyant"
    page = workspace.query(doc=DOC, limit=5)
    assert page["total"] == 46 and len(page["segments"]) == 5
    assert workspace.query(text="BRUYANT")["total"] == 1
    key = f"{DOC}:5:0"
    view = workspace.save(key, "Elon Musk, a visionary and OpenAI's early backer.", draft=False)
    assert view["origin"] == REVIEW and workspace.query(origin="review")["total"] == 1
    assert workspace.save(f"{DOC}:5:1", "half done", draft=True)["origin"] == DRAFT
    memory = ReviewMemory.load(workspace.project.memory)
    assert sorted(e.origin for e in memory.entries) == [DRAFT, REVIEW]
    with pytest.raises(BadRequest):
        workspace.save("nope:1:1", "x", draft=False)
    with pytest.raises(BadRequest):
        workspace.save(key, "  ", draft=False)


def test_reviews_written_meanwhile_by_another_command_are_kept(workspace):
    """The server keeps the memory it last wrote, but reads the file again once another
    writer (a review import) has replaced it: nobody's review is lost."""
    from fr2en_dossier.memory import contexts

    workspace.save(f"{DOC}:5:0", "First, from the page.", draft=False)
    segments = workspace.segments
    i = next(n for n, s in enumerate(segments) if s.key == f"{DOC}:6:0")
    with workspace.project.lock("fr2en review import"):
        other = ReviewMemory.load(workspace.project.memory)
        other.record(segments[i], "Second, from a PO file.", contexts(segments)[i])
        other.save()
    workspace.save(f"{DOC}:7:0", "Third, from the page.", draft=False)
    kept = [e.target for e in ReviewMemory.load(workspace.project.memory).entries]
    assert kept == ["First, from the page.", "Second, from a PO file.", "Third, from the page."]


def test_a_term_marks_segments_for_mt_and_retranslate_spares_reviews(workspace):
    reviewed = f"{DOC}:5:1"
    workspace.save(reviewed, "Reviewed by a person.", draft=False)
    change = workspace.add_term("critiques", "critics", "term", "from the page")
    assert reviewed in change.keys  # hit and re-checked…
    assert reviewed not in change.retranslate and change.retranslate  # …but not re-translated
    assert set(change.retranslate) <= set(change.keys)  # a term: MT input unchanged, term missing
    with pytest.raises(Fr2enError, match="already in the glossary"):
        workspace.add_term("critiques", "critics", "term")
    with pytest.raises(Fr2enError, match="conflicts with an entry"):
        workspace.add_term("Elon Musk", "Mr Musk", "term")
    done = workspace.retranslate()
    assert sorted(done.keys) == sorted(change.retranslate)
    for key in done.keys:
        assert workspace.by_key[key].origin in (MT, CACHE) and workspace.by_key[key].target
    assert workspace.by_key[reviewed].target == "Reviewed by a person."
    assert workspace.by_key[reviewed].origin == REVIEW


def test_merge_and_split_keep_the_other_reviews(workspace):
    workspace.save(f"{DOC}:5:2", "What went wrong?", draft=False)
    first, second = workspace.by_key[f"{DOC}:5:0"].source, workspace.by_key[f"{DOC}:5:1"].source
    change = workspace.merge(f"{DOC}:5:0")
    merged = workspace.by_key[f"{DOC}:5:0"]
    assert merged.source == f"{first} {second}" and merged.target and merged.origin == MT
    assert change.keys == [f"{DOC}:5:0"]
    assert workspace.by_key[f"{DOC}:5:1"].target == "What went wrong?"  # moved up, kept
    workspace.split(f"{DOC}:5:0", len(first) + 1)
    assert workspace.by_key[f"{DOC}:5:1"].source == second
    assert workspace.by_key[f"{DOC}:5:2"].origin == REVIEW
    with pytest.raises(BadRequest):
        workspace.split(f"{DOC}:5:0", 0)
    with pytest.raises(BadRequest, match="last sentence"):
        workspace.merge(f"{DOC}:1:0")


def test_a_write_while_another_command_writes_is_refused_with_its_name(workspace):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom fr2en_dossier.project import Project\n"
         f"with Project.defaults({str(workspace.project.root)!r}).lock('fr2en translate'):\n"
         "    print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": str(ROOT / "src")})
    try:
        assert holder.stdout.readline() == "held\n"
        workspace.project.wait = False
        with pytest.raises(Fr2enError, match=r"locked by pid \d+ \(fr2en translate\)"):
            workspace.save(f"{DOC}:5:0", "Not now.", draft=False)
        assert workspace.by_key[f"{DOC}:5:0"].origin != REVIEW  # nothing half-done
    finally:
        holder.kill()
        holder.wait()
