"""The review workspace without a browser: reviews, glossary entries and re-translation with
the synthetic Argos package (the real engine), merge/split keeping the other reviews."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_seeds
from hypothesis import given, settings
from hypothesis import strategies as st

from fr2en_dossier.analysis import words
from fr2en_dossier.errors import Fr2enError
from support.memory import memory_entries
from fr2en_dossier.model import CACHE, DRAFT, MT, REVIEW
from fr2en_dossier.run import translate_dossier
from fr2en_dossier.project import Project
from fr2en_dossier.workspace import BadRequest, Workspace

ROOT = Path(__file__).resolve().parent.parent
DOC = "002_902d186d48ac727e"


@pytest.fixture()
def workspace(tmp_path, installed_package):
    copy_seeds(tmp_path)
    project = Project.defaults(tmp_path)
    translate_dossier(project)  # the project's inputs, glossary and engine options
    workspace = Workspace(project)
    yield workspace
    workspace.close()


def test_documents_queries_and_reviews(workspace):
    docs = workspace.documents()["documents"]
    assert [d["doc"] for d in docs] == sorted(d["doc"] for d in docs)
    assert docs[2]["title"] == "Elon Musk contre OpenAI : du père des idées au critique le plus bruyant"
    page = workspace.query(doc=DOC, limit=5)
    assert page["total"] == 46 and len(page["segments"]) == 5
    assert workspace.query(text="BRUYANT")["total"] == 1
    key = f"{DOC}:5:0"
    view = workspace.save(key, "Elon Musk, a visionary and OpenAI's early backer.", draft=False)
    assert view["origin"] == REVIEW and workspace.query(origin="review")["total"] == 1
    assert workspace.save(f"{DOC}:5:1", "half done", draft=True)["origin"] == DRAFT
    assert sorted(e.origin for e in memory_entries(workspace.project.memory)) == [DRAFT, REVIEW]
    with pytest.raises(BadRequest):
        workspace.save("nope:1:1", "x", draft=False)
    with pytest.raises(BadRequest):
        workspace.save(key, "  ", draft=False)


def test_reviews_written_meanwhile_by_another_command_are_kept_and_shown(workspace):
    """Another process records in the memory while the server runs (a review import): both
    keep their reviews, and the workspace shows the other's on its next question."""
    from fr2en_dossier.memory import contexts

    workspace.save(f"{DOC}:5:0", "First, from the page.", draft=False)
    segments = list(workspace.iter_segments())
    i = next(n for n, s in enumerate(segments) if s.key == f"{DOC}:6:0")
    with workspace.project.open_memory() as other:
        other.record(segments[i], "Second, from a PO file.", contexts(segments)[i])
    workspace.save(f"{DOC}:7:0", "Third, from the page.", draft=False)
    kept = [e.target for e in memory_entries(workspace.project.memory)]
    assert kept == ["First, from the page.", "Second, from a PO file.", "Third, from the page."]
    workspace.refresh()
    assert workspace.segment(f"{DOC}:6:0").target == "Second, from a PO file."


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
        assert workspace.segment(key).origin in (MT, CACHE) and workspace.segment(key).target
    assert workspace.segment(reviewed).target == "Reviewed by a person."
    assert workspace.segment(reviewed).origin == REVIEW


def test_merge_and_split_keep_the_other_reviews(workspace):
    workspace.save(f"{DOC}:5:2", "What went wrong?", draft=False)
    first, second = workspace.segment(f"{DOC}:5:0").source, workspace.segment(f"{DOC}:5:1").source
    change = workspace.merge(f"{DOC}:5:0")
    merged = workspace.segment(f"{DOC}:5:0")
    assert merged.source == f"{first} {second}" and merged.target and merged.origin == MT
    assert change.keys == [f"{DOC}:5:0"]
    assert workspace.segment(f"{DOC}:5:1").target == "What went wrong?"  # moved up, kept
    workspace.split(f"{DOC}:5:0", len(first) + 1)
    assert workspace.segment(f"{DOC}:5:1").source == second
    assert workspace.segment(f"{DOC}:5:2").origin == REVIEW
    with pytest.raises(BadRequest):
        workspace.split(f"{DOC}:5:0", 0)
    with pytest.raises(BadRequest, match="last sentence"):
        workspace.merge(f"{DOC}:1:0")


def test_a_review_is_stored_while_another_command_holds_the_lock(workspace):
    """Reviews and drafts never wait for `translate`; what writes files is refused with the
    holder's name, and nothing is half done."""
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
        assert workspace.save(f"{DOC}:5:0", "Now.", draft=False)["origin"] == REVIEW
        assert [e.target for e in memory_entries(workspace.project.memory)] == ["Now."]
        glossary = workspace.project.glossary.read_bytes()
        with pytest.raises(Fr2enError, match=r"locked by pid \d+ \(fr2en translate\)"):
            workspace.add_term("critiques", "critics", "term")
        assert workspace.project.glossary.read_bytes() == glossary
    finally:
        holder.kill()
        holder.wait()


