"""The MT stage: fill ``Segment.target`` from the cache or, in one batched call, the engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import BOILERPLATE_FLAG, TRUNCATED, Segment
from .cache import TranslationCache
from .translator import Engine, Progress


@dataclass(frozen=True)
class MtStats:
    segments: int  # segments that needed a translation
    from_cache: int  # of which served by the cache
    translated: int  # distinct inputs the engine translated
    truncated: int  # segments flagged model.TRUNCATED


def needs_mt(seg: Segment) -> bool:
    """A segment goes to MT unless it already has a target or is boilerplate."""
    return not seg.target and BOILERPLATE_FLAG not in seg.flags


def translate_segments(
    segments: Iterable[Segment],
    engine: Engine,
    *,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
) -> MtStats:
    """Translate ``seg.mt_input`` of every segment that :func:`needs_mt`, in place.

    Sets ``target``, ``score`` and ``origin`` ("cache" or "mt"); flags model.TRUNCATED where
    the engine split or cut. Identical inputs are translated once. ``progress(done, total)``
    counts distinct inputs as they get their translation.
    """
    todo = [seg for seg in segments if needs_mt(seg)]
    inputs = list(dict.fromkeys(seg.mt_input for seg in todo))
    cached = cache.get_many(engine.cache_key, inputs) if cache is not None else {}
    missing = [text for text in inputs if text not in cached]
    if progress:
        progress(len(cached), len(inputs))
    fresh = {}
    if missing:
        on_engine = None
        if progress:
            on_engine = lambda done, _total: progress(len(cached) + done, len(inputs))  # noqa: E731
        fresh = dict(zip(missing, engine.translate(missing, progress=on_engine)))
        if cache is not None:
            cache.put_many(engine.cache_key, fresh.items())
    truncated = 0
    for seg in todo:
        hit = seg.mt_input in cached
        result = cached[seg.mt_input] if hit else fresh[seg.mt_input]
        seg.target, seg.score, seg.origin = result.text, result.score, "cache" if hit else "mt"
        if result.truncated:
            seg.flag(TRUNCATED)
            truncated += 1
    from_cache = sum(1 for seg in todo if seg.origin == "cache")
    return MtStats(len(todo), from_cache, len(missing), truncated)
