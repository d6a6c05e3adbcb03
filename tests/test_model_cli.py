"""`fr2en model install/list`, and the engine options every MT command shares."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import engine_options, main, mt_stage
from fr2en_dossier.model import Segment

from support.synthetic_argos import index_entry

TOP = "translate-fr_en-1_9"


def fr2en(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from fr2en_dossier.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120, env=os.environ.copy(),
    )


@contextmanager
def serve(directory: Path):
    """A local HTTP server for ``directory`` on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def publish(directory: Path, package: Path, url: str, link: str | None = None) -> None:
    shutil.copy(package, directory / package.name)
    entry = index_entry(package, link or url + package.name)
    (directory / "index.json").write_text(json.dumps([entry]), encoding="utf-8")


def test_install_from_a_package_index_over_http(
    synthetic_package, argos_packages_dir, tmp_path, monkeypatch
):
    site = tmp_path / "site"
    site.mkdir()
    with serve(site) as url:
        publish(site, synthetic_package, url)
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
        proc = fr2en("model", "install")
    assert proc.returncode == 0, proc.stderr
    assert "installed translate-fr_en@1.9" in proc.stdout
    assert (argos_packages_dir / TOP / "model" / "model.bin").is_file()
    listing = fr2en("model", "list")
    assert listing.returncode == 0 and "* translate-fr_en 1.9" in listing.stdout


