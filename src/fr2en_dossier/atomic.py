"""Atomic file writes: write a temp file in the target directory, fsync, then rename over.

A path that is a symbolic link is written through — the file it points to is replaced, so a
shared glossary linked into several projects gets every update — but only when that file
exists and, when the caller says what it must be (``kind``), is of that kind: a dangling link,
or one to another kind of file, is an error, and nothing (no file, no parent folder) is ever
created through a link. A write that fails (full disk, read-only file system, no permission)
is a one-line :class:`Fr2enError` naming the file.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import Fr2enError


@dataclass(frozen=True)
class Kind:
    """What a file written through a link must be: a name for messages and a test of its start."""

    name: str  # "glossary (UTF-8 text)"
    accepts: Callable[[bytes], bool]  # on the file's first bytes


TEXT = Kind("text file", lambda head: b"\0" not in head)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, kind: Kind | None = None) -> Path:
    """Write ``data`` to ``path`` so readers see either the old file or the new one, never half.

    A replaced file keeps its permissions; a new one gets 0666 less the umask (not mkstemp's
    0600). Through a link: see the module docstring (``kind``: what the file must be).
    """
    return atomic_write_stream(path, lambda fh: fh.write(data), kind)


def atomic_write_stream(path: str | os.PathLike, write: Callable[[BinaryIO], object],
                        kind: Kind | None = None) -> Path:
    """:func:`atomic_write_bytes` for a file made piece by piece: ``write(file)`` writes it
    (a large file never has to be whole in memory)."""
    target = link_target(Path(path), kind) if Path(path).is_symlink() else Path(path)
    try:
        _replace(target, write)
    except OSError as err:
        raise Fr2enError(f"{target}: cannot write: {err.strerror or err}") from None
    return Path(path)


def link_target(link: Path, kind: Kind | None = None) -> Path:
    """The existing file a link to write through points to; Fr2enError if it is dangling or
    (``kind``) not of that kind."""
    target = Path(os.path.realpath(link))
    try:
        with open(target, "rb") as fh:
            head = fh.read(4096)
    except OSError as err:
        raise Fr2enError(f"{link}: a link to {target}, which cannot be read "
                         f"({err.strerror or err}); nothing is created through a link") from None
    if not target.is_file() or (kind is not None and not kind.accepts(head)):
        raise Fr2enError(f"{link}: a link to {target}, which is not a {kind.name if kind else 'file'}"
                         "; it is not written through")
    return target


def _replace(path: Path, write: Callable[[BinaryIO], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str, kind: Kind | None = None) -> Path:
    """UTF-8 text version of :func:`atomic_write_bytes` (newlines written as given)."""
    return atomic_write_bytes(path, text.encode("utf-8"), kind)


def remove_temp_files(*paths: Path) -> int:
    """Remove the temporary files that killed writers of ``paths`` left (``.<name>.*.tmp``
    beside each); call it only while no other writer of those files can run. Returns the count."""
    removed = 0
    for path in paths:
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            try:
                leftover.unlink()
                removed += 1
            except OSError:
                pass
    return removed

