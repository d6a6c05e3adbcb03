r"""Sentence boundaries and boilerplate corrected by reviewers: the project's ``segmentation.tsv``.

One override per line, tab-separated::

    ACTION<TAB>DOCUMENT<TAB>FRENCH BEFORE<TAB>FRENCH AFTER
    ACTION<TAB>DOCUMENT<TAB>FRENCH

``merge`` removes the boundary between the two texts, ``split`` makes one there;
``translate`` says the sentence with that French is not boilerplate (the rules took it for
site furniture: it is translated), ``boilerplate`` the reverse (kept, never translated). A boundary is
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
TRANSLATE, KEEP_OUT = "translate", "boilerplate"  # a sentence's kind, corrected
ACTIONS = (MERGE, SPLIT, TRANSLATE, KEEP_OUT)
KIND_ACTIONS = (TRANSLATE, KEEP_OUT)
ANCHOR_CHARS = 40  # French kept on each side of a boundary
HEADER = (
    "# fr2en segmentation overrides: ACTION<TAB>DOCUMENT<TAB>FRENCH BEFORE<TAB>FRENCH AFTER\n"
    "# merge: join the sentences around the boundary; split: cut between the two texts.\n"
    "# translate / boilerplate<TAB>DOCUMENT<TAB>FRENCH: that sentence is (not) boilerplate.\n"
    "# The French finds its place (not a segment key). \\t: tab, \\\\: backslash.\n"
)
Span = tuple[int, int]


@dataclass(frozen=True)
class Override:
    action: str  # one of ACTIONS
    doc: str  # document stem
    before: str  # French ending just before the boundary (kind actions: the sentence)
    after: str  # French starting just after it, whitespace between ignored ("": kind actions)
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


def kind(action: str, doc: str, french: str) -> Override:
    """An override saying the sentence ``french`` of ``doc`` is boilerplate or is not."""
    if action not in KIND_ACTIONS or not french.strip():
        raise Fr2enError(f"a kind override is {' or '.join(KIND_ACTIONS)} of a sentence")
    return Override(action, doc, french, "")


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
        action = fields[0].strip()
        if action not in ACTIONS:
            raise Fr2enError(f"{where}: unknown action {action!r} ({', '.join(ACTIONS)})")
        wanted = 3 if action in KIND_ACTIONS else 4
        if len(fields) != wanted:
            shape = "DOCUMENT<TAB>FRENCH" if wanted == 3 else "DOCUMENT<TAB>BEFORE<TAB>AFTER"
            raise Fr2enError(f"{where}: expected {action}<TAB>{shape} ({wanted} fields), "
                             f"got {len(fields)}")
        doc, before, after = fields[1].strip(), *map(_unescape, fields[2:]), *([""] * (4 - wanted))
        if not doc or not before.strip() or (wanted == 4 and not after.strip()):
            raise Fr2enError(f"{where}: the document and the French are required")
        if wanted == 3:
            overrides.append(Override(action, doc, before.strip(), "", number))
        else:
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
    fields = [override.action, override.doc, _escape(override.before)]
    if override.action not in KIND_ACTIONS:
        fields.append(_escape(override.after))
    row = "\t".join(fields)
    atomic_write_bytes(path, data + row.encode("utf-8") + b"\n", TEXT)


def boilerplate_override(french: str, overrides: list[Override]) -> bool | None:
    """Whether the kind overrides of a document make the sentence ``french`` boilerplate
    (True) or not (False), the last one that names it winning; None: they do not name it."""
    said = None
    for override in overrides:
        if override.action in KIND_ACTIONS and override.before == french.strip():
            said = override.action == KEEP_OUT
    return said


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\t" if m.group(1) == "t" else m.group(1), text)


def adjust_spans(text: str, spans: list[Span], overrides: list[Override]) -> list[Span]:
    """The sentence ``spans`` of a block ``text`` with ``overrides`` (of its document) applied."""
    spans = list(spans)
    for override in overrides:
        if override.action in KIND_ACTIONS:
            continue
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
