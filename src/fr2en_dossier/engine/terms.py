"""Glossary terms enforced on the English side, after the first decoding (README "Terminology").

A segment whose best translation lacks one of its hits' English targets gets, in this order:

1. ``n-best``: the best-scoring beam hypothesis of the first decoding that holds every target;
2. ``prefix``: one constrained re-decode: ``target_prefix`` is the best hypothesis with the
   English span aligned to each missing hit (last decoder layer's attention) replaced by its
   target, up to the last one and the first piece of the word after it; the model finishes the
   sentence. Renderings the glossary forbids for those hits (column ``avoid``) are suppressed
   (``suppress_sequences``);
3. ``forced``: the aligned English span of each target still missing is replaced by it, and the
   segment is flagged ``term-forced``.

Segments that hold their targets after the first decoding cost nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..glossary.french import capitalized
from ..glossary.verify import missing_targets
from ..model import Segment
from .translator import WORD_START, Constraint, Engine, Hypothesis, Translation

NBEST, PREFIX, FORCED = "n-best", "prefix", "forced"


@dataclass(frozen=True)
class Job:
    """One distinct engine input and the English targets its translation must hold."""

    text: str
    targets: tuple[str, ...]  # distinct, in source order
    spans: tuple[tuple[int, int], ...]  # each target's first span in ``text``
    avoid: tuple[tuple[str, ...], ...]  # each target's forbidden renderings


def job_for(seg: Segment) -> Job | None:
    """The job of a segment's engine input and hits (None without a hit).

    A hit's span in the engine input is its own span when the French went to the engine as it
    is; when a fix rewrote it, the hit's words (or repair) are found there again, as whole
    words, in order.
    """
    text = seg.mt_input
    targets, spans, avoid = [], [], []
    pos = 0
    for hit in seg.hits:
        if text == seg.source:
            span = (hit.start - seg.start, hit.end - seg.start)
        else:
            needle = re.escape(hit.repair or hit.source)
            found = re.compile(rf"(?<!\w){needle}(?!\w)", re.IGNORECASE).search(text, pos)
            span = found.span() if found else (pos, pos)
        pos = span[1]
        if hit.target not in targets:
            targets.append(hit.target)
            spans.append(span)
            avoid.append(tuple(hit.avoid))
    if not targets:
        return None
    return Job(text, tuple(targets), tuple(spans), tuple(avoid))


def choose(job: Job, first: Translation) -> Translation | None:
    """The first decoding with its terms (as is, or the best n-best hypothesis holding them);
    None when none holds them all and the job needs a constrained re-decode."""
    if not missing_targets(first.text, job.targets) or not first.hypotheses:
        return first
    for hyp in first.hypotheses[1:]:
        if not missing_targets(hyp.text, job.targets):
            return replace(first, text=hyp.text, score=hyp.score, method=NBEST,
                           confidence=hyp.confidence, hypotheses=())
    return None


def constraint(engine: Engine, job: Job, best: Hypothesis) -> Constraint:
    """The re-decode of ``job``: each missing target put where its hit aligns in ``best``."""
    source = engine.tokenize(job.text)
    piece_spans = engine.piece_spans(job.text)
    prefix: list[str] = []
    pos = 0
    suppress: list[tuple[str, ...]] = []
    for i in sorted(missing_targets(best.text, job.targets), key=lambda i: job.spans[i]):
        start, end = aligned(best, _positions(piece_spans, job.spans[i]))
        start = max(start, pos)
        end = max(end, start)
        prefix += best.pieces[pos:start]
        prefix += engine.tokenize(capitalized(job.targets[i]) if not prefix else job.targets[i])
        pos = end
        for rendering in job.avoid[i]:
            suppress += [tuple(engine.tokenize(r)) for r in (rendering, capitalized(rendering))]
    # The word that followed the last span (``aligned`` ends spans at a word start) anchors
    # the model on a word boundary: it resumes there instead of gluing letters onto the term.
    prefix += best.pieces[pos : pos + 1]
    return Constraint(tuple(source), tuple(prefix), tuple(dict.fromkeys(suppress)))


def forced(job: Job, result: Hypothesis, engine: Engine) -> str:
    """``result``'s English with the aligned span of each target still missing replaced by it."""
    piece_spans = engine.piece_spans(job.text)
    edits = sorted(
        (*aligned(result, _positions(piece_spans, job.spans[i])), job.targets[i])
        for i in missing_targets(result.text, job.targets)
    )
    out: list[str] = []
    pos = 0
    for start, end, target in edits:
        start = max(start, pos)
        out += result.pieces[pos:start]
        out.append(WORD_START + (capitalized(target) if not out else target))
        pos = max(end, start)
    out += result.pieces[pos:]
    return "".join(out).replace(WORD_START, " ").strip()


def aligned(hyp: Hypothesis, sources: set[int]) -> tuple[int, int]:
    """The whole-word piece span of ``hyp`` aligned to the source pieces ``sources``: the
    output pieces whose strongest attention is on one of them; without one, an empty span
    before the piece that attends to them most."""
    rows = hyp.attention
    if not rows or not sources:
        return len(hyp.pieces), len(hyp.pieces)
    strongest = [max(range(len(row)), key=row.__getitem__) for row in rows]
    hits = [t for t, s in enumerate(strongest) if s in sources]
    if hits:
        start, end = min(hits), max(hits) + 1
    else:
        mass = [sum(row[s] for s in sources if s < len(row)) for row in rows]
        start = end = max(range(len(rows)), key=mass.__getitem__)
    pieces = hyp.pieces
    while 0 < start < len(pieces) and not pieces[start].startswith(WORD_START):
        start -= 1
    if not hits:
        return start, start  # nothing aligned: insert at that word's start, overwrite nothing
    while end < len(pieces) and not pieces[end].startswith(WORD_START):
        end += 1
    return start, end


def _positions(piece_spans: list[tuple[int, int]], span: tuple[int, int]) -> set[int]:
    """Indices of the source pieces overlapping the character ``span``."""
    start, end = span
    return {k for k, (a, b) in enumerate(piece_spans) if a < end and start < b and a < b}
