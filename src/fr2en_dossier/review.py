"""Reviews coming back: reviewed PO files (or an edited TMX) into the review memory.

:func:`import_reviews` (``fr2en review import``) records the reviews of the files it is given,
then rebuilds the outputs with them. :func:`harvest` does the same for the files of the current
outputs (``po/*.po``, ``dossier.tmx``) before anything rewrites them, so that an edit a reviewer
made there and did not import is never lost: ``fr2en translate`` and ``review import`` both call
it first.

What an entry is, compared with what was written (the report of the same outputs):
- a non-fuzzy PO entry whose English is not already the review that applies: a **review**
  (accepting a machine translation as it is, by removing the fuzzy flag, counts);
- a fuzzy PO entry whose English differs from what was written: a **draft** (kept in the
  memory, back in the next PO still fuzzy, never treated as reviewed);
- a TMX unit whose English differs from what was written: a review (TMX has no review state);
- anything else (empty, fuzzy as written, unchanged): nothing to record.
French is matched through ``model.comparable`` (NFC, characters PO/TMX cannot hold left out).
An entry whose key no longer holds its French is matched by its French in the same document;
a review whose French is nowhere in the dossier any more is still kept in the memory (it may
come back) and reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Fr2enError
from .formats.po import read_po, written_fuzzy
from .formats.tmx import read_tmx
from .memory import Context, ReviewMemory, contexts
from .model import REVIEW, Segment, comparable, key_position
from .outputs import (
    PO_DIR,
    TMX_FILE,
    current_dir,
    load_current,
    remove_leftovers,
    write_generation,
)

PENDING, UNCHANGED, REVIEWED, DRAFTED = "pending", "unchanged", "reviewed", "drafted"


@dataclass
class ReviewEntry:
    """One unit of a review file, whatever its format, with its place in that file."""

    path: Path
    line: int
    key: str  # segment key ("" when the unit has none)
    source: str
    target: str
    fuzzy: bool  # marked as not reviewed (PO fuzzy flag)
    confirmed: bool  # reviewed explicitly (non-fuzzy PO entry); False for TMX units
    context: Context | None = None  # from the file's own neighbouring entries

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
    """What an import or a harvest did (the CLI prints it)."""

    imported: list[str] = field(default_factory=list)  # keys recorded as reviews
    drafts: list[str] = field(default_factory=list)  # keys recorded as drafts
    orphans: list[str] = field(default_factory=list)  # reviews of French no longer in the dossier
    skipped: list[Skipped] = field(default_factory=list)
    pending: int = 0  # fuzzy as written, or empty: not reviewed yet
    unchanged: int = 0  # already in the memory as is, or TMX English left as it was
    applied: int = 0  # segments carrying a review or draft after the import
    outputs: object = None  # outputs.OutputSummary; None when the outputs were up to date
    leftovers: int = 0  # staging of killed runs removed first

    @property
    def recorded(self) -> int:
        return len(self.imported) + len(self.drafts)


def read_review_file(path: str | Path) -> list[ReviewEntry]:
    """The entries of a ``.po`` or ``.tmx`` file with their file contexts; Fr2enError otherwise."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".po":
        entries = [
            ReviewEntry(path, u.line, u.context, u.source, u.target, u.fuzzy, not u.fuzzy)
            for u in read_po(path)
        ]
    elif suffix == ".tmx":
        entries = [
            ReviewEntry(path, u.line, u.tuid, u.source, u.target or "", False, False)
            for u in read_tmx(path)
        ]
    else:
        raise Fr2enError(f"{path}: not a review file (expected a .po file or a .tmx)")
    docs = [_doc(entry.key) for entry in entries]
    for i, entry in enumerate(entries):
        prev = entries[i - 1].source if i and docs[i - 1] == docs[i] else None
        after = entries[i + 1].source if i + 1 < len(entries) and docs[i + 1] == docs[i] else None
        entry.context = Context(docs[i], prev and comparable(prev), after and comparable(after))
    return entries


def import_reviews(project, files: Iterable[str | Path]) -> ImportResult:
    """Record the reviews of ``files``, and edits left in the current outputs, in the memory
    of ``project`` (a :class:`project.Project`), then rebuild the outputs with them.

    All files are read before anything is written: a bad file changes nothing. The outputs
    are rebuilt whenever the memory changes a segment, so running the import again also
    repairs outputs that an interrupted run left behind.
    """
    from .qa import run_qa

    with project.lock("fr2en review import"):
        if current_dir(project.output) is None:
            load_current(project.output)  # raises: no outputs here, translate first
        memory, report, result = take_back(project, files)
        before = [(seg.target, seg.origin) for seg in report.segments]
        result.applied = memory.apply(report.segments)
        if [(seg.target, seg.origin) for seg in report.segments] != before:
            run_qa(report.segments, report.run.documents)
            run = replace(report.run, memory=str(project.memory), project=str(project.root))
            result.outputs = write_generation(report.segments, project.output, run)
    return result


