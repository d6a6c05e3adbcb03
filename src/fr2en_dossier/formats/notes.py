"""Human-readable notes on a segment's glossary hits, shared by the TMX and PO writers."""

from __future__ import annotations

from ..model import Hit


def hit_note(hit: Hit) -> str:
    """One line describing a glossary hit, e.g. ``glossary fix: interface utilisateur → AI``."""
    note = f"glossary {hit.kind}: {hit.source} → {hit.target}"
    if hit.entry and hit.entry != hit.source:
        note += f" (entry: {hit.entry})"
    if hit.comment:
        note += f" — {hit.comment}"
    return note
