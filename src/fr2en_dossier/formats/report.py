"""``report.json``: every segment with all its fields, totals per flag, the analysis against the
memory (:mod:`analysis`), and how the run was made.

The reader gives back the exact Segments (hits and flags included), so ``fr2en review import``
can rebuild every output from the report without re-running the pipeline.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..analysis import analyse
from ..atomic import atomic_write_stream
from ..errors import Fr2enError
from ..model import (
    Document,
    Segment,
    document_from_dict,
    document_to_dict,
    flag_totals,
    known_fields,
    segment_from_dict,
    segment_to_dict,
)

REPORT_FORMAT = 1


@dataclass
class RunInfo:
    """How the outputs were made (the report's ``run`` object)."""

    id: str = ""  # unique per run; also in dossier.tmx, every PO header and review.html
    mt: bool = True  # False with --no-mt
    engine: str = ""  # the Argos package used, e.g. "translate-fr_en 1.9"
    engine_options: dict = field(default_factory=dict)  # beam size, device, compute type, ...
    # The model's sha256 (engine.identity) and what the engine resolved "auto"/"default" to.
    engine_model: str = ""
    engine_device: str = ""  # e.g. "cpu/int8", "cuda/float16"
    round_trip: str = ""  # the en→fr package that scored the round trips ("" when none)
    mt_stats: dict = field(default_factory=dict)  # engine.MtStats: cache hits, terminology passes
    terms: dict = field(default_factory=dict)  # the term scoreboard (scoreboard.py)
    glossary: str = ""  # glossary path ("" when none)
    memory: str = ""  # review memory path
    project: str = ""  # the project root
    include_boilerplate: bool = False  # boilerplate kept in en/*.txt
    translate_boilerplate: bool = False  # boilerplate translated too (fr2en translate option)
    xml_chars_dropped: int = 0  # characters not allowed in XML 1.0, left out of dossier.tmx
    po_chars_dropped: int = 0  # characters gettext cannot carry, left out of po/*.po
    xliff: list[str] = field(default_factory=list)  # XLIFF versions written ([outputs] xliff)
    xliff_chars_dropped: int = 0  # characters XML 1.0 cannot carry, left out of the XLIFF files
    # The input documents' layout (format, metadata, blocks with their markup), from which the
    # English is rebuilt in each input's format; report.json keeps it as "documents".
    documents: list[Document] = field(default_factory=list)


@dataclass
class Report:
    segments: list[Segment]
    run: RunInfo


def report_totals(segments: list[Segment]) -> dict:
    """Counts of a run: segments, documents, translated, per target origin and per flag."""
    return {
        "segments": len(segments),
        "documents": len({s.doc for s in segments}),
        "translated": sum(1 for s in segments if s.target and s.target.strip()),
        "origins": dict(Counter(s.origin for s in segments if s.origin)),
        "flags": flag_totals(segments),
    }


def write_report(segments: list[Segment], path: str | os.PathLike, run: RunInfo) -> Path:
    """Write the report of ``segments`` to ``path`` (atomically, one segment and one document
    at a time — a line each —, so the whole JSON text is never in memory)."""
    head = {
        "format": REPORT_FORMAT,
        "tool": {"name": "fr2en-dossier", "version": __version__},
        "run": {k: v for k, v in asdict(replace(run, documents=[], terms={})).items()
                if k not in ("documents", "terms")},
        "totals": report_totals(segments),
        "terms": run.terms,
        "analysis": analyse(segments),
    }
    lists = {"segments": (segment_to_dict(seg) for seg in segments),
             "documents": (document_to_dict(doc) for doc in run.documents)}

    def encoded(value) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")

    def write(fh) -> None:
        fh.write(b"{\n")
        for key, value in head.items():
            fh.write(b" " + encoded(key) + b": " + encoded(value) + b",\n")
        for n, (key, items) in enumerate(lists.items()):
            fh.write(b" " + encoded(key) + b": [")
            for i, item in enumerate(items):
                fh.write((b",\n  " if i else b"\n  ") + encoded(item))
            fh.write(b"\n ]" + (b",\n" if n + 1 < len(lists) else b"\n"))
        fh.write(b"}\n")

    return atomic_write_stream(path, write)


def load_report(path: str | os.PathLike) -> Report:
    """Read a report written by :func:`write_report`; Fr2enError naming the file when it is bad."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Fr2enError(f"{path}: no report here (run `fr2en translate` first)") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise Fr2enError(f"{path}: not a readable report: {err}") from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise Fr2enError(f"{path}: not a fr2en report (format {REPORT_FORMAT} expected)")
    try:
        run = RunInfo(**known_fields(RunInfo, data.get("run", {})))
    except TypeError as err:
        raise Fr2enError(f"{path}: bad run information: {err}") from None
    run.terms = data.get("terms") if isinstance(data.get("terms"), dict) else {}
    for number, record in enumerate(data.get("documents", []), 1):
        try:
            run.documents.append(document_from_dict(record))
        except (TypeError, ValueError, AttributeError) as err:
            raise Fr2enError(f"{path}: document {number}: {err}") from None
    segments = []
    for number, record in enumerate(data.get("segments", []), 1):
        try:
            segments.append(segment_from_dict(record))
        except (TypeError, ValueError, AttributeError) as err:
            raise Fr2enError(f"{path}: segment {number}: {err}") from None
    return Report(segments, run)


def read_report(path: str | os.PathLike) -> list[Segment]:
    """The Segments of a report, every field restored."""
    return load_report(path).segments
