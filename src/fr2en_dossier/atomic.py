"""Atomic file writes: write a temp file in the target directory, fsync, then rename over.

A path that is a symbolic link is written through: the file it points to is replaced (a shared
glossary or memory linked into several projects gets every update). A write that fails (full
disk, read-only file system, no permission) is a one-line :class:`Fr2enError` naming the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import Fr2enError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so readers see either the old file or the new one, never half.

    A replaced file keeps its permissions; a new one gets 0666 less the umask (not mkstemp's 0600).
    """
    target = Path(os.path.realpath(path))
    try:
        _replace(target, data)
    except OSError as err:
        raise Fr2enError(f"{target}: cannot write: {err.strerror or err}") from None
    return Path(path)


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """UTF-8 text version of :func:`atomic_write_bytes` (newlines written as given)."""
    return atomic_write_bytes(path, text.encode("utf-8"))
