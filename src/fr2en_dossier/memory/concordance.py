"""Concordance: where words occur in the memory, the external memories and the dossier.

A search text is folded (no case, no accents: :func:`folding.fold`), so "controle" finds
"Contrôle" and "contrôlé", and looked for as it is (spaces as any white space) in the French
and the English of every distinct pair of the index (:mod:`.index`: one scan of a folded
column, no parsing), then of the dossier's segments. Each result names where it is and what
matched (spans in its French and English). The project's standing reviews and drafts come
first, newest first, then the external memories' units, then the dossier's segments (those
not already shown with the same French and English).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Segment, comparable
from .store import ReviewMemory
from ..folding import fold, folded_spans

MEMORY, EXTERNAL, DOSSIER = "memory", "external", "dossier"  # Found.where
_SCAN = 200  # pairs read per query


@dataclass
class Found:
    """One place the text occurs (JSON-ready with :meth:`to_dict`)."""

    where: str  # MEMORY, EXTERNAL or DOSSIER
    source: str  # memory: "review" or "draft"; external: its name; dossier: the segment key
    french: str
    english: str
    time: str = ""  # the newest changedate (memory and external memories)
    french_spans: list[tuple[int, int]] = field(default_factory=list)
    english_spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"where": self.where, "source": self.source, "french": self.french,
                "english": self.english, "time": self.time,
                "french_spans": [list(s) for s in self.french_spans],
                "english_spans": [list(s) for s in self.english_spans]}


def concordance(memory: ReviewMemory, text: str, *, limit: int = 50,
                segments: Iterable[Segment] = ()) -> list[Found]:
    """Up to ``limit`` places where ``text`` occurs, in the order of the module docstring."""
    needle = " ".join(fold(text).split())
    if not needle or limit < 1:
        return []
    own, external = _memory(memory, needle, limit)
    found = own + external
    shown = {(f.french, f.english) for f in found}
    for seg in segments:
        if len(found) >= limit:
            break
        english = seg.target or ""
        if (comparable(seg.source), english) in shown:
            continue
        place = Found(DOSSIER, seg.key, seg.source, english, "",
                      folded_spans(needle, seg.source), folded_spans(needle, english))
        if place.french_spans or place.english_spans:
            found.append(place)
    return found[:limit]


def _memory(memory: ReviewMemory, needle: str, limit: int) -> tuple[list[Found], list[Found]]:
    own: list[Found] = []
    external: list[Found] = []
    offset = 0
    while len(own) + len(external) < limit:
        pairs = memory.rows(
            "SELECT french, english FROM pairs WHERE instr(fr_folded, ?1) > 0 "
            "OR instr(en_folded, ?1) > 0 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
            (needle, _SCAN, offset))
        for french, english in pairs:
            spans = folded_spans(needle, french), folded_spans(needle, english)
            for origin, time in memory.rows(
                    "SELECT origin, MAX(changedate) FROM events WHERE source = ? AND target = ? "
                    "AND withdrawn IS NULL GROUP BY origin ORDER BY origin DESC",
                    (french, english)):
                own.append(Found(MEMORY, origin, french, english, time, *spans))
            for name, time in memory.rows(
                    "SELECT s.name, MAX(u.changedate) FROM units u JOIN sources s ON "
                    "s.id = u.source WHERE u.french = ? AND u.english = ? GROUP BY s.id "
                    "ORDER BY s.id", (french, english)):
                external.append(Found(EXTERNAL, name, french, english, time, *spans))
        if len(pairs) < _SCAN:
            break
        offset += _SCAN
    own.sort(key=lambda f: f.time, reverse=True)
    return own, external
