"""The workspace over an archive: a few documents held at a time, the rest answered from the
rows on disk, with the same answers as when every document is held."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.model import INCONSISTENT
from fr2en_dossier.project import Project
from fr2en_dossier.run import translate_dossier
from fr2en_dossier.workspace import Workspace

SHARED = "Le conseil a rejeté la proposition."
ARTICLES = 12
PER_ARTICLE = 5  # segments: the title, three sentences, one more


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A translated project of ARTICLES articles (no MT: stand-in machine English, the French
    reversed), each with a sentence they all share."""
    from fr2en_dossier.formats.report import load_report
    from fr2en_dossier.model import parts_of
    from fr2en_dossier.outputs import REPORT_FILE, current_dir, write_generation
    from fr2en_dossier.qa import check_dossier

    root = tmp_path_factory.mktemp("archive")
    (root / "articles").mkdir()
    for n in range(ARTICLES):
        (root / "articles" / f"art_{n}.txt").write_text(
            f"Titre {n} de l'article\n\nPhrase {n} une. {SHARED} Phrase {n} deux.\n\n"
            f"Le chiffre {n} est cité.\n", encoding="utf-8")
    (root / "fr2en.toml").write_text('[project]\ninputs = ["articles"]\n', encoding="utf-8")
    project = Project.find(root)
    translate_dossier(project, glossary=None, mt=None)
    report = load_report(current_dir(project.output) / REPORT_FILE)
    for seg in report.segments:
        seg.target, seg.origin, seg.mt = seg.source[::-1], "mt", seg.source[::-1]
    check_dossier(report.segments, report.run.documents)
    write_generation(parts_of(report.segments, report.run.documents), project.output, report.run)
    return root


def copy_of(archive, tmp_path, name: str) -> Project:
    shutil.copytree(archive, tmp_path / name, symlinks=True)
    return Project.find(tmp_path / name)


CLOCK = "time"  # when a review was saved: the two workspaces save a moment apart


def same(one, other, where: str = "") -> bool:
    """``one == other``, failing with the place of the first difference; the clock readings
    of the saves (``time``) are compared as present or absent only."""
    if isinstance(one, dict) and isinstance(other, dict) and one.keys() == other.keys():
        return all(same(one[k], other[k], f"{where}/{one.get('key', '')}.{k}")
                   if k != CLOCK else bool(one[k]) == bool(other[k]) for k in one)
    if isinstance(one, list) and isinstance(other, list) and len(one) == len(other):
        return all(same(a, b, f"{where}[{n}]") for n, (a, b) in enumerate(zip(one, other)))
    if one != other:
        pytest.fail(f"{where}: {one!r} != {other!r}")
    return True


def held(ws: Workspace) -> int:
    return sum(len(d.segments) for d in ws._loaded.values())


def test_documents_come_a_page_at_a_time_with_their_counts(archive, tmp_path):
    ws = Workspace(copy_of(archive, tmp_path, "p"))
    try:
        first = ws.documents(offset=0, limit=5)
        assert first["total"] == ARTICLES and len(first["documents"]) == 5
        rest = ws.documents(offset=5, limit=100)["documents"]
        names = [d["doc"] for d in first["documents"] + rest]
        assert names == [f"art_{n}" for n in range(ARTICLES)]  # natural order: 2 before 10
        assert ws.documents("titre 1")["total"] == 3  # 1, 10, 11: names and titles, any case
        assert first["progress"]["segments"] == sum(d["total"] for d in first["documents"] + rest)
        ws.save("art_3:1:0", "Sentence three one.", draft=False)
        row = next(d for d in ws.documents()["documents"] if d["doc"] == "art_3")
        assert row["reviewed"] == 1
    finally:
        ws.close()


def test_memory_held_stays_bounded_and_answers_match_a_workspace_holding_everything(
        archive, tmp_path):
    """Two copies of the project, the same edits: one workspace holds at most 20 segments
    (two documents), the other every document; every answer is the same, and the small one
    never holds more than its bound and one document."""
    big = Workspace(copy_of(archive, tmp_path, "big"))
    small = Workspace(copy_of(archive, tmp_path, "small"), hold=20)
    try:
        edits = [("art_0:1:1", "The council said no.", False),
                 ("art_7:1:0", "Sentence seven one.", True),
                 ("art_11:2:0", "No figure here.", False),
                 ("art_4:1:1", "The council said no.", False)]
        assert len(list(big.iter_segments())) == PER_ARTICLE * ARTICLES  # big holds them all
        for ws in (big, small):
            for key, english, draft in edits:
                ws.save(key, english, draft=draft)
            ws.dismiss("art_11:2:0", "number-mismatch", "checked")
        assert held(small) <= 20 + PER_ARTICLE and held(big) == PER_ARTICLE * ARTICLES
        questions = [
            lambda ws: ws.query(), lambda ws: ws.query(flag="flagged"),
            lambda ws: ws.query(flag=INCONSISTENT), lambda ws: ws.query(origin="review"),
            lambda ws: ws.query(origin="mt", offset=3, limit=7), lambda ws: ws.query(text="conseil"),
            lambda ws: ws.query(sort="risk", limit=10), lambda ws: ws.query(doc="art_9"),
            lambda ws: ws.documents(),
            *(lambda ws, w=what, s=step: ws.next_key("art_4:1:1", w, s)
              for what in ("unconfirmed", "flagged", "risky") for step in (1, -1)),
            lambda ws: ws.concordance("conseil"),
        ]
        for ask in questions:
            assert same(ask(small), ask(big))
            assert held(small) <= 20 + PER_ARTICLE
    finally:
        big.close()
        small.close()


