"""The ``fr2en translate`` run: segment → glossary → review memory → MT → QA → outputs.

:func:`write_outputs` writes every output of a list of Segments: it is also how
``fr2en review import`` rebuilds them. Outputs are written into a staging folder inside the
output folder, then renamed into place: a failure while writing leaves the previous outputs
exactly as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import Fr2enError
from .formats.report import RunInfo, report_totals
from .memory import DEFAULT_MEMORY
from .model import Document, Segment, by_document

TEXT_DIR = "en"
PO_DIR = "po"
TMX_FILE = "dossier.tmx"
HTML_FILE = "review.html"
REPORT_FILE = "report.json"


@dataclass
class OutputSummary:
    """What a run wrote: the report's totals, how it was made, and the paths written."""

    totals: dict  # formats.report.report_totals: segments, documents, translated, origins, flags
    run: RunInfo
    outputs: list[Path] = field(default_factory=list)


def translate_dossier(
    documents: list[Document],
    outdir: str | os.PathLike = "output",
    *,
    glossary_path: str | os.PathLike | None = None,
    memory_path: str | os.PathLike = DEFAULT_MEMORY,
    mt: Callable[[list[Segment]], object] | None = None,
    engine_options=None,
    include_boilerplate: bool = False,
) -> OutputSummary:
    """Translate ``documents`` and write every output into ``outdir``.

    ``mt`` is the MT stage: called once with all segments, it fills the targets of those that
    need MT (``engine.translate_segments`` through an engine and a cache, as the CLI's
    ``run_mt`` does); None means ``--no-mt``: targets stay empty unless reviewed.
    ``engine_options`` (an ``EngineOptions``) is recorded in the report.
    """
    from .glossary import apply_glossary, load_glossary
    from .memory import ReviewMemory
    from .qa import run_qa
    from .segmenter import segment_documents

    segments = segment_documents(documents)
    if not segments:
        raise Fr2enError("nothing to translate: no article with text among the inputs")
    if glossary_path is not None:
        apply_glossary(segments, load_glossary(glossary_path))
    ReviewMemory.load(memory_path).apply(segments)
    run = RunInfo(mt=mt is not None, glossary=str(glossary_path or ""), memory=str(memory_path))
    if mt is not None:
        from .engine import find_fr_en

        mt(segments)
        package = find_fr_en()
        run.engine = package.id if package else ""
        run.engine_options = asdict(engine_options) if engine_options is not None else {}
    run_qa(segments)
    return write_outputs(segments, outdir, include_boilerplate=include_boilerplate, run=run)


def write_outputs(
    segments: list[Segment],
    outdir: str | os.PathLike,
    *,
    include_boilerplate: bool = False,
    run: RunInfo | None = None,
) -> OutputSummary:
    """Write en/<stem>.txt, dossier.tmx, review.html, po/<stem>.po and report.json.

    All files are first written into a staging folder in ``outdir``, then renamed into place
    (report.json last), so an error while writing changes nothing in ``outdir``.
    ``run`` describes how the segments were made; it is stored in the report.
    """
    outdir = Path(outdir)
    run = replace(run or RunInfo(), include_boilerplate=include_boilerplate)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=outdir))
    except OSError as err:
        raise Fr2enError(
            f"{outdir}: cannot write the outputs here ({err.strerror or err})"
        ) from None
    try:
        written = [p for write in WRITERS for p in write(segments, staging, run)]
        outputs = []
        for path in written:
            final = outdir / path.relative_to(staging)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
            outputs.append(final)
    except OSError as err:
        where = err.filename or outdir
        raise Fr2enError(f"{where}: cannot write the outputs ({err.strerror or err})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return OutputSummary(report_totals(segments), run, outputs)


def _write_texts(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.text import write_texts

    return write_texts(segments, staging / TEXT_DIR, include_boilerplate=run.include_boilerplate)


def _write_tmx(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.tmx import write_tmx

    run.xml_chars_dropped = write_tmx(segments, staging / TMX_FILE)
    return [staging / TMX_FILE]


def _write_html(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.html import write_review_html

    return [write_review_html(segments, staging / HTML_FILE, run)]


def _write_po(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.po import write_po

    paths = []
    run.po_chars_dropped = 0
    for doc, doc_segments in by_document(segments).items():
        path = staging / PO_DIR / f"{doc}.po"
        run.po_chars_dropped += write_po(doc_segments, path)
        paths.append(path)
    return paths


def _write_report(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.report import write_report

    return [write_report(segments, staging / REPORT_FILE, run)]


# In writing order; the report comes last (it records what the TMX writer dropped).
WRITERS = [_write_texts, _write_tmx, _write_html, _write_po, _write_report]
