"""Atomic writes: whole new content or the old file, normal permissions, no temp litter."""

import os

import pytest

from fr2en_dossier.errors import Fr2enError

from fr2en_dossier.atomic import atomic_write_bytes, atomic_write_text


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    atomic_write_text(target, "première\n")
    atomic_write_text(target, "seconde\n")
    assert target.read_text(encoding="utf-8") == "seconde\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_new_file_has_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = atomic_write_bytes(tmp_path / "f.bin", b"x")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_failure_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "keep.txt"
    target.write_text("old", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(Fr2enError, match="keep.txt: cannot write: disk full"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "glossary.tsv"
    target.write_text("a\tb\n", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_text(target, "a\tb\nc\td\n")
    assert target.stat().st_mode & 0o777 == 0o640
