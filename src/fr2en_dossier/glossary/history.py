"""The mining's input from what a project keeps today: the reports of the kept generations of
its outputs and its review memory (one adapter, to be replaced when the memory changes form).

For each segment of the current report: its French, its reviewed or drafted English (origin
review/draft), and the engine's English with its alignment, from this report or, for a reviewed
segment, from the newest earlier generation where it was still machine-translated. Memory
entries of French the current outputs do not hold (orphans) come as reviews without MT.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Fr2enError
from ..formats.report import report_parts
from ..memory import ReviewMemory
from ..model import CACHE, HUMAN_ORIGINS, MT, Segment, comparable, segments_of
from ..outputs import REPORT_FILE, current_dir, generations_dir
from .mining import SegmentRecord


def project_candidates(project, segments: list[Segment], glossary, **options) -> list[dict]:
    """The JSON records of ``suggest_terms`` for ``segments`` of ``project``, with the English
    of its outputs and memory (``options``: min_count, top, pipeline) — the workspace's
    glossary panel and ``fr2en glossary suggest --format jsonl`` show the same."""
    from .suggest import suggest_terms

    found = suggest_terms(segments, glossary, records=project_records(project), **options)
    return [candidate.to_dict() for candidate in found]


def project_records(project) -> list[SegmentRecord]:
    """The :class:`mining.SegmentRecord` of every segment the project's outputs and memory
    know (empty before the first ``fr2en translate``)."""
    current = current_dir(project.output)
    if current is None:
        return []
    earlier = _machine_english(project.output, current)
    records, present = [], set()
    for seg in _segments(current / REPORT_FILE):
        records.append(_record(seg, earlier))
        present.add(comparable(seg.source))
    if project.memory.exists():  # read only: never created here
        with ReviewMemory(project.memory) as memory:
            records += [
                SegmentRecord(entry.key, entry.source, reviewed=entry.target, origin=entry.origin)
                for entry in memory.entries()
                if entry.source not in present
            ]
    return records


def _record(seg: Segment, earlier: dict) -> SegmentRecord:
    alignment = tuple(tuple(link) for link in seg.alignment)
    if seg.origin in HUMAN_ORIGINS:
        mt, old_alignment = earlier.get((seg.key, comparable(seg.source)), (None, ()))
        return SegmentRecord(seg.key, seg.source, mt, old_alignment, seg.target, seg.origin)
    return SegmentRecord(seg.key, seg.source, seg.target, alignment)


def _machine_english(outdir, current) -> dict:
    """(key, French) → (MT English, alignment) from the generations before ``current``,
    the newest winning."""
    found: dict = {}
    folders = sorted(p for p in generations_dir(outdir).glob("*")
                     if not p.name.startswith(".") and (p / REPORT_FILE).is_file())  # fmt: skip
    for folder in folders:
        if folder.resolve() == current.resolve():
            continue
        try:
            for seg in _segments(folder / REPORT_FILE):
                if seg.origin in (MT, CACHE) and seg.target:
                    alignment = tuple(tuple(link) for link in seg.alignment)
                    found[seg.key, comparable(seg.source)] = (seg.target, alignment)
        except Fr2enError:
            continue  # an older report this version cannot read: its MT is not needed
    return found


def _segments(report) -> Iterator[Segment]:
    """The segments of ``report``, a document at a time."""
    return segments_of(report_parts(report)[1])
