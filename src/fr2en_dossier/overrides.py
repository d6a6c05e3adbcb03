r"""Sentence boundaries corrected by reviewers: the project's ``segmentation.tsv``.

One override per line, tab-separated::

    ACTION<TAB>DOCUMENT<TAB>FRENCH BEFORE<TAB>FRENCH AFTER

``merge`` removes the boundary between the two texts, ``split`` makes one there. A boundary is
found by the French around it (the end of the text before it, the start of the text after it,
whitespace between), not by a segment key: the override still applies after lines are inserted
or moved, or after the segmenter's rules change; it applies wherever that French occurs in the
document, and does nothing where it no longer does. Lines starting with ``#`` are comments; a
tab or a backslash inside the French is written ``\t`` or ``\\``. Overrides apply in file order,
each to the boundaries left by the ones before (:func:`adjust_spans`, called by
``segmenter.segment_documents``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .atomic import TEXT, atomic_write_bytes
from .errors import Fr2enError
from .textfile import NEWLINE, decode

MERGE, SPLIT = "merge", "split"
ACTIONS = (MERGE, SPLIT)
ANCHOR_CHARS = 40  # French kept on each side of a boundary
HEADER = (
    "# fr2en segmentation overrides: ACTION<TAB>DOCUMENT<TAB>FRENCH BEFORE<TAB>FRENCH AFTER\n"
    "# merge: join the sentences around the boundary; split: cut between the two texts.\n"
    "# The French around a boundary finds it (not a segment key). \\t: tab, \\\\: backslash.\n"
)
Span = tuple[int, int]


@dataclass(frozen=True)
class Override:
    action: str  # MERGE or SPLIT
    doc: str  # document stem
    before: str  # French ending just before the boundary
    after: str  # French starting just after it (whitespace between is ignored)
    line: int = 0  # line in the file (0: not read from one)


def boundary(action: str, doc: str, before: str, after: str) -> Override:
    """An override for the boundary between ``before`` and ``after`` (the texts on each side,
    shortened to :data:`ANCHOR_CHARS` at a word start); Fr2enError if a side is empty."""
    before, after = before.rstrip(), after.lstrip()
    if action not in ACTIONS:
        raise Fr2enError(f"unknown segmentation override {action!r} (merge or split)")
    if not before or not after:
        raise Fr2enError("a boundary needs French on both sides")
    return Override(action, doc, _tail(before), _head(after))


def _tail(text: str) -> str:
    if len(text) <= ANCHOR_CHARS:
        return text
    cut = len(text) - ANCHOR_CHARS
    space = text.find(" ", cut, len(text) - 8)
    return text[space + 1 if space >= 0 else cut :]


def _head(text: str) -> str:
    if len(text) <= ANCHOR_CHARS:
        return text
    space = text.rfind(" ", 8, ANCHOR_CHARS)
    return text[: space if space >= 0 else ANCHOR_CHARS]


def read_overrides(path: str | os.PathLike) -> list[Override]:
    """The overrides of the file at ``path`` (none when it does not exist); one-line error
    ``FILE:LINE: …`` for a bad line."""
    path = Path(path)
    try:
        text = decode(path.read_bytes(), path)
    except FileNotFoundError:
        return []
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    overrides = []
    for number, line in enumerate(NEWLINE.split(text), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{path}:{number}"
        if len(fields) != 4:
            raise Fr2enError(f"{where}: expected ACTION<TAB>DOCUMENT<TAB>BEFORE<TAB>AFTER "
                             f"(4 fields), got {len(fields)}")
        action, doc, before, after = fields[0].strip(), fields[1].strip(), *map(_unescape, fields[2:])
        if action not in ACTIONS:
            raise Fr2enError(f"{where}: unknown action {action!r} (merge or split)")
        if not doc or not before.strip() or not after.strip():
            raise Fr2enError(f"{where}: document, French before and French after are required")
        overrides.append(Override(action, doc, before.rstrip(), after.lstrip(), number))
    return overrides


def append_override(path: str | os.PathLike, override: Override) -> None:
    """Add ``override`` at the end of the file (created with its header), existing bytes kept."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = HEADER.encode("utf-8")
    if data and not data.endswith(b"\n"):
        data += b"\n"
    row = "\t".join([override.action, override.doc, _escape(override.before), _escape(override.after)])
    atomic_write_bytes(path, data + row.encode("utf-8") + b"\n", TEXT)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\t" if m.group(1) == "t" else m.group(1), text)


def adjust_spans(text: str, spans: list[Span], overrides: list[Override]) -> list[Span]:
    """The sentence ``spans`` of a block ``text`` with ``overrides`` (of its document) applied."""
    spans = list(spans)
    for override in overrides:
        for cut, resume in _boundaries(text, override):
            if override.action == SPLIT:
                spans = [piece for span in spans for piece in _split(span, cut, resume)]
            else:
                spans = _merge(spans, cut, resume)
    return spans


def _boundaries(text: str, override: Override):
    """(end of ``before``, start of ``after``) wherever they meet in ``text``."""
    start = text.find(override.before)
    while start >= 0:
        cut = start + len(override.before)
        resume = cut
        while resume < len(text) and text[resume].isspace():
            resume += 1
        if text.startswith(override.after, resume):
            yield cut, resume
        start = text.find(override.before, start + 1)


def _split(span: Span, cut: int, resume: int) -> list[Span]:
    start, end = span
    return [(start, cut), (resume, end)] if start < cut and resume < end else [span]


def _merge(spans: list[Span], cut: int, resume: int) -> list[Span]:
    for i in range(len(spans) - 1):
        if spans[i][1] == cut and spans[i + 1][0] == resume:
            return [*spans[:i], (spans[i][0], spans[i + 1][1]), *spans[i + 2 :]]
    return spans
