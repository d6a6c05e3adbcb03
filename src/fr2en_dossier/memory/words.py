"""How the memory reads French: the words a match score compares, and the folded text a
concordance search compares.

*Match words* are the glossary's words (runs of letters and digits, combining accents
included: ``glossary.matcher.WORD``) of the French as the exact lookup compares it
(:func:`model.comparable`), case-folded: punctuation and spacing are not words, so "L'IA,"
and "l'IA" have the same words ("l", "ia"). *Folding* is the project's one
(:mod:`fr2en_dossier.folding`).
"""

from __future__ import annotations

from ..glossary.matcher import WORD
from ..model import comparable


def match_words(text: str) -> list[tuple[int, int, str]]:
    """The match words of ``text``: (start, end, word) with offsets into ``text`` itself and
    the word as compared (NFC, case-folded)."""
    return [(m.start(), m.end(), comparable(m.group()).casefold()) for m in WORD.finditer(text)]


def word_keys(text: str) -> list[str]:
    """The match words of ``text`` alone, as compared."""
    return [comparable(word).casefold() for word in WORD.findall(text)]