def test_a_review_makes_the_same_french_inconsistent_in_documents_not_held(archive, tmp_path):
    """A review reaches the same French in the documents the workspace does not hold, the
    checks across documents too, and they give what a run gives (`fr2en review import`
    rebuilds the outputs from the memory)."""
    from fr2en_dossier.formats.report import load_report
    from fr2en_dossier.outputs import REPORT_FILE, current_dir
    from fr2en_dossier.run import import_reviews

    project = copy_of(archive, tmp_path, "p")
    ws = Workspace(project, hold=10)
    try:
        assert ws.query(flag=INCONSISTENT)["total"] == 0
        ws.save("art_5:1:1", "The council turned the proposal down.", draft=True)
        found = ws.query(flag=INCONSISTENT, limit=100)
        assert found["total"] == ARTICLES  # the draft (its own document's) and every MT
        ws.save("art_6:1:1", "The council said no.", draft=False)  # a review: everywhere
        assert ws.query(origin="review")["total"] == ARTICLES - 1  # the draft stays its own
        assert ws.query(flag=INCONSISTENT)["total"] == ARTICLES
        assert held(ws) <= 10 + PER_ARTICLE
        import_reviews(project, [])
        ws.refresh()
        report = load_report(current_dir(project.output) / REPORT_FILE)
        for seg in report.segments:
            shown = ws.segment(seg.key)
            assert (shown.flags, shown.reasons, shown.target) == (seg.flags, seg.reasons, seg.target)
    finally:
        ws.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, ARTICLES - 1), st.sampled_from(["1:0", "1:1", "2:0"]),
                          st.sampled_from(["", "The council said no.", "Other."]),
                          st.booleans()), min_size=1, max_size=6))
def test_random_edits_agree_with_a_workspace_holding_everything(archive, tmp_path_factory,
                                                                  edits):
    root = tmp_path_factory.mktemp("edits")
    workspaces = []
    try:
        for name, bound in (("big", 10**9), ("small", 12)):
            shutil.copytree(archive, root / name, symlinks=True)
            workspaces.append(Workspace(Project.find(root / name), hold=bound))
        for ws in workspaces:
            for doc, place, english, draft in edits:
                key = f"art_{doc}:{place}"
                if english:
                    ws.save(key, english, draft=draft)
                else:
                    ws.undo(key, 0)
        big, small = workspaces
        for ask in (lambda ws: ws.query(limit=1000), lambda ws: ws.documents()):
            assert ask(small) == ask(big)
    finally:
        for ws in workspaces:
            ws.close()


def test_a_report_not_laid_out_a_record_a_line_is_named(archive, tmp_path):
    import json

    from fr2en_dossier.outputs import REPORT_FILE, current_dir

    project = copy_of(archive, tmp_path, "p")
    report = current_dir(project.output) / REPORT_FILE
    report.write_text(json.dumps(json.loads(report.read_text(encoding="utf-8"))), encoding="utf-8")
    with pytest.raises(Fr2enError, match="report.json: not a report fr2en can read"):
        Workspace(project)


def test_the_scratch_rows_are_removed_on_close(archive, tmp_path):
    ws = Workspace(copy_of(archive, tmp_path, "p"))
    folder = ws.index._folder
    assert (folder / "dossier.sqlite").is_file()
    ws.close()
    assert not folder.exists()


