"""`fr2en review import`: reviewed PO / edited TMX → memory → every output rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from support.memory import memory_entries

from fr2en_dossier.cli import main
from fr2en_dossier.formats.tmx import read_tmx
from fr2en_dossier.formats.report import RunInfo, read_report
from fr2en_dossier.memory import ReviewMemory, contexts
from fr2en_dossier.model import DRAFT, HEADING, NUMBER_MISMATCH, PARAGRAPH, REVIEW, Segment, parts_of
from fr2en_dossier.outputs import write_generation
from fr2en_dossier.qa import check_dossier


def dossier() -> list[Segment]:
    return [
        Segment("a", 0, 0, HEADING, 0, 9, "Le titre", target="The title", origin="mt"),
        Segment("a", 1, 0, PARAGRAPH, 0, 26, "Elon Musk poursuit OpenAI.",
                target="Elon Musk sues OpenAI.", origin="mt"),
        Segment("a", 1, 1, PARAGRAPH, 27, 40, "Il a 3 chats.", target="He has cats.",
                origin="mt"),
        Segment("b", 0, 0, PARAGRAPH, 0, 8, "Bonjour.", target="Hello.", origin="mt"),
    ]  # fmt: skip


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A translated dossier in ./output (made with a fake engine: targets set by hand)."""
    monkeypatch.chdir(tmp_path)
    segments = dossier()
    check_dossier(segments)
    write_generation(parts_of(segments), Path("output"), RunInfo())
    return tmp_path


def import_(*args: str):
    return CliRunner().invoke(main, ["review", "import", *args])


def edit_po(path: Path, key: str, msgstr: str | None = None, *, fuzzy: bool = False) -> None:
    """What a reviewer does in a PO editor: change the English and/or clear the fuzzy flag."""
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == key)
    if msgstr is not None:
        entry.msgstr = msgstr
    entry.fuzzy = fuzzy
    po.save()


def report_segment(key: str) -> dict:
    report = json.loads(Path("output/report.json").read_text(encoding="utf-8"))
    return next(s for s in report["segments"] if s["key"] == key)


def memory_says(key: str, path: str = "memory.sqlite") -> tuple[str | None, str]:
    """(English, origin) the memory gives the report's segment ``key``."""
    segments = [Segment(**{**s.__dict__, "target": None, "origin": ""})
                for s in read_report("output/report.json")]
    with ReviewMemory(path) as memory:
        memory.apply(segments)
    seg = next(s for s in segments if s.key == key)
    return seg.target, seg.origin


