"""Glossary rows: OmegaT's tab-separated ``source, target, comment`` plus optional columns.

Columns after the third are this tool's and OmegaT ignores them: ``kind`` (fix, term or keep;
default term), ``case`` (``exact`` for a case-sensitive match; default case-insensitive),
``forms`` (``plural`` and/or ``feminine``, comma-separated: inflected forms also match),
``repair`` (fix entries: the French the engine reads instead of the source; the English target
is then enforced like a term's) and ``avoid`` (known wrong English renderings, separated by
``|``: the constrained re-decode suppresses them). Lines starting with ``#`` are comments;
blank lines are ignored. A field holds no control character, line or paragraph separator,
lone surrogate or noncharacter: OmegaT's TSV (and TMX, PO) cannot carry them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import ENTRY_KINDS, FIX, KEEP, TERM
from .french import APOSTROPHES, ELIDED

COLUMNS = ("source", "target", "comment", "kind", "case", "forms", "repair", "avoid")
HEADER = "# " + "\t".join(COLUMNS)
# The first lines of a new glossary file; OmegaT reads the encoding from the first line.
FILE_HEADER = f"# fr2en-dossier glossary, OmegaT tab-separated format -*- coding: utf-8 -*-\n{HEADER}\n"
CASE_EXACT = "exact"
FORMS = ("plural", "feminine")
AVOID_SEPARATOR = "|"
ERROR, WARNING = "error", "warning"

_LEADING_ELISION = re.compile(rf"(\w+)\s*[{APOSTROPHES}]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Entry:
    """One glossary row. ``line`` is its 1-based line in the file (0 when not from a file)."""

    source: str
    target: str
    comment: str = ""
    kind: str = TERM
    exact_case: bool = False
    forms: tuple[str, ...] = ()
    line: int = 0
    repair: str = ""  # fix entries: the French the engine reads
    avoid: tuple[str, ...] = ()  # known wrong English renderings


@dataclass(frozen=True)
class Problem:
    """A lint finding; ``str()`` gives ``file:line: severity: message``."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def parse_row(fields: list[str], line: int = 0) -> tuple[Entry | None, list[tuple[str, str]]]:
    """The entry of a row's tab-separated ``fields`` and its (severity, message) findings.

    The entry is None when the row has an error. Fields are stripped, as OmegaT does.
    """
    bad = _unstorable(fields)
    if bad:
        return None, [(ERROR, bad)]
    fields = [f.strip() for f in fields]
    fields += [""] * (len(COLUMNS) - len(fields))
    source, target, comment, kind, case, forms, repair, avoid = fields[: len(COLUMNS)]
    kind = kind or TERM
    form_list = tuple(f.strip() for f in forms.split(",") if f.strip())
    avoid_list = tuple(a.strip() for a in avoid.split(AVOID_SEPARATOR) if a.strip())
    errors = [
        message
        for failed, message in (
            (not source, "empty source"),
            (not target, "missing target (a row is source<TAB>target[<TAB>comment<TAB>kind…])"),
            (kind not in ENTRY_KINDS, f"unknown kind {kind!r} (expected fix, term or keep)"),
            (case not in ("", CASE_EXACT), f"unknown case {case!r} (expected {CASE_EXACT} or empty)"),
            (
                any(f not in FORMS for f in form_list),
                f"unknown forms {forms!r} (expected plural, feminine or both, comma-separated)",
            ),
            (repair and kind != FIX, "only a fix entry has a repair (the French the engine reads)"),
            (target in avoid_list, "the target is among the renderings to avoid"),
        )
        if failed
    ]
    if source:
        errors += _source_errors(source)
    if kind == KEEP and target and source.casefold() != target.casefold():
        errors.append("a keep entry's target must be its source (use kind fix or term to change it)")
    if source.casefold() == "source" and target.casefold() == "target":
        errors.append("column header: OmegaT reads it as an entry; make it a comment ('# source…')")
    findings = [(ERROR, m) for m in errors]
    if kind == FIX and not repair:
        findings.append((WARNING, "fix entry without a repair: the engine reads the French as it is"))
    if any(fields[len(COLUMNS) :]):
        findings.append((WARNING, f"columns after {COLUMNS[-1]!r} are ignored"))
    if errors:
        return None, findings
    entry = Entry(source, target, comment, kind, case == CASE_EXACT, form_list, line, repair,
                  avoid_list)
    return entry, findings


def _unstorable(fields: list[str]) -> str:
    """The error for the first character of ``fields`` a glossary file cannot hold, else ""."""
    for column, field in zip(COLUMNS + ("extra column",) * len(fields), fields):
        for char in field:
            if _unstorable_char(char):
                name = unicodedata.name(char, "a control character or noncharacter").lower()
                return (f"the {column} contains U+{ord(char):04X} ({name}): a glossary field "
                        "holds no control character, tab or line break")
    return ""


def _unstorable_char(char: str) -> bool:
    """Control characters, line/paragraph separators, lone surrogates and noncharacters."""
    code = ord(char)
    return (unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
            or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


def _source_errors(source: str) -> list[str]:
    errors = []
    if not (source[0].isalnum() and source[-1].isalnum()):
        errors.append("source must start and end with a letter or digit")
    elision = _LEADING_ELISION.match(source)
    if elision and elision.group(1).lower() in ELIDED:
        errors.append(
            f"source starts with the elision {elision.group(0)!r}: write the bare term "
            "(elided forms are matched automatically)"
        )
    return errors


def format_row(entry: Entry) -> str:
    """The tab-separated line of ``entry`` (no line break); trailing empty columns left out."""
    fields = [entry.source, entry.target, entry.comment, entry.kind]
    fields += [CASE_EXACT if entry.exact_case else "", ",".join(entry.forms), entry.repair]
    fields.append(AVOID_SEPARATOR.join(entry.avoid))
    while not fields[-1]:
        fields.pop()
    return "\t".join(fields)


def parse_text(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """All entries of a glossary file's text, and the problems of its rows."""
    entries, problems = [], []
    for number, line in enumerate(LINE_BREAK.split(text), 1):
        if not line.strip() or line.startswith("#"):
            continue
        entry, findings = parse_row(line.split("\t"), number)
        problems += [Problem(path, number, message, severity) for severity, message in findings]
        if entry is not None:
            entries.append(entry)
    return entries, problems
