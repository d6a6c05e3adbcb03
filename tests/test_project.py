"""The dossier project: fr2en.toml, the project root, `fr2en init`, the writer lock."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.project import CONFIG_FILE, Project, init_project

ROOT = Path(__file__).resolve().parent.parent
CLI = "from fr2en_dossier.cli import main; main()"


def fr2en(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CLI, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, **kwargs)  # fmt: skip


def test_without_a_project_file_the_current_directory_and_defaults(tmp_path):
    project = Project.find(tmp_path)
    assert (project.root, project.config) == (tmp_path, None)
    assert project.inputs == [tmp_path / "seeds"]
    assert (project.glossary, project.memory, project.output) == (
        tmp_path / "glossary.tsv", tmp_path / "memory.sqlite", tmp_path / "output")  # fmt: skip
    assert project.memory_tmx == tmp_path / "memory.tmx"


def test_the_project_file_is_found_from_below_and_its_paths_are_relative_to_it(tmp_path):
    (tmp_path / CONFIG_FILE).write_text(textwrap.dedent("""\
        [project]
        inputs = ["articles", "more/a.txt"]
        memory = "team/reviews.tmx"
        output = "../published"
        [engine]
        beam_size = 2
        """), encoding="utf-8")  # fmt: skip
    deep = tmp_path / "articles" / "deep"
    deep.mkdir(parents=True)
    project = Project.find(deep)
    assert project.root == tmp_path and project.config == tmp_path / CONFIG_FILE
    assert project.inputs == [tmp_path / "articles", tmp_path / "more/a.txt"]
    # A memory setting of the format before the database names the database beside it.
    assert project.memory == tmp_path / "team/reviews.sqlite"
    assert project.memory_tmx == tmp_path / "team/reviews.tmx"
    assert project.output == tmp_path / "../published"
    assert project.glossary == tmp_path / "glossary.tsv"  # not given: the default
    options = project.engine_options(beam_size=None, threads=1)
    assert (options.beam_size, options.threads) == (2, 1)  # the file, then the command line
    assert project.engine_options(beam_size=5).beam_size == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[project\n", "not valid TOML"),
        ('[project]\ninputs = "seeds"\n', "inputs must be a list of paths"),
        ("[project]\nmemory = 3\n", "memory must be a path"),
        ('[project]\nouptut = "x"\n', "unknown key 'ouptut'"),
        ('[engine]\nbeam_size = "4"\n', "beam_size: must be an integer"),
        ("[engine]\nbeams = 4\n", "[engine]: unknown key 'beams'"),
        ('[engine]\ndevice = "tpu"\n', "--device must be one of"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_bad_project_file_is_one_line_naming_it(tmp_path, text, message):
    config = tmp_path / CONFIG_FILE
    config.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(Fr2enError, match=None) as err:
        Project.find(tmp_path)
    assert str(err.value).startswith(f"{config}: ") and message in str(err.value)
    result = fr2en("segment", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("fr2en: error: ") and "Traceback" not in result.stderr


def test_init_writes_a_project_file_that_loads(tmp_path):
    (tmp_path / "seeds").mkdir()
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    project = Project.find(tmp_path)
    assert project.config == tmp_path / CONFIG_FILE and project.inputs == [tmp_path / "seeds"]
    assert project.engine == {"beam_size": 4, "device": "cpu"}
    again = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "already a fr2en project" in again.output


def test_init_elsewhere_creates_an_articles_folder(tmp_path):
    config = init_project(tmp_path / "new")
    assert config.is_file() and (tmp_path / "new" / "articles").is_dir()
    assert Project.find(tmp_path / "new").inputs == [tmp_path / "new" / "articles"]


def test_the_shipped_project_file_describes_this_dossier():
    project = Project.find(ROOT)
    assert project.config == ROOT / CONFIG_FILE
    assert project.inputs == [ROOT / "seeds"] and project.glossary == ROOT / "glossary.tsv"


def test_a_run_from_another_directory_uses_the_project_memory(tmp_path):
    """Reviews apply whatever the current directory inside the project."""
    init_project(tmp_path, ["seeds"])
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Bonjour tout le monde.\n", encoding="utf-8")
    assert fr2en("translate", "--no-mt", cwd=tmp_path).returncode == 0
    po = polib.pofile(str(tmp_path / "output" / "po" / "a.po"))
    po[0].msgstr = "Hello all."  # confirmed in a PO editor, never imported
    po.save()
    (tmp_path / "seeds" / "sub").mkdir()
    result = fr2en("translate", "--no-mt", cwd=tmp_path / "seeds" / "sub")
    assert result.returncode == 0, result.stderr
    assert f"project {tmp_path} (fr2en.toml)" in result.stdout
    assert "1 reviewed and 0 drafts from the memory" in result.stdout
    assert (tmp_path / "output" / "en" / "a.txt").read_text(encoding="utf-8") == "Hello all.\n"


# --- one writer at a time ------------------------------------------------------------------

HOLD = """
import sys
from fr2en_dossier.project import Project
with Project.find(sys.argv[1]).lock("fr2en translate"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def hold_lock(root: Path) -> subprocess.Popen:
    """A process holding the project lock until a line is written to its stdin."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(root)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout.readline() == "held\n"
    return proc


def test_a_second_writer_waits_with_a_message_or_stops_with_no_wait(tmp_path):
    holder = hold_lock(tmp_path)
    try:
        refused = fr2en("glossary", "add", "--no-wait", "chat", "cat", cwd=tmp_path)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1
        assert f"locked by pid {holder.pid} (fr2en translate)" in refused.stderr
        assert not (tmp_path / "glossary.tsv").exists()
        waiting = subprocess.Popen([sys.executable, "-c", CLI, "glossary", "add", "chat", "cat"],
                                   cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)  # fmt: skip
        message = waiting.stderr.readline()  # it says so, then blocks until the lock is free
        assert message.startswith(f"fr2en: waiting for pid {holder.pid} (fr2en translate)")
        assert waiting.poll() is None and not (tmp_path / "glossary.tsv").exists()
    finally:
        holder.communicate("\n", timeout=30)
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "chat\tcat" in (tmp_path / "glossary.tsv").read_text(encoding="utf-8")


def test_readers_never_wait(tmp_path):
    (tmp_path / "a.txt").write_text("Bonjour.\n", encoding="utf-8")
    holder = hold_lock(tmp_path)
    try:
        assert fr2en("segment", "a.txt", cwd=tmp_path).returncode == 0
        assert fr2en("glossary", "list", cwd=tmp_path).returncode == 2  # no file: not a wait
    finally:
        holder.communicate("\n", timeout=30)


def test_twelve_concurrent_glossary_adds_keep_all_twelve(tmp_path):
    procs = [
        subprocess.Popen([sys.executable, "-c", CLI, "glossary", "add", f"terme{i}", f"term{i}"],
                         cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(12)
    ]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    rows = [line.split("\t")[:2] for line in
            (tmp_path / "glossary.tsv").read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]  # fmt: skip
    assert sorted(rows) == sorted([f"terme{i}", f"term{i}"] for i in range(12))


def test_the_lock_is_reentrant_and_serializes_threads(tmp_path):
    import threading

    project = Project.find(tmp_path)
    inside, overlaps = [], []

    def work():
        with project.lock("test"), project.lock("nested"):
            inside.append(1)
            overlaps.append(len(inside))
            time.sleep(0.02)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [1, 1, 1, 1]


def test_symlinked_project_files_are_updated_where_they_live(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "glossary.tsv").write_text("# source\ttarget\nchat\tcat\n", encoding="utf-8")
    project = tmp_path / "dossier"
    project.mkdir()
    os.symlink(shared / "glossary.tsv", project / "glossary.tsv")
    result = fr2en("glossary", "add", "chien", "dog", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "glossary.tsv").is_symlink()
    assert "chien\tdog" in (shared / "glossary.tsv").read_text(encoding="utf-8")


# --- errors of the file system: one line naming the file, nothing half-written ----------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_failing_write_is_one_line_naming_the_file(tmp_path, monkeypatch, code):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary.tsv").write_text("# source\ttarget\nchat\tcat\n", encoding="utf-8")
    before = (tmp_path / "glossary.tsv").read_bytes()

    def refuse(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", refuse)
    result = CliRunner().invoke(main, ["glossary", "add", "chien", "dog"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith("fr2en: error: ") and os.strerror(code) in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "glossary.tsv").read_bytes() == before
    assert not list(tmp_path.glob(".glossary.tsv.*"))  # no temp file left


def test_an_unwritable_output_is_found_before_machine_translation(tmp_path):
    from fr2en_dossier.loader import load_documents
    from fr2en_dossier.run import translate_dossier

    (tmp_path / "a.txt").write_text("Bonjour.\n", encoding="utf-8")
    (tmp_path / "blocked").write_text("a file where the output folder should go", encoding="utf-8")
    project = Project.defaults(tmp_path)
    project.output = tmp_path / "blocked" / "output"
    from support.stand_in_mt import StandInMt

    mt = StandInMt()
    with pytest.raises(Fr2enError, match="blocked/.output.generations: cannot write here"):
        translate_dossier(project, load_documents([tmp_path / "a.txt"]).documents, mt=mt)
    assert mt.calls == []


def test_two_concurrent_review_imports_keep_both(tmp_path):
    """Two reviewers send back their PO files at the same moment: both reviews are kept."""
    (tmp_path / "seeds").mkdir()
    for doc in ("a", "b"):
        (tmp_path / "seeds" / f"{doc}.txt").write_text(f"Phrase {doc}.\n", encoding="utf-8")
    assert fr2en("translate", "--no-mt", cwd=tmp_path).returncode == 0
    sent_back = []
    for doc in ("a", "b"):
        po = polib.pofile(str(tmp_path / "output" / "po" / f"{doc}.po"))
        po[0].msgstr = f"Sentence {doc}."
        po.save(str(tmp_path / f"reviewer-{doc}.po"))
        sent_back.append(tmp_path / f"reviewer-{doc}.po")
    procs = [subprocess.Popen([sys.executable, "-c", CLI, "review", "import", str(path)],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for path in sent_back]  # fmt: skip
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "imported 1 review(s)" in out
    from support.memory import memory_entries

    kept = {(e.source, e.target) for e in memory_entries(tmp_path)}
    assert kept == {("Phrase a.", "Sentence a."), ("Phrase b.", "Sentence b.")}
    english = [(tmp_path / "output" / "en" / f"{d}.txt").read_text(encoding="utf-8") for d in "ab"]
    assert english == ["Sentence a.\n", "Sentence b.\n"]


def test_a_folder_of_the_users_is_never_taken_as_the_output(tmp_path):
    """`-o ~/Documents` by mistake: refused before anything is written, nothing moved."""
    (tmp_path / "a.txt").write_text("Bonjour.\n", encoding="utf-8")
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "taxes.pdf").write_bytes(b"%PDF")
    result = fr2en("translate", "--no-mt", "a.txt", "-o", "Documents", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.splitlines()[-1].startswith("fr2en: error: ")
    assert "Documents: a folder that does not hold fr2en outputs (it has 'taxes.pdf')" in result.stderr
    assert not documents.is_symlink() and (documents / "taxes.pdf").read_bytes() == b"%PDF"
    assert not (tmp_path / ".Documents.generations").exists()


def test_outputs_of_an_earlier_version_become_a_generation(tmp_path):
    """A plain output/ folder (written before generations existed) is kept, then linked past."""
    (tmp_path / "a.txt").write_text("Bonjour.\n", encoding="utf-8")
    assert fr2en("translate", "--no-mt", "a.txt", cwd=tmp_path).returncode == 0
    old = tmp_path / "output"
    written = old.resolve()
    old.unlink()
    shutil.copytree(written, old)  # the layout of earlier versions: a plain folder
    shutil.rmtree(tmp_path / ".output.generations")
    (old / "en" / "a.txt").write_text("Hello (old run).\n", encoding="utf-8")
    result = fr2en("translate", "--no-mt", "a.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert old.is_symlink()
    (earlier,) = (tmp_path / ".output.generations").glob("*-earlier")
    assert (earlier / "en" / "a.txt").read_text(encoding="utf-8") == "Hello (old run).\n"
