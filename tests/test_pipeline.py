"""The `fr2en translate` pipeline: write_generation and translate_dossier, library and CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.po import read_po
from fr2en_dossier.formats.report import RunInfo, load_report, read_report
from fr2en_dossier.formats.tmx import read_tmx
from fr2en_dossier.model import (
    BOILERPLATE,
    BOILERPLATE_FLAG,
    HEADING,
    PARAGRAPH,
    UNTRANSLATED,
    Segment,
)
from fr2en_dossier.model import parts_of
from fr2en_dossier.outputs import write_generation
from fr2en_dossier.project import Project

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _segments():
    return [
        Segment("a", 0, 0, HEADING, 0, 5, "Titre", target="Title", origin="mt"),
        Segment("a", 1, 0, PARAGRAPH, 0, 9, "Phrase un.", target="Sentence one.", origin="cache"),
        Segment(
            "a", 1, 1, PARAGRAPH, 10, 20, "Phrase\x01 deux.", target=None, flags=[UNTRANSLATED]
        ),
        Segment("b", 0, 0, BOILERPLATE, 0, 4, "fbpx", flags=[BOILERPLATE_FLAG]),
    ]


def write_outputs(segments, outdir, *, include_boilerplate=False, run=None):
    run = run or RunInfo()
    run.include_boilerplate = include_boilerplate
    return write_generation(parts_of(segments, run.documents), outdir, run)


def _snapshot(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()
    }


def test_write_outputs_writes_every_output_with_one_unit_per_segment(tmp_path):
    segs = _segments()
    summary = write_outputs(segs, tmp_path / "out", run=RunInfo(engine="translate-fr_en 1.9"))
    out = tmp_path / "out"
    assert sorted(_snapshot(out)) == [
        ".fr2en-generation",
        ".fr2en-review-files",
        "dossier.tmx",
        "en/a.txt",
        "en/b.txt",
        "po/a.po",
        "po/b.po",
        "report.json",
        "review.html",
    ]
    assert list(summary.outputs.items()) == [  # a folder's files of a kind counted together
        (out / "en/*.txt", 2),
        (out / "dossier.tmx", 1),
        (out / "review.html", 1),
        (out / "po/*.po", 2),
        (out / "report.json", 1),
    ]
    assert read_report(out / "report.json") == segs
    assert [u.tuid for u in read_tmx(out / "dossier.tmx")] == [s.key for s in segs]
    assert [u.context for u in read_po(out / "po/a.po")] == ["a:0:0", "a:1:0", "a:1:1"]
    assert [u.context for u in read_po(out / "po/b.po")] == ["b:0:0"]
    assert (out / "en/a.txt").read_text(
        encoding="utf-8"
    ) == "Title\nSentence one. Phrase\x01 deux.\n"
    run = load_report(out / "report.json").run
    assert (run.engine, run.xml_chars_dropped, run.po_chars_dropped) == (
        "translate-fr_en 1.9",
        1,
        1,
    )
    assert summary.run == run
    assert summary.totals["segments"] == 4
    assert summary.totals["origins"] == {"mt": 1, "cache": 1}
    assert summary.totals["flags"][UNTRANSLATED] == 1


def test_outputs_rebuilt_from_the_report_are_the_same(tmp_path):
    out = tmp_path / "out"
    write_outputs(_segments(), out, include_boilerplate=True)
    before = _snapshot(out)
    report = load_report(out / "report.json")
    assert report.run.include_boilerplate
    first_id = report.run.id
    write_outputs(report.segments, out, include_boilerplate=True, run=report.run)
    after = _snapshot(out)
    new_id = load_report(out / "report.json").run.id
    assert new_id != first_id  # a new generation, the same content
    for name in ("report.json", "review.html", "en/a.txt", "en/b.txt"):
        assert after[name].replace(new_id.encode(), first_id.encode()) == before[name], name


def test_a_failing_writer_leaves_the_previous_outputs_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_outputs(_segments(), out)
    before = _snapshot(out)
    changed = _segments()
    changed[0].target = "A new title"

    calls = []

    def failing_write_po(segments, path, run_id):
        calls.append(path)
        if len(calls) == 2:  # the second PO file: texts, TMX, HTML and one PO are written
            raise OSError("disk full")
        return 0

    monkeypatch.setattr("fr2en_dossier.formats.po.write_po", failing_write_po)
    with pytest.raises(Fr2enError, match="cannot write the outputs \\(disk full\\)"):
        write_outputs(changed, out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == [
        ".fr2en-generation",
        ".fr2en-review-files",
        "dossier.tmx",
        "en",
        "po",
        "report.json",
        "review.html",
    ]


def test_the_report_records_how_it_was_made(tmp_path):
    write_outputs(_segments(), tmp_path / "out", run=RunInfo(mt=False, glossary="g.tsv", memory="m.tmx"))
    run = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["run"]
    assert (run["mt"], run["glossary"], run["memory"], run["include_boilerplate"]) == (
        False,
        "g.tsv",
        "m.tmx",
        False,
    )


# --- translate_dossier with a stand-in MT stage (pipeline logic only) --------------------------


def _documents():
    from fr2en_dossier.loader import load_documents

    return load_documents([SEEDS]).documents


def test_translate_dossier_runs_every_stage_in_order(tmp_path):
    from support.stand_in_mt import StandInMt

    from fr2en_dossier.memory import contexts
    from fr2en_dossier.run import translate_dossier
    from fr2en_dossier.segmenter import segment_documents

    documents = _documents()
    segments = segment_documents(documents[:1])
    first = segments[0]
    key = first.key
    project = Project.defaults(tmp_path)
    with project.open_memory() as memory:
        memory.record(first, "A reviewed title", contexts(segments)[0])
    project.output = tmp_path / "out"
    mt = StandInMt()
    summary = translate_dossier(project, documents, glossary=ROOT / "glossary.tsv", mt=mt).summary
    (seen,) = mt.calls
    assert (key, None, "") in seen  # MT sees every segment; the memory's review then wins
    segments = read_report(tmp_path / "out" / "report.json")
    assert next(s for s in segments if s.key == key).mt == f"EN {first.source}"
    fixed = [s for s in segments if "assurance-chômage" in s.source]
    assert fixed and all("AGI" in s.engine_input and s.target.startswith("EN ") for s in fixed)
    by_key = {s.key: s for s in segments}
    assert by_key[key].target == "A reviewed title"
    assert all(s.target == f"EN {s.mt_input}" for s in segments if s.origin == "mt")
    assert {s.origin for s in segments} <= {"mt", "review", ""}
    assert all(s.origin == "" for s in segments if BOILERPLATE_FLAG in s.flags)
    assert summary.run.mt and summary.run.glossary == str(ROOT / "glossary.tsv")
    assert summary.totals["origins"]["review"] == 1
    assert summary.totals["segments"] == len(segments)


def test_translate_dossier_without_mt_leaves_the_english_empty(tmp_path):
    from fr2en_dossier.run import translate_dossier

    summary = translate_dossier(Project.defaults(tmp_path), _documents(), mt=None).summary
    segments = read_report(tmp_path / "output" / "report.json")
    assert not summary.run.mt and summary.run.engine == ""
    assert all(not s.target for s in segments)
    assert summary.totals["flags"][UNTRANSLATED] == sum(
        1 for s in segments if BOILERPLATE_FLAG not in s.flags
    )


# --- `fr2en translate` end to end (CliRunner) ----------------------------------------------


@pytest.fixture
def dossier(tmp_path, monkeypatch) -> Path:
    """A working directory holding a copy of seeds/ and glossary.tsv, as a user has it."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copy(ROOT / "glossary.tsv", tmp_path / "glossary.tsv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _translate(*args: str):
    return CliRunner().invoke(main, ["translate", *args])


