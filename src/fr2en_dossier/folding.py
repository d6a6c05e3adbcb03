"""Folded text: what every accent- and case-insensitive search compares (the workspace's
search, the memory's concordance and its index). Folding removes case and accents (NFD,
combining marks dropped, case-folded), makes every white space character a space and both
apostrophes "'", keeping a map back to the original text, so that "controle" finds
"Contrôle" and says where.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "’ʼ‘":
        return "'"
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Folded(dict):
    """Code point → folded text, filled as characters are met (a table for ``str.translate``,
    which folds a whole text in one call)."""

    def __missing__(self, point: int) -> str:
        self[point] = folded = _fold_char(chr(point))
        return folded


_FOLDED = _Folded()


def fold(text: str) -> str:
    """``text`` without case and accents (what a concordance search compares)."""
    return text.translate(_FOLDED)


def folded_spans(needle: str, text: str) -> list[tuple[int, int]]:
    """Where the folded ``needle`` occurs in ``text`` (offsets into ``text``), left to right,
    not overlapping; its spaces match any white space."""
    needle = " ".join(fold(needle).split())
    if not needle:
        return []
    folded, origin = [], []
    for i, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([i] * len(piece))
    haystack = "".join(folded)
    spans, at = [], haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        last = origin[end - 1] + 1
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1  # the accents of the last letter go with it
        spans.append((origin[at], last))
        at = haystack.find(needle, end)
    return spans