def test_unconfirm_reject_and_a_dismissed_flag_that_comes_back_when_the_english_changes(workspace):
    from fr2en_dossier.model import NUMBER_MISMATCH

    key = next(s.key for s in list(workspace.iter_segments()) if s.doc == DOC and any(c.isdigit() for c in s.source)
               and "boilerplate" not in s.flags)
    workspace.save(key, "No number here.", draft=False)
    seg = workspace.segment(key)
    assert NUMBER_MISMATCH in seg.flags and seg.risk == 0  # a person's English: no risk
    view = workspace.dismiss(key, NUMBER_MISMATCH, "the year is given by the context")
    assert NUMBER_MISMATCH not in [f for f, _ in view["flags"]]
    assert view["dismissed"] == {NUMBER_MISMATCH: "the year is given by the context"}
    again = Workspace(workspace.project)  # a reload: the memory keeps the dismissal
    try:
        assert again.view(again.segment(key))["dismissed"] == view["dismissed"]
    finally:
        again.close()
    changed = workspace.save(key, "Still no number, other words.", draft=False)
    assert NUMBER_MISMATCH in [f for f, _ in changed["flags"]] and changed["dismissed"] == {}
    taken = workspace.unconfirm(key)
    assert (taken["origin"], taken["target"], taken["status"]) == (
        DRAFT, "Still no number, other words.", "draft")
    rejected = workspace.reject(key, "wrong register")
    assert rejected["status"] == "rejected" and rejected["rejected"] == "wrong register"
    assert workspace.reject(key, undo=True)["status"] == "draft"


def test_next_segment_needing_work_skips_boilerplate_and_reviews_and_risk_comes_first(workspace):
    ordered = [s for s in list(workspace.iter_segments()) if s.doc == DOC]
    first, second = [s for s in ordered if "boilerplate" not in s.flags][:2]
    workspace.save(second.key, "Reviewed already.", draft=False)
    after = workspace.next_key(first.key, "unconfirmed")["key"]
    skipped = ordered[ordered.index(second) + 1 :]
    assert after == next(s.key for s in skipped if "boilerplate" not in s.flags)
    risky = workspace.query(sort="risk", limit=5)["segments"]
    assert [s["risk"] for s in risky] == sorted((s["risk"] for s in risky), reverse=True)
    assert workspace.next_key("", "risky")["key"] == risky[0]["key"]
    progress = workspace.documents()["progress"]
    assert progress["reviewed"] == 1 and progress["words_reviewed"] == words(second.source)


def test_search_is_accent_and_case_insensitive_in_every_document_with_its_places(workspace):
    target = next(s for s in list(workspace.iter_segments()) if "contrôle" in s.source)
    found = workspace.query(text="CONTROLE")["segments"]
    assert target.key in [s["key"] for s in found]
    spans = next(s for s in found if s["key"] == target.key)["found"]["source"]
    assert [target.source[a:b].casefold() for a, b in spans][0].startswith("contrôle")


def test_a_sentence_taken_for_boilerplate_is_translated_once_said_otherwise(workspace):
    seg = next(s for s in list(workspace.iter_segments()) if "boilerplate" in s.flags and len(s.source) > 10)
    change = workspace.set_kind(seg.key, boilerplate=False)
    now = workspace.segment(seg.key)
    assert "boilerplate" not in now.flags and now.target and now.origin in (MT, CACHE)
    assert change.keys == [seg.key]
    assert "translate" in workspace.project.overrides.read_text(encoding="utf-8")


def test_a_shadowed_entry_added_from_the_page_is_warned_about(workspace):
    change = workspace.add_term("but non lucratif", "nonprofit goal", "term")
    assert any("shadow" in w or "à but non lucratif" in w for w in change.warnings), change.warnings


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "board", "fired", "Altman", "in", "2023.", "2024.", "AI"]),
                max_size=12),
       st.lists(st.sampled_from(["the", "board", "fired", "Altman", "in", "2023.", "2024.", "AI"]),
                max_size=12))
def test_the_history_word_diff_rebuilds_both_texts(old, new):
    from fr2en_dossier.formats.view import word_diff

    a, b = " ".join(old), "  ".join(new)
    runs = word_diff(a, b)
    assert "".join(t for op, t in runs if op != "-").split() == new
    assert "".join(t for op, t in runs if op != "+").split() == old
    assert all(op in "=+-" and t.strip() for op, t in runs)
    assert all(t.endswith(" ") for _, t in runs[:-1])
    assert not runs or not runs[-1][1].endswith(" ")


def test_the_term_scoreboard_is_the_runs_until_a_review_takes_a_segment_out(workspace):
    """The workspace counts terms over the segments as they stand: the run's scoreboard at
    first, then without the segments a person translated (their English is their choice)."""
    import json

    report = json.loads((workspace.folder / "report.json").read_text(encoding="utf-8"))
    board = workspace.documents()["terms"]
    assert board == report["terms"] and board["total"]["occurrences"] > 0
    seg = next(s for s in list(workspace.iter_segments()) if s.hits and s.origin in (MT, CACHE))
    workspace.save(seg.key, "A reviewer's English.", draft=False)
    after = workspace.documents()["terms"]["total"]
    assert after["occurrences"] == board["total"]["occurrences"] - len(seg.hits)
