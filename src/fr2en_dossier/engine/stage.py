"""The MT stage of a run, built once from the engine options: what ``fr2en translate``, the
library (:func:`run.translate_dossier`) and the review workspace all call to translate.

On first use it gets the fr→en package (installing it from the index when ``download`` says
so) and loads the engine, then keeps it; each call translates the segments that need it
through the translation cache (:func:`.pipeline.translate_segments`), keeps the machine
translation as ``Segment.mt`` (its confidence as ``Segment.confidence``), scores the round
trips when an en→fr package is installed (``Segment.round_trip``), and returns the run's
:class:`.pipeline.MtStats`. :meth:`close`
(or ``with``) releases the engine's workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from ..model import Segment
from .options import EngineOptions

# progress(phase, done, total): phase "download" (bytes) or "translate" (distinct inputs)
Progress = Callable[[str, int, int], None]


class MtStage:
    """Translate segments with the installed fr→en package, as ``options`` say."""

    def __init__(self, options: EngineOptions, *, cache: bool = True, download: bool = False,
                 progress: Progress | None = None):
        self.options = options
        self.cache = cache
        self.download = download
        self.progress = progress
        self._engine = None
        self._round_trip = False  # not looked for yet; then a RoundTrip, or None without en→fr

    @property
    def writable(self) -> list[Path]:
        """Folders a run must be able to write for this stage (the translation cache's)."""
        from .location import cache_folder

        return [cache_folder()] if self.cache else []

    def engine(self):
        """The loaded engine (the package installed first when it is missing and allowed)."""
        if self._engine is None:
            from .packages import ensure_fr_en
            from .translator import load_engine

            ensure_fr_en(self.download, self._phase("download"))
            self._engine = load_engine(self.options)
        return self._engine

    def __call__(self, segments: list[Segment], align: Callable[[Segment], bool] | None = None):
        """Translate the segments that need MT, in place; word alignments for those ``align``
        names (inline markup to carry over). Returns the ``MtStats``."""
        from contextlib import nullcontext

        from .cache import TranslationCache
        from .pipeline import needs_mt, translate_segments

        engine = self.engine()
        todo = [seg for seg in segments if needs_mt(seg)]
        with TranslationCache() if self.cache else nullcontext() as cache:
            stats = translate_segments(todo, engine, cache=cache, align=align,
                                       progress=self._phase("translate"))
        for seg in todo:
            seg.mt = seg.target
        self.score_round_trips(segments)
        return stats

    def score_round_trips(self, segments: list[Segment]) -> None:
        """Give each machine-translated segment its round-trip score, when an en→fr package is
        installed (:mod:`.round_trip`); without one, ``round_trip`` stays None."""
        from ..model import MACHINE_ORIGINS

        if self._round_trip is False:
            from .packages import find_package
            from .round_trip import RoundTrip

            reverse = find_package("en", "fr")
            self._round_trip = RoundTrip(reverse, self.options) if reverse is not None else None
        machine = [seg for seg in segments if seg.origin in MACHINE_ORIGINS and seg.target]
        if self._round_trip is None or not machine:
            return
        scores = self._round_trip.score([(seg.target, seg.mt_input) for seg in machine])
        for seg, score in zip(machine, scores):
            seg.round_trip = score

    def identity(self) -> dict:
        """What made the translations (for the report): the package (code, version, content
        hash), the options, what each worker resolved (device, compute type), and the en→fr
        package that scored round trips ("" when none)."""
        engine = self.engine()
        reverse = self._round_trip.package.id if self._round_trip else ""
        return {"package": engine.identity.code, "version": engine.identity.version,
                "model_hash": engine.identity.model_hash, "options": asdict(self.options),
                "device": engine.device, "compute_type": engine.compute_type,
                "round_trip": reverse}

    def close(self) -> None:
        """Release the engine's workers (a Ray backend's actors); a later call loads it again."""
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def __enter__(self) -> MtStage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _phase(self, name: str):
        if self.progress is None:
            return None
        return lambda done, total: self.progress(name, done, total)
