"""`fr2en glossary lint|list|add|check|suggest` through the real CLI (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import main

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary.tsv"
SEED = ROOT / "seeds" / "002_902d186d48ac727e.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(map(str, args)))


def one_line_error(result, exit_code: int = 2) -> str:
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stderr.startswith("fr2en: error: ") and result.stderr.count("\n") == 1
    return result.stderr


@pytest.fixture
def glossary(tmp_path) -> Path:
    path = tmp_path / "g.tsv"
    path.write_text("# source\ttarget\nIA\tAI\t\tterm\texact\nOpenAI\tOpenAI\t\tkeep\n", encoding="utf-8")
    return path


def test_lint_clean_glossary():
    """No error; the dossier (the project's inputs: the seeds) shows two entries that never
    apply to it."""
    result = run("glossary", "-g", GLOSSARY, "lint")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{GLOSSARY}:15: warning: 'à but lucratif plafonné' never hits the dossier (137 segments)",
        f"{GLOSSARY}:60: warning: 'Bluesky' never hits the dossier outside boilerplate (1 hit(s) "
        "there, not translated) (137 segments)",
        f"{GLOSSARY}: 62 entries, 0 errors, 2 warnings",
    ]
    assert run("glossary", "-g", GLOSSARY, "lint", SEED).stdout.endswith(
        "62 entries, 0 errors, 41 warnings\n")  # one article: most entries never hit it


def test_lint_reports_every_problem_and_exits_1(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("IA\tAI\nPDG\nIA\tAI\nia\tintelligence\nx\ty\t\tmaybe\n", encoding="utf-8")
    result = run("glossary", "--glossary", path, "lint")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2: error: missing target (a row is source<TAB>target[<TAB>comment<TAB>kind…])",
        f"{path}:3: warning: duplicate: 'IA' is already matched by line 1 (IA → AI)",
        f"{path}:4: error: conflicting targets: 'ia' is already matched by line 1 (IA → AI), "
        "here → intelligence",
        f"{path}:5: error: unknown kind 'maybe' (expected fix, term or keep)",
        f"{path}: 3 entries, 3 errors, 1 warnings"  # rows without an error,
    ]


def test_missing_glossary_is_a_one_line_error(tmp_path):
    error = one_line_error(run("glossary", "-g", tmp_path / "missing.tsv", "list"))
    assert "missing.tsv: no such glossary file" in error


def test_default_glossary_is_glossary_tsv_in_the_current_directory(glossary, monkeypatch):
    monkeypatch.chdir(glossary.parent)
    glossary.rename("glossary.tsv")
    result = run("glossary", "list")
    assert result.exit_code == 0
    assert result.stdout == "term  IA → AI  [exact case]\nkeep  OpenAI → OpenAI\n"


def test_list_filters_by_kind_and_prints_jsonl():
    result = run("glossary", "-g", GLOSSARY, "list", "--kind", "fix", "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["kind"] for r in records} == {"fix"}
    assert {"source": "assurance-chômage", "target": "AGI"}.items() <= records[0].items()
    assert set(records[0]) == {
        "source", "target", "comment", "kind", "exact_case", "forms", "line", "repair", "avoid"
    }
    assert records[0]["repair"] == "AGI"


def test_add_then_lint(glossary):
    result = run("glossary", "-g", glossary, "add", "conseil d'administration", "board",
                 "--comment", "not board of directors", "--plural")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{glossary}:4: added term conseil d'administration → board\n"
    result = run("glossary", "-g", glossary, "add", "PDG", "CEO", "--exact-case", "--kind", "term")
    assert result.exit_code == 0, result.output
    assert glossary.read_text(encoding="utf-8").splitlines()[3:] == [
        "conseil d'administration\tboard\tnot board of directors\tterm\t\tplural",
        "PDG\tCEO\t\tterm\texact",
    ]
    result = run("glossary", "-g", glossary, "add", "Trading Insider", "Business Insider",
                 "--kind", "fix", "--repair", "Business Insider")
    assert result.exit_code == 0, result.output
    result = run("glossary", "-g", glossary, "add", "procès", "lawsuit",
                 "--avoid", "trial", "--avoid", "court case")
    assert result.exit_code == 0, result.output
    assert glossary.read_text(encoding="utf-8").splitlines()[5:] == [
        "Trading Insider\tBusiness Insider\t\tfix\t\t\tBusiness Insider",
        "procès\tlawsuit\t\tterm\t\t\t\ttrial|court case",
    ]
    assert run("glossary", "-g", glossary, "lint").exit_code == 0
    listed = run("glossary", "-g", glossary, "list").stdout.splitlines()
    assert "fix   Trading Insider → Business Insider  (engine reads: Business Insider)" in listed
    assert "term  procès → lawsuit  avoid: trial | court case" in listed


def test_add_refuses_a_conflict_with_one_line(glossary):
    before = glossary.read_bytes()
    error = one_line_error(run("glossary", "-g", glossary, "add", "openai", "Open AI"))
    assert f"{glossary}:3: 'openai' conflicts with an entry of the glossary (OpenAI → OpenAI)" in error
    assert glossary.read_bytes() == before


def test_check_text_lists_hits_with_block_offsets():
    result = run("glossary", "-g", GLOSSARY, "check", SEED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "002_902d186d48ac727e:2:0\t21-40\tfix\tMusk contre. OpenAi → Musk v. OpenAI" in lines
    assert "002_902d186d48ac727e:14:2\t358-382\tterm\tconseil d'administration → board" in lines
    assert result.stderr == "62 hits in 30 segments (7 fix, 8 term, 47 keep)\n"


def test_check_jsonl_extends_the_segment_records():
    result = run("glossary", "-g", GLOSSARY, "check", "--format", "jsonl", SEED)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    segments = [json.loads(line) for line in run("segment", "--format", "jsonl", SEED).stdout.splitlines()]
    assert [{k: r[k] for k in s} for r, s in zip(records, segments)] == segments
    assert len(records) == len(segments)
    blocks = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        for hit in record["hits"]:
            assert list(hit) == ["start", "end", "source", "target", "kind"]
            assert blocks[record["block"]][hit["start"] : hit["end"]] == hit["source"]
    fixed = next(r for r in records if r["text"].startswith("Bataille"))
    assert fixed["engine_input"] == "Bataille juridique – Musk contre OpenAI"
    assert fixed["hits"] == [{"start": 21, "end": 40, "source": "Musk contre. OpenAi",
                              "target": "Musk v. OpenAI", "kind": "fix"}]


def test_check_bad_input_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    assert "bad.txt:1: not UTF-8" in one_line_error(run("glossary", "-g", GLOSSARY, "check", bad))
    broken = tmp_path / "broken.tsv"
    broken.write_text("IA\n", encoding="utf-8")
    assert f"{broken}:1: missing target" in one_line_error(run("glossary", "-g", broken, "check", SEED))


def test_suggest_lists_what_the_glossary_lacks(glossary):
    result = run("glossary", "-g", glossary, "suggest", SEED)
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    by_term = {row[2]: row for row in rows}
    assert by_term["Musk"][:2] == ["13", "keep"] and by_term["Musk"][3] == "Musk"
    assert by_term["Elon Musk"][:2] == ["6", "keep"]
    assert by_term["assurance-chômage"][:2] == ["2", "term"]
    assert "OpenAI" not in by_term and "IA" not in by_term  # already in the glossary
    assert all(int(row[0]) >= 2 and len(row) == 6 for row in rows)


def test_suggest_without_a_glossary_warns_and_starts_from_scratch(tmp_path):
    result = run("glossary", "-g", tmp_path / "none.tsv", "suggest", "--min-count", "3",
                 "--format", "jsonl", SEED)
    assert result.exit_code == 0
    assert "none.tsv: no such file, suggesting from scratch" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    openai = next(r for r in records[:3] if r["source"] == "OpenAI")
    assert (openai["kind"], openai["category"], openai["count"], openai["target"]) == (
        "keep", "name", 16, "OpenAI")
    assert all(r["count"] >= 3 for r in records)
