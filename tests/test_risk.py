"""Review the riskiest first: the risk order, the term scoreboard, and the QA report export."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from pathlib import Path

from click.testing import CliRunner

from fr2en_dossier.cli import main
from fr2en_dossier.model import (
    NUMBER_MISMATCH,
    PARAGRAPH,
    PUNCTUATION,
    TERM_FORCED,
    Segment,
)
from fr2en_dossier.risk import rank_risks, riskiest

ROOT = Path(__file__).resolve().parent.parent


def segment(n: int, **fields) -> Segment:
    text = f"Phrase {n}."
    fields = {"target": f"Sentence {n}.", "origin": "mt", **fields}
    return Segment("d", n, 0, PARAGRAPH, 0, len(text), text, **fields)


def test_a_forced_flagged_unsure_segment_comes_before_a_clean_one():
    clean = segment(0, confidence=math.log(0.95))
    flagged = segment(1, confidence=math.log(0.9), flags=[PUNCTUATION])
    unsure = segment(2, confidence=math.log(0.2))
    worst = segment(3, confidence=math.log(0.3), flags=[TERM_FORCED, NUMBER_MISMATCH],
                    term_method="forced")
    reviewed = segment(4, flags=[NUMBER_MISMATCH], origin="review")
    rejected = segment(5, confidence=math.log(0.99), rejected="wrong register")
    segments = [clean, flagged, unsure, worst, reviewed, rejected]
    rank_risks(segments)
    assert riskiest(segments) == [rejected, worst, unsure, flagged, clean]
    assert reviewed.risk == 0  # a person's English is never ranked
    assert worst.risk == round(0.8 + 0.5 + (1 - 0.3), 4)  # the formula of risk.py


def test_the_scoreboard_counts_every_term_of_the_machine_translations(tmp_path, monkeypatch,
                                                                      installed_package):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", "seeds")
    shutil.copy(ROOT / "glossary.tsv", "glossary.tsv")
    result = CliRunner().invoke(main, ["translate", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(Path("output/report.json").read_text(encoding="utf-8"))
    machine = [s for s in report["segments"] if s["origin"] in ("mt", "cache")
               and "boilerplate" not in s["flags"]]
    board = report["terms"]
    hits = [h for s in machine for h in s["hits"]]
    assert board["total"]["occurrences"] == len(hits) > 0
    assert board["total"]["missing"] == sum(h["en_start"] is None for h in hits)
    for row in board["entries"]:
        mine = [s for s in machine if any((h["entry"] or h["source"]) == row["source"]
                                          and h["target"] == row["target"] for h in s["hits"])]
        assert row["segments"] == len(mine), row["source"]
    forced = sum(1 for s in machine for h in s["hits"]
                 if s["term_method"] == "forced" and h["en_start"] is not None)
    assert board["total"]["present"]["forced"] == forced
    assert f"terms: {sum(board['total']['present'].values())} of {len(hits)} present" in result.output
    lines = result.output.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("review first")))
    listed = [line.split()[1] for line in lines[first + 1 : first + 11]]
    ranked = sorted((s for s in report["segments"] if s["risk"] > 0), key=lambda s: -s["risk"])
    assert [s["risk"] for s in ranked[:10]] == sorted((s["risk"] for s in report["segments"]
                                                       if s["key"] in listed), reverse=True)

    csv_rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(main, ["qa"]).output)))
    assert len(csv_rows) == sum("boilerplate" not in s["flags"] for s in report["segments"])
    assert all(set(r) >= {"key", "status", "risk", "confidence", "flags"} for r in csv_rows)
    records = json.loads(CliRunner().invoke(main, ["qa", "--format", "json", "--sort", "risk"]).output)
    assert [r["risk"] for r in records] == sorted((r["risk"] for r in records), reverse=True)
    flagged = next(r for r in records if r["flags"])
    source = next(s for s in report["segments"] if s["key"] == flagged["key"])
    assert flagged["flags"] == {f: source["reasons"].get(f, "") for f in source["flags"]}
