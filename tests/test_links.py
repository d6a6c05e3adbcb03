"""Writes never follow a link out of its place, never create anything through a link, and
prune only what fr2en made; temporary files of killed writers are removed by the next one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import main

ROOT = Path(__file__).resolve().parent.parent


def fr2en(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def dossier(tmp_path, monkeypatch) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    (project / "seeds").mkdir()
    (project / "seeds" / "a.txt").write_text("Le titre\nIl pleut.\n", encoding="utf-8")
    assert fr2en("init", ".").exit_code == 0
    return project


def one_line_error(result, text: str) -> None:
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert len(errors) == 1 and errors[0].startswith("fr2en: error: ") and "Traceback" not in result.output
    assert text in errors[0], result.stderr


def victim(tmp_path: Path) -> dict[str, bytes]:
    """A folder of the user's, with two folders of their own in it."""
    folder = tmp_path / "victim"
    for name in ("photos", "taxes"):
        (folder / name).mkdir(parents=True)
        (folder / name / "keep.txt").write_text(name, encoding="utf-8")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_generations_folder_that_is_a_link_is_refused_and_nothing_there_pruned(dossier, tmp_path):
    before = victim(tmp_path)
    (dossier / ".output.generations").symlink_to("../victim")
    for _ in range(2):
        one_line_error(fr2en("translate", "--no-mt"), ".output.generations: a link")
    assert snapshot(tmp_path / "victim") == before and not (dossier / "output").exists()


def test_an_output_link_to_anything_but_a_generation_is_refused(dossier, tmp_path):
    before = victim(tmp_path)
    (dossier / "output").symlink_to("../victim/photos")
    one_line_error(fr2en("translate", "--no-mt"), "not to one of fr2en's generations")
    one_line_error(fr2en("review", "import", "x.po"), "not to one of fr2en's generations")
    assert snapshot(tmp_path / "victim") == before


def test_only_the_generations_fr2en_made_are_pruned(dossier):
    for _ in range(2):
        assert fr2en("translate", "--no-mt").exit_code == 0
    stranger = dossier / ".output.generations" / "20000101T000000.000000Z-mine"
    stranger.mkdir()
    (stranger / "report.json").write_text("{}", encoding="utf-8")  # looks old, is not ours
    for _ in range(4):
        assert fr2en("translate", "--no-mt").exit_code == 0
    generations = sorted(p.name for p in (dossier / ".output.generations").iterdir())
    assert stranger.name in generations and len(generations) == 4  # 3 kept + the stranger


def test_a_dangling_memory_link_is_refused_and_nothing_is_created_through_it(dossier, tmp_path):
    """memory.tmx linked to ../x/.ssh/authorized_keys, and a PO entry holding an SSH key: the
    run stops before writing anything, and neither the file nor its folders appear."""
    import polib

    assert fr2en("translate", "--no-mt").exit_code == 0
    po = polib.pofile("output/po/a.po")
    po[1].msgstr, po[1].fuzzy = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI attacker", False
    po.save()
    (dossier / "memory.tmx").unlink()
    (dossier / "memory.tmx").symlink_to(tmp_path / "x" / ".ssh" / "authorized_keys")
    run = os.readlink("output")
    one_line_error(fr2en("translate", "--no-mt"), "nothing is created through a link")
    assert not (tmp_path / "x").exists() and os.readlink("output") == run


def test_a_link_to_another_kind_of_file_is_not_written_through(dossier, tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\0JFIF\0")
    (dossier / "glossary.tsv").symlink_to(tmp_path / "photo.jpg")
    one_line_error(fr2en("glossary", "add", "pluie", "rain"), "binary file (NUL byte)")
    (dossier / "glossary.tsv").unlink()
    (dossier / "glossary.tsv").symlink_to(tmp_path / "nowhere.tsv")
    one_line_error(fr2en("glossary", "add", "pluie", "rain"), "nothing is created through a link")
    assert not (tmp_path / "nowhere.tsv").exists()
    assert (tmp_path / "photo.jpg").read_bytes() == b"\xff\xd8\xff\xe0\0\0JFIF\0"


def test_a_shared_glossary_behind_a_link_gets_the_new_entry(dossier, tmp_path):
    shared = tmp_path / "shared.tsv"
    shared.write_text("PDG\tCEO\n", encoding="utf-8")
    (dossier / "glossary.tsv").symlink_to(shared)
    assert fr2en("glossary", "add", "pluie", "rain").exit_code == 0
    assert (dossier / "glossary.tsv").is_symlink()
    assert shared.read_text(encoding="utf-8") == "PDG\tCEO\npluie\train\t\tterm\n"


def test_temporary_files_of_killed_writers_are_removed_by_the_next_one(dossier):
    leftovers = [dossier / ".memory.tmx.k2j3h4.tmp", dossier / "..fr2en.holder.x9y8.tmp",
                 dossier / ".glossary.tsv.abc.tmp", dossier / ".memory.sqlite.q1w2.tmp"]
    for path in leftovers:
        path.write_text("half written", encoding="utf-8")
    mine = dossier / ".notes.txt.mine.tmp"  # not a file fr2en writes: left alone
    mine.write_text("mine", encoding="utf-8")
    assert fr2en("translate", "--no-mt").exit_code == 0
    assert [p for p in leftovers if p.exists()] == [] and mine.exists()
    shutil.rmtree(dossier / "seeds")
