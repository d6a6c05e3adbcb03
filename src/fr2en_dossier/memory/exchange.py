"""``memory.tmx``: the review memory as TMX 1.4b, the file other tools exchange.

Written from the database with every generation of the outputs (and by ``fr2en memory
export``): every review, and the standing draft of each French and context, oldest first, one
``<tu>`` each with props ``x-origin``, ``x-prev``/``x-next`` (the context) and the
``changedate`` — the format this project kept its memory in before the database, so a
``memory.tmx`` of that format is read whole on first use (:func:`legacy_rows`), and OmegaT can
use the file as a TM. Files written before contexts existed (``tuid`` = segment key, no context
props) keep working: their entries match by document.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..formats.tmx import TmxUnit, read_tmx, write_units
from ..model import DRAFT, REVIEW, comparable, key_position, make_key
from .context import Context
from .store import MemoryEntry, ReviewMemory

_PREV, _NEXT = "x-prev", "x-next"  # context props; absent in files from before contexts
VIA_TMX = "memory.tmx"


def export_tmx(memory: ReviewMemory, path: str | os.PathLike) -> int:
    """Write the memory's reviews and standing drafts to ``path`` (atomically); the count."""
    units = [_unit(entry) for entry in exported(memory.entries())]
    write_units(units, path)
    return len(units)


def exported(entries: list[MemoryEntry]) -> list[MemoryEntry]:
    """What the exchange file holds: every review, and the newest draft of each French in each
    context (a newer draft replaces an older one there), in recorded order."""
    newest: dict[tuple, int] = {}
    for entry in entries:
        if entry.origin == DRAFT:
            newest[(entry.source, entry.doc, entry.context)] = entry.id
    return [e for e in entries
            if e.origin == REVIEW or newest[(e.source, e.doc, e.context)] == e.id]


def import_tmx(memory: ReviewMemory, path: str | os.PathLike) -> int:
    """Add the reviews and drafts of a memory TMX file that the memory lacks; the count.
    An entry already there (same French, context, English, origin and date) is not added."""
    have = {_identity(e) for e in memory.entries(withdrawn=True)}
    rows = [row for row in legacy_rows(Path(path)) if _row_identity(row) not in have]
    memory.add(rows)
    return len(rows)


def legacy_rows(path: Path) -> list[dict]:
    """Event rows (for :meth:`ReviewMemory.add`) of a memory TMX file, in file order."""
    rows = []
    for unit in (u for u in read_tmx(path) if u.target):
        origin = DRAFT if DRAFT in unit.prop("x-origin") else REVIEW
        context = None
        if unit.prop(_PREV) and unit.prop(_NEXT):
            prev, after = unit.prop(_PREV)[0], unit.prop(_NEXT)[0]
            context = Context(unit.doc, comparable(prev) or None, comparable(after) or None)
        date = unit.changedate or "19700101T000000Z"
        rows.append({
            "source": comparable(unit.source), "target": unit.target, "origin": origin,
            "doc": unit.doc, "key": unit.tuid or make_key(unit.doc, unit.block or 0, unit.index or 0),
            "contextual": int(context is not None),
            "prev": context.prev if context else None, "next": context.next if context else None,
            # Rows keep the file's order (their ids), which breaks ties between equal dates.
            "changedate": date, "recorded": f"{date[:15]}.000000Z", "run": "",
            "via": VIA_TMX, "author": "", "withdrawn": None,
        })
    return rows


def _identity(entry: MemoryEntry) -> tuple:
    context = entry.context
    return (entry.source, entry.target, entry.origin, entry.doc, entry.changedate,
            None if context is None else (context.prev, context.next))


def _row_identity(row: dict) -> tuple:
    context = (row["prev"], row["next"]) if row["contextual"] else None
    return (row["source"], row["target"], row["origin"], row["doc"], row["changedate"], context)


def _unit(entry: MemoryEntry) -> TmxUnit:
    doc, block, index = key_position(entry.key)
    doc = entry.doc if block is None else doc
    props = [("x-origin", entry.origin)]
    if entry.context is not None:
        props += [(_PREV, entry.context.prev or ""), (_NEXT, entry.context.next or "")]
    return TmxUnit(entry.key, doc, block, index, entry.source, entry.target, props,
                   changedate=entry.changedate)
