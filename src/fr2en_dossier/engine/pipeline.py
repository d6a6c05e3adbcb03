"""The MT stage: fill ``Segment.target`` from the cache or, in one batched call, the engine;
then the terminology passes (:mod:`.terms`) for segments whose English lacks a glossary term."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..glossary.verify import missing_targets
from ..model import BOILERPLATE_FLAG, CACHE, MT, TERM_FORCED, TRUNCATED, Segment
from . import terms
from .alignment import word_alignment
from .cache import TranslationCache
from .translator import Engine, Progress, Translation


@dataclass(frozen=True)
class MtStats:
    segments: int  # segments that needed a translation
    from_cache: int  # of which served by the cache
    translated: int  # distinct inputs the engine translated
    truncated: int  # segments flagged model.TRUNCATED
    # Terminology passes, over the distinct inputs the engine translated with glossary hits:
    term_missing: int = 0  # best translation lacked a term after the first decoding
    term_nbest: int = 0  # of which met by another beam hypothesis
    term_prefix: int = 0  # by one constrained re-decode
    term_forced: int = 0  # by replacing the aligned span (flagged model.TERM_FORCED)
    term_seconds: float = 0.0  # time of the terminology passes (selection, re-decode, repair)


def needs_mt(seg: Segment) -> bool:
    """A segment goes to MT unless it already has a target or is boilerplate."""
    return not seg.target and BOILERPLATE_FLAG not in seg.flags


def translate_segments(
    segments: Iterable[Segment],
    engine: Engine,
    *,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
    align: Callable[[Segment], bool] | None = None,
) -> MtStats:
    """Translate ``seg.mt_input`` of every segment that :func:`needs_mt`, in place.

    Sets ``target``, ``score``, ``origin`` ("cache" or "mt") and ``term_method``; flags
    model.TRUNCATED where the engine split or cut, model.TERM_FORCED where a term had to be
    written in. Identical inputs with the same terms are translated once. ``progress(done,
    total)`` counts distinct inputs as they get their first translation. Segments for which
    ``align(seg)`` is true (and whose French the glossary did not repair) also get
    ``alignment`` from the engine's attention (:mod:`.alignment`); they skip the cache, which
    keeps no attention.
    """
    todo = [seg for seg in segments if needs_mt(seg)]
    jobs = {id(seg): terms.job_for(seg) for seg in todo}
    keys = {id(seg): _key(seg, jobs[id(seg)]) for seg in todo}
    work = {keys[id(seg)]: (seg.mt_input, jobs[id(seg)]) for seg in todo}
    wanted = [seg for seg in todo if align and seg.engine_input is None and align(seg)]
    aligned_keys = {keys[id(seg)] for seg in wanted}
    cached: dict[tuple, Translation] = {}
    if cache is not None:
        for engine_key in {key[0] for key in work}:
            texts = [text for key, (text, _) in work.items()
                     if key[0] == engine_key and key not in aligned_keys]  # fmt: skip
            found = cache.get_many(_engine_key(engine, engine_key), texts)
            cached.update({(engine_key, text): t for text, t in found.items()})
    missing = [key for key in work if key not in cached]
    texts = list(dict.fromkeys(work[key][0] for key in missing))
    if progress:
        progress(len(work) - len(missing), len(work))
    on_engine = None
    if progress:
        on_engine = lambda done, _total: progress(len(work) - len(missing) + done, len(work))  # noqa: E731
    position = {text: i for i, text in enumerate(texts)}
    detail = {position[work[key][0]] for key in missing if work[key][1] or key in aligned_keys}
    first = dict(zip(texts, engine.translate(texts, progress=on_engine, detail=detail))) if texts else {}
    fresh, stats = _enforce(engine, {key: (first[work[key][0]], work[key][1]) for key in missing})
    if cache is not None:
        for engine_key in {key[0] for key in fresh}:
            items = [(key[1], t) for key, t in fresh.items() if key[0] == engine_key]
            cache.put_many(_engine_key(engine, engine_key), items)
    truncated = 0
    for seg in todo:
        key = keys[id(seg)]
        hit = key in cached
        result = cached[key] if hit else fresh[key]
        seg.target, seg.score, seg.origin = result.text, result.score, CACHE if hit else MT
        seg.term_method = result.method
        if result.truncated:
            seg.flag(TRUNCATED)
            truncated += 1
        if result.method == terms.FORCED:
            listed = ", ".join(jobs[id(seg)].targets)
            seg.flag(TERM_FORCED, f"the model would not write every term of {listed}, even after "
                                  "a forced prefix: the missing ones replace the English aligned "
                                  "with their French")
    for seg in wanted:
        final = fresh[keys[id(seg)]]
        seg.alignment = _alignment(engine, seg, (*final.hypotheses, *first[seg.mt_input].hypotheses))
    from_cache = sum(1 for seg in todo if seg.origin == CACHE)
    return MtStats(len(todo), from_cache, len(texts), truncated, **stats)


def _alignment(engine: Engine, seg: Segment, hypotheses) -> list[list[int]]:
    """The word alignment of ``seg``'s English from the decoded hypothesis that became it (the
    re-decode's or one of the first decoding's; none when a term was forced into the text)."""
    hyp = next((h for h in hypotheses if h.text == seg.target), None)
    if hyp is None:
        return []
    links = word_alignment(seg.mt_input, engine.piece_spans(seg.mt_input), hyp)
    return [list(link) for link in links]


def _key(seg: Segment, job: terms.Job | None) -> tuple[str, str]:
    """(terminology part of the cache key, engine input): inputs with terms are cached with them."""
    if job is None:
        return "", seg.mt_input
    return json.dumps([job.targets, job.spans, job.avoid], ensure_ascii=False), seg.mt_input


def _engine_key(engine: Engine, terms_part: str) -> str:
    return engine.cache_key + (f"|terms={terms_part}" if terms_part else "")


def _enforce(engine: Engine, first: dict) -> tuple[dict, dict]:
    """Final translations of ``first`` ({key: (first decoding, job)}) and the term counts."""
    started = time.perf_counter()
    done: dict = {}
    redo: dict = {}
    for key, (translation, job) in first.items():
        chosen = terms.choose(job, translation) if job else translation
        if chosen is None:
            redo[key] = (job, translation)
        else:
            done[key] = chosen
    missed = sum(1 for key, (t, job) in first.items() if job and missing_targets(t.text, job.targets))
    constraints = [terms.constraint(engine, job, t.hypotheses[0]) for job, t in redo.values()]
    results = engine.constrained(constraints) if constraints else []
    for (key, (job, translation)), result in zip(redo.items(), results):
        method, text = terms.PREFIX, result.text
        if missing_targets(text, job.targets):
            method, text = terms.FORCED, terms.forced(job, result, engine)
        kept = (result,) if method == terms.PREFIX else ()  # its attention: a word alignment
        done[key] = Translation(text, result.score, translation.truncated, method, kept)
    methods = [t.method for t in done.values()]
    stats = dict(
        term_missing=missed,
        term_nbest=methods.count(terms.NBEST),
        term_prefix=methods.count(terms.PREFIX),
        term_forced=methods.count(terms.FORCED),
        term_seconds=round(time.perf_counter() - started, 3),
    )
    return {key: done[key] for key in first}, stats
