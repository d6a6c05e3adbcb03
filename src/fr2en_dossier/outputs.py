"""The output folder: every run writes a complete generation, made visible in one step.

``<output>`` is a symbolic link to ``<parent>/.<name>.generations/<run id>/``. A run writes all
its files (``en/<stem>.txt``, ``dossier.tmx``, ``review.html``, ``po/<stem>.po``,
``report.json``, and ``originals/<sha256><suffix>``: a copy of each input file but .txt, from
which the English documents are written in place, so later rebuilds need no input) into ``.staging-<run id>`` there, renames it to ``<run id>`` once complete,
then replaces the link with one ``rename``: whenever a run is killed, ``<output>`` shows one
complete generation, old or new. The last :data:`KEEP` generations are kept (earlier outputs
stay reachable); leftovers of killed runs are removed by the next writer. An ``<output>`` that
is a plain folder (written by an earlier version) becomes a generation of its own, untouched.

Links are never followed out of the place they stand: ``<output>`` must be a link to one of
the generations beside it and ``.<name>.generations`` a real folder (a link there is an error,
so no run ever writes into, or prunes, a folder of the user's), and only folders holding the
marker :data:`MARKER` with their own name (what a run writes) are ever pruned.

Callers hold the project lock (:meth:`project.Project.lock`) around :func:`write_generation`
and :func:`remove_leftovers`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .atomic import _umask
from .errors import Fr2enError
from .formats.report import Report, RunInfo, load_report, report_totals, write_report
from .model import Part, Segment, segments_of

TEXT_DIR = "en"
PO_DIR = "po"
TMX_FILE = "dossier.tmx"
HTML_FILE = "review.html"
REPORT_FILE = "report.json"
ORIGINALS_DIR = "originals"
XLIFF_DIR = "xliff"  # <stem>.xlf: XLIFF 1.2, one per document
XLIFF_FILE = "dossier.xlf"  # XLIFF 2.1, the whole dossier
KEEP = 3  # complete generations kept, the current one included
MARKER = ".fr2en-generation"  # in every generation fr2en made: its run id
MANIFEST = ".fr2en-review-files"  # the sha256 of each review file, as the generation wrote it
_STAGING = ".staging-"
_LINK = ".link-"


@dataclass
class OutputSummary:
    """What a run wrote: the report's totals, how it was made, and the paths written."""

    totals: dict  # formats.report.report_totals: segments, documents, translated, origins, flags
    run: RunInfo
    # What was written, as seen through <output>: each file, or a folder's files of one
    # suffix as one entry (<output>/po/*.po), with how many (never a list of every file).
    outputs: dict[Path, int] = field(default_factory=dict)


def new_run_id() -> str:
    """A string unique per run that sorts by time: ``20261124T090102.123456Z-1a2b3c``."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def generations_dir(outdir: Path) -> Path:
    return outdir.parent / f".{outdir.name}.generations"


def current_dir(outdir: str | os.PathLike) -> Path | None:
    """The folder holding the current outputs: the link's target, a plain ``outdir``, or (when
    a run was killed while turning a plain folder into a generation) the newest generation.
    Fr2enError when a link leads elsewhere (:func:`check_links`)."""
    outdir = Path(outdir)
    check_links(outdir)
    if outdir.is_dir():
        return outdir.resolve()
    complete = _complete(generations_dir(outdir))
    return complete[-1] if complete else None


def review_files(folder: Path | None) -> list[Path]:
    """The review files of a generation (its PO files and TMX): what a reviewer may have edited
    there, taken back before anything rewrites the outputs."""
    if folder is None:
        return []
    return [p for p in [*sorted((folder / PO_DIR).glob("*.po")), folder / TMX_FILE,
                        *sorted((folder / XLIFF_DIR).glob("*.xlf")), folder / XLIFF_FILE]
            if p.is_file()]


def edited_review_files(folder: Path | None) -> list[Path]:
    """The review files of the generation ``folder`` that are not as it wrote them (all of
    them when it kept no :data:`MANIFEST`: an earlier version's)."""
    try:
        lines = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, TypeError):
        return review_files(folder)
    written = dict(reversed(line.split("  ", 1)) for line in lines if "  " in line)
    return [path for path in review_files(folder)
            if written.get(path.relative_to(folder).as_posix()) != _sha256(path)]


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def load_current(outdir: str | os.PathLike) -> Report:
    """The report of the current outputs, its documents with the input files they were read
    from (the copies in ``originals/``); Fr2enError when there are none."""
    folder = current_dir(outdir)
    if folder is None:
        raise Fr2enError(f"{outdir}: no outputs here (run `fr2en translate` first)")
    report = load_report(folder / REPORT_FILE)
    find_originals(report.run.documents, folder, inputs=False)
    return report


