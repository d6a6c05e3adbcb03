"""`fr2en segment`: both output formats, warnings, and one-line errors on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from fr2en_dossier.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = SEEDS / "002_902d186d48ac727e.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("fr2en: error: ") and result.stderr.count("\n") == 1
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception
    for fragment in fragments:
        assert fragment in result.stderr


def test_jsonl_is_the_documented_contract():
    result = run("segment", "--format", "jsonl", str(SEED))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        assert list(record) == ["doc", "block", "kind", "index", "start", "end", "text"]
        assert record["doc"] == SEED.stem
        assert lines[record["block"]][record["start"] : record["end"]] == record["text"]
    assert records[0] == {
        "doc": SEED.stem,
        "block": 0,
        "kind": "boilerplate",
        "index": 0,
        "start": 0,
        "end": 4,
        "text": "fbpx",
    }
    by_text = {r["text"]: r for r in records}
    assert by_text["Bataille juridique – Musk contre. OpenAi"]["kind"] == "heading"
    assert by_text["Elon Musk"]["kind"] == "caption"
    # indexes restart at 0 in every block and count up
    for block in {r["block"] for r in records}:
        assert [r["index"] for r in records if r["block"] == block] == list(
            range(sum(r["block"] == block for r in records))
        )


def test_text_format_lists_key_kind_and_sentence(tmp_path):
    (tmp_path / "a.txt").write_text("Un titre\n\nElle part. Il reste.fbpx\n", encoding="utf-8")
    result = run("segment", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "a:0:0\theading\t-\tUn titre",
        "a:1:0\tparagraph\t-\tElle part.",
        "a:1:1\tparagraph\t-\tIl reste.",
        "a:1:2\tparagraph\tboilerplate\tfbpx",
    ]
    assert result.stderr == ""


def test_whole_dossier_in_both_formats_agrees(tmp_path):
    text = run("segment", str(SEEDS)).stdout.splitlines()
    jsonl = [
        json.loads(line)
        for line in run("segment", "--format", "jsonl", str(SEEDS)).stdout.splitlines()
    ]
    assert len(text) == len(jsonl) > 100
    assert [line.split("\t")[3] for line in text] == [r["text"] for r in jsonl]
    assert sorted({r["doc"] for r in jsonl}) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_site_footer_glued_to_the_next_article(tmp_path):
    """Two seeds concatenated as scraped: the site blurb is glued to the next article's title."""
    merged = tmp_path / "merged.txt"
    merged.write_bytes(SEED.read_bytes() + (SEEDS / "003_7314a9d8f0eef448.txt").read_bytes())
    lines = run("segment", str(merged)).stdout.splitlines()
    glued = [line.split("\t") for line in lines if line.startswith("merged:25:")]
    assert [(kind, flags, text[-22:]) for _, kind, flags, text in glued] == [
        ("boilerplate", "boilerplate", "inspirent avec passion."[-22:]),
        ("boilerplate", "boilerplate", "principales langues mondiales."[-22:]),
        ("boilerplate", "-", "Une collaboration qui a façonné OpenAI"[-22:]),  # translated
    ]


def test_directory_with_other_files_lists_them_as_skipped(tmp_path):
    shutil.copy(SEED, tmp_path)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result = run("segment", str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"fr2en: warning: {tmp_path / 'image.png'}: skipped (not .txt, .html, .md, .docx, .odt or .pptx)",
        f"fr2en: warning: {tmp_path / 'scan.pdf'}: skipped (not .txt, .html, .md, .docx, .odt or .pptx)",
    ]
    assert result.stdout.startswith(f"{SEED.stem}:0:0\tboilerplate\tboilerplate\tfbpx\n")


def test_empty_file_warns_and_prints_nothing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("segment", "--format", "jsonl", str(tmp_path / "empty.txt"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"fr2en: warning: {tmp_path / 'empty.txt'}: empty file, no segments\n"


def test_non_utf8_file_is_one_line_exit_2(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Titre\nÉté chaud.\n".encode("latin-1"))
    result = run("segment", str(tmp_path))
    assert_one_line_error(result, "latin1.txt:2:", "not UTF-8")


def test_binary_file_is_one_line_exit_2(tmp_path):
    (tmp_path / "blob.txt").write_bytes(b"abc\x00\x01\x02")
    assert_one_line_error(run("segment", str(tmp_path / "blob.txt")), "blob.txt:1:", "binary")


def test_missing_path_is_one_line_exit_2(tmp_path):
    assert_one_line_error(run("segment", str(tmp_path / "nope")), "nope: no such file or directory")


def test_a_bad_format_is_a_usage_error():
    assert run("segment", "--format", "xml", str(SEED)).exit_code == 2


def test_without_a_path_the_project_inputs_are_segmented(tmp_path, monkeypatch):
    (tmp_path / "fr2en.toml").write_text('[project]\ninputs = ["a.txt"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Bonjour. Au revoir.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the project is found from below its root
    result = run("segment")
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.output.splitlines()] == ["a:0:0", "a:0:1"]


def test_real_process_prints_no_traceback(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Été chaud.\n".encode("latin-1"))
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from fr2en_dossier.cli import main; main()",
            "segment",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        f"fr2en: error: {tmp_path / 'latin1.txt'}:1: not UTF-8 text (byte 0xc9); if it is "
        "Latin-1, convert it first: iconv -f latin1 -t utf-8 latin1.txt > latin1.utf8.txt\n"
    )