def snapshot(root: Path) -> dict[str, bytes]:
    """The project's files, the lock's own files left out (a failed import took the lock)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".fr2en.")}


def test_an_edited_msgstr_updates_every_output_and_the_memory(project):
    edit_po(Path("output/po/a.po"), "a:1:1", "He has 3 cats.")
    result = import_("output/po/a.po")
    assert result.exit_code == 0, result.output
    assert f"imported 1 review(s) and 0 draft(s) into {project / 'memory.sqlite'}" in result.output

    assert Path("output/en/a.txt").read_text(encoding="utf-8") == (
        "The title\nElon Musk sues OpenAI. He has 3 cats.\n"
    )
    seg = report_segment("a:1:1")
    assert (seg["target"], seg["origin"]) == ("He has 3 cats.", "review")
    assert NUMBER_MISMATCH not in seg["flags"]  # QA ran again on the reviewed English
    tmx = {u.tuid: u for u in read_tmx("output/dossier.tmx")}
    assert tmx["a:1:1"].target == "He has 3 cats."
    assert tmx["a:1:1"].prop("x-origin") == ["review"]
    entry = next(e for e in polib.pofile("output/po/a.po") if e.msgctxt == "a:1:1")
    assert (entry.msgstr, entry.fuzzy) == ("He has 3 cats.", False)
    assert "He has 3 cats." in Path("output/review.html").read_text(encoding="utf-8")
    assert memory_says("a:1:1") == ("He has 3 cats.", REVIEW)


def test_removing_the_fuzzy_flag_accepts_the_machine_translation(project):
    edit_po(Path("output/po/b.po"), "b:0:0")
    result = import_("output/po/b.po")
    assert result.exit_code == 0, result.output
    assert "imported 1" in result.output
    assert report_segment("b:0:0")["origin"] == "review"
    assert Path("output/en/b.txt").read_text(encoding="utf-8") == "Hello.\n"


def test_fuzzy_entries_are_not_reviews(project):
    before = snapshot(project / "output")
    result = import_("output/po/a.po", "output/po/b.po")
    assert result.exit_code == 0, result.output
    assert "imported 0" in result.output and "4 fuzzy or empty" in result.output
    assert "already up to date" in result.output
    assert snapshot(project / "output") == before
    assert len(memory_entries(project)) == 0


def test_importing_the_same_file_twice_imports_once(project):
    edit_po(Path("output/po/a.po"), "a:0:0", "The headline")
    assert "imported 1" in import_("output/po/a.po").output
    again = import_("output/po/a.po")
    assert "imported 0" in again.output and "1 unchanged" in again.output


def test_an_edited_dossier_tmx_is_imported(project):
    path = Path("output/dossier.tmx")
    path.write_text(
        path.read_text(encoding="utf-8").replace("<seg>Hello.</seg>", "<seg>Hi there.</seg>"),
        encoding="utf-8",
    )
    result = import_(str(path))
    assert result.exit_code == 0, result.output
    assert "imported 1" in result.output and "3 unchanged" in result.output
    assert Path("output/en/b.txt").read_text(encoding="utf-8") == "Hi there.\n"
    assert report_segment("b:0:0")["origin"] == "review"


def test_a_review_of_french_no_longer_in_the_dossier_is_kept_and_reported(project):
    path = Path("output/po/a.po")
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == "a:1:1")
    entry.msgid, entry.msgstr, entry.fuzzy = "Il a trois chats.", "He has three cats.", False
    po.save()
    result = import_(str(path))
    assert result.exit_code == 0, result.output
    assert "imported 1 review(s)" in result.output
    assert "1 review(s) kept in the memory for French no longer in the dossier" in result.output
    assert report_segment("a:1:1")["target"] == "He has cats."
    (unit,) = read_tmx("memory.tmx")
    assert (unit.source, unit.target) == ("Il a trois chats.", "He has three cats.")


def test_a_review_under_a_stale_key_finds_its_french(project, tmp_path):
    """A PO file sent back after lines moved: its keys are old, its French is still there."""
    other = tmp_path / "other.po"
    Path("output/po/a.po").rename(other)
    edit_po(other, "a:1:0", "Musk sues.")
    po = polib.pofile(str(other))
    po[1].msgctxt = "a:7:0"
    po.save()
    result = import_(str(other))
    assert "imported 1 review(s)" in result.output and "kept in the memory" not in result.output
    assert report_segment("a:1:0")["target"] == "Musk sues."


def test_an_edited_fuzzy_entry_becomes_a_draft_and_comes_back_fuzzy(project):
    """Rebuilding output/po/a.po keeps the reviewer's unconfirmed text: a draft."""
    edit_po(Path("output/po/a.po"), "a:0:0", "The headline")  # confirmed: a review
    edit_po(Path("output/po/a.po"), "a:1:1", "He has 3 cats.", fuzzy=True)  # a draft
    result = import_("output/po/a.po")
    assert result.exit_code == 0, result.output
    assert "imported 1 review(s) and 1 draft(s)" in result.output
    entries = {e.msgctxt: e for e in polib.pofile("output/po/a.po")}
    assert (entries["a:0:0"].msgstr, entries["a:0:0"].fuzzy) == ("The headline", False)
    assert (entries["a:1:1"].msgstr, entries["a:1:1"].fuzzy) == ("He has 3 cats.", True)
    assert report_segment("a:1:1")["origin"] == DRAFT
    assert memory_says("a:1:1") == ("He has 3 cats.", DRAFT)