def _check_outputs(out: Path) -> list[Segment]:
    """Every output is there, with one unit per segment everywhere; return the report's."""
    segments = read_report(out / "report.json")
    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert sorted({s.doc for s in segments}) == stems
    assert sorted(p.stem for p in (out / "en").iterdir()) == stems
    assert sorted(p.stem for p in (out / "po").iterdir()) == stems
    assert [u.tuid for u in read_tmx(out / "dossier.tmx")] == [s.key for s in segments]
    po_keys = [u.context for stem in stems for u in read_po(out / "po" / f"{stem}.po")]
    assert po_keys == [s.key for s in segments]
    html = (out / "review.html").read_text(encoding="utf-8")
    assert html.count('<tr class="seg') == len(segments)
    for stem in stems:
        lines = (out / "en" / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
        kept = {s.block for s in segments if s.doc == stem and BOILERPLATE_FLAG not in s.flags}
        assert len(lines) == len(kept)
    return segments


def test_translate_no_mt_on_the_seeds(dossier):
    result = _translate("--no-mt")
    assert result.exit_code == 0, result.output
    segments = _check_outputs(dossier / "output")
    assert all(not s.target and not s.origin for s in segments)
    assert any(s.engine_input and s.engine_input != s.source for s in segments)  # glossary ran
    stem = sorted(SEEDS.glob("*.txt"))[0].stem
    first = (dossier / "output" / "en" / f"{stem}.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first == " ".join(s.source for s in segments if s.doc == stem and s.block == 0)
    lines = result.output.splitlines()
    assert lines[0] == f"project {dossier} (no fr2en.toml: defaults)"
    assert lines[1] == (
        f"5 documents, {len(segments)} segments: no MT, 0 reviewed and 0 drafts from the "
        f"memory {dossier / 'memory.sqlite'}, 0 prefilled from its matches"
    )
    out = dossier / "output"
    run = load_report(out / "report.json").run
    assert lines[-1] == (
        f"run {run.id}: wrote output/en/*.txt (5), output/dossier.tmx, output/review.html, "
        "output/po/*.po (5), output/xliff/*.xlf (5), output/dossier.xlf, output/report.json"
    )
    assert (dossier / "memory.tmx").read_bytes().count(b"<tu ") == 0  # exported, empty


def test_translate_with_the_synthetic_package_then_from_the_cache(dossier, installed_package):
    first = _translate("--quiet")
    assert first.exit_code == 0, first.output
    segments = _check_outputs(dossier / "output")
    mt = [s for s in segments if BOILERPLATE_FLAG not in s.flags]
    assert mt and all(s.origin == "mt" and s.target and s.score is not None for s in mt)
    assert f"{len(mt)} machine-translated (0 from cache)" in first.output
    run = load_report(dossier / "output" / "report.json").run
    assert run.mt and run.engine == installed_package.id and run.engine_options["beam_size"] == 4

    again = _translate("--quiet")
    assert again.exit_code == 0, again.output
    cached = _check_outputs(dossier / "output")
    assert f"{len(mt)} machine-translated ({len(mt)} from cache)" in again.output
    assert all(s.origin == "cache" for s in cached if BOILERPLATE_FLAG not in s.flags)
    assert [s.target for s in cached] == [s.target for s in segments]


def test_a_reviewed_translation_is_never_overwritten(dossier, installed_package):
    from fr2en_dossier.memory import ReviewMemory, contexts

    assert _translate("--quiet").exit_code == 0
    written = read_report(dossier / "output" / "report.json")
    i, seg = next((i, s) for i, s in enumerate(written) if s.origin == "mt")
    with ReviewMemory(dossier / "reviews.sqlite") as memory:
        memory.record(seg, "The reviewed sentence.", contexts(written)[i])
    result = _translate("--quiet", "-m", "reviews.sqlite")
    assert result.exit_code == 0, result.output
    assert "1 reviewed and 0 drafts from the memory" in result.output
    by_key = {s.key: s for s in read_report(dossier / "output" / "report.json")}
    assert (by_key[seg.key].target, by_key[seg.key].origin) == ("The reviewed sentence.", "review")
    english = (dossier / "output" / "en" / f"{seg.doc}.txt").read_text(encoding="utf-8")
    assert "The reviewed sentence." in english


def test_paths_output_and_boilerplate_options(dossier):
    stem = sorted(SEEDS.glob("*.txt"))[0].stem
    result = _translate("--no-mt", "-o", "kit", "--include-boilerplate", f"seeds/{stem}.txt")
    assert result.exit_code == 0, result.output
    segments = read_report(dossier / "kit" / "report.json")
    assert {s.doc for s in segments} == {stem}
    lines = (dossier / "kit" / "en" / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({s.block for s in segments})  # boilerplate blocks kept
    assert load_report(dossier / "kit" / "report.json").run.include_boilerplate


def test_without_a_glossary_file_a_warning(dossier):
    (dossier / "glossary.tsv").unlink()
    result = _translate("--no-mt")
    assert result.exit_code == 0, result.output
    assert f"warning: no {dossier / 'glossary.tsv'}: no glossary used" in result.output
    assert all(not s.hits for s in read_report(dossier / "output" / "report.json"))


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (lambda d: None, ["-g", "missing.tsv"], "missing.tsv: no such glossary file"),
        (lambda d: (d / "seeds" / "bad.txt").write_bytes(b"caf\xe9\n"), [], "bad.txt:1: not UTF-8"),
        (
            lambda d: (d / "glossary.tsv").write_text("IA\t\n", encoding="utf-8"),
            [],
            "glossary.tsv:1:",
        ),
        (lambda d: None, ["nowhere"], "nowhere: no such file or directory"),
        (lambda d: (d / "empty").mkdir(), ["empty"], "empty: nothing to translate"),
        (lambda d: (d / "file").touch(), ["-o", "file/out"], "file/.out.generations: cannot write here"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_outputs_alone(dossier, setup, args, message):
    assert _translate("--no-mt").exit_code == 0
    before = _snapshot(dossier / "output")
    setup(dossier)
    result = _translate("--no-mt", *args)
    assert result.exit_code == 2
    assert result.output.startswith("fr2en: error: ") and message in result.output
    assert result.output.count("\n") == 1
    assert _snapshot(dossier / "output") == before


def test_without_an_installed_package_mt_says_how_to_get_one(dossier, argos_packages_dir):
    result = _translate("--no-download")
    assert result.exit_code == 2
    assert "fr2en model install" in result.output and result.output.count("\n") == 1
    assert not (dossier / "output" / "report.json").exists()
    offline = _translate()  # the test index, 127.0.0.1:9, does not answer
    assert offline.exit_code == 2 and offline.output.count("\n") == 1
    assert offline.output.startswith(
        "fr2en: error: no French→English model installed, and it could not be downloaded: "
        "cannot download the Argos package index http://127.0.0.1:9/index.json"
    )
    assert offline.output.count("--file PATH.argosmodel") == 1 and "--no-mt" in offline.output
    assert not (dossier / "output" / "report.json").exists()
