"""The project memory of reviewed translations (``memory.tmx``, beside ``glossary.tsv``).

``fr2en review import`` records reviewed English here; ``fr2en translate`` applies it before MT,
so reviewed segments skip MT and MT never overwrites them. A review is tied to a segment key AND
its French source: once the French of that segment changes, the old review no longer applies
(it stays in the file until a new review of that key replaces it). The file is TMX 1.4b, written
by the dossier's TMX writer, so OmegaT can use it as a project TM as well. It lives outside
``output/`` so that regenerating the outputs never loses a review.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from .formats.tmx import TmxUnit, read_tmx, unit_for_key, write_units
from .model import MT_FLAGS, Segment

DEFAULT_MEMORY = Path("memory.tmx")
REVIEW = "review"  # Segment.origin of a reviewed translation


class ReviewMemory:
    """Reviewed translations by segment key, loaded from and saved to one TMX file."""

    def __init__(self, path: str | Path, units: Iterable[TmxUnit] = ()):
        self.path = Path(path)
        self._units = {unit.tuid: unit for unit in units}

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MEMORY) -> ReviewMemory:
        """The memory stored at ``path``; empty when the file does not exist yet."""
        path = Path(path)
        if not path.exists():
            return cls(path)
        return cls(path, (unit for unit in read_tmx(path) if unit.target))

    def __len__(self) -> int:
        return len(self._units)

    def lookup(self, key: str, source: str) -> str | None:
        """The reviewed English of segment ``key``, if it was reviewed with this same ``source``."""
        unit = self._units.get(key)
        return unit.target if unit is not None and unit.source == source else None

    def apply(self, segments: Iterable[Segment]) -> int:
        """Give every segment with a matching review its reviewed English; return how many.

        Such a segment gets origin "review", loses its engine score and the engine's
        ``truncated`` and ``term-forced`` flags (they described the machine translation it replaces).
        """
        applied = 0
        for seg in segments:
            target = self.lookup(seg.key, seg.source)
            if target is not None:
                seg.target, seg.origin, seg.score = target, REVIEW, None
                seg.flags = [flag for flag in seg.flags if flag not in MT_FLAGS]
                applied += 1
        return applied

    def add(self, segment_key: str, source: str, target: str) -> bool:
        """Record a review of ``segment_key``; False when it was already recorded as is."""
        if self.lookup(segment_key, source) == target:
            return False
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self._units[segment_key] = unit_for_key(
            segment_key, source, target, props=[("x-origin", REVIEW)], changedate=stamp
        )
        return True

    def save(self) -> None:
        """Write the memory to its file (atomically), in document order."""
        write_units(sorted(self._units.values(), key=_position), self.path)


def _position(unit: TmxUnit) -> tuple[str, int, int]:
    missing = -1  # units without a block/index sort first in their document
    block = missing if unit.block is None else unit.block
    return unit.doc, block, missing if unit.index is None else unit.index
