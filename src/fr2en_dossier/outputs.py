"""The output folder: every run writes a complete generation, made visible in one step.

``<output>`` is a symbolic link to ``<parent>/.<name>.generations/<run id>/``. A run writes all
its files (``en/<stem>.txt``, ``dossier.tmx``, ``review.html``, ``po/<stem>.po``,
``report.json``, and ``originals/<sha256><suffix>``: a copy of each input file but .txt, from
which the English documents are written in place, so later rebuilds need no input) into ``.staging-<run id>`` there, renames it to ``<run id>`` once complete,
then replaces the link with one ``rename``: whenever a run is killed, ``<output>`` shows one
complete generation, old or new. The last :data:`KEEP` generations are kept (earlier outputs
stay reachable); leftovers of killed runs are removed by the next writer. An ``<output>`` that
is a plain folder (written by an earlier version) becomes a generation of its own, untouched.

Callers hold the project lock (:meth:`project.Project.lock`) around :func:`write_generation`
and :func:`remove_leftovers`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .atomic import _umask
from .errors import Fr2enError
from .formats.report import Report, RunInfo, load_report, report_totals
from .model import Segment, by_document

TEXT_DIR = "en"
PO_DIR = "po"
TMX_FILE = "dossier.tmx"
HTML_FILE = "review.html"
REPORT_FILE = "report.json"
ORIGINALS_DIR = "originals"
KEEP = 3  # complete generations kept, the current one included
_STAGING = ".staging-"
_LINK = ".link-"


@dataclass
class OutputSummary:
    """What a run wrote: the report's totals, how it was made, and the paths written."""

    totals: dict  # formats.report.report_totals: segments, documents, translated, origins, flags
    run: RunInfo
    outputs: list[Path] = field(default_factory=list)  # as seen through <output>


def new_run_id() -> str:
    """A string unique per run that sorts by time: ``20261124T090102.123456Z-1a2b3c``."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def generations_dir(outdir: Path) -> Path:
    return outdir.parent / f".{outdir.name}.generations"


def current_dir(outdir: str | os.PathLike) -> Path | None:
    """The folder holding the current outputs: the link's target, a plain ``outdir``, or (when
    a run was killed while turning a plain folder into a generation) the newest generation."""
    outdir = Path(outdir)
    if outdir.is_dir():
        return outdir.resolve()
    complete = _complete(generations_dir(outdir))
    return complete[-1] if complete else None


def load_current(outdir: str | os.PathLike) -> Report:
    """The report of the current outputs, its documents with the input files they were read
    from (the copies in ``originals/``); Fr2enError when there are none."""
    folder = current_dir(outdir)
    if folder is None:
        raise Fr2enError(f"{outdir}: no outputs here (run `fr2en translate` first)")
    report = load_report(folder / REPORT_FILE)
    _find_originals(report.run.documents, folder, inputs=False)
    return report


def check_output_path(outdir: str | os.PathLike) -> None:
    """Fr2enError unless ``outdir`` can become the output link: missing, a link, an empty
    folder, or a folder of earlier fr2en outputs (kept as a generation). Any other folder or
    file is the user's: it is never moved, so choosing it as ``-o`` is refused up front."""
    outdir = Path(outdir)
    if outdir.is_symlink() or not outdir.exists():
        return
    if not outdir.is_dir():
        raise Fr2enError(f"{outdir}: exists and is not a folder; give another output path")
    from .formats.html import PAGES_DIR_SUFFIX

    ours = {TEXT_DIR, PO_DIR, TMX_FILE, HTML_FILE, REPORT_FILE, ORIGINALS_DIR,
            Path(HTML_FILE).stem + PAGES_DIR_SUFFIX}
    names = {p.name for p in outdir.iterdir() if not p.name.startswith(_STAGING)}
    if names - ours or (names and REPORT_FILE not in names):
        raise Fr2enError(
            f"{outdir}: a folder that does not hold fr2en outputs (it has "
            f"{sorted(names - ours or names)[0]!r}); give an output path of its own"
        )


def check_writable(*folders: Path) -> None:
    """Fr2enError naming the first of ``folders`` (created if missing) where no file can be
    created: found before a long run starts rather than after it."""
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as err:
            raise Fr2enError(f"{err.filename or folder}: cannot write here ({err.strerror})") from None


def remove_leftovers(outdir: str | os.PathLike) -> int:
    """Remove what killed runs left beside ``outdir`` (staging folders, link files); count them."""
    outdir = Path(outdir)
    leftovers = list(generations_dir(outdir).glob(f"{_STAGING}*"))
    leftovers += outdir.parent.glob(f".{outdir.name}{_LINK}*")
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(leftovers)


