"""Glossary exchange with terminology tools: export as TBX, import from TBX or CSV.

Export (:func:`export_tbx`) writes one TBX-Basic concept per entry (:mod:`formats.tbx`): the
comment as the concept's note; the French term with term notes ``x-fr2en-kind`` (fix, term,
keep), ``x-fr2en-case`` (exact) and ``x-fr2en-forms`` (plural, feminine), deprecated for a fix
(the French is wrong), with the repair as a note ``repair: …``; the English target as the
preferred term and each ``avoid`` rendering as a deprecated one. Import
(:func:`import_entries`) reads that back — and a TBX from another tool: every French term not
deprecated becomes an entry for the first English term not deprecated, kind keep when both
are the same, else term — or a CSV of the glossary's columns (a header row naming them, or
them in order), then merges with :func:`add.add_entries`: duplicates and conflicts are
skipped and reported.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Fr2enError
from ..formats.tbx import Concept, Term, read_tbx, write_tbx
from ..model import FIX, KEEP, TERM
from ..textfile import decode
from .add import AddResult, add_entries
from .entries import CASE_EXACT, COLUMNS, ERROR, Entry, parse_row
from .load import load_glossary

KIND, CASE, FORMS = "x-fr2en-kind", "x-fr2en-case", "x-fr2en-forms"
REPAIR = "repair: "
DEPRECATED, PREFERRED = "deprecated", "preferred"


@dataclass
class ImportResult(AddResult):
    """What an import did: :class:`add.AddResult`, and the concepts of a TBX that gave no entry
    (no French or no English term), as "file:line"."""

    skipped: list[str] = field(default_factory=list)


def export_tbx(glossary: str | os.PathLike, path: str | os.PathLike) -> int:
    """Write the entries of the glossary file ``glossary`` as TBX at ``path``; their number."""
    entries = load_glossary(glossary).entries
    write_tbx(
        [concept(entry) for entry in entries], path, f"fr2en-dossier glossary {Path(glossary).name}"
    )
    return len(entries)


def concept(entry: Entry) -> Concept:
    """The TBX concept of a glossary entry."""
    notes = {KIND: entry.kind}
    if entry.exact_case:
        notes[CASE] = CASE_EXACT
    if entry.forms:
        notes[FORMS] = ",".join(entry.forms)
    french = Term(
        entry.source,
        DEPRECATED if entry.kind == FIX else "",
        notes,
        [REPAIR + entry.repair] if entry.repair else [],
    )
    english = [Term(entry.target, PREFERRED)] + [Term(a, DEPRECATED) for a in entry.avoid]
    return Concept({"fr": [french], "en": english}, [entry.comment] if entry.comment else [])


def import_entries(glossary: str | os.PathLike, path: str | os.PathLike) -> ImportResult:
    """Merge the entries of the TBX or CSV file at ``path`` into the glossary file ``glossary``
    (one atomic write; nothing written when one entry is invalid). Call it holding the
    project lock."""
    entries, skipped = read_entries(path)
    added = add_entries(glossary, entries)
    return ImportResult(added.added, added.duplicates, added.conflicts, skipped)


def read_entries(path: str | os.PathLike) -> tuple[list[Entry], list[str]]:
    """The glossary entries of a ``.tbx`` or ``.csv`` file, and (TBX) the concepts skipped."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".tbx":
        entries, skipped = [], []
        for item in read_tbx(path):
            found = entries_of(item)
            entries += found
            if not found:
                skipped.append(f"{path}:{item.line}")
        return entries, skipped
    if suffix == ".csv":
        return _csv_entries(path), []
    raise Fr2enError(f"{path}: not a glossary to import (expected a .tbx or a .csv file)")


def entries_of(item: Concept) -> list[Entry]:
    """The glossary entries of a TBX concept (see the module docstring); [] when it has no
    French term or no English one to use."""
    english = item.terms.get("en", [])
    target = next((t.text for t in english if t.status != DEPRECATED and t.text), "")
    avoid = tuple(t.text for t in english if t.status == DEPRECATED and t.text)
    comment = " ".join(item.remarks)
    entries = []
    for term in item.terms.get("fr", []):
        kind = term.notes.get(KIND, "")
        if not term.text or not target or (term.status == DEPRECATED and not kind):
            continue
        kind = kind or (KEEP if term.text.casefold() == target.casefold() else TERM)
        repair = next((r.removeprefix(REPAIR) for r in term.remarks if r.startswith(REPAIR)), "")
        forms = tuple(f for f in term.notes.get(FORMS, "").split(",") if f)
        entries.append(
            Entry(
                term.text,
                target,
                comment,
                kind,
                term.notes.get(CASE) == CASE_EXACT,
                forms,
                item.line,
                repair,
                avoid,
            )
        )
    return entries


def _csv_entries(path: Path) -> list[Entry]:
    try:
        text = decode(path.read_bytes(), path)
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = [(reader.line_num, row) for row in reader]  # the line each row ends on
    columns = list(COLUMNS)
    first = [cell.strip().lstrip("#").strip().lower() for cell in rows[0][1]] if rows else []
    if {"source", "target"} <= set(first):
        columns, rows = first, rows[1:]
    entries = []
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        named = dict(zip(columns, row, strict=False))
        entry, findings = parse_row([named.get(name, "") for name in COLUMNS], number)
        if entry is None:
            message = next(m for severity, m in findings if severity == ERROR)
            raise Fr2enError(f"{path}:{number}: {message}")
        entries.append(entry)
    return entries