def take_back(project, files: Iterable[str | Path] = ()):
    """What every writer of the outputs does first, holding the project lock: remove what
    killed runs left, load the memory, record the reviews of ``files`` and the edits left in
    the current outputs, and save the memory when that recorded anything (before anything is
    rewritten). Returns (memory, the current outputs' report or None, :class:`ImportResult`).

    Every file is read before anything is recorded: a bad file changes nothing.
    """
    leftovers = remove_leftovers(project.output)
    report = load_current(project.output) if current_dir(project.output) is not None else None
    given = [entry for path in files for entry in read_review_file(path)]
    memory = ReviewMemory.load(project.memory)
    result = ImportResult(leftovers=leftovers)
    if report is not None:
        record_entries(given, report.segments, memory, result)
        left = harvest(project.output, report.segments, memory, exclude={e.path for e in given})
        result.imported += left.imported
        result.drafts += left.drafts
        result.orphans += left.orphans
        result.skipped += left.skipped
    if result.recorded:
        memory.save()
    return memory, report, result


def harvest(
    outdir: Path, written: list[Segment], memory: ReviewMemory, exclude: Iterable[Path] = ()
) -> ImportResult:
    """Record in ``memory`` the edits made to the current outputs' PO and TMX files since they
    were written (``written``: the segments of their report). Does not save the memory."""
    folder = current_dir(outdir)
    if folder is None:
        return ImportResult()
    skip = {Path(p).resolve() for p in exclude}
    files = sorted((folder / PO_DIR).glob("*.po")) + [folder / TMX_FILE]
    entries = [
        entry
        for path in files
        if path.is_file() and path.resolve() not in skip
        for entry in read_review_file(path)
    ]
    return record_entries(entries, written, memory)


def record_entries(
    entries: list[ReviewEntry],
    written: list[Segment],
    memory: ReviewMemory,
    result: ImportResult | None = None,
) -> ImportResult:
    """Record the reviews and drafts among ``entries`` (see the module docstring)."""
    result = result or ImportResult()
    places = dict(zip((seg.key for seg in written), zip(written, contexts(written)), strict=True))
    by_french: dict[tuple[str, str], tuple[Segment, Context]] = {}
    for seg, context in places.values():
        by_french.setdefault((seg.doc, comparable(seg.source)), (seg, context))
    for entry in entries:
        source = comparable(entry.source)
        place = places.get(entry.key)
        if place is None or comparable(place[0].source) != source:
            place = by_french.get((_doc(entry.key), source))
        verdict = _verdict(entry, place, memory)
        if verdict == PENDING:
            result.pending += 1
        elif verdict == UNCHANGED:
            result.unchanged += 1
        elif verdict in (REVIEWED, DRAFTED):
            seg, context = place or (_orphan(entry), entry.context)
            if memory.record(seg, entry.target, context, draft=verdict == DRAFTED):
                kind = result.drafts if verdict == DRAFTED else result.imported
                kind.append(seg.key)
                if place is None:
                    result.orphans.append(entry.key)
            else:
                result.unchanged += 1
        else:
            result.skipped.append(Skipped(entry.where, entry.key, verdict))
    return result


def _verdict(entry: ReviewEntry, place: tuple[Segment, Context] | None, memory: ReviewMemory) -> str:
    """PENDING, UNCHANGED, REVIEWED, DRAFTED, or the reason the entry is skipped."""
    if not entry.target.strip():
        return PENDING
    as_written = place is not None and _same_as_written(entry, place[0])
    if entry.fuzzy:
        if place is None:
            return "fuzzy, and its French is not in the dossier any more: not kept"
        return PENDING if as_written else DRAFTED
    if not entry.key:
        return "no msgctxt/tuid"
    if entry.confirmed:
        if place is not None:
            current = memory.lookup(place[0], place[1])
            if current is not None and current.origin == REVIEW and comparable(
                current.target
            ) == comparable(entry.target):
                return UNCHANGED
        return REVIEWED
    return UNCHANGED if as_written else REVIEWED


def _same_as_written(entry: ReviewEntry, seg: Segment) -> bool:
    """Whether the file holds what the writer put there for ``seg`` (text and, for PO, state)."""
    same_text = comparable(entry.target) == comparable(seg.target or "")
    return same_text and (written_fuzzy(seg) if entry.fuzzy else True)


def _orphan(entry: ReviewEntry) -> Segment:
    """A stand-in segment for a review whose French is no longer in the dossier."""
    doc, block, index = key_position(entry.key)
    return Segment(doc, block or 0, index or 0, "", 0, len(entry.source), entry.source)


def _doc(key: str) -> str:
    return key_position(key)[0]