def current_parts(outdir: str | os.PathLike):
    """(run, parts) of the current outputs' report, its documents read one at a time
    (:func:`formats.report.report_parts`); Fr2enError when there are none."""
    from .formats.report import report_parts

    folder = current_dir(outdir)
    if folder is None:
        raise Fr2enError(f"{outdir}: no outputs here (run `fr2en translate` first)")
    return report_parts(folder / REPORT_FILE)


def check_links(outdir: Path) -> None:
    """Fr2enError when ``<output>`` is a link to anything but a generation beside it, or when
    the generations folder is a link: fr2en writes and prunes only folders of its own."""
    generations = generations_dir(outdir)
    if generations.is_symlink():
        raise Fr2enError(f"{generations}: a link; fr2en keeps its generations in a folder of its "
                         "own, never through a link (remove the link)")
    if outdir.is_symlink():
        target = os.path.normpath(os.path.join(outdir.parent, os.readlink(outdir)))
        if Path(target).parent != generations:
            raise Fr2enError(f"{outdir}: a link to {target}, not to one of fr2en's generations "
                             f"in {generations.name}; remove it or give another output path")


def check_output_path(outdir: str | os.PathLike) -> None:
    """Fr2enError unless ``outdir`` can become the output link: missing, a link, an empty
    folder, or a folder of earlier fr2en outputs (kept as a generation). Any other folder or
    file is the user's: it is never moved, so choosing it as ``-o`` is refused up front."""
    outdir = Path(outdir)
    check_links(outdir)
    if outdir.is_symlink() or not outdir.exists():
        return
    if not outdir.is_dir():
        raise Fr2enError(f"{outdir}: exists and is not a folder; give another output path")
    from .formats.html import PAGES_DIR_SUFFIX

    ours = {TEXT_DIR, PO_DIR, TMX_FILE, HTML_FILE, REPORT_FILE, MARKER, MANIFEST, ORIGINALS_DIR,
            XLIFF_DIR,
            XLIFF_FILE, Path(HTML_FILE).stem + PAGES_DIR_SUFFIX}
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


def write_generation(parts: Iterable[Part], outdir: str | os.PathLike, run: RunInfo, *,
                     seen=None) -> OutputSummary:
    """Write every output of the dossier ``parts`` (:func:`model.parts_of`, or a run's
    :class:`spill.Spill`: read a document at a time, once for the per-document writers and
    once by each dossier-wide one) as a new generation and make it the current one.

    ``run`` describes how the segments were made (stored in the report, with a new run id and
    what the writers counted); ``seen``: the analysis' container of the French met (default: a
    set). An error while writing leaves the current outputs as they were. The documents'
    input files (:func:`find_originals`) are the caller's to give.
    """
    outdir = Path(outdir)
    check_output_path(outdir)
    totals = report_totals(segments_of(parts))
    run = replace(run, id=new_run_id(), **dict.fromkeys(COUNTS, 0))
    generations = generations_dir(outdir)
    try:
        generations.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{run.id}-", dir=generations))
        staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide the outputs from others
    except OSError as err:
        raise Fr2enError(f"{err.filename or outdir}: cannot write the outputs ({err.strerror})") from None
    try:
        run, written = _write_all(parts, staging, run)
        write_report(parts, staging / REPORT_FILE, run, seen=seen, totals=totals)
        written[Path(REPORT_FILE)] += 1
        (staging / MANIFEST).write_text("".join(
            f"{_sha256(path)}  {path.relative_to(staging).as_posix()}\n"
            for path in review_files(staging)), encoding="utf-8")
        (staging / MARKER).write_text(run.id + "\n", encoding="utf-8")
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
    return OutputSummary(totals, run, {outdir / name: n for name, n in written.items()})


