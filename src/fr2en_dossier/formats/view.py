"""What a reviewer sees of a segment, shared by ``review.html`` and ``fr2en review serve``.

Text is cut into pieces ``(text, css class, title)``: the templates (and the server page's
script) render each piece as escaped text, in a ``<mark>`` when it has a class. Documents are
named by their first heading and listed in natural order (``art_2`` before ``art_10``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..folding import fold, folded_spans
from ..model import (
    BOILERPLATE_FLAG,
    HEADING,
    TRUNCATED,
    UNTRANSLATED,
    Segment,
)
from .notes import hit_note

TITLE_CHARS = 120  # a title longer than this is cut (with "…")


class Piece(NamedTuple):
    text: str
    cls: str = ""  # "" for plain text, else the <mark>'s classes
    title: str = ""  # the hover text (the glossary entry)


def natural_key(text: str) -> tuple:
    """Sort key that orders the digit runs of ``text`` by value: ``art_2`` < ``art_10``."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def document_title(segments: list[Segment]) -> str:
    """The title of a document: its first heading (else its first sentence), shortened."""
    if not segments:
        return ""
    headings = [s for s in segments if s.kind == HEADING and BOILERPLATE_FLAG not in s.flags]
    first = headings[0] if headings else segments[0]
    title = " ".join(s.source for s in segments if s.block == first.block and s.doc == first.doc)
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def flagged(seg: Segment) -> bool:
    """Whether ``seg`` has a flag for the reviewer (boilerplate is not one)."""
    return any(f != BOILERPLATE_FLAG for f in seg.flags)


def flag_reason(seg: Segment, name: str) -> str:
    """Why ``seg`` carries flag ``name``, in words (the reason QA recorded, else a default)."""
    return seg.reasons.get(name) or _FIXED_REASONS.get(name, name)


_FIXED_REASONS = {
    UNTRANSLATED: "no English, or the French left as it is",
    BOILERPLATE_FLAG: "site furniture: not translated",
    TRUNCATED: "split at the model's input limit or cut at its output limit",
}


def source_pieces(seg: Segment) -> list[Piece]:
    """The French with its glossary hits marked (hit offsets are block offsets)."""
    spans = []
    for hit in seg.hits:
        start, end = hit.start - seg.start, hit.end - seg.start
        if 0 <= start < end <= len(seg.source):
            spans.append((start, end, f"hit hit-{hit.kind}", hit_note(hit, seg.target or "")))
    return marked(seg.source, spans)


def target_pieces(seg: Segment) -> list[Piece]:
    """The English with each hit's aligned target (``Hit.en_start``/``en_end``) marked."""
    english = seg.target or ""
    spans = [
        (hit.en_start, hit.en_end, f"hit hit-{hit.kind}", hit_note(hit, english))
        for hit in seg.hits
        if hit.en_start is not None and hit.en_end is not None
    ]
    return marked(english, spans)


def searchable(text: str) -> str:
    """``text`` folded (:func:`folding.fold`) with its white space runs as one space: what a
    search for :func:`searchable` of a needle looks in."""
    return " ".join(fold(text).split())


def found_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` is in ``text``, accent- and case-insensitive, as spans of ``text``;
    white space runs in the needle match one white space character."""
    return folded_spans(needle, text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``new`` against ``old`` word by word, as (op, text) runs: "=" kept, "-" only in
    ``old``, "+" only in ``new``; words are separated by one space, and each run but the last
    ends with one."""
    import difflib

    a, b = old.split(), new.split()
    runs: list[tuple[str, list[str]]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", b[j1:j2]))
            continue
        if i2 > i1:
            runs.append(("-", a[i1:i2]))
        if j2 > j1:
            runs.append(("+", b[j1:j2]))
    return [(op, " ".join(words) + (" " if n < len(runs) - 1 else ""))
            for n, (op, words) in enumerate(runs)]


def marked(text: str, spans: list[tuple[int, int, str, str]]) -> list[Piece]:
    """``text`` cut into pieces, each span a marked piece (overlapping spans are dropped)."""
    pieces, pos = [], 0
    for start, end, cls, title in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            pieces.append(Piece(text[pos:start]))
        pieces.append(Piece(text[start:end], cls, title))
        pos = end
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return pieces
