"""The MT stage: fill ``Segment.target`` from the cache or, in one batched call, the engine;
then the terminology passes (:mod:`.terms`) for segments whose English lacks a glossary term.
Translations reach the cache batch by batch, as they become final."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from ..glossary.verify import missing_targets
from ..model import BOILERPLATE_FLAG, CACHE, MT, TERM_FORCED, TRUNCATED, Segment
from . import terms
from .alignment import word_alignment
from .cache import TranslationCache
from .options import EngineOptions
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

    def __add__(self, other: MtStats) -> MtStats:
        """The stats of two calls of the stage together (the chunks of one run)."""
        return MtStats(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                          for f in fields(self)})


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
    model.TRUNCATED where the engine split or cut (the reason names the limit),
    model.TERM_FORCED where a term had to be written in. Identical inputs with the same terms
    are translated once. ``progress(done, total)`` counts distinct inputs as they get their
    first translation. Segments for which ``align(seg)`` is true (and whose French the glossary
    did not repair) also get ``alignment`` from the engine's attention (:mod:`.alignment`);
    they skip the cache, which keeps no attention. Each translation is stored in the cache
    with the batch that finishes it (a killed run keeps every finished batch).
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
    passes = _Passes(engine, cache, {key: work[key][1] for key in missing})
    first = dict(zip(texts, engine.translate(
        texts, progress=on_engine, detail=detail,
        on_batch=lambda done: passes.first([(texts[i], t) for i, t in done]),
    ))) if texts else {}
    passes.redecode()
    fresh = passes.final
    truncated = 0
    for seg in todo:
        key = keys[id(seg)]
        hit = key in cached
        result = cached[key] if hit else fresh[key]
        seg.target, seg.score, seg.origin = result.text, result.score, CACHE if hit else MT
        seg.confidence = result.confidence
        seg.term_method = result.method
        if result.truncated:
            seg.flag(TRUNCATED, truncation_reason(result.truncated, engine.options))
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
    return MtStats(len(todo), from_cache, len(texts), truncated, **passes.stats())


def truncation_reason(limit: str, options: EngineOptions) -> str:
    """The ``truncated`` flag's reason for a ``Translation.truncated`` value."""
    reasons = []
    if limit in ("input", "input and output"):
        reasons.append(f"the French is longer than the model's input limit (max_input_tokens: "
                       f"{options.max_input_tokens} pieces): translated in parts, joined")
    if limit in ("output", "input and output"):
        reasons.append(f"the English reached the decoding cap (max_decoding_length: "
                       f"{options.max_decoding_length} pieces): its end may be missing")
    return "; ".join(reasons)


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


class _Passes:
    """The terminology passes over the engine's first decodings, batch by batch as they come,
    then the constrained re-decodes; every translation that is final is stored in the cache
    with its batch."""

    def __init__(self, engine: Engine, cache: TranslationCache | None, jobs: dict):
        self.engine, self.cache = engine, cache
        self.by_text: dict[str, list[tuple]] = {}  # engine input → its keys ({key: job})
        for key, job in jobs.items():
            self.by_text.setdefault(key[1], []).append((key, job))
        self.final: dict[tuple, Translation] = {}
        self.redo: dict[tuple, tuple[terms.Job, Translation]] = {}
        self.missed = 0
        self.seconds = 0.0

    def first(self, done: list[tuple[str, Translation]]) -> None:
        """Settle the keys of the texts a first-decoding batch finished."""
        started = time.perf_counter()
        settled = []
        for text, translation in done:
            for key, job in self.by_text[text]:
                self.missed += bool(job and missing_targets(translation.text, job.targets))
                chosen = terms.choose(job, translation) if job else translation
                if chosen is None:
                    self.redo[key] = (job, translation)
                else:
                    self.final[key] = chosen
                    settled.append(key)
        self.seconds += time.perf_counter() - started
        self._store(settled)

    def redecode(self) -> None:
        """One constrained re-decode for each key no hypothesis of the first decoding met."""
        started = time.perf_counter()
        redo = list(self.redo.items())
        constraints = [terms.constraint(self.engine, job, t.hypotheses[0]) for _, (job, t) in redo]

        def settle(done: list[tuple[int, object]]) -> None:
            for k, result in done:
                key, (job, translation) = redo[k]
                method, text = terms.PREFIX, result.text
                if missing_targets(text, job.targets):
                    method, text = terms.FORCED, terms.forced(job, result, self.engine)
                kept = (result,) if method == terms.PREFIX else ()  # its attention: an alignment
                self.final[key] = Translation(text, result.score, translation.truncated, method,
                                              result.confidence, kept)
            self._store([redo[k][0] for k, _ in done])

        if constraints:
            self.engine.constrained(constraints, on_batch=settle)
        self.seconds += time.perf_counter() - started

    def stats(self) -> dict:
        methods = [t.method for t in self.final.values()]
        return dict(
            term_missing=self.missed,
            term_nbest=methods.count(terms.NBEST),
            term_prefix=methods.count(terms.PREFIX),
            term_forced=methods.count(terms.FORCED),
            term_seconds=round(self.seconds, 3),
        )

    def _store(self, keys: list[tuple]) -> None:
        if self.cache is not None and keys:
            self.cache.store((_engine_key(self.engine, key[0]), key[1], self.final[key]) for key in keys)
