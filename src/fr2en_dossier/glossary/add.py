"""Add entries to a glossary file, keeping every existing byte of it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..atomic import TEXT, atomic_write_bytes
from ..errors import Fr2enError
from ..textfile import decode
from .entries import (
    AVOID_SEPARATOR,
    CASE_EXACT,
    ERROR,
    FILE_HEADER,
    LINE_BREAK,
    Entry,
    format_row,
    parse_row,
)
from .load import load_glossary
from .matcher import Matcher


@dataclass
class AddResult:
    """What :func:`add_entries` did: entries added (with their lines), and entries skipped
    because an entry already there (or given before) matches the same text — with the same
    target (a duplicate) or another (a conflict) — each with that entry."""

    added: list[Entry] = field(default_factory=list)
    duplicates: list[tuple[Entry, Entry]] = field(default_factory=list)
    conflicts: list[tuple[Entry, Entry]] = field(default_factory=list)


def add_entries(path: str | os.PathLike, entries: list[Entry]) -> AddResult:
    """Append ``entries`` to the glossary at ``path`` (created with a header if missing) in one
    atomic write, its existing bytes unchanged; a last line without a line break gets one (the
    file's own: CRLF or LF) before the new rows.

    Every entry is validated first: an invalid entry, or a glossary with errors, raises
    :class:`Fr2enError` (exit 2) and nothing is written. Duplicates and conflicts are skipped
    and reported (:class:`AddResult`).
    """
    path = Path(path)
    if path.exists():
        data = path.read_bytes()
        existing = load_glossary(path).entries
    else:
        data, existing = FILE_HEADER.encode("utf-8"), []
    lines = LINE_BREAK.split(decode(data, path))
    line = len(lines) + (1 if lines[-1] else 0)  # after a last line lacking its line break
    given = [_checked(entry) for entry in entries]
    result = AddResult()
    colliding: dict[int, list[Entry]] = {}
    for collision in Matcher([*existing, *given]).collisions:
        colliding.setdefault(id(collision.entry), []).append(collision.other)
    kept = {id(entry) for entry in existing}
    for entry in given:
        other = next((o for o in colliding.get(id(entry), []) if id(o) in kept), None)
        if other is None:
            kept.add(id(entry))
            result.added.append(replace(entry, line=line + len(result.added)))
        elif other.target == entry.target:
            result.duplicates.append((entry, other))
        else:
            result.conflicts.append((entry, other))
    if result.added:
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        separator = newline if data and not data.endswith((b"\n", b"\r")) else b""
        rows = b"".join(format_row(entry).encode("utf-8") + newline for entry in result.added)
        atomic_write_bytes(path, data + separator + rows, TEXT)
    return result


def add_entry(path: str | os.PathLike, entry: Entry) -> Entry:
    """Append one entry (:func:`add_entries`) and return it with its line; Fr2enError when it is
    a duplicate or a conflict (nothing added)."""
    result = add_entries(path, [entry])
    for entry, other in result.duplicates + result.conflicts:
        what = "already in" if other.target == entry.target else "conflicts with an entry of"
        raise Fr2enError(
            f"{path}:{other.line}: {entry.source!r} {what} the glossary "
            f"({other.source} → {other.target}); nothing added"
        )
    return result.added[0]


def _checked(entry: Entry) -> Entry:
    """``entry`` as its row reads back (fields trimmed, its line kept); Fr2enError naming the
    first error."""
    fields = [
        entry.source,
        entry.target,
        entry.comment,
        entry.kind,
        entry.repair,
        *entry.forms,
        *entry.avoid,
    ]
    if any(ch in value for value in fields for ch in "\t\r\n"):
        raise Fr2enError("a glossary field cannot contain a tab or a line break")
    if any(AVOID_SEPARATOR in value for value in entry.avoid):
        raise Fr2enError(
            f"cannot add {entry.source!r}: an avoided rendering cannot contain {AVOID_SEPARATOR!r}"
        )
    row = [
        entry.source,
        entry.target,
        entry.comment,
        entry.kind,
        CASE_EXACT if entry.exact_case else "",
        ",".join(entry.forms),
        entry.repair,
        AVOID_SEPARATOR.join(entry.avoid),
    ]
    parsed, findings = parse_row(row)
    if parsed is None:
        raise Fr2enError(
            f"cannot add {entry.source!r}: "
            f"{next(message for severity, message in findings if severity == ERROR)}"
        )
    return replace(parsed, line=entry.line)
