"""The review memory (``memory.tmx``): a translation memory of every review and draft.

As OmegaT keeps its project memory, a review is stored under its French text together with
its context: the document and the French of the segments before and after it. A segment
takes the entry that matches it best: same context, then same document and one neighbour,
then same document, then the same French anywhere (drafts: in the same document only); the
newest of equals wins. So a review follows its sentence when lines are inserted, moved or
deleted around it. French is compared through :func:`model.comparable` on every side.

Nothing is deleted: a new review is appended and older ones stay in the file (with their
time and origin); only a draft replaces an earlier draft of the same French and context
(each autosave would otherwise pile up). Files written before contexts existed (``tuid`` =
segment key, no context props) keep working: their entries match by document.

The file is TMX 1.4b written by the dossier's TMX writer, so OmegaT can use it as a TM too.
Callers save it while holding the project lock (:meth:`project.Project.lock`), after loading
it under that lock, so that concurrent writers never lose each other's reviews.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .formats.tmx import TmxUnit, read_tmx, write_units
from .model import (
    DRAFT,
    REVIEW,
    Segment,
    comparable,
    make_key,
    key_position,
)

_PREV, _NEXT = "x-prev", "x-next"  # context props; absent in files from before contexts
_SAME_CONTEXT, _ONE_NEIGHBOUR, _SAME_DOC, _ANYWHERE = 3, 2, 1, 0


@dataclass(frozen=True)
class Context:
    """Where a segment stands: its document and its neighbours' French (None at an edge)."""

    doc: str
    prev: str | None
    next: str | None


@dataclass
class MemoryEntry:
    source: str  # comparable French
    target: str
    origin: str  # REVIEW or DRAFT
    key: str  # the segment key when it was recorded
    doc: str
    context: Context | None  # None: recorded before contexts were kept
    changedate: str  # TMX date, YYYYMMDDThhmmssZ
    order: int  # position in the file: breaks ties between equal dates

    def rank(self, context: Context) -> int:
        if self.doc != context.doc:
            return _ANYWHERE
        if self.context == context:
            return _SAME_CONTEXT
        if self.context and (self.context.prev == context.prev or self.context.next == context.next):
            return _ONE_NEIGHBOUR
        return _SAME_DOC


def contexts(segments: Sequence[Segment]) -> list[Context]:
    """The context of each segment of ``segments`` (documents in order, as the pipeline gives)."""
    result = []
    for i, seg in enumerate(segments):
        before = segments[i - 1] if i and segments[i - 1].doc == seg.doc else None
        after = segments[i + 1] if i + 1 < len(segments) and segments[i + 1].doc == seg.doc else None
        result.append(
            Context(
                seg.doc,
                comparable(before.source) if before else None,
                comparable(after.source) if after else None,
            )
        )
    return result


class ReviewMemory:
    """Reviews and drafts by French text, loaded from and saved to one TMX file."""

    def __init__(self, path: str | Path, entries: Iterable[MemoryEntry] = ()):
        self.path = Path(path)
        self.entries = list(entries)
        self._by_source: dict[str, list[MemoryEntry]] = {}
        for entry in self.entries:
            self._by_source.setdefault(entry.source, []).append(entry)

    @classmethod
    def load(cls, path: str | Path) -> ReviewMemory:
        """The memory stored at ``path``; empty when the file does not exist yet."""
        path = Path(path)
        if not path.exists():
            return cls(path)
        units = [unit for unit in read_tmx(path) if unit.target]
        return cls(path, (_entry(unit, order) for order, unit in enumerate(units)))

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, seg: Segment, context: Context) -> MemoryEntry | None:
        """The entry that applies to ``seg`` standing in ``context``, or None."""
        best, best_rank = None, None
        for entry in self._by_source.get(comparable(seg.source), ()):
            rank = entry.rank(context)
            if entry.origin == DRAFT and rank == _ANYWHERE:
                continue  # a draft belongs to its own document
            candidate = (rank, entry.changedate, entry.order)
            if best_rank is None or candidate > best_rank:
                best, best_rank = entry, candidate
        return best

    def apply(self, segments: Sequence[Segment]) -> int:
        """Give every segment with an applicable entry its English; return how many.

        A review sets origin REVIEW, a draft origin DRAFT (``Segment.set_english``: what
        described the machine translation goes).
        """
        applied = 0
        for seg, context in zip(segments, contexts(segments), strict=True):
            entry = self.lookup(seg, context)
            if entry is not None:
                seg.set_english(entry.target, entry.origin)
                applied += 1
        return applied

    def record(self, seg: Segment, target: str, context: Context, *, draft: bool = False) -> bool:
        """Record ``target`` as the review (or draft) of ``seg`` in ``context``.

        False when it is already what applies there. A review is appended; a draft replaces
        an earlier draft of the same French in the same context.
        """
        origin = DRAFT if draft else REVIEW
        current = self.lookup(seg, context)
        if current is not None and current.target == target and current.origin == origin:
            return False
        source = comparable(seg.source)
        same = self._by_source.get(source, [])
        stale = [e for e in same if draft and e.origin == DRAFT and e.context == context]
        if stale:  # rare: only then is the whole list rebuilt
            self.entries = [e for e in self.entries if not any(e is s for s in stale)]
            same[:] = [e for e in same if not any(e is s for s in stale)]
        order = self.entries[-1].order + 1 if self.entries else 0
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        entry = MemoryEntry(source, target, origin, seg.key, seg.doc, context, stamp, order)
        self.entries.append(entry)
        self._by_source.setdefault(source, []).append(entry)
        return True

    def save(self) -> None:
        """Write the memory to its file (atomically), oldest entry first."""
        write_units([_unit(entry) for entry in self.entries], self.path)


def _unit(entry: MemoryEntry) -> TmxUnit:
    doc, block, index = key_position(entry.key)
    doc = entry.doc if block is None else doc
    props = [("x-origin", entry.origin)]
    if entry.context is not None:
        props += [(_PREV, entry.context.prev or ""), (_NEXT, entry.context.next or "")]
    return TmxUnit(entry.key, doc, block, index, entry.source, entry.target, props,
                   changedate=entry.changedate)


def _entry(unit: TmxUnit, order: int) -> MemoryEntry:
    origin = DRAFT if DRAFT in unit.prop("x-origin") else REVIEW
    context = None
    if unit.prop(_PREV) and unit.prop(_NEXT):
        prev, after = unit.prop(_PREV)[0], unit.prop(_NEXT)[0]
        context = Context(unit.doc, comparable(prev) or None, comparable(after) or None)
    key = unit.tuid or make_key(unit.doc, unit.block or 0, unit.index or 0)
    return MemoryEntry(comparable(unit.source), unit.target or "", origin, key, unit.doc, context,
                       unit.changedate, order)



