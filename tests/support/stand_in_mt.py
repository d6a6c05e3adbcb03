"""A stand-in MT stage for tests of the run layer's logic (what is translated, in which
order, what is kept): it has the interface of ``engine.stage.MtStage`` and writes
``EN <engine input>``. Tests of translation itself use the real engine on the synthetic package."""

from __future__ import annotations

from fr2en_dossier.engine.pipeline import MtStats, needs_mt


class StandInMt:
    writable: list = []

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, str | None, str]]] = []

    def __call__(self, segments, align=None) -> MtStats:
        self.calls.append([(s.key, s.target, s.origin) for s in segments])
        todo = [seg for seg in segments if needs_mt(seg)]
        for seg in todo:
            seg.target, seg.origin = f"EN {seg.mt_input}", "mt"
            seg.mt = seg.target
        return MtStats(len(todo), 0, len(todo), 0)

    def identity(self) -> dict:
        return {"package": "stand-in", "version": "0", "model_hash": "", "options": {},
                "device": "cpu", "compute_type": "none", "round_trip": ""}
