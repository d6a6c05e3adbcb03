"""Inline formatting as runs: a block's text cut where its bold, italic, code or link changes
(what the article writers for HTML, Markdown and Word each render their own way)."""

from __future__ import annotations

from ..model import ANCHOR, FORMAT, LINK, Span


def runs(text: str, spans: list[Span]) -> list[tuple[str, frozenset[str], str]]:
    """``text`` cut where its formatting changes: (piece, styles other than link, link URL).
    Formats and anchors, which only the in-place writers draw, are left out."""
    spans = [s for s in spans if s.style not in (FORMAT, ANCHOR)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        styles = frozenset(s.style for s in covering if s.style != LINK)
        href = next((s.href for s in covering if s.style == LINK), "")
        pieces.append((text[a:b], styles, href))
    return pieces
