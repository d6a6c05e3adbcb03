"""The run layer: one write sequence for every writer, take-back that never reverts a newer
review, and the workspace showing what a run would write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from conftest import copy_seeds
from click.testing import CliRunner
from support.memory import memory_entries

from fr2en_dossier.cli import main
from fr2en_dossier.model import DRAFT, INCONSISTENT, REVIEW
from fr2en_dossier.outputs import load_current
from fr2en_dossier.project import Project

ROOT = Path(__file__).resolve().parent.parent
DOC = "002_902d186d48ac727e"


def fr2en(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def edit_po(path: Path, key: str, msgstr: str, *, fuzzy: bool = False) -> None:
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == key)
    entry.msgstr, entry.fuzzy = msgstr, fuzzy
    po.save()


def english_of(key: str) -> str:
    """What en/*.txt, the PO file and the report say for segment ``key`` (all must agree)."""
    report = load_current(Path("output"))
    seg = next(s for s in report.segments if s.key == key)
    entry = next(e for e in polib.pofile(f"output/po/{seg.doc}.po") if e.msgctxt == key)
    assert entry.msgstr == (seg.target or "")
    assert (seg.target or seg.source) in Path(f"output/en/{seg.doc}.txt").read_text(encoding="utf-8")
    return seg.target


@pytest.fixture
def dossier(tmp_path, monkeypatch) -> Path:
    """The seeds as a project in the current folder, translated without MT."""
    monkeypatch.chdir(tmp_path)
    copy_seeds(tmp_path)
    fr2en("init", ".")
    fr2en("translate", "--no-mt")
    return tmp_path


KEY = f"{DOC}:5:0"


def test_a_stale_po_never_reverts_a_newer_review(dossier):
    """Version A taken back by a translate; a copy of that PO set to Version B and imported:
    B stands everywhere, and the PO still holding A (as written) never brings A back."""
    edit_po(Path(f"output/po/{DOC}.po"), KEY, "Version A.")
    fr2en("translate", "--no-mt")
    copy = dossier / "copy.po"
    shutil.copy(f"output/po/{DOC}.po", copy)
    edit_po(copy, KEY, "Version B.")
    result = fr2en("review", "import", str(copy))
    assert "imported 1 review(s)" in result.output
    assert english_of(KEY) == "Version B."
    fr2en("translate", "--no-mt")
    fr2en("translate", "--no-mt")
    assert english_of(KEY) == "Version B."
    reviews = [e.target for e in memory_entries(dossier) if e.origin == REVIEW]
    assert reviews == ["Version A.", "Version B."]  # nothing re-appended


def test_a_browser_review_is_not_undone_by_the_next_translate(dossier):
    from fr2en_dossier.workspace import Workspace

    edit_po(Path(f"output/po/{DOC}.po"), KEY, "From the PO file.")
    fr2en("translate", "--no-mt")  # the PO now holds it, as written
    workspace = Workspace(Project.find())
    try:
        workspace.save(KEY, "From the browser.", draft=False)
    finally:
        workspace.close()
    result = fr2en("translate", "--no-mt")
    assert "took back" not in result.output
    assert english_of(KEY) == "From the browser."


def test_an_edit_taken_back_before_is_never_recorded_again(dossier, monkeypatch):
    """A run that took an edit back and then failed to write: the next run finds the same
    edit in the same file and does not record it twice."""
    import fr2en_dossier.outputs as outputs

    edit_po(Path(f"output/po/{DOC}.po"), KEY, "Typed once.")

    def full_disk(*args, **kwargs):
        raise outputs.Fr2enError("output: cannot write the outputs (No space left on device)")

    with monkeypatch.context() as patched:
        patched.setattr(outputs, "write_generation", full_disk)
        assert CliRunner().invoke(main, ["translate", "--no-mt"]).exit_code == 2
    fr2en("translate", "--no-mt")
    assert [e.target for e in memory_entries(dossier)] == ["Typed once."]
    assert english_of(KEY) == "Typed once."


def test_an_edit_older_than_a_review_is_kept_as_a_draft_and_reported(dossier):
    """A PO file sent back after someone reviewed the segment meanwhile (in the browser):
    the newer review stands, the file's text becomes a draft, the summary names the key."""
    from fr2en_dossier.workspace import Workspace

    sent = dossier / "sent.po"
    shutil.copy(f"output/po/{DOC}.po", sent)  # out to a translator, this generation
    workspace = Workspace(Project.find())
    try:
        workspace.save(KEY, "Reviewed meanwhile.", draft=False)
    finally:
        workspace.close()
    edit_po(sent, KEY, "The translator's version.")
    result = fr2en("review", "import", str(sent))
    assert f"1 conflicting edit(s) kept as drafts (a newer review of their segment exists): {KEY}" \
        in result.output
    assert english_of(KEY) == "Reviewed meanwhile."
    events = [(e.target, e.origin) for e in memory_entries(dossier)]
    assert events == [("Reviewed meanwhile.", REVIEW), ("The translator's version.", DRAFT)]
    again = fr2en("review", "import", str(sent))
    assert "conflicting" not in again.output and len(memory_entries(dossier)) == 2


def test_every_writer_writes_through_the_run_layer(dossier, installed_package, monkeypatch):
    """translate, review import and every workspace write reach the outputs through one
    function, Run.write."""
    from fr2en_dossier.run import Run
    from fr2en_dossier.workspace import Workspace

    seen = []
    real = Run.write

    def spy(self, parts, run, **options):
        seen.append(self.command)
        return real(self, parts, run, **options)

    monkeypatch.setattr(Run, "write", spy)
    fr2en("translate", "--quiet")
    edit_po(Path(f"output/po/{DOC}.po"), KEY, "Imported.")
    fr2en("review", "import", f"output/po/{DOC}.po")
    workspace = Workspace(Project.find())
    try:
        workspace.add_term("critiques", "critics", "term")
        workspace.retranslate()
        workspace.merge(f"{DOC}:6:0")
        workspace.split(f"{DOC}:6:0", 10)
    finally:
        workspace.close()
    assert seen == ["fr2en translate", "fr2en review import"] + ["fr2en review serve"] * 4


def test_after_a_term_from_the_page_the_workspace_shows_what_a_translate_writes(
        dossier, installed_package):
    """Hits and flags (with their reasons) of every segment, as the page gets them, equal a
    fresh `fr2en translate`'s report.json — for every segment not listed for re-translation,
    and after the re-translation for all."""
    from fr2en_dossier.workspace import Workspace

    fr2en("translate", "--quiet")
    workspace = Workspace(Project.find())
    try:
        change = workspace.add_term("critiques", "critics", "term")
        page = {s["key"]: s for s in workspace.query(limit=1000)["segments"]}
    finally:
        workspace.close()
    fr2en("translate", "--quiet")
    report = json.loads(Path("output/report.json").read_text(encoding="utf-8"))["segments"]
    assert change.retranslate  # the term is missing from some machine translations
    for seg in report:
        if seg["key"] in change.retranslate:
            continue
        shown = page[seg["key"]]
        assert (shown["hits"], dict(shown["flags"])) == (seg["hits"], seg["reasons"] | {
            f: dict(shown["flags"])[f] for f in seg["flags"] if f not in seg["reasons"]}), seg["key"]
        assert [f for f, _ in shown["flags"]] == seg["flags"]


def test_an_edit_updates_the_inconsistency_of_the_other_segment(tmp_path, monkeypatch):
    """Two segments with the same French, translated differently, are both flagged; after
    one is edited to match, neither is, and no reason quotes English that is gone."""
    from fr2en_dossier.workspace import Workspace

    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Le titre\nIl pleut. Il pleut.\n", encoding="utf-8")
    fr2en("init", ".")
    fr2en("translate", "--no-mt")
    workspace = Workspace(Project.find())
    try:
        workspace.save("a:1:0", "It rains.", draft=False)
        workspace.save("a:1:1", "It is raining.", draft=False)
        both = [workspace.segment(k) for k in ("a:1:0", "a:1:1")]
        assert all(INCONSISTENT in s.flags for s in both)
        assert "“It is raining.”" in both[0].reasons[INCONSISTENT]
        workspace.save("a:1:1", "It rains.", draft=False)
        assert not any(INCONSISTENT in s.flags for s in both)
        assert all(INCONSISTENT not in s.reasons for s in both)
    finally:
        workspace.close()


def test_every_command_that_segments_gives_the_same_keys(dossier):
    """With a split and a merge in segmentation.tsv, `segment`, `glossary check` and the
    outputs give one key to one sentence."""
    from fr2en_dossier.overrides import MERGE, SPLIT, append_override, boundary

    report = load_current(Path("output")).segments
    first, second = (s for s in report if s.key in (f"{DOC}:5:0", f"{DOC}:5:1"))
    append_override("segmentation.tsv", boundary(MERGE, DOC, first.source, second.source))
    long = next(s for s in report if s.doc == DOC and len(s.source) > 60 and s.block > 6)
    cut = long.source.index(" ", 30)
    append_override("segmentation.tsv", boundary(SPLIT, DOC, long.source[:cut], long.source[cut:]))
    fr2en("translate", "--no-mt")
    segmented = [json.loads(line) for line in fr2en("segment", "--format", "jsonl").output.splitlines()]
    checked = [json.loads(line) for line in
               fr2en("glossary", "check", "--format", "jsonl").output.splitlines()
               if line.startswith("{")]
    written = [(s.doc, s.block, s.index, s.source) for s in load_current(Path("output")).segments]
    keys = [(r["doc"], r["block"], r["index"], r["text"]) for r in segmented]
    assert keys == [(r["doc"], r["block"], r["index"], r["text"]) for r in checked] == written
    assert (DOC, 5, 0, f"{first.source} {second.source}") in keys


def test_the_library_translates_a_dossier_without_the_cli(dossier, installed_package):
    """translate_dossier(project) builds its MT stage from the project's engine options and
    records what it did: the engine and its options, the MT stage's counts."""
    from fr2en_dossier.run import translate_dossier

    result = translate_dossier(Project.find())
    run = result.summary.run
    assert run.mt and run.engine == installed_package.id
    assert run.engine_options["beam_size"] == 4
    assert run.mt_stats["segments"] == result.mt.segments > 0
    report = json.loads(Path("output/report.json").read_text(encoding="utf-8"))
    assert report["run"]["mt_stats"]["translated"] == result.mt.translated


def test_re_translation_from_the_page_is_recorded_and_its_list_survives_a_reload(
        dossier, installed_package):
    """The list of segments to re-translate is the server's (a page reload shows it); the
    re-translation records the engine and its counts in the report, as a translate does."""
    from fr2en_dossier.workspace import Workspace

    fr2en("translate", "--quiet")
    workspace = Workspace(Project.find())
    try:
        change = workspace.add_term("critiques", "critics", "term")
        assert change.retranslate and workspace.documents()["retranslate"] == change.retranslate
        workspace.retranslate()
        run = load_current(Path("output")).run
        assert workspace.documents()["retranslate"] == []
        assert run.mt and run.engine == installed_package.id
        assert run.mt_stats["segments"] == len(change.retranslate)
    finally:
        workspace.close()


def test_every_flag_has_its_colour_in_the_one_shared_style_sheet():
    from fr2en_dossier.model import FLAGS

    shared = (ROOT / "src" / "fr2en_dossier" / "templates" / "shared.css").read_text(encoding="utf-8")
    assert all(f".flag-{name} {{" in shared for name in FLAGS)
    for name in ("review.css", "workspace.css"):
        other = (ROOT / "src" / "fr2en_dossier" / "templates" / name).read_text(encoding="utf-8")
        assert ".flag-" not in other  # no second copy


def test_the_help_the_loader_and_review_import_come_from_the_table_of_formats():
    from fr2en_dossier.formats.table import ARTICLES, REVIEWS, suffixes

    help_text = CliRunner().invoke(main, ["translate", "--help"]).output
    assert all(f.suffixes[0] in help_text for f in ARTICLES)
    from fr2en_dossier.readers import readable
    assert all(readable(Path(f"a{suffix}")) for suffix in suffixes())
    result = CliRunner().invoke(main, ["review", "import", "notes.docx"])
    assert result.exit_code == 2 and all(f.suffixes[0] in result.output for f in REVIEWS)