def write_generation(segments: list[Segment], outdir: str | os.PathLike, run: RunInfo) -> OutputSummary:
    """Write every output of ``segments`` as a new generation and make it the current one.

    ``run`` describes how the segments were made (stored in the report); it gets a new
    ``run.id``. An error while writing leaves the current outputs as they were.
    """
    outdir = Path(outdir)
    check_output_path(outdir)
    _find_originals(run.documents, current_dir(outdir))
    run.id = new_run_id()
    generations = generations_dir(outdir)
    try:
        generations.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{run.id}-", dir=generations))
        staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide the outputs from others
    except OSError as err:
        raise Fr2enError(f"{err.filename or outdir}: cannot write the outputs ({err.strerror})") from None
    try:
        written = [path for write in WRITERS for path in write(segments, staging, run)]
        final = generations / run.id
        _sync(staging)
        os.rename(staging, final)
        _sync(generations)
        _point(outdir, final)
    except OSError as err:
        where = err.filename or outdir
        raise Fr2enError(f"{where}: cannot write the outputs ({err.strerror or err})") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _prune(generations, keep=final)
    outputs = [outdir / path.relative_to(staging) for path in written]
    return OutputSummary(report_totals(segments), run, outputs)


def _point(outdir: Path, generation: Path) -> None:
    """Make ``outdir`` a link to ``generation`` in one rename (a plain folder of earlier
    outputs, :func:`check_output_path`, becomes a generation first)."""
    if outdir.is_dir() and not outdir.is_symlink():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        os.rename(outdir, generations_dir(outdir) / f"{stamp}-earlier")
    link = outdir.parent / f".{outdir.name}{_LINK}{generation.name}"
    os.symlink(os.path.relpath(generation, outdir.parent), link)
    os.replace(link, outdir)
    _sync(outdir.parent)


def _complete(generations: Path) -> list[Path]:
    """Complete generations, oldest first (run ids sort by time)."""
    if not generations.is_dir():
        return []
    return sorted(p for p in generations.iterdir() if p.is_dir() and not p.name.startswith("."))


def _prune(generations: Path, keep: Path) -> None:
    for old in _complete(generations)[:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _sync(folder: Path) -> None:
    """fsync a folder, so that a rename in it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def original_path(folder: Path, doc) -> Path:
    """Where the copy of ``doc``'s input file is in the outputs ``folder``."""
    return folder / ORIGINALS_DIR / f"{doc.source}{doc.path.suffix.lower()}"


def _find_originals(documents, current: Path | None, inputs: bool = True) -> None:
    """Give each document its input file's bytes: as read, else the copy in the outputs
    ``current``, else (with ``inputs``) the input itself when it has not changed (or, from an
    earlier version's report without a copy, as it is now)."""
    import hashlib

    for doc in documents:
        if doc.original is not None or doc.format == "txt":
            continue
        places = [original_path(current, doc)] if current is not None and doc.source else []
        for place in places + ([doc.path] if inputs else []):
            try:
                data = place.read_bytes()
            except OSError:
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest == doc.source or not doc.source:
                doc.source, doc.original = digest, data
                break


def _write_originals(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    """originals/<sha256><suffix>: the input files the English documents are written from
    (a copy, not an output: not listed)."""
    from .atomic import atomic_write_bytes

    for doc in run.documents:
        if doc.original is not None:
            atomic_write_bytes(original_path(staging, doc), doc.original)
    return []


def _write_articles(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    """en/<stem>.html (and en/pages/<stem>.html), .md, .docx, .odt or .pptx: the English in
    each input's format."""
    from .formats.article import write_article

    docs = by_document(segments)
    return [
        path
        for doc in run.documents
        for path in write_article(doc, docs.get(doc.stem, []), staging / TEXT_DIR, run.id,
                                  include_boilerplate=run.include_boilerplate)
    ]


def _write_texts(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.text import write_texts

    return write_texts(segments, staging / TEXT_DIR, include_boilerplate=run.include_boilerplate)


def _write_tmx(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.tmx import write_tmx

    run.xml_chars_dropped = write_tmx(segments, staging / TMX_FILE, run.id)
    return [staging / TMX_FILE]


def _write_html(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.html import write_review_pages

    return write_review_pages(segments, staging / HTML_FILE, run)


def _write_po(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.po import write_po

    paths = []
    run.po_chars_dropped = 0
    for doc, doc_segments in by_document(segments).items():
        path = staging / PO_DIR / f"{doc}.po"
        run.po_chars_dropped += write_po(doc_segments, path, run.id)
        paths.append(path)
    return paths


def _write_report(segments: list[Segment], staging: Path, run: RunInfo) -> list[Path]:
    from .formats.report import write_report

    return [write_report(segments, staging / REPORT_FILE, run)]


# In writing order; the report last (it records what the TMX and PO writers dropped).
WRITERS = [_write_originals, _write_articles, _write_texts, _write_tmx, _write_html, _write_po,
           _write_report]
