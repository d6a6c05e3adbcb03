"""``fr2en review import``: reviewed translations from PO files (or an edited ``dossier.tmx``)
into the review memory, then every output rebuilt from ``report.json`` with them.

A PO entry is a review when it is not fuzzy, has English, and that English is not already in
the memory for this key and French (so accepting a machine translation as is, by removing the
fuzzy flag, counts). A TMX has no review state: a unit counts when its English differs from
the report's. An entry whose French no longer equals the segment's current source, or whose key
the report does not know, is skipped and reported.

All files are read, and the report and the memory loaded, before anything is written: a bad
file changes nothing. So does an entry edited but left fuzzy in one of the PO files that the
import rebuilds (``output/po/*.po``): rebuilding would lose that edit, so the import stops and
says so instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Fr2enError
from .formats.po import read_po
from .formats.tmx import read_tmx
from .memory import DEFAULT_MEMORY, ReviewMemory
from .model import Segment

_PENDING, _UNCHANGED, _IMPORT = "pending", "unchanged", "import"
_EDITED_FUZZY = "English edited but still fuzzy: remove the fuzzy flag to import it"


@dataclass
class ReviewEntry:
    """One unit of a review file, whatever its format."""

    path: Path
    line: int
    key: str  # segment key ("" when the unit has none)
    source: str
    target: str
    fuzzy: bool  # marked as not reviewed (PO fuzzy flag)
    confirmed: bool  # reviewed explicitly (non-fuzzy PO entry); False for TMX units

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Skipped:
    where: str  # "file:line"
    key: str
    reason: str


@dataclass
class ImportResult:
    """What ``review import`` did (the CLI prints it)."""

    imported: list[str] = field(default_factory=list)  # keys recorded in the memory
    skipped: list[Skipped] = field(default_factory=list)
    pending: int = 0  # fuzzy or empty entries: not reviewed yet
    unchanged: int = 0  # already in the memory as is, or TMX English left as it was
    applied: int = 0  # segments of the report carrying a review after the import
    outputs: object = None  # write_outputs' summary; None when the outputs were up to date


def read_review_file(path: str | Path) -> list[ReviewEntry]:
    """The entries of a reviewed ``.po`` file or an edited ``.tmx``; Fr2enError on anything else."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".po":
        return [
            ReviewEntry(path, u.line, u.context, u.source, u.target, u.fuzzy, not u.fuzzy)
            for u in read_po(path)
        ]
    if suffix == ".tmx":
        return [
            ReviewEntry(path, u.line, u.tuid, u.source, u.target or "", False, False)
            for u in read_tmx(path)
        ]
    raise Fr2enError(f"{path}: not a review file (expected a .po file or a .tmx)")


def import_reviews(
    files: Iterable[str | Path],
    outdir: str | Path = "output",
    memory_path: str | Path = DEFAULT_MEMORY,
) -> ImportResult:
    """Record the reviews found in ``files`` in the memory, then rebuild ``outdir``'s outputs.

    The outputs are rebuilt whenever the memory changes a segment of the report, so running the
    import again also repairs outputs that an earlier, interrupted run left behind.
    """
    from .formats.report import load_report
    from .pipeline import PO_DIR, REPORT_FILE, write_outputs
    from .qa import run_qa

    outdir = Path(outdir)
    report = load_report(outdir / REPORT_FILE)
    entries = [entry for path in files for entry in read_review_file(path)]
    memory = ReviewMemory.load(memory_path)
    current = {seg.key: seg for seg in report.segments}
    rebuilt = {(outdir / PO_DIR / f"{seg.doc}.po").resolve() for seg in report.segments}

    result = ImportResult()
    lost = []  # edits that rebuilding their PO file would lose
    for entry in entries:
        verdict = _verdict(entry, current.get(entry.key), memory)
        if verdict == _PENDING:
            result.pending += 1
        elif verdict == _UNCHANGED:
            result.unchanged += 1
        elif verdict == _IMPORT:
            memory.add(entry.key, entry.source, entry.target)
            result.imported.append(entry.key)
        else:
            result.skipped.append(Skipped(entry.where, entry.key, verdict))
            if verdict == _EDITED_FUZZY and entry.path.resolve() in rebuilt:
                lost.append(entry)
    if lost:
        more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
        raise Fr2enError(
            f"{lost[0].where}: {lost[0].key}: English edited but still fuzzy{more}; the import "
            "rebuilds this file and would lose it: remove the fuzzy flag or undo the edit"
        )

    if result.imported:
        memory.save()  # first: the reviews are safe even if rebuilding the outputs fails
    before = [(seg.target, seg.origin) for seg in report.segments]
    result.applied = memory.apply(report.segments)
    if [(seg.target, seg.origin) for seg in report.segments] != before:
        run_qa(report.segments)
        result.outputs = write_outputs(
            report.segments,
            outdir,
            include_boilerplate=report.run.include_boilerplate,
            run=replace(report.run, memory=str(memory_path)),
        )
    return result


def _verdict(entry: ReviewEntry, seg: Segment | None, memory: ReviewMemory) -> str:
    """What to do with one entry: _PENDING, _UNCHANGED, _IMPORT, or the reason it is skipped."""
    if not entry.target.strip():
        return _PENDING
    if entry.fuzzy:
        edited = seg is not None and entry.source == seg.source and entry.target != seg.target
        return _EDITED_FUZZY if edited else _PENDING
    if seg is None:
        return "not a segment of report.json" if entry.key else "no msgctxt/tuid"
    if entry.source != seg.source:
        return "the French changed since this file was written: review not applied"
    if memory.lookup(entry.key, entry.source) == entry.target or (
        not entry.confirmed and entry.target == seg.target
    ):
        return _UNCHANGED
    return _IMPORT
