"""The memory-match stage of a run (:func:`run.compose`, after the memory's reviews and
drafts): each segment records its best memory match (``Segment.tm_*``), and a segment
without a review or draft whose match is good enough gets that match's English as a draft
of origin ``tm`` (*prefill*).

A match prefills when it scores at least ``prefill`` (``[memory] prefill``, default 85), or
when the glossary repaired every one of its differences and it scores at least
:data:`REPAIRED_PREFILL`; it must be a review of the project or a unit of an external memory
(a draft was never confirmed: it is offered, never copied). The English is the repaired one
when the glossary repaired it. A prefilled draft is never stored in the memory and never
counts as reviewed: every run recomputes it (a segment of origin ``tm`` gets its machine
translation back first), and MT still runs for it (``Segment.mt`` keeps the MT).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import BOILERPLATE_FLAG, DRAFT, HUMAN_ORIGINS, MT, TM, Segment
from .context import contexts
from .fuzzy import Match, matches
from .store import ReviewMemory

ANALYSIS_MIN = 50  # the lowest band of an analysis: every segment's match is looked up to it
REPAIRED_PREFILL = 95  # a match repaired in full prefills from this score


def prefill(segments: Sequence[Segment], memory: ReviewMemory, settings, glossary=None) -> int:
    """Record every segment's best match, and prefill what ``settings`` (``fuzzy_min``,
    ``prefill``: None for none) allow, in place; returns how many segments were prefilled.
    ``glossary`` (a loaded glossary, or None) repairs the matches."""
    count = 0
    lowest = min(ANALYSIS_MIN, settings.fuzzy_min)
    for seg, context in zip(segments, contexts(segments), strict=True):
        if seg.origin == TM:
            seg.set_english(seg.mt, MT if seg.mt else "")
        record(seg, None)
        if BOILERPLATE_FLAG in seg.flags:
            continue
        found = matches(memory, seg, context, n=3, minimum=lowest, glossary=glossary)
        if not found:
            continue
        chosen = None
        if seg.origin not in HUMAN_ORIGINS and settings.prefill is not None:
            chosen = next((m for m in found if prefills(m, settings)), None)
        record(seg, chosen or found[0])
        if chosen is not None:
            seg.set_english(chosen.use, TM)
            count += 1
    return count


def prefills(match: Match, settings) -> bool:
    """Whether ``match`` may prefill a segment under ``settings`` (the module docstring)."""
    if match.origin == DRAFT or match.score < settings.fuzzy_min:
        return False
    repaired = match.complete and bool(match.repairs) and match.score >= REPAIRED_PREFILL
    return match.score >= settings.prefill or repaired


def record(seg: Segment, match: Match | None) -> None:
    """What ``seg`` keeps of its best match (None: it has none)."""
    if match is None:
        seg.tm_score, seg.tm_source, seg.tm_french, seg.tm_repairs = None, "", "", []
    else:
        seg.tm_score, seg.tm_source, seg.tm_french = match.score, match.source, match.french
        seg.tm_repairs = [repair.note() for repair in match.repairs]
