"""Read a glossary file: :func:`load_glossary` for the pipeline, :func:`lint_glossary` to check it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import Fr2enError
from ..textfile import decode
from .entries import ERROR, WARNING, Entry, Problem, parse_text
from .matcher import Collision, Match, Matcher


@dataclass
class Glossary:
    """The entries of a glossary file, with their matcher."""

    entries: list[Entry]
    path: Path | None = None

    def __post_init__(self) -> None:
        self.matcher = Matcher(self.entries)

    def find(self, text: str) -> list[Match]:
        return self.matcher.find(text)


def read_glossary(path: str | os.PathLike) -> tuple[Glossary, list[Problem]]:
    """The glossary at ``path`` and all its problems (rows with errors are left out of it).

    Raises :class:`Fr2enError` (exit 2) when the file cannot be read or is not UTF-8.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Fr2enError(f"{path}: no such glossary file") from None
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read glossary ({err.strerror or err})") from None
    entries, problems = parse_text(decode(data, path), str(path))
    glossary = Glossary(entries, path)
    problems += [_collision_problem(c, str(path)) for c in glossary.matcher.collisions]
    return glossary, sorted(problems, key=lambda p: p.line)


def lint_glossary(path: str | os.PathLike) -> list[Problem]:
    """Every problem of the glossary at ``path``, in line order (errors and warnings)."""
    return read_glossary(path)[1]


def load_glossary(path: str | os.PathLike) -> Glossary:
    """The glossary at ``path``; raises :class:`Fr2enError` (exit 2) naming ``file:line`` of
    the first malformed row."""
    glossary, problems = read_glossary(path)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more: run `fr2en glossary lint`)" if len(errors) > 1 else ""
        raise Fr2enError(f"{first.path}:{first.line}: {first.message}{more}")
    return glossary


def _collision_problem(collision: Collision, path: str) -> Problem:
    entry, other = collision.entry, collision.other
    where = f"{collision.form!r} is already matched by line {other.line} ({other.source} → {other.target})"
    if entry.target == other.target:
        return Problem(path, entry.line, f"duplicate: {where}", WARNING)
    return Problem(path, entry.line, f"conflicting targets: {where}, here → {entry.target}")