def test_the_workspace_writes_in_chunks_what_it_writes_at_once(archive, tmp_path, monkeypatch):
    """A glossary entry, a merge and a split from the workspace read the dossier a chunk of
    documents at a time: with chunks of one document, the same generation as with one chunk
    of all, and the same segments listed for re-translation."""
    from support.generation import outputs

    from fr2en_dossier import run as run_module

    answers, files = [], []
    for name, chunk in (("whole", 200), ("chunked", 1)):
        monkeypatch.setattr(run_module, "CHUNK_DOCUMENTS", chunk)
        ws = Workspace(copy_of(archive, tmp_path, name), hold=10)
        try:
            ws.save("art_2:1:0", "Sentence two one.", draft=True)
            added = ws.add_term("conseil", "board", "term")
            merged = ws.merge("art_2:1:0")
            split = ws.split("art_9:1:1", len("Le conseil a rejeté"))
            answers.append([vars(added), vars(merged), vars(split), ws.query(doc="art_2")])
            files.append({k: v.replace(str(ws.project.root), "ROOT")
                          for k, v in outputs(ws.project).items()})
        finally:
            ws.close()
    assert answers[0] == answers[1]
    assert files[0] == files[1]
    added = answers[0][0]
    assert len(added["keys"]) == ARTICLES  # the machine English lacks the term: to MT again
    assert added["retranslate"] == [f"art_{n}:1:1" for n in range(ARTICLES)]
    report = json.loads(files[1]["report.json"])
    merged = next(s for s in report["segments"] if s["key"] == "art_2:1:0")
    assert merged["source"].startswith("Phrase 2 une. Le conseil") and merged["origin"] == "draft"
    assert any(s["key"] == "art_9:1:2" and s["source"] == "la proposition." for s in report["segments"])


def kept_copies() -> list:
    from fr2en_dossier.engine.location import cache_folder
    from fr2en_dossier.workspace import KEPT_ROWS

    return sorted((cache_folder() / KEPT_ROWS).glob("*.sqlite"))


def answers(ws: Workspace) -> list:
    return [ws.query(limit=1000), ws.query(flag=INCONSISTENT), ws.documents(),
            ws.query(doc="art_5"), vars(ws.segment("art_5:1:1"))]


def test_the_next_opening_copies_the_rows_kept_and_answers_the_same(archive, tmp_path,
                                                                    monkeypatch):
    """The rows built at the first opening are kept in the cache folder as built, before the
    memory's English is laid over them; the next opening of the same report copies them
    instead of reading the report's records, lays the memory over them again, and answers
    as a workspace that built its rows."""
    import sqlite3

    from fr2en_dossier.formats import report as report_module

    project = copy_of(archive, tmp_path, "p")
    first = Workspace(project)
    try:
        first.save("art_5:1:1", "The council said no.", draft=False)
        first.save("art_7:1:0", "A draft.", draft=True)
        built = answers(first)
    finally:
        first.close()
    [kept] = kept_copies()
    with sqlite3.connect(kept) as db:
        origins = dict(db.execute("SELECT key, origin FROM segs WHERE key LIKE 'art_5:%'"))
    assert origins["art_5:1:1"] == "mt"  # as the report has it: the review is the memory's

    def unread(*args, **kwargs):
        raise AssertionError("the report's records read again")

    monkeypatch.setattr(report_module, "scan_report", unread)
    second = Workspace(project)
    try:
        assert answers(second) == built
        assert second.segment("art_5:1:1").origin == "review"
    finally:
        second.close()


def test_a_kept_copy_is_never_used_for_another_report_nor_when_damaged(archive, tmp_path,
                                                                        monkeypatch):
    """A new generation builds its rows again and its project's older copy goes; a copy that
    is damaged, or of rows of another version, is built again with the same answers; a cache
    folder that cannot be written only costs the copy."""
    from fr2en_dossier import workspace_index
    from fr2en_dossier.run import import_reviews

    project = copy_of(archive, tmp_path, "p")
    ws = Workspace(project)
    ws.save("art_2:1:0", "Sentence two one.", draft=False)
    ws.close()
    [old] = kept_copies()
    import_reviews(project, [])  # a new generation, with the review in its report
    ws = Workspace(project)
    try:
        built = answers(ws)
    finally:
        ws.close()
    [new] = kept_copies()
    assert new != old and new.name.split("-")[0] == old.name.split("-")[0]

    for damage in (lambda data: data[: len(data) // 3],  # cut short
                   lambda data: data[:4096] + bytes(len(data) // 2) + data[4096 + len(data) // 2:]):
        new.write_bytes(damage(new.read_bytes()))
        ws = Workspace(project)
        assert answers(ws) == built
        ws.close()
    monkeypatch.setattr(workspace_index, "ROWS_VERSION", workspace_index.ROWS_VERSION + 1)
    ws = Workspace(project)
    assert answers(ws) == built and ws.index.head["run"]["id"]
    ws.close()

    monkeypatch.setenv("FR2EN_CACHE_DIR", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    ws = Workspace(project)
    assert answers(ws) == built
    ws.close()


def test_copies_are_kept_for_the_projects_opened_last(archive, tmp_path, monkeypatch):
    from fr2en_dossier import workspace_index

    monkeypatch.setattr(workspace_index, "KEPT_COPIES", 2)
    for name in ("a", "b", "c"):
        Workspace(copy_of(archive, tmp_path, name)).close()
    assert len(kept_copies()) == 2
