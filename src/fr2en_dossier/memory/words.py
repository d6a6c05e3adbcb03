"""How the memory reads French: the words a match score compares, and the folded text a
concordance search compares.

*Match words* are the glossary's words (runs of letters and digits, combining accents
included: ``glossary.matcher.WORD``) of the French as the exact lookup compares it
(:func:`model.comparable`), case-folded: punctuation and spacing are not words, so "L'IA,"
and "l'IA" have the same words ("l", "ia"). *Folding* removes case and accents (NFD, combining
marks dropped, case-folded; both apostrophes are "'"), keeping a map back to the original
text, so that "controle" finds "Contrôle" and says where.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..glossary.matcher import WORD
from ..model import comparable


def match_words(text: str) -> list[tuple[int, int, str]]:
    """The match words of ``text``: (start, end, word) with offsets into ``text`` itself and
    the word as compared (NFC, case-folded)."""
    return [(m.start(), m.end(), comparable(m.group()).casefold()) for m in WORD.finditer(text)]


def word_keys(text: str) -> list[str]:
    """The match words of ``text`` alone, as compared."""
    return [comparable(word).casefold() for word in WORD.findall(text)]


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "’ʼ‘":
        return "'"
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` without case and accents (what a concordance search compares)."""
    return "".join(_fold_char(char) for char in text)


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
