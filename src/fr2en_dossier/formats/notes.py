"""Human-readable notes on a segment's glossary hits and flags, shared by the writers."""

from __future__ import annotations

import math

from ..model import TM, Hit, Segment, probability


def percent(log_prob: float | None) -> str:
    """A mean log-probability as the pages and notes show it ("83%"); "" when there is none."""
    sure = probability(log_prob)
    return "" if sure is None else f"{sure:.0%}"


def engine_notes(seg: Segment) -> list[str]:
    """One line on how sure the engine was of its English and the segment's risk, e.g.
    ``confidence 83%, round trip 41%, risk 1.20``; nothing when none is known."""
    parts = [f"{name} {percent(value)}" for name, value in (
        ("confidence", seg.confidence), ("round trip", seg.round_trip)) if percent(value)]
    if seg.risk:
        parts.append(f"risk {seg.risk:.2f}")
    return [", ".join(parts)] if parts else []


def engine_props(seg: Segment) -> list[tuple[str, str]]:
    """The same as TMX/XLIFF properties: the log-probabilities as numbers (6 digits)."""
    props = [(name, f"{value:.6g}") for name, value in (
        ("x-confidence", seg.confidence), ("x-round-trip", seg.round_trip))
        if value is not None and math.isfinite(value)]
    return props + ([("x-risk", f"{seg.risk:.6g}")] if seg.risk else [])


def hit_note(hit: Hit, english: str = "") -> str:
    """One line describing a glossary hit, e.g. ``glossary fix: interface utilisateur → AI``,
    with where its target is in the segment's ``english`` (``Hit.en_start``/``en_end``)."""
    note = f"glossary {hit.kind}: {hit.source} → {hit.target}"
    if hit.entry and hit.entry != hit.source:
        note += f" (entry: {hit.entry})"
    if hit.repair:
        note += f" (engine read: {hit.repair})"
    if english.strip():
        if hit.en_start is None or hit.en_end is None:
            note += " [not in the English]"
        else:
            note += f" [English {hit.en_start}-{hit.en_end}: {english[hit.en_start : hit.en_end]}]"
    if hit.comment:
        note += f" — {hit.comment}"
    return note


def flag_notes(seg: Segment) -> list[str]:
    """One line per flag of ``seg``: its name and, when known, why."""
    return [f"{name}: {seg.reasons[name]}" if name in seg.reasons else name for name in seg.flags]


def match_notes(seg: Segment) -> list[str]:
    """What a prefilled draft (origin TM) says of the memory match it came from: its score and
    source, then one line per glossary repair of its English; nothing for other origins."""
    if seg.origin != TM or seg.tm_score is None:
        return []
    return [f"memory match {seg.tm_score}% ({seg.tm_source})"] + [
        f"repaired {note}" for note in seg.tm_repairs]
