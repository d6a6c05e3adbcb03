"""``report.json``: every segment with all its fields, totals per flag, the analysis against the
memory (:mod:`analysis`), and how the run was made.

The reader gives back the exact Segments (hits and flags included), so ``fr2en review import``
can rebuild every output from the report without re-running the pipeline.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from itertools import chain, groupby
from pathlib import Path

from .. import __version__
from ..analysis import BANDS, Analysis
from ..atomic import atomic_write_stream
from ..errors import Fr2enError
from ..model import (
    Document,
    Part,
    Segment,
    document_from_dict,
    document_to_dict,
    flag_totals,
    known_fields,
    parts_of,
    segment_from_dict,
    segment_to_dict,
    segments_of,
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


class Totals:
    """The counts of :func:`report_totals`, added up one document (or any batch) at a time."""

    def __init__(self) -> None:
        self.segments, self.translated, self.docs = 0, 0, set()
        self.origins, self.flags = Counter(), flag_totals([])

    def add(self, segments: Iterable[Segment]) -> Totals:
        for seg in segments:
            self.segments += 1
            self.docs.add(seg.doc)
            self.translated += bool(seg.target and seg.target.strip())
            if seg.origin:
                self.origins[seg.origin] += 1
            for name in seg.flags:
                self.flags[name] = self.flags.get(name, 0) + 1
        return self

    def result(self) -> dict:
        return {"segments": self.segments, "documents": len(self.docs),
                "translated": self.translated, "origins": dict(self.origins),
                "flags": dict(self.flags)}


def report_totals(segments: Iterable[Segment]) -> dict:
    """Counts of a run: segments, documents, translated, per target origin and per flag."""
    return Totals().add(segments).result()


def write_report(parts: Iterable[Part], path: str | os.PathLike, run: RunInfo, *,
                 seen=None, totals: dict | None = None) -> Path:
    """Write the report of ``parts`` (:func:`model.parts_of`) to ``path`` atomically, one
    segment, document and document analysis at a time — a line each —, so neither the JSON
    text nor the dossier is ever whole in memory (``parts`` is read three times, four without
    the ``totals`` of :func:`report_totals`). ``seen``: the analysis' container of the French
    met (:class:`analysis.Analysis`)."""
    head = {
        "format": REPORT_FORMAT,
        "tool": {"name": "fr2en-dossier", "version": __version__},
        "run": {k: v for k, v in asdict(replace(run, documents=[], terms={})).items()
                if k not in ("documents", "terms")},
        "totals": totals if totals is not None else report_totals(segments_of(parts)),
        "terms": run.terms,
    }
    analysis = Analysis(seen)
    lists = {"segments": (segment_to_dict(seg) for seg in segments_of(parts)),
             "documents": (document_to_dict(p.document) for p in parts if p.document)}

    def encoded(value) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")

    def array(fh, items) -> None:
        fh.write(b"[")
        for i, item in enumerate(items):
            fh.write((b",\n  " if i else b"\n  ") + encoded(item))
        fh.write(b"\n ]")

    def write(fh) -> None:
        fh.write(b"{\n")
        for key, value in head.items():
            fh.write(b" " + encoded(key) + b": " + encoded(value) + b",\n")
        for key, items in lists.items():
            fh.write(b" " + encoded(key) + b": ")
            array(fh, items)
            fh.write(b",\n")
        fh.write(b' "analysis": {"bands": ' + encoded(list(BANDS)) + b', "documents": ')
        array(fh, analysis.documents(parts))
        fh.write(b', "total": ' + encoded(analysis.totals()) + b"}\n}\n")

    return atomic_write_stream(path, write)


@dataclass
class Record:
    """One record line of a report (:func:`scan_report`): which array it is in, where it lies
    in the file (byte offset and length, for :func:`read_records`) and its data."""

    array: str  # "segments" or "documents"
    offset: int
    length: int
    data: dict


def scan_report(path: str | os.PathLike, head: dict,
                arrays: tuple[str, ...] = ("segments", "documents")) -> Iterator[Record]:
    """Every record of the ``arrays`` of the report at ``path`` (the others' lines are
    skipped unread), laid out as :func:`write_report` lays it out, one line at a time;
    ``head`` is given the top-level values (``run``, ``terms``…) and the analysis' ``total``.
    Fr2enError naming the file when it is not laid out so (another layout, or a bad file)."""
    with open(path, "rb") as fh:
        offset = 0

        def lines():
            nonlocal offset
            for line in fh:
                yield offset, line
                offset += len(line)

        numbered = lines()
        try:
            if next(numbered, (0, b""))[1] != b"{\n":
                raise ValueError("not laid out a record a line")
            for _, line in numbered:
                key, _, rest = line.decode("utf-8")[2:].partition('": ')
                if key == "analysis":
                    head["analysis"] = _analysis_total(numbered)
                    return
                if key not in ("segments", "documents"):
                    head[key] = json.loads(rest.rstrip().removesuffix(","))
                    continue
                for at, record in numbered:
                    if record.startswith(b" ]"):
                        break
                    if key in arrays:
                        data = json.loads(record.rstrip().removesuffix(b","))
                        yield Record(key, at, len(record), data)
            raise ValueError("no analysis at its end")
        except (ValueError, UnicodeDecodeError) as err:
            raise Fr2enError(f"{path}: not a report fr2en can read a document at a time "
                             f"(near byte {offset}): {err}") from None


def _analysis_total(numbered) -> dict:
    """The analysis' ``total``, on the line that closes its documents (:func:`write_report`)."""
    for _, line in numbered:
        if line.startswith(b" ], \"total\": "):
            return json.loads(line[len(b" ], \"total\": "):].rstrip().removesuffix(b"}"))
    raise ValueError("the analysis has no total")


