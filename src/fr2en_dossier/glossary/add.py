"""Append an entry to a glossary file, keeping every existing byte of it."""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import TEXT, atomic_write_bytes
from ..errors import Fr2enError
from ..model import TERM
from ..textfile import decode
from .entries import ERROR, FILE_HEADER, LINE_BREAK, Entry, format_row, parse_row
from .load import load_glossary
from .matcher import Matcher


def add_entry(
    path: str | os.PathLike,
    source: str,
    target: str,
    comment: str = "",
    kind: str = TERM,
    case: str = "",
    forms: str = "",
    repair: str = "",
    avoid: str = "",
) -> Entry:
    """Append a row to the glossary at ``path`` (created with a header if missing).

    The file is rewritten atomically with its existing bytes unchanged; a last line without a
    line break gets one (the file's own: CRLF or LF) before the new row. Raises
    :class:`Fr2enError` (exit 2) for an invalid entry, a glossary with errors, or a source
    already in the glossary (a duplicate, or a conflict when the target differs).
    """
    path = Path(path)
    fields = [source, target, comment, kind, case, forms, repair, avoid]
    if any(ch in field for field in fields for ch in "\t\r\n"):
        raise Fr2enError("a glossary field cannot contain a tab or a line break")
    if path.exists():
        data = path.read_bytes()
        entries = load_glossary(path).entries
    else:
        data, entries = FILE_HEADER.encode("utf-8"), []
    text = decode(data, path)
    lines = LINE_BREAK.split(text)
    line = len(lines) + (1 if lines[-1] else 0)  # after a last line lacking its line break
    entry, findings = parse_row(fields, line)
    errors = [message for severity, message in findings if severity == ERROR]
    if entry is None:
        raise Fr2enError(f"cannot add {source!r}: {errors[0]}")
    for collision in Matcher([*entries, entry]).collisions:
        if collision.entry is entry:
            other = collision.other
            what = "already in" if other.target == target else "conflicts with an entry of"
            raise Fr2enError(
                f"{path}:{other.line}: {source!r} {what} the glossary "
                f"({other.source} → {other.target}); nothing added"
            )
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    separator = newline if data and not data.endswith((b"\n", b"\r")) else b""
    atomic_write_bytes(path, data + separator + format_row(entry).encode("utf-8") + newline, TEXT)
    return entry
