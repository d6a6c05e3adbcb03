"""Check the English after MT: each hit's target term must be in its segment's target.

A term is found on word boundaries, with some slack for what English does to it: plural and
possessive endings ("boards", "OpenAI's", "OpenAI’s"), hyphen or space ("capped-profit",
"capped profit", "co-founders", "cofounders"), a capital at the start of a sentence. Beyond
the first letter, case counts when the term has capitals ("AI" is not "ai").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..model import TERM_MISSING, Hit, Segment
from .french import APOSTROPHES, HYPHENS

_SEPARATOR = rf"[\s{re.escape(HYPHENS)}]"
_SUFFIX = rf"(?:e?s)?(?:[{APOSTROPHES}]s?)?"


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern[str]:
    """The regular expression that finds ``term`` in English text."""
    parts = []
    for char in term.strip():
        if char.isspace():
            if parts[-1] != f"{_SEPARATOR}+":
                parts.append(f"{_SEPARATOR}+")
        elif char in HYPHENS:
            parts.append(f"{_SEPARATOR}?")
        elif char in APOSTROPHES:
            parts.append(f"[{APOSTROPHES}]")
        else:
            parts.append(re.escape(char))
    if any(c.isupper() for c in term):
        parts[0] = f"(?i:{parts[0]})"
        flags = 0
    else:
        flags = re.IGNORECASE
    start = r"(?<!\w)" if term.strip()[:1].isalnum() else ""
    return re.compile(rf"{start}{''.join(parts)}{_SUFFIX}(?!\w)", flags)


def term_spans(term: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``term`` in the English ``text`` (see the module docstring for the slack)."""
    if not term.strip():
        return []
    return [m.span() for m in term_pattern(term).finditer(text)]


def missing_targets(text: str, targets: Sequence[str]) -> list[int]:
    """Indices of the ``targets`` absent from the English ``text``."""
    return [i for i, target in enumerate(targets) if not term_spans(target, text)]


def missing_terms(seg: Segment) -> list[Hit]:
    """The hits whose target is absent from the segment's non-empty target (one per term)."""
    if not seg.target or not seg.target.strip():
        return []
    hits = list({h.target: h for h in seg.hits}.values())
    return [hits[i] for i in missing_targets(seg.target, [h.target for h in hits])]


def verify_terms(segments: list[Segment]) -> None:
    """Align each hit with its target's occurrence in the English (``en_start``/``en_end``,
    occurrences taken in order) and flag ``term-missing``, with its reason, on each segment
    missing a target term; clear the flag where none is."""
    for seg in segments:
        align_hits(seg)
        missing = missing_terms(seg)
        if missing:
            listed = ", ".join(f"{h.target} ({h.source})" for h in missing)
            seg.flag(TERM_MISSING, f"glossary term(s) missing from the English: {listed}")
        elif TERM_MISSING in seg.flags:
            seg.flags.remove(TERM_MISSING)
            seg.reasons.pop(TERM_MISSING, None)


def align_hits(seg: Segment) -> None:
    """Set each hit's English span: the next unused occurrence of its target, else None."""
    used: dict[str, int] = {}
    for hit in seg.hits:
        spans = term_spans(hit.target, seg.target or "")
        k = used.get(hit.target, 0)
        if k < len(spans):
            hit.en_start, hit.en_end = spans[k]
            used[hit.target] = k + 1
        else:
            hit.en_start = hit.en_end = None