def test_an_edited_fuzzy_entry_elsewhere_is_a_draft_too(project, tmp_path):
    copy = tmp_path / "sent-back.po"
    copy.write_bytes(Path("output/po/a.po").read_bytes())
    edit_po(copy, "a:1:1", "He has 3 cats.", fuzzy=True)
    result = import_(str(copy))
    assert result.exit_code == 0, result.output
    assert "1 draft(s)" in result.output
    assert report_segment("a:1:1")["target"] == "He has 3 cats."


def test_edits_left_in_the_outputs_are_taken_back_by_any_import(project, tmp_path):
    """Reviewing b.po while a.po also has edits: rebuilding a.po must not lose them."""
    edit_po(Path("output/po/a.po"), "a:0:0", "The headline")
    edit_po(Path("output/po/b.po"), "b:0:0", "Hi!")
    result = import_("output/po/b.po")
    assert "imported 2 review(s)" in result.output
    assert Path("output/en/a.txt").read_text(encoding="utf-8").startswith("The headline\n")


def test_a_bad_po_is_one_line_exit_2_and_changes_nothing(project):
    edit_po(Path("output/po/b.po"), "b:0:0", "Hi!")  # a good review in the same run
    Path("output/po/a.po").write_text('msgid "a"\nmsgstr "b" oops\n', encoding="utf-8")
    before = snapshot(project)
    result = import_("output/po/b.po", "output/po/a.po")
    assert result.exit_code == 2
    assert result.stderr == "fr2en: error: output/po/a.po:2: PO syntax error: 'msgstr \"b\" oops'\n"
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["notes.txt"], "notes.txt: not a review file"),
        (["missing.po"], "missing.po: cannot read"),
        (["-o", "elsewhere", "x.po"], "elsewhere: no outputs here"),
    ],
)
def test_user_errors_are_one_line(project, args, message):
    Path("notes.txt").write_text("hello", encoding="utf-8")
    result = import_(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("fr2en: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_outputs_left_behind_by_an_interrupted_import_are_rebuilt(project):
    segments = read_report("output/report.json")
    with ReviewMemory("memory.sqlite") as memory:  # recorded, but the outputs never rebuilt
        memory.record(segments[0], "The headline", contexts(segments)[0])
    result = import_("output/po/b.po", "-m", "memory.sqlite")
    assert "imported 0" in result.output and "rebuilt, 1 reviewed or drafted segment(s)" in result.output
    assert Path("output/en/a.txt").read_text(encoding="utf-8").startswith("The headline\n")


def test_memory_option_names_the_memory_file(project):
    edit_po(Path("output/po/b.po"), "b:0:0", "Hi!")
    Path("reviews").mkdir()
    result = import_("output/po/b.po", "--memory", "reviews/team.sqlite")
    assert result.exit_code == 0, result.output
    assert memory_says("b:0:0", "reviews/team.sqlite") == ("Hi!", REVIEW)
    assert Path("reviews/team.tmx").is_file()  # its exchange file, beside it
    assert not Path("memory.sqlite").exists()


# --- the whole loop with `fr2en translate`: translate → edit PO → import → translate again ----

ROOT = Path(__file__).resolve().parent.parent


def translate(*args: str):
    result = CliRunner().invoke(
        main, ["translate", "articles", "-g", str(ROOT / "glossary.tsv"), "--quiet", *args]
    )
    assert result.exit_code == 0, result.output
    return result


def first_sentence_entry(doc: str) -> polib.POEntry:
    """The PO entry of the article's first sentence (a paragraph, never boilerplate)."""
    return next(e for e in polib.pofile(f"output/po/{doc}.po") if e.msgctxt == f"{doc}:0:0")


@pytest.fixture
def articles(tmp_path, monkeypatch) -> str:
    """A copy of the seeds in ./articles; returns the first article's stem."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        (tmp_path / "articles" / path.name).write_bytes(path.read_bytes())
    return sorted((ROOT / "seeds").glob("*.txt"))[0].stem


@pytest.mark.usefixtures("installed_package")
def test_a_review_survives_a_new_machine_translation_run(articles):
    doc = articles
    translate()
    entry = first_sentence_entry(doc)
    assert entry.fuzzy and entry.msgstr  # the synthetic engine's English, to review
    reviewed = "The recent legal case between Elon Musk and OpenAI revealed a series of emails."
    edit_po(Path(f"output/po/{doc}.po"), entry.msgctxt, reviewed)

    result = import_(f"output/po/{doc}.po")
    assert result.exit_code == 0, result.output
    assert "imported 1 review(s)" in result.output
    assert Path(f"output/en/{doc}.txt").read_text(encoding="utf-8").splitlines()[0] == reviewed

    again = translate()
    assert "1 reviewed and 0 drafts from the memory" in again.output
    assert Path(f"output/en/{doc}.txt").read_text(encoding="utf-8").splitlines()[0] == reviewed
    entry = first_sentence_entry(doc)
    assert (entry.msgstr, entry.fuzzy) == (reviewed, False)
    assert report_segment(entry.msgctxt)["origin"] == "review"


def test_without_mt_a_translator_fills_the_po_and_a_changed_french_gets_the_review_as_a_match(articles):
    doc = articles
    translate("--no-mt")
    entry = first_sentence_entry(doc)
    assert (entry.msgstr, entry.fuzzy) == ("", False)  # the kit for human translators
    edit_po(Path(f"output/po/{doc}.po"), entry.msgctxt, "Human translation.")
    assert "imported 1" in import_(f"output/po/{doc}.po").output

    translate("--no-mt")
    assert first_sentence_entry(doc).msgstr == "Human translation."

    source = Path(f"articles/{doc}.txt")
    source.write_text(source.read_text(encoding="utf-8").replace("La récente", "La dernière", 1),
                      encoding="utf-8")  # fmt: skip
    translate("--no-mt")
    entry = first_sentence_entry(doc)
    # not a review any more: offered as a fuzzy memory match (prefilled, a draft), never stored
    assert entry.msgid.startswith("La dernière") and entry.msgstr == "Human translation."
    assert entry.fuzzy and "memory match" in entry.comment
    assert entry.previous_msgid.startswith("La récente")
    assert memory_says(entry.msgctxt) == (None, "")
    assert len(memory_entries(".")) == 1  # the old review is kept, not applied
    Path("fr2en.toml").write_text("[memory]\nprefill = false\n", encoding="utf-8")
    translate("--no-mt")
    entry = first_sentence_entry(doc)
    assert entry.msgstr == "" and not entry.fuzzy  # not prefilled: the kit for a translator again


def test_a_segment_with_characters_po_cannot_hold_can_be_reviewed(tmp_path, monkeypatch):
    """PO and TMX drop C0 controls and U+FFFE/U+FFFF; the review still finds its segment."""
    monkeypatch.chdir(tmp_path)
    french = "Il a\x01 dit\ufffe oui\uffff."
    segments = [Segment("c", 0, 0, PARAGRAPH, 0, len(french), french, target="He said yes",
                        origin="mt")]  # fmt: skip
    write_generation(parts_of(segments), Path("output"), RunInfo())
    edit_po(Path("output/po/c.po"), "c:0:0", "He said yes.")
    result = import_("output/po/c.po")
    assert result.exit_code == 0, result.output
    assert "imported 1 review(s)" in result.output and "skipped" not in result.stderr
    assert report_segment("c:0:0")["target"] == "He said yes."
    assert memory_says("c:0:0") == ("He said yes.", REVIEW)
