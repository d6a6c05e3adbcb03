"""The analysis against the memory: bands, repetitions, words that add up, and its formats."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

from fr2en_dossier.analysis import BANDS, analyse, band, characters, words
from fr2en_dossier.cli import main
from fr2en_dossier.loader import load_documents
from fr2en_dossier.memory import contexts
from fr2en_dossier.model import BOILERPLATE_FLAG
from fr2en_dossier.outputs import load_current
from fr2en_dossier.project import Project
from fr2en_dossier.run import analyse_dossier, project_segments

ROOT = Path(__file__).resolve().parent.parent


def fr2en(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    fr2en("init", ".")
    return Project.find(tmp_path)


def test_words_and_bands():
    assert words("L'IA d’OpenAI — co-fondateur, 1 000 $ !") == 5
    assert characters("a b\u00a0c\n") == 3
    assert [band(s) for s in (None, 49, 50, 74, 75, 85, 95, 99, 100, 101)] == [
        "no match", "no match", "50-74", "50-74", "75-84", "85-94", "95-99", "95-99", "100", "101"]


def test_the_seeds_add_up_to_the_dossiers_word_count(project):
    """With an empty memory every word is new or a repetition, and the bands add up to the
    words of the seed files (counted line by line from the files) less the boilerplate —
    plus one at each of the 6 places where the seeds glue two sentences ("en 2019.Depuis"),
    since words are counted per segment, as CAT tools count them."""
    documents = load_documents(project.inputs).documents
    segments = project_segments(project, documents)
    boilerplate = sum(words(s.source) for s in segments if BOILERPLATE_FLAG in s.flags)
    in_files = sum(words(line) for path in sorted((project.root / "seeds").glob("*.txt"))
                   for line in path.read_text(encoding="utf-8").splitlines())
    texts = {(d.stem, b.index): b.text for d in documents for b in d.blocks}
    glued = sum(1 for s in segments if s.start and not texts[s.doc, s.block][s.start - 1].isspace())
    assert glued == 6
    found = analyse_dossier(project, documents)
    total = found["total"]["total"]
    assert total["words"] + boilerplate == in_files + glued
    assert sum(d["total"]["words"] for d in found["documents"]) == total["words"]
    bands = found["total"]["bands"]
    assert list(bands) == list(BANDS) == found["bands"]
    assert bands["no match"]["words"] + bands["repetitions"]["words"] == total["words"]
    assert bands["repetitions"]["segments"] >= 1  # a sentence the seeds say twice
    assert total["segments"] == sum(BOILERPLATE_FLAG not in s.flags for s in segments)


def test_each_segment_lands_in_the_band_of_its_best_match(project):
    documents = load_documents(project.inputs).documents
    segments = [s for s in project_segments(project, documents) if BOILERPLATE_FLAG not in s.flags]
    long = [s for s in segments if words(s.source) >= 20][:3]
    where = dict(zip((s.key for s in segments), contexts(segments), strict=True))
    with project.open_memory() as memory:
        memory.record(long[0], "In context.", where[long[0].key])  # 101
        elsewhere = replace(long[1], doc="other")
        memory.record(elsewhere, "Elsewhere.", where[long[1].key])  # 100: another document
        variant = replace(long[2], doc="other", source=long[2].source.replace(" ", " très ", 1))
        memory.record(variant, "Variant.", where[long[2].key])  # one word more: 95-99
    found = analyse_dossier(project, documents)["total"]["bands"]
    assert found["101"]["segments"] == 1 and found["101"]["words"] == words(long[0].source)
    assert found["100"]["segments"] == 1
    assert found["95-99"]["segments"] == 1
    csv_rows = list(csv.reader(io.StringIO(fr2en("analyse", "--format", "csv").output)))
    assert csv_rows[0] == ["document", "band", "segments", "words", "characters"]
    assert ["total", "101", "1", str(words(long[0].source)),
            str(characters(long[0].source))] in csv_rows
    assert json.loads(fr2en("analyse", "--format", "json").output)["total"]["bands"] == found
    assert "all documents:" in fr2en("analyse").output


def test_report_json_has_the_analysis_of_the_run(project):
    fr2en("translate", "--no-mt")
    report = json.loads((project.output / "report.json").read_text(encoding="utf-8"))
    assert report["analysis"] == analyse(load_current(project.output).segments)
    assert report["analysis"]["total"]["total"]["segments"] == 126


@given(st.text())
def test_words_are_the_pieces_between_white_space_that_hold_a_letter_or_a_digit(text):
    pieces = [piece for piece in text.split() if any(c.isalnum() for c in piece)]
    assert words(text) == len(pieces)
