"""Reviews coming back: review files (PO, TMX, … — the table of formats) into the memory.

:func:`take_back` is the first step of every write of the outputs (:mod:`run`): it records the
reviews of the files it is given and the edits left in the current outputs' own review files,
so that an edit nobody imported is never lost. Every unit is compared with **what the current
generation of the outputs wrote** for its segment (its report):

- the same English as written is unchanged, whatever its state — except a fuzzy machine
  translation or draft whose fuzzy flag was removed: accepted as it is, a review;
- other English is a review (a draft when the unit is marked fuzzy, or not reviewed in the
  file's own terms);
- an edit already recorded from that file's generation is never recorded again;
- an edit never overrides a review made after the generation its file came from (the run id
  in its header; a file without one counts as of the current generation): it is kept as a
  draft and reported as a conflict;
- empty English, or an entry whose French is nowhere and is not confirmed, is not recorded.

French is matched through ``model.comparable``. A unit whose key no longer holds its French is
matched by its French in the same document; a review whose French is nowhere in the dossier
any more is still kept in the memory (it may come back) and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Fr2enError
from .formats.po import written_fuzzy
from .formats.table import REVIEWS, by_suffix, function, listed
from .memory import Context, ReviewMemory, contexts, run_stamp
from .model import DRAFT, REVIEW, ReviewUnit, Segment, comparable, key_position
from .formats.report import load_report
from .outputs import REPORT_FILE, current_dir, edited_review_files, remove_leftovers

CONFLICT = " (conflict)"  # how an edit kept as a draft because of a newer review came (via)


@dataclass
class ReviewEntry:
    """One unit of a review file with where it comes from."""

    path: Path
    run: str  # the run id of the generation the file was written from ("" unknown)
    unit: ReviewUnit
    context: Context | None = None  # from the file's own neighbouring units

    @property
    def where(self) -> str:
        return f"{self.path}:{self.unit.line}"


@dataclass
class Skipped:
    where: str  # "file:line"
    key: str
    reason: str


@dataclass
class ImportResult:
    """What a take-back did (the CLI prints it)."""

    imported: list[str] = field(default_factory=list)  # keys recorded as reviews
    drafts: list[str] = field(default_factory=list)  # keys recorded as drafts
    conflicts: list[str] = field(default_factory=list)  # edits older than a review: drafts
    orphans: list[str] = field(default_factory=list)  # reviews of French no longer in the dossier
    skipped: list[Skipped] = field(default_factory=list)
    pending: int = 0  # fuzzy as written (not reviewed yet), or empty
    unchanged: int = 0  # what was written, or recorded already
    applied: int = 0  # segments carrying a review or draft after it
    outputs: object = None  # outputs.OutputSummary; None when the outputs were up to date
    leftovers: int = 0  # staging of killed runs removed first

    @property
    def recorded(self) -> int:
        return len(self.imported) + len(self.drafts)


def review_format(path: str | Path):
    """The review format of ``path`` by its suffix; Fr2enError for another kind of file."""
    found = by_suffix(REVIEWS, Path(path))
    if found is None:
        raise Fr2enError(f"{path}: not a review file (expected {listed(REVIEWS)})")
    return found


def read_review_file(path: str | Path) -> list[ReviewEntry]:
    """The units of a review file with their file contexts; Fr2enError for another kind."""
    path = Path(path)
    found = review_format(path)
    run, units = function(found.review)(path)
    entries = [ReviewEntry(path, run, unit) for unit in units]
    docs = [key_position(entry.unit.key)[0] for entry in entries]
    for i, entry in enumerate(entries):
        prev = entries[i - 1].unit.source if i and docs[i - 1] == docs[i] else None
        after = entries[i + 1].unit.source if i + 1 < len(entries) and docs[i + 1] == docs[i] else None
        entry.context = Context(docs[i], prev and comparable(prev), after and comparable(after))
    return entries


def take_back(project, memory: ReviewMemory, given: list[ReviewEntry] = ()) -> ImportResult:
    """Remove what killed runs left, then record in ``memory`` the ``given`` entries (of the
    files a review import names, read by :func:`read_review_file`) and the edits left in the
    current outputs' review files — those no longer as their generation wrote them
    (:func:`outputs.edited_review_files`). Each is compared with what that generation wrote,
    read from its report: only the documents of the edited files when those are a
    document's own (PO, XLIFF 1.2), so a rerun of an archive reads what was edited and
    nothing else. Every file is read before anything is recorded: a bad file changes
    nothing. Call it holding the project lock."""
    result = ImportResult(leftovers=remove_leftovers(project.output))
    folder = current_dir(project.output)
    if folder is None:
        return result
    skip = {Path(entry.path).resolve() for entry in given}
    edited = [path for path in edited_review_files(folder) if path.resolve() not in skip]
    if not edited and not given:
        return result
    left = [entry for path in edited for entry in read_review_file(path)]
    whole = bool(given) or any(path.parent == folder for path in edited)  # TMX, XLIFF 2.1
    report = load_report(folder / REPORT_FILE, None if whole else {p.stem for p in edited})
    record_entries(given, report.segments, report.run.id, memory, result)
    # The outputs' own files: what they held is recorded and reported, but only the files
    # given are counted as unchanged or pending.
    harvested = record_entries(left, report.segments, report.run.id, memory)
    for name in ("imported", "drafts", "conflicts", "orphans", "skipped"):
        getattr(result, name).extend(getattr(harvested, name))
    return result


def record_entries(entries: list[ReviewEntry], written: list[Segment], current_run: str,
                   memory: ReviewMemory, result: ImportResult | None = None) -> ImportResult:
    """Record the reviews and drafts among ``entries`` (the module docstring's rules);
    ``written`` are the segments of the current generation, made by run ``current_run``."""
    result = result or ImportResult()
    places = dict(zip((seg.key for seg in written), zip(written, contexts(written)), strict=True))
    by_french: dict[tuple[str, str], tuple[Segment, Context]] = {}
    for seg, context in places.values():
        by_french.setdefault((seg.doc, comparable(seg.source)), (seg, context))
    for entry in entries:
        unit = entry.unit
        place = places.get(unit.key)
        if place is None or comparable(place[0].source) != comparable(unit.source):
            place = by_french.get((key_position(unit.key)[0], comparable(unit.source)))
        verdict = _verdict(unit, place)
        if verdict in (REVIEW, DRAFT):
            _record(entry, place, verdict, current_run, memory, result)
        elif verdict == "pending":
            result.pending += 1
        elif verdict == "unchanged":
            result.unchanged += 1
        else:
            result.skipped.append(Skipped(entry.where, unit.key, verdict))
    return result


def _verdict(unit: ReviewUnit, place: tuple[Segment, Context] | None) -> str:
    """REVIEW, DRAFT, "pending", "unchanged", or the reason the unit is skipped."""
    if not unit.target.strip():
        return "pending"
    if place is None:
        if unit.fuzzy:
            return "fuzzy, and its French is not in the dossier any more: not kept"
        return REVIEW if unit.key else "no msgctxt/tuid"
    seg = place[0]
    if comparable(unit.target) == comparable(seg.target or ""):
        if unit.confirmed and written_fuzzy(seg):
            return REVIEW  # the fuzzy flag removed: accepted as it is
        return "pending" if unit.fuzzy else "unchanged"
    return DRAFT if unit.fuzzy else REVIEW


def _record(entry: ReviewEntry, place, verdict: str, current_run: str, memory: ReviewMemory,
            result: ImportResult) -> None:
    unit = entry.unit
    seg, context = place or (_orphan(unit), entry.context)
    run = entry.run or current_run
    via = entry.path.suffix.lower().lstrip(".")
    earlier = memory.recorded_from(seg.source, unit.target, run)
    if any(e.origin == verdict or e.via == via + CONFLICT for e in earlier):
        result.unchanged += 1  # taken back before (as it is, or as a conflict's draft)
        return
    current = memory.lookup(seg, context)
    stamp = ""
    if (verdict == REVIEW and current is not None and current.origin == REVIEW
            and current.recorded > run_stamp(run)
            and comparable(current.target) != comparable(unit.target)):
        # Made on outputs older than that review: a draft, dated by those outputs.
        verdict, via, stamp = DRAFT, via + CONFLICT, run_stamp(run)
        result.conflicts.append(seg.key)
    if memory.record(seg, unit.target, context, draft=verdict == DRAFT, run=run, via=via,
                     stamp=stamp) is None:
        result.unchanged += 1
        return
    (result.drafts if verdict == DRAFT else result.imported).append(seg.key)
    if place is None:
        result.orphans.append(unit.key)


def _orphan(unit: ReviewUnit) -> Segment:
    """A stand-in segment for a review whose French is no longer in the dossier."""
    doc, block, index = key_position(unit.key)
    return Segment(doc, block or 0, index or 0, "", 0, len(unit.source), unit.source)