def report_parts(path: str | os.PathLike) -> tuple[RunInfo, Iterator[Part]]:
    """The run of the report at ``path`` (its documents aside) and its parts, read as they
    are needed (:func:`scan_report`), so that the dossier is never whole in memory; a report
    of another layout is read whole (:func:`load_report`)."""
    try:
        laid_out = _laid_out(path)
    except FileNotFoundError:
        raise Fr2enError(f"{path}: no report here (run `fr2en translate` first)") from None
    except OSError as err:
        raise Fr2enError(f"{path}: not a readable report: {err}") from None
    if not laid_out:
        report = load_report(path)
        return report.run, iter(parts_of(report.segments, report.run.documents))
    head: dict = {}
    documents = scan_report(path, {}, ("documents",))
    segments = scan_report(path, head, ("segments",))
    first = next(segments, None)
    if head.get("format") != REPORT_FORMAT:
        raise Fr2enError(f"{path}: not a fr2en report (format {REPORT_FORMAT} expected)")
    run = run_info(path, head)

    def parts() -> Iterator[Part]:
        """The segments, a document at a time, each with its document record: the records
        are in the parts' order, those of a document without segments among them, those of
        segments without a document (an early version's) none."""
        waiting = next(documents, None)
        records = chain([first] if first is not None else [], segments)
        try:
            for stem, group in groupby(records, key=lambda r: r.data.get("doc")):
                found = [segment_from_dict(r.data) for r in group]
                while waiting is not None and waiting.data.get("stem") != stem:
                    yield Part(waiting.data.get("stem"), document_from_dict(waiting.data), [])
                    waiting = next(documents, None)
                document = None
                if waiting is not None:
                    document, waiting = document_from_dict(waiting.data), next(documents, None)
                yield Part(stem, document, found)
            while waiting is not None:
                yield Part(waiting.data.get("stem"), document_from_dict(waiting.data), [])
                waiting = next(documents, None)
        except (TypeError, ValueError, AttributeError) as err:
            raise Fr2enError(f"{path}: a bad record: {err}") from None

    return run, parts()


def read_records(path: str | os.PathLike, offset: int, length: int) -> list[dict]:
    """The record lines of ``length`` bytes at ``offset`` in the report at ``path``."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        text = fh.read(length)
    try:
        return [json.loads(line.rstrip().removesuffix(b",")) for line in text.splitlines() if line]
    except ValueError as err:
        raise Fr2enError(f"{path}: changed since it was read (byte {offset}): {err}") from None


def run_info(path: str | os.PathLike, data: dict) -> RunInfo:
    """The :class:`RunInfo` of a report's top-level ``data`` (its documents aside)."""
    try:
        run = RunInfo(**known_fields(RunInfo, data.get("run", {})))
    except TypeError as err:
        raise Fr2enError(f"{path}: bad run information: {err}") from None
    run.terms = data.get("terms") if isinstance(data.get("terms"), dict) else {}
    return run


def load_report(path: str | os.PathLike, docs: set[str] | None = None) -> Report:
    """Read a report written by :func:`write_report` — the segments and documents of the
    documents ``docs`` only (None: all) —; Fr2enError naming the file when it is bad. Laid out
    as :func:`write_report` writes it (a record a line), it is read one line at a time, so
    neither its text nor the other documents' records are ever in memory."""
    try:
        try:
            data = _by_line(path, docs)
        except Fr2enError:
            data = None
        if data is None:  # another layout (or a bad file, which json then names): whole
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if isinstance(data, dict) and docs is not None:
                for name in ("segments", "documents"):
                    data[name] = [r for r in data.get(name, []) if _doc_of(r, name) in docs]
    except FileNotFoundError:
        raise Fr2enError(f"{path}: no report here (run `fr2en translate` first)") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise Fr2enError(f"{path}: not a readable report: {err}") from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise Fr2enError(f"{path}: not a fr2en report (format {REPORT_FORMAT} expected)")
    run = run_info(path, data)
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


def _doc_of(record, name: str):
    """The document a report record belongs to (None for what is not a record)."""
    if not isinstance(record, dict):
        return None
    return record.get("doc" if name == "segments" else "stem")


def _by_line(path, docs: set[str] | None) -> dict | None:
    """The report's data, the records of ``docs`` only, read a line at a time
    (:func:`scan_report`); None when it is not laid out so."""
    if not _laid_out(path):
        return None
    data: dict = {"segments": [], "documents": []}
    for record in scan_report(path, data):
        if docs is None or _doc_of(record.data, record.array) in docs:
            data[record.array].append(record.data)
    return data


def _laid_out(path) -> bool:
    """Whether the report at ``path`` begins as :func:`write_report` lays it out."""
    with open(path, "rb") as fh:
        return fh.read(14) == b'{\n "format": '


def read_report(path: str | os.PathLike) -> list[Segment]:
    """The Segments of a report, every field restored."""
    return load_report(path).segments
