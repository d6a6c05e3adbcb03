"""The glossary before MT: record the hits of each segment and repair its French.

Only ``fix`` entries change the engine input: each matched span is replaced by the entry's
French ``repair`` ("l'interface utilisateur" → "l'IA", "Trading Insider" → "Business
Insider"), so the model reads French it was trained on. ``term`` and ``keep`` entries leave the
French as it is; their English targets (and the fixes') are enforced on the English side, by
decoding (engine.terms). When a repair starts with a vowel and the French did not, or the
reverse, the article in front is made grammatical again: "l'" becomes "le " before a consonant
("de l'" → "du "), "le " becomes "l'" before a vowel ("du" → "de l'").
"""

from __future__ import annotations

import re

from ..model import FIX, Hit, Segment
from .french import (
    APOSTROPHES,
    CONTRACTIONS,
    ELIDED,
    ELIDING,
    capitalized,
    starts_with_vowel,
)
from .load import Glossary
from .matcher import Match

_ELIDED_BEFORE = re.compile(rf"(?:(?<!\w)(\w+)\s+)?(?<!\w)(\w+)[{APOSTROPHES}]$")
_WORD_BEFORE = re.compile(r"(?<!\w)(\w+)\s+$")
_EXPANDED = {short: full for full, short in CONTRACTIONS.items()}  # "du" → "de le"
_ARTICLE_CHARS = 24  # how far back the article of a replaced span is looked for


def apply_glossary(segments: list[Segment], glossary: Glossary) -> None:
    """Set ``hits`` (block offsets) and ``engine_input`` (None when unchanged) of each segment."""
    for seg in segments:
        matches = glossary.find(seg.source)
        seg.hits = [
            Hit(
                seg.start + m.start,
                seg.start + m.end,
                seg.source[m.start : m.end],
                m.entry.target,
                m.entry.kind,
                m.entry.comment,
                m.entry.source,
                m.entry.repair if m.entry.kind == FIX else "",
                list(m.entry.avoid),
            )
            for m in matches
        ]
        rewritten = rewrite(seg.source, matches)
        seg.engine_input = None if rewritten == seg.source else rewritten


def rewrite(text: str, matches: list[Match]) -> str:
    """``text`` with each fix match (in text order, not overlapping) replaced by its repair."""
    out, pos = [], 0
    apostrophe = "’" if "’" in text else "'"
    for m in matches:
        if m.entry.kind != FIX or not m.entry.repair:
            continue
        matched = text[m.start : m.end]
        replacement = _same_case(matched, m.entry.repair)
        cut, article = m.start, ""
        if starts_with_vowel(replacement) != starts_with_vowel(matched):
            lo = max(pos, m.start - _ARTICLE_CHARS)
            cut, article = _article(text, lo, m.start, replacement, apostrophe)
        out += [text[pos:cut], article, replacement]
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def _article(text: str, lo: int, start: int, replacement: str, apostrophe: str) -> tuple[int, str]:
    """Where the text before a replacement at ``start`` is cut (not before ``lo``), and the
    article written from there to ``start``."""
    vowel = starts_with_vowel(replacement)
    elided = _ELIDED_BEFORE.search(text, lo, start)
    if elided and not vowel and elided.group(2).lower() in ELIDED:
        word, previous = elided.group(2), elided.group(1)
        full = ELIDED[word.lower()]
        if previous and f"{previous.lower()} {full}" in CONTRACTIONS:
            contracted = CONTRACTIONS[f"{previous.lower()} {full}"]
            return elided.start(1), _same_case(previous, contracted) + " "
        return elided.start(2), _same_case(word, full) + " "
    word = _WORD_BEFORE.search(text, lo, start)
    if word and vowel:
        lower = word.group(1).lower()
        if lower in ELIDING:
            return word.start(1), _same_case(word.group(1), ELIDING[lower]) + apostrophe
        if lower in _EXPANDED:
            preposition = _EXPANDED[lower].split()[0]
            return word.start(1), f"{_same_case(word.group(1), preposition)} l{apostrophe}"
    return start, ""


def _same_case(model: str, word: str) -> str:
    """``word`` capitalized when ``model`` is."""
    return capitalized(word) if model[:1].isupper() else word
