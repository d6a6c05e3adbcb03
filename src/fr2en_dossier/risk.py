"""Which segments to review first: a risk score per segment from what the run knows of it.

    risk = (1 − confidence)                     the engine's own doubt, 0…1
         + (1 − round_trip) / 2                 when an en→fr model scored the French back
         + Σ weight of each QA flag             FLAG_WEIGHTS (untranslated 1 … punctuation 0.2)
         + TERM_WEIGHTS[how the terms were met] forced 0.5 > re-decoded 0.3 > n-best 0.1 > as translated 0
         + 2 when a reviewer rejected the English

``confidence`` is exp(the mean log-probability of the English's tokens): 1 for a translation
the model is sure of, towards 0 for one it is not (Fomicheva et al., TACL 2020, find this
sequence probability among the best unsupervised quality estimates of NMT). Reviewed and
drafted segments (a person's English) and boilerplate carry no risk. The weights are a
reviewer's order of gravity, not learned: with no real model here, how well this order finds
real errors could not be measured (README "Review the riskiest first").
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from .model import (
    BOILERPLATE_FLAG,
    BRACKETS_QUOTES,
    HUMAN_ORIGINS,
    INCONSISTENT,
    LENGTH_RATIO,
    MARKUP_UNALIGNED,
    NUMBER_MISMATCH,
    PUNCTUATION,
    REPETITION,
    TERM_FORCED,
    TERM_MISSING,
    TRUNCATED,
    UNTRANSLATED,
    Segment,
    probability,
)

FLAG_WEIGHTS = {
    UNTRANSLATED: 1.0,
    TERM_MISSING: 0.8,
    NUMBER_MISMATCH: 0.8,
    TRUNCATED: 0.6,
    REPETITION: 0.6,
    LENGTH_RATIO: 0.4,
    INCONSISTENT: 0.4,
    BRACKETS_QUOTES: 0.3,
    MARKUP_UNALIGNED: 0.2,
    PUNCTUATION: 0.2,
    TERM_FORCED: 0.0,  # counted by how the terms were met, below
}
TERM_WEIGHTS = {"forced": 0.5, "prefix": 0.3, "n-best": 0.1, "": 0.0}
REJECTED = 2.0


def confidence(seg: Segment) -> float | None:
    """exp(mean token log-probability) of the segment's machine translation, None without."""
    return probability(seg.confidence)


def risk(seg: Segment) -> float:
    """The segment's risk score (module docstring); 0 for a person's English and boilerplate."""
    if seg.origin in HUMAN_ORIGINS or BOILERPLATE_FLAG in seg.flags:
        return 0.0
    score = sum(FLAG_WEIGHTS.get(flag, 0.0) for flag in seg.flags)
    score += TERM_WEIGHTS.get(seg.term_method, 0.0)
    sure = confidence(seg)
    if sure is not None:
        score += 1.0 - sure
    back = probability(seg.round_trip)
    if back is not None:
        score += (1.0 - back) / 2
    if seg.rejected:
        score += REJECTED
    return round(score, 4)


def rank_risks(segments: list[Segment]) -> None:
    """The risk stage: set ``Segment.risk`` of every segment, after QA."""
    for seg in segments:
        seg.risk = risk(seg)


def riskiest(segments: Iterable[Segment], count: int | None = None) -> list[Segment]:
    """Segments with a risk, riskiest first (document order among equals); the ``count``
    first ones only are ever held (the rest of ``segments`` may be a stream)."""
    at_risk = (s for s in segments if s.risk > 0)
    if count is None:
        return sorted(at_risk, key=lambda s: s.risk, reverse=True)
    return heapq.nlargest(count, at_risk, key=lambda s: s.risk)