def test_install_the_round_trip_model_from_the_index_and_a_run_scores_with_it(
    synthetic_package, argos_packages_dir, tmp_path, monkeypatch
):
    from conftest import seed_lines
    from support.synthetic_argos import build_package

    reverse = build_package(tmp_path / "built", seed_lines(), from_code="en", to_code="fr")
    site = tmp_path / "site"
    site.mkdir()
    article = tmp_path / "a.txt"
    article.write_text("Musk poursuit OpenAI.\n", encoding="utf-8")
    with serve(site) as url:
        for package in (synthetic_package, reverse):
            shutil.copy(package, site / package.name)
        entries = [index_entry(p, url + p.name) for p in (synthetic_package, reverse)]
        (site / "index.json").write_text(json.dumps(entries), encoding="utf-8")
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
        proc = fr2en("model", "install", "--round-trip")
        assert proc.returncode == 0, proc.stderr
        assert "installed translate-en_fr@1.9 (English → French)" in proc.stdout
        monkeypatch.chdir(tmp_path)
        done = fr2en("translate", "a.txt", "--quiet")  # downloads fr→en, scores with en→fr
    assert done.returncode == 0, done.stderr
    listing = fr2en("model", "list").stdout
    assert "* translate-fr_en 1.9" in listing and "  translate-en_fr 1.9" in listing
    report = json.loads((tmp_path / "output" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["round_trip"] == "translate-en_fr@1.9"
    assert all(s["round_trip"] is not None for s in report["segments"] if s["origin"] == "mt")
    both = fr2en("model", "install", "--round-trip", "--file", str(reverse))
    assert both.returncode == 2 and "--round-trip downloads" in both.stderr


def test_translate_installs_the_model_on_first_use(
    synthetic_package, argos_packages_dir, tmp_path, monkeypatch
):
    site = tmp_path / "site"
    site.mkdir()
    article = tmp_path / "a.txt"
    article.write_text("Musk poursuit OpenAI.\n", encoding="utf-8")
    with serve(site) as url:
        publish(site, synthetic_package, url)
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
        monkeypatch.chdir(tmp_path)
        proc = fr2en("translate", "a.txt", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "downloading the French→English model" in proc.stderr
    assert (argos_packages_dir / TOP / "model" / "model.bin").is_file()
    assert "1 machine-translated" in proc.stdout
    assert (tmp_path / "output" / "en" / "a.txt").read_text(encoding="utf-8").strip()


def test_unreachable_index_is_a_one_line_error(argos_packages_dir, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    proc = fr2en("model", "install")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "cannot download the Argos package index http://127.0.0.1:9/index.json" in proc.stderr
    assert "--file" in proc.stderr
    assert list(argos_packages_dir.iterdir()) == []


def test_failed_download_and_index_without_fr_en(
    synthetic_package, argos_packages_dir, tmp_path, monkeypatch
):
    site = tmp_path / "site"
    site.mkdir()
    with serve(site) as url:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
        publish(site, synthetic_package, url, link=url + "missing.argosmodel")
        missing = fr2en("model", "install")
        entry = index_entry(synthetic_package, url + "x")
        (site / "index.json").write_text(json.dumps([{**entry, "to_code": "de"}]))
        no_pair = fr2en("model", "install")
    assert missing.returncode == 2 and "download failed" in missing.stderr
    assert "missing.argosmodel" in missing.stderr and missing.stderr.count("\n") == 1
    assert no_pair.returncode == 2 and "lists no French→English package" in no_pair.stderr
    assert list(argos_packages_dir.iterdir()) == []


def test_install_from_file_and_list(synthetic_package, argos_packages_dir):
    runner = CliRunner()
    empty = runner.invoke(main, ["model", "list"])
    assert empty.exit_code == 0 and f"no Argos packages in {argos_packages_dir}" in empty.output
    result = runner.invoke(main, ["model", "install", "--file", str(synthetic_package)])
    assert result.exit_code == 0, result.output
    assert str(argos_packages_dir / TOP) in result.output
    listing = runner.invoke(main, ["model", "list"])
    assert listing.output.startswith("* translate-fr_en 1.9\tFrench → English\t")


def test_install_of_a_bad_file_is_one_line_exit_2(argos_packages_dir, tmp_path):
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK\x03\x04 truncated")
    result = CliRunner().invoke(main, ["model", "install", "--file", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"fr2en: error: {bad}: not an Argos package")
    assert result.output.count("\n") == 1
    assert list(argos_packages_dir.iterdir()) == []


# --- the engine options decorator and the MT stage, as `fr2en translate` uses them -----------


@click.command()
@engine_options
def mt_probe(engine_given, no_cache, quiet):
    """Translate two fixed segments; print what the MT stage did."""
    from contextlib import ExitStack

    from fr2en_dossier.project import Project

    project = Project.defaults(Path.cwd())
    engine_options = project.engine_options(**engine_given)
    segments = [
        Segment("d", i, 0, "paragraph", 0, len(t), t)
        for i, t in enumerate(["Musk poursuit OpenAI.", "Bonjour."])
    ]
    with ExitStack() as stack:
        stage = mt_stage(stack, project, engine_given=engine_given, no_cache=no_cache, quiet=quiet)
        stats = stage(segments)
    origins = [s.origin for s in segments]
    click.echo(json.dumps({"options": engine_options.__dict__, "origins": origins,
                           "translated": stats.translated}))


def probe(*args: str):
    """Run ``mt_probe`` under fr2en's group class (Fr2enError -> one line, exit code)."""
    return CliRunner().invoke(main.__class__(commands={"probe": mt_probe}), ["probe", *args])


def test_engine_options_reach_the_engine_and_the_cache_is_used(installed_package):
    first = probe("--beam-size", "2", "--threads", "1", "--max-batch-tokens", "1024")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["options"]["beam_size"] == 2 and report["options"]["max_batch_tokens"] == 1024
    assert report["origins"] == ["mt", "mt"] and report["translated"] == 2
    again = json.loads(probe("--beam-size", "2", "--threads", "1").output)
    assert again["origins"] == ["cache", "cache"] and again["translated"] == 0
    uncached = json.loads(probe("--beam-size", "2", "--no-cache", "--quiet").output)
    assert uncached["origins"] == ["mt", "mt"]


def test_engine_errors_are_one_line_exit_2(installed_package, argos_packages_dir):
    import ctranslate2

    if not ctranslate2.get_cuda_device_count():
        cuda = probe("--device", "cuda")
        assert cuda.exit_code == 2 and cuda.output.count("\n") == 1
        assert "--device cuda" in cuda.output
    small = probe("--max-batch-tokens", "10")
    assert small.exit_code == 2 and "max-batch-tokens (10)" in small.output
    shutil.rmtree(installed_package.path)
    missing = probe()
    assert missing.exit_code == 2 and "fr2en model install" in missing.output


PROGRESS_SCRIPT = """
from contextlib import ExitStack
from pathlib import Path
from fr2en_dossier.cli import mt_stage
from fr2en_dossier.model import Segment
from fr2en_dossier.project import Project
texts = ["Musk poursuit OpenAI.", "Bonjour.", "Merci."]
segments = [Segment("d", i, 0, "paragraph", 0, len(t), t) for i, t in enumerate(texts)]
with ExitStack() as stack:
    mt_stage(stack, Project.defaults(Path.cwd()), engine_given={{}}, no_cache=True, quiet={quiet})(segments)
print(sum(bool(s.target) for s in segments))
"""


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_goes_to_stderr_only_on_a_terminal(installed_package, quiet):
    import pty

    leader, follower = pty.openpty()
    try:
        on_tty = subprocess.run([sys.executable, "-c", PROGRESS_SCRIPT.format(quiet=quiet)],
                                stdout=subprocess.PIPE, stderr=follower, text=True, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    tty_err = b"".join(chunks).decode()
    piped = subprocess.run([sys.executable, "-c", PROGRESS_SCRIPT.format(quiet=quiet)],
                           capture_output=True, text=True, timeout=120)
    assert on_tty.stdout.strip() == piped.stdout.strip() == "3"  # stdout stays clean
    assert piped.stderr == ""
    if quiet:
        assert tty_err == ""
    else:
        assert "translating" in tty_err and "100%" in tty_err