def _point(outdir: Path, generation: Path) -> None:
    """Make ``outdir`` a link to ``generation`` in one rename (a plain folder of earlier
    outputs, :func:`check_output_path`, becomes a generation first)."""
    if outdir.is_dir() and not outdir.is_symlink():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        earlier = generations_dir(outdir) / f"{stamp}-earlier"
        os.rename(outdir, earlier)
        (earlier / MARKER).write_text(earlier.name + "\n", encoding="utf-8")
    link = outdir.parent / f".{outdir.name}{_LINK}{generation.name}"
    os.symlink(os.path.relpath(generation, outdir.parent), link)
    os.replace(link, outdir)
    _sync(outdir.parent)


def _complete(generations: Path) -> list[Path]:
    """Complete generations, oldest first (run ids sort by time): folders with a report."""
    if not generations.is_dir():
        return []
    return sorted(p for p in generations.iterdir() if not p.name.startswith(".")
                  and not p.is_symlink() and (p / REPORT_FILE).is_file())


def _ours(folder: Path) -> bool:
    """Whether ``folder`` is a generation fr2en made (its marker names it)."""
    try:
        return (folder / MARKER).read_text(encoding="utf-8").strip() == folder.name
    except (OSError, UnicodeDecodeError):
        return False


def _prune(generations: Path, keep: Path) -> None:
    for old in [p for p in _complete(generations) if _ours(p)][:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _sync(folder: Path) -> None:
    """fsync a folder, so that a rename in it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Written:
    """What one writer wrote: its files, and what it counted for the report (RunInfo fields)."""

    paths: list[Path]
    counts: dict[str, int] = field(default_factory=dict)


def original_path(folder: Path, doc) -> Path:
    """Where the copy of ``doc``'s input file is in the outputs ``folder``."""
    return folder / ORIGINALS_DIR / f"{doc.source}{doc.path.suffix.lower()}"


def find_originals(documents, current: Path | None, inputs: bool = True) -> None:
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


def _write_all(parts: Iterable[Part], staging: Path, run: RunInfo) -> tuple[RunInfo, Counter]:
    """Every writer's files in ``staging``: the :data:`DOCUMENT_WRITERS` together, one
    document at a time (one reading of ``parts``), then each of the :data:`DOSSIER_WRITERS`
    (each seeing what the writers before it counted). Returns ``run`` with those counts, and
    what was written in the order of :data:`LISTED`: each file (relative to ``staging``), or
    a folder's files of one suffix (``po/*.po``) as one entry, with how many."""
    listed: dict = {write: Counter() for write in LISTED}
    counts = dict.fromkeys(COUNTS, 0)

    def take(write, result: Written) -> None:
        for path in result.paths:
            name = path.relative_to(staging)
            listed[write][name if name.parent == Path() else name.parent / f"*{name.suffix}"] += 1
        for key, value in result.counts.items():
            counts[key] += value

    for part in parts:
        for write in DOCUMENT_WRITERS:
            take(write, write(part, staging, run))
    for write in DOSSIER_WRITERS:
        take(write, write(parts, staging, replace(run, **counts)))
    return replace(run, **counts), sum(listed.values(), Counter())


def _write_original(part: Part, staging: Path, run: RunInfo) -> Written:
    """originals/<sha256><suffix>: the input file the English document is written from (a
    copy, not an output: not listed)."""
    from .atomic import atomic_write_bytes

    if part.document is not None and part.document.original is not None:
        atomic_write_bytes(original_path(staging, part.document), part.document.original)
    return Written([])


def _write_article(part: Part, staging: Path, run: RunInfo) -> Written:
    """en/<stem>.html (and en/pages/<stem>.html), .md, .docx, .odt or .pptx: the English in
    the input's format."""
    from .formats.article import write_article

    if part.document is None:
        return Written([])
    return Written(write_article(part.document, part.segments, staging / TEXT_DIR, run.id,
                                 include_boilerplate=run.include_boilerplate))


def _write_text(part: Part, staging: Path, run: RunInfo) -> Written:
    from .formats.text import write_texts

    if not part.segments:
        return Written([])
    (staging / TEXT_DIR).mkdir(exist_ok=True)
    return Written(write_texts(part.segments, staging / TEXT_DIR,
                               include_boilerplate=run.include_boilerplate))


def _write_po(part: Part, staging: Path, run: RunInfo) -> Written:
    from .formats.po import write_po

    if not part.segments:
        return Written([])
    path = staging / PO_DIR / f"{part.stem}.po"
    path.parent.mkdir(exist_ok=True)
    return Written([path], {"po_chars_dropped": write_po(part.segments, path, run.id)})


def _write_xliff12(part: Part, staging: Path, run: RunInfo) -> Written:
    """xliff/<stem>.xlf (XLIFF 1.2), when ``run.xliff`` names it (the project's [outputs])."""
    from .formats.xliff12 import write_xliff12

    if "1.2" not in run.xliff or not part.segments:
        return Written([])
    path = staging / XLIFF_DIR / f"{part.stem}.xlf"
    path.parent.mkdir(exist_ok=True)
    dropped = write_xliff12(part.segments, path, part.document, run.id)
    return Written([path], {"xliff_chars_dropped": dropped})


def _write_tmx(parts: Iterable[Part], staging: Path, run: RunInfo) -> Written:
    from .formats.tmx import write_tmx

    dropped = write_tmx(segments_of(parts), staging / TMX_FILE, run.id)
    return Written([staging / TMX_FILE], {"xml_chars_dropped": dropped})


def _write_html(parts: Iterable[Part], staging: Path, run: RunInfo) -> Written:
    from .formats.html import write_review_pages

    return Written(write_review_pages(parts, staging / HTML_FILE, run))


def _write_xliff21(parts: Iterable[Part], staging: Path, run: RunInfo) -> Written:
    """dossier.xlf (XLIFF 2.1), when ``run.xliff`` names it (the project's [outputs] xliff)."""
    from .formats.xliff21 import write_xliff21
    from .markup import inline_markup

    if "2.1" not in run.xliff:
        return Written([])
    blocks: dict = {}  # the blocks of the document being written, never the dossier's

    def markup(seg: Segment) -> list:  # computed as each unit is written
        block = blocks.get((seg.doc, seg.block))
        return inline_markup(block, seg) if block is not None else []

    def documents():
        for part in parts:
            blocks.clear()
            if part.document is not None:
                blocks.update(((part.stem, b.index), b) for b in part.document.blocks)
            yield part

    path = staging / XLIFF_FILE
    return Written([path], {"xliff_chars_dropped": write_xliff21(documents(), path, markup,
                                                                 run.id)})


# The writers of one document's files, called for each in turn, and those of the dossier's
# files (in writing order: the review page shows what the TMX writer dropped); the report is
# written after them all, with what they counted (COUNTS). LISTED: the order files are listed.
DOCUMENT_WRITERS = [_write_original, _write_article, _write_text, _write_po, _write_xliff12]
DOSSIER_WRITERS = [_write_tmx, _write_html, _write_xliff21]
LISTED = [_write_original, _write_article, _write_text, _write_tmx, _write_html, _write_po,
          _write_xliff12, _write_xliff21]
COUNTS = ("xml_chars_dropped", "po_chars_dropped", "xliff_chars_dropped")
