"""The review workspace behind ``fr2en review serve``: the current outputs' segments, edited.

It opens the project's current outputs as a :class:`workspace_index.DossierIndex` (a row per
segment on disk, built from ``report.json``) and holds the full segments of a few documents at
a time (:data:`LOADED_SEGMENTS`), each read from the report when the page asks for it, with
the memory's reviews and drafts applied; so it opens an archive of any size in the same
memory, and answers the page's questions (documents with progress, a page of them at a time;
one document's segments, filters, search, the next segment to review) over the whole dossier
from the rows. Its writes:

- confirm / draft / undo: the review memory only (a SQLite transaction committed before the
  answer, without the project lock, so a save never waits for a running ``translate``); a save
  names the version of the segment it was typed on, and one made on an older version (another
  tab saved meanwhile) is refused with the other text (:class:`Conflict`);
- a glossary entry, re-translation, merge, split: a run of the run layer (:class:`run.Run`:
  lock, take-back, the stages, a new generation of the outputs), over the whole dossier read
  from the report.

After every change, the segment's hits and flags are what a fresh ``fr2en translate`` would
write (:mod:`qa`: the segment's own checks, then ``inconsistent`` over the segments of the
same French in every document). When another command writes a new generation, or another
process records in the memory, the workspace reloads on the next question.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field

from .analysis import words as words_of
from .errors import Fr2enError
from .formats.view import (
    flag_reason,
    found_spans,
    source_pieces,
    word_diff,
)
from .model import (
    BOILERPLATE_FLAG,
    DRAFT,
    HUMAN_ORIGINS,
    MACHINE_ORIGINS,
    MT,
    REVIEW,
    TERM_MISSING,
    Document,
    Segment,
    comparable,
    parse_key,
    segment_to_dict,
)

COMMAND = "fr2en review serve"
PAGE_SIZE = 200
DOCUMENTS_PAGE = 500  # documents listed at a time
LOADED_SEGMENTS = 20_000  # segments of the documents held in memory (the rest is on disk)
KEPT_ROWS = "workspace"  # the folder, in the cache folder, of the rows kept between openings
# The page's keyboard, as its help overlay (and the README) lists it; workspace.js binds them.
SHORTCUTS = (
    (("Ctrl", "Enter"), "confirm, then go to the next segment that needs work"),
    (("Esc",), "undo the edit: back to the text the segment had"),
    (("Alt", "↓"), "next segment (Alt+↑: previous)"),
    (("Alt", "N"), "next segment that needs work (Alt+P: previous)"),
    (("Alt", "F"), "next flagged segment"),
    (("Alt", "R"), "next risky segment (riskiest first)"),
    (("Ctrl", "Shift", "S"), "copy the French into the English"),
    (("Alt", "1…9"), "insert the segment's n-th glossary term"),
    (("Ctrl", "1…3"), "use the n-th memory match (Alt+Shift+1…3 where Ctrl+digit switches tabs)"),
    (("Ctrl", "K"), "concordance: look for words in the memory and the dossier"),
    (("/",), "search"),
    (("?",), "this help"),
)


class BadRequest(Fr2enError):
    """A request the workspace refuses (unknown segment, bad offset, empty English…)."""


class Conflict(Fr2enError):
    """A save made on an older version of the segment (another tab or command saved since),
    or a change that would discard a review without being told to."""

    def __init__(self, message: str, segment: dict | None = None):
        super().__init__(message)
        self.segment = segment  # the segment as it stands now


@dataclass
class Change:
    """What a write did, for the page: a message and the keys it touched."""

    message: str
    keys: list[str]
    retranslate: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Loaded:
    """A document the workspace holds: its segments (memory applied, checked), its layout."""

    no: int
    segments: list[Segment]
    document: Document | None
    by_key: dict[str, Segment] = field(default_factory=dict)
    contexts: dict = field(default_factory=dict)  # key → memory.Context
    blocks: dict = field(default_factory=dict)  # (doc, block) → Block


class Workspace:
    """The segments of a project's current outputs, with the page's reads and writes;
    ``hold``: how many segments of the documents read are held in memory."""

    def __init__(self, project, *, hold: int = LOADED_SEGMENTS):
        self.project, self.hold = project, hold
        self._guard = threading.RLock()  # one request at a time touches the state
        self._stage = None  # the MT stage, built on first use
        self._stale: set[str] = set()  # machine translations whose MT input or terms changed
        self.index = None
        with project.lock(COMMAND):  # the memory is created under the lock, as every writer does
            self.memory = project.open_memory()
        try:
            self._load()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.memory.close()
        if self.index is not None:
            self.index.close()
        if self._stage is not None:
            self._stage.close()

    # --- state ---------------------------------------------------------------------------

    def _load(self) -> None:
        """Open the current generation: its rows, then the memory over them."""
        from .engine.location import cache_folder
        from .formats.report import run_info
        from .outputs import REPORT_FILE, current_dir, load_current
        from .workspace_index import DossierIndex

        folder = current_dir(self.project.output)
        if folder is None or not (folder / REPORT_FILE).is_file():
            load_current(self.project.output)  # raises: no outputs here, translate first
        index = DossierIndex(folder / REPORT_FILE, keep=cache_folder() / KEPT_ROWS)
        if self.index is not None:
            self.index.close()
        self.index, self.folder = index, folder
        self.run = run_info(folder / REPORT_FILE, index.head)
        self._stale = {k for k in self._stale if index.place(k) is not None}
        self._apply_memory()

    def _apply_memory(self) -> None:
        """The memory's English on the documents it holds anything for (the other rows are
        the report's, which the run made with the memory as it was), then ``inconsistent``
        over the groups of French those changes touch."""
        self._memory_version = self.memory.data_version()
        self._loaded: OrderedDict[int, Loaded] = OrderedDict()
        self.versions: dict[str, int] = {}
        touched = self.index.touched(self.memory.sources())
        for no in touched:
            self._read(no)
            self._trim()
        sharing: set[int] = set()
        for no in touched:
            sharing |= self._settle(self._doc(no))
            self._trim()
        for no in sorted(sharing - set(touched)):
            self._settle(self._doc(no))
            self._trim()

    def _doc(self, no: int) -> Loaded:
        """Document ``no`` as the workspace shows it, read and checked when it is not held."""
        loaded = self._loaded.get(no)
        if loaded is None:
            loaded = self._read(no)
            self._settle(loaded)
        self._loaded.move_to_end(no)
        return loaded

    def _read(self, no: int) -> Loaded:
        """Read document ``no`` from the report, give it the memory's English and its own QA,
        and hold it (the documents held longest ago make room)."""
        from .memory import contexts
        from .memory.store import show
        from .qa import block_index, check_segment

        segments, document = self.index.read(no)
        loaded = Loaded(no, segments, document, {s.key: s for s in segments},
                        dict(zip((s.key for s in segments), contexts(segments), strict=True)),
                        block_index([document] if document is not None else []))
        for seg, entry in zip(segments, self.memory.applicable(segments), strict=True):
            show(seg, entry)
            self.versions[seg.key] = entry.id if entry is not None else 0
            check_segment(seg, loaded.blocks.get((seg.doc, seg.block)))
        self.index.update(no, segments)  # the English the checks across compare
        self._loaded[no] = loaded
        return loaded

    def _trim(self) -> None:
        """Let go of the documents read longest ago, down to :attr:`hold` segments (done
        once a request is answered, so that what it reads stays held while it works)."""
        held = sum(len(d.segments) for d in self._loaded.values())
        while held > self.hold and len(self._loaded) > 1:
            _, gone = self._loaded.popitem(last=False)
            held -= len(gone.segments)
            for key in gone.by_key:
                self.versions.pop(key, None)

    @contextmanager
    def _request(self):
        """One question or change of the page: alone on the state, documents let go after."""
        with self._guard:
            try:
                yield
            finally:
                self._trim()

    def _settle(self, loaded: Loaded) -> set[int]:
        """The checks across the dossier of a held document (``inconsistent`` over each of
        its French's segments everywhere), the reviewers' marks and the risks; its rows
        updated. Returns the documents that share a French with it."""
        from .qa import check_across
        from .risk import rank_risks

        reasons, sharing = self.index.reasons(loaded.segments)
        check_across(loaded.segments, reasons)
        self.memory.apply_marks(loaded.segments)
        rank_risks(loaded.segments)
        self.index.update(loaded.no, loaded.segments)
        return sharing - {loaded.no}

    def refresh(self) -> None:
        """Reload when another command made a new generation of the outputs current, or
        recorded in the memory."""
        from .outputs import current_dir

        with self._request():
            if current_dir(self.project.output) != self.folder:
                self._load()
            elif self.memory.data_version() != self._memory_version:
                self._apply_memory()

    def segment(self, key: str) -> Segment:
        """Segment ``key`` as the workspace shows it; BadRequest when there is none."""
        return self._place(key)[0]

    def _place(self, key: str) -> tuple[Segment, Loaded]:
        with self._guard:
            try:
                no = self.index.number(parse_key(key)[0])
            except ValueError:
                no = None
            seg = self._doc(no).by_key.get(key) if no is not None else None
            if seg is None:
                raise BadRequest(f"{key}: no such segment (reload the page)")
            return seg, self._loaded[no]

    def iter_segments(self):
        """Every segment of the dossier, document after document, as the workspace shows it."""
        for no in range(len(self.index)):
            with self._request():
                segments = list(self._doc(no).segments)
            yield from segments

    # --- reads ---------------------------------------------------------------------------

    def documents(self, text: str = "", offset: int = 0, limit: int = DOCUMENTS_PAGE) -> dict:
        """A page of the documents in natural order (title, counts, progress; ``text``: those
        whose name or title holds it) and how many there are, the dossier's progress in
        segments and words (boilerplate aside), what awaits MT, the memory analysis (the
        run's: reviews do not change it) and the term scoreboard of the segments as they
        stand."""
        from .analysis import BANDS
        from .scoreboard import scoreboard

        with self._request():
            total, docs = self.index.documents(text, offset, limit)
            return {"documents": docs, "total": total, "offset": offset, "run": self.run.id,
                    "progress": self.index.progress(), "retranslate": self.retranslate_keys(),
                    "analysis": {"bands": list(BANDS), "total": self.index.head["analysis"]},
                    "terms": scoreboard(self.index.machine_segments())}

    def retranslate_keys(self) -> list[str]:
        with self._guard:
            return sorted(self._stale, key=lambda k: self.index.place(k)[1])

    def query(self, doc: str = "", flag: str = "", origin: str = "", text: str = "",
              offset: int = 0, limit: int = PAGE_SIZE, sort: str = "") -> dict:
        """One page of the segments matching the filters, in document order (``sort`` "risk":
        riskiest first); ``text`` is found accent- and case-insensitive, in every document
        unless ``doc`` says one, and its places come with each segment."""
        with self._request():
            no = None
            if doc:
                no = self.index.number(doc)
                if no is None:
                    raise BadRequest(f"{doc}: no such document")
            total, page = self.index.find(no=no, flag=flag, origin=origin, text=text,
                                          sort=sort, offset=offset,
                                          limit=max(1, min(limit, 1000)))
            segments = [self._doc(n).by_key[key] for n, key in page]
            return {"total": total, "offset": offset,
                    "title": self.index.title(no) if no is not None else "",
                    "segments": [self.view(s, text) for s in segments]}

    def next_key(self, key: str, what: str, step: int = 1) -> dict:
        """The next (``step`` -1: previous) segment after ``key``, in document order (``risky``:
        by risk), that needs work (``unconfirmed``), has a QA flag (``flagged``) or a risk
        (``risky``); {"key": None} when there is none."""
        if what not in ("unconfirmed", "flagged", "risky"):
            raise BadRequest(f"{what!r}: next unconfirmed, flagged or risky")
        with self._request():
            found = self.index.next_key(key, what, step)
            if found is None:
                return {"key": None, "doc": None}
            return {"key": found[1], "doc": self.index.name(found[0])}

    def view(self, seg: Segment, text: str = "") -> dict:
        """What the page shows of one segment: its report record's hits and flags (with their
        reasons), the pieces to draw, the places ``text`` is found, its glossary entries, its
        status, risk and confidence, and the version a save must name."""
        from .formats.qa_export import status
        from .risk import confidence

        record = segment_to_dict(seg)
        terms, entries = {}, {}
        for hit in seg.hits:  # aligned with the English by QA (Hit.en_start)
            terms[hit.target] = {"target": hit.target, "kind": hit.kind,
                                 "found": hit.en_start is not None}
            entries[(hit.entry or hit.source, hit.target)] = {
                "source": hit.entry or hit.source, "target": hit.target, "kind": hit.kind,
                "comment": hit.comment}
        return {
            "key": seg.key, "doc": seg.doc, "block": seg.block, "index": seg.index,
            "kind": seg.kind, "source": seg.source,
            "fr": [list(piece) for piece in source_pieces(seg)],
            "mt_input": seg.engine_input if seg.engine_input not in (None, seg.source) else "",
            "target": seg.target or "", "origin": seg.origin, "mt": seg.mt or "",
            "status": status(seg), "rejected": seg.rejected, "risk": seg.risk,
            "confidence": confidence(seg), "words": words_of(seg.source),
            "hits": record["hits"],
            "flags": [[name, flag_reason(seg, name)] for name in seg.flags],
            "reasons": record["reasons"], "dismissed": dict(seg.dismissed),
            "terms": list(terms.values()), "entries": list(entries.values()),
            "found": {"source": found_spans(seg.source, text),
                      "target": found_spans(seg.target or "", text)} if text.strip() else {},
            "boilerplate": BOILERPLATE_FLAG in seg.flags,
            "stale": seg.key in self._stale,
            "version": self.versions.get(seg.key, 0),
        }

    # --- the memory: matches, history, concordance ---------------------------------------

    def matches(self, key: str) -> dict:
        """The panel under a segment: the memory's best matches for its French (score,
        origin, time, the words that differ, the English repaired by the glossary) and its
        history (every review and draft recorded for that French, with what it changed in
        the machine translation, word by word)."""
        with self._request():
            seg, loaded = self._place(key)
            context = loaded.contexts[key]
        found = self.memory.matches(seg, context, n=3,
                                    minimum=self.project.memory_settings.fuzzy_min,
                                    glossary=self._glossary())
        history = [{
            "id": e.id, "target": e.target, "origin": e.origin, "time": e.changedate,
            "via": e.via, "author": e.author, "key": e.key, "withdrawn": e.withdrawn,
            "diff": [list(run) for run in word_diff(seg.mt or "", e.target)] if seg.mt else [],
        } for e in self.memory.history(seg.source)]
        return {"key": key, "matches": [m.to_dict() for m in found], "history": history}

    def concordance(self, text: str, limit: int = 50) -> dict:
        """Where ``text`` occurs (French or English, accents and case aside) in the memory,
        the external memories and the dossier: the pairs with the places found."""
        if not text.strip():
            raise BadRequest("concordance: give a word or words to look for")
        from .formats.view import searchable

        with self._request():
            found = self.memory.concordance(text, limit=limit,
                                            segments=self.index.containing(searchable(text)))
        return {"text": text, "found": [f.to_dict() for f in found]}

    # --- reviews -------------------------------------------------------------------------

    def save(self, key: str, target: str, *, draft: bool, base: int | None = None) -> dict:
        """Record ``target`` as the review (or draft) of segment ``key``, typed on version
        ``base`` of it (None: whatever it is now)."""
        with self._request():
            seg, loaded = self._place(key)
            if BOILERPLATE_FLAG in seg.flags:
                raise BadRequest(f"{key}: boilerplate is not translated")
            if not draft and not target.strip():
                raise BadRequest("empty English: type a translation before confirming it")
            self._check_version(seg, base)
            if draft and target == (seg.target or ""):
                return self.view(seg)  # nothing typed that the segment does not show already
            entry = self.memory.record(seg, target, loaded.contexts[key], draft=draft,
                                       run=self.run.id, via="browser")
            if entry is not None:
                self.versions[key] = entry.id
            seg.set_english(target, DRAFT if draft else REVIEW)
            self._stale.discard(key)
            self._recheck(seg, loaded)
            return self.view(seg)

    def undo(self, key: str, base: int) -> dict:
        """Esc on an edit begun on version ``base``: withdraw the drafts it autosaved, so the
        segment shows again what it had (the review, the draft before, or the MT)."""
        from .memory.store import show

        with self._request():
            seg, loaded = self._place(key)
            self.memory.withdraw(seg, loaded.contexts[key], after=base)
            entry = self.memory.lookup(seg, loaded.contexts[key])
            show(seg, entry)
            self.versions[key] = entry.id if entry is not None else 0
            self._recheck(seg, loaded)
            return self.view(seg)

    def _check_version(self, seg: Segment, base: int | None) -> None:
        if base is not None and base != self.versions.get(seg.key, 0):
            raise Conflict(f"{seg.key}: saved meanwhile elsewhere (another tab or command) as "
                           f"“{seg.target or ''}”; yours was not saved: copy it, reload, and "
                           "save it again", self.view(seg))

    def _recheck(self, seg: Segment, loaded: Loaded) -> None:
        """QA of an edited segment; the memory's English again in the other documents with
        its French; then the checks across the dossier (``inconsistent``), the reviewers'
        marks and the risks of its document and of those with its French: what a run would
        give them."""
        from .mt_checks import same_french
        from .qa import check_segment

        check_segment(seg, loaded.blocks.get((seg.doc, seg.block)))
        self.index.update(loaded.no, loaded.segments)
        alike = set(self.index.touched([comparable(seg.source)])) - {loaded.no}
        for no in alike:  # the memory's English (and marks) apply to the same French there
            self._loaded.pop(no, None)
            self._read(no)
        self._settle(loaded)
        for no in sorted((self.index.sharing(same_french(seg.source)) | alike) - {loaded.no}):
            self._settle(self._doc(no))

    # --- statuses and marks --------------------------------------------------------------

    def unconfirm(self, key: str) -> dict:
        """Take a review back: its English stays, as a draft (the review stays in the history)."""
        with self._request():
            seg, loaded = self._place(key)
            entry = self.memory.unconfirm(seg, loaded.contexts[key])
            if entry is None:
                raise BadRequest(f"{key}: not reviewed; nothing to take back")
            seg.set_english(entry.target, DRAFT)
            self.versions[key] = entry.id
            self._recheck(seg, loaded)
            return self.view(seg)

    def reject(self, key: str, reason: str = "", *, undo: bool = False) -> dict:
        """Mark the segment's English rejected (it needs a new translation), or no longer."""
        from .memory.store import REJECT

        with self._request():
            seg, loaded = self._place(key)
            if undo:
                self.memory.unmark(seg, loaded.contexts[key], REJECT)
            elif not (seg.target or "").strip():
                raise BadRequest(f"{key}: no English to reject")
            else:
                self.memory.mark(seg, loaded.contexts[key], REJECT, reason, author="browser")
            self._recheck(seg, loaded)
            return self.view(seg)

    def dismiss(self, key: str, flag: str, reason: str = "", *, undo: bool = False) -> dict:
        """Dismiss QA ``flag`` of the segment as a false positive, with ``reason`` (it comes back
        when the English changes), or bring it back."""
        from .memory.store import DISMISS

        with self._request():
            seg, loaded = self._place(key)
            if undo:
                self.memory.unmark(seg, loaded.contexts[key], DISMISS, flag)
            elif flag not in seg.flags or flag == BOILERPLATE_FLAG:
                raise BadRequest(f"{key}: no {flag!r} flag to dismiss")
            else:
                self.memory.mark(seg, loaded.contexts[key], DISMISS, reason, flag, author="browser")
            self._recheck(seg, loaded)
            return self.view(seg)

    def set_kind(self, key: str, boilerplate: bool) -> Change:
        """Say the segment is boilerplate (kept, not translated) or is not (translated): an
        override in segmentation.tsv, then a run as a merge or split makes one."""
        from .overrides import KEEP_OUT, TRANSLATE, kind

        with self._request():
            seg = self.segment(key)
            if (BOILERPLATE_FLAG in seg.flags) == boilerplate:
                raise BadRequest(f"{key}: already {'boilerplate' if boilerplate else 'translated'}")
            if boilerplate:
                self._check_discard([seg], False, "making it boilerplate")
            override = kind(KEEP_OUT if boilerplate else TRANSLATE, seg.doc, seg.source)
            return self._resegment(seg.doc, override, (seg.block, seg.index), [])

    # --- glossary ------------------------------------------------------------------------

    def add_term(self, source: str, target: str, kind: str, comment: str = "",
                 exact_case: bool = False, plural: bool = False, feminine: bool = False) -> Change:
        """Add a glossary entry as ``fr2en glossary add`` does, then write the outputs with it;
        the machine translations whose MT input changed or that lack the term are listed for
        re-translation."""
        from .glossary import Entry, add_entry, load_glossary
        from .glossary.checks import entry_warnings

        forms = tuple(name for name, on in (("plural", plural), ("feminine", feminine)) if on)
        with self._request(), self._run() as run:
            entry = add_entry(self.project.glossary,
                              Entry(source, target, comment, kind, exact_case, forms))
            glossary = load_glossary(self.project.glossary)
            hit: list[str] = []

            def chunks():
                for segments, documents in self._chunks():
                    before = [seg.mt_input for seg in segments]
                    yield segments, documents  # composed with the entry when resumed
                    for seg, was in zip(segments, before, strict=True):
                        met = any(h.entry == entry.source for h in seg.hits)
                        if met:
                            hit.append(seg.key)
                        if _machine(seg) and (seg.mt_input != was or (met and TERM_MISSING in seg.flags)):
                            self._stale.add(seg.key)

            summary, _, _ = run.finish_chunks(chunks(), self.run, glossary=glossary)
            self._written(summary)
            added = next(e for e in glossary.entries if e.line == entry.line)
            warnings = [p.message for p in entry_warnings(glossary, added, self._written_segments())]
            where = f"{self.project.glossary.name}:{entry.line}"
            return Change(f"{where}: added {entry.kind} {entry.source} → {entry.target}; "
                          f"{len(hit)} segment(s) hit, {len(self._stale)} to re-translate",
                          hit, self.retranslate_keys(), warnings)

    def candidates(self, top: int = 40) -> dict:
        """Glossary candidates with their evidence (``glossary suggest``'s, mined from the
        reviews and MT too), those a reviewer declined left out."""
        from .glossary.history import project_candidates

        with self._request():
            declined = self.memory.declined()
            segments = list(self.iter_segments())
            found = project_candidates(self.project, segments, self._glossary_or_empty(),
                                       top=top + len(declined))
            kept = [c for c in found if comparable(c["source"]).casefold() not in declined]
            return {"candidates": kept[:top]}

    def decline(self, source: str) -> dict:
        """A candidate that is no glossary entry: remembered, never proposed again."""
        if not source.strip():
            raise BadRequest("which candidate?")
        self.memory.decline(source)
        return {"declined": source}

    def _glossary_or_empty(self):
        from .glossary import Glossary

        return self._glossary() or Glossary([])

    # --- MT, merge and split -------------------------------------------------------------

    def retranslate(self) -> Change:
        """Machine-translate again the segments whose MT input or terms changed (none reviewed
        or drafted), then write a new generation of the outputs."""
        with self._request():
            todo = [k for k in self.retranslate_keys() if _machine(self.segment(k))]
            stage = self._mt() if todo else None
            if todo and stage is None:
                raise Fr2enError("no French→English model installed: run `fr2en model install` "
                                 "(or `--file PATH.argosmodel`), then re-translate")
            wanted = set(todo)

            def chunks():
                for segments, documents in self._chunks():
                    for seg in segments:
                        if seg.key in wanted:
                            seg.set_english(None, "")
                            seg.mt = None
                    yield segments, documents

            with self._run(stage) as run:
                summary, _, _ = run.finish_chunks(chunks(), self.run, mt=stage,
                                                  translate=lambda seg: seg.key in wanted)
                self._stale.clear()
                self._written(summary)
            return Change(f"re-translated {len(todo)} segment(s)", todo, [])

    def merge(self, key: str, *, discard: bool = False) -> Change:
        """Join segment ``key`` with the next one of its block (an override in the project);
        their English (reviewed or draft) becomes a draft of the merged segment. Refused
        (:class:`Conflict`) when that discards a review, unless ``discard``."""
        from .overrides import MERGE, boundary

        with self._request():
            seg, loaded = self._place(key)
            after = loaded.segments[loaded.segments.index(seg) + 1 :][:1]
            if not after or after[0].doc != seg.doc or after[0].block != seg.block:
                raise BadRequest(f"{key}: the last sentence of its paragraph; nothing to merge "
                                 "it with")
            self._check_discard([seg, after[0]], discard, "merging")
            override = boundary(MERGE, seg.doc, seg.source, after[0].source)
            return self._resegment(seg.doc, override, (seg.block, seg.index), [seg, after[0]])

    def split(self, key: str, offset: int, *, discard: bool = False) -> Change:
        """Cut segment ``key`` before character ``offset`` of its French; its English (reviewed
        or draft) becomes a draft of the first part. Refused (:class:`Conflict`) when that
        discards a review, unless ``discard``."""
        from .overrides import SPLIT, boundary

        with self._request():
            seg = self.segment(key)
            before, after = seg.source[:offset], seg.source[offset:]
            if not (0 < offset < len(seg.source)) or not before.strip() or not after.strip():
                raise BadRequest(f"{key}: choose a place inside the French to split it")
            self._check_discard([seg], discard, "splitting")
            return self._resegment(seg.doc, boundary(SPLIT, seg.doc, before, after),
                                   (seg.block, seg.index), [seg])

    def _check_discard(self, segments: list[Segment], discard: bool, what: str) -> None:
        reviewed = [s.key for s in segments if s.origin == REVIEW]
        if reviewed and not discard:
            raise Conflict(f"{what} discards the review of {', '.join(reviewed)} (it stays in "
                           "the memory, and its English becomes a draft): confirm to go on")

    def _resegment(self, doc: str, override, at: tuple[int, int], old: list[Segment]) -> Change:
        """Store ``override``, segment ``doc`` again, keep what did not change, keep the
        English typed in the ``old`` segments (once the run took edits back) as a draft of
        the new segment at (block, index) ``at``, translate the new segments and write the
        outputs — all in one run, holding the lock from the override to the outputs, the
        dossier read a chunk of documents at a time."""
        no = self.index.number(doc)
        if no is None or not self.index.has_layout(no):
            raise BadRequest(f"{doc}: the outputs do not record this article's text; run "
                             "`fr2en translate` again")
        stage, changed, fresh = self._mt(), [], set()
        wanted = {s.key for s in old}

        def chunks():
            for segments, documents in self._chunks():
                previous = [s for s in segments if s.doc == doc]
                if previous:
                    document = next(d for d in documents if d.stem == doc)
                    segments = self._segment_again(run, segments, previous, document, override,
                                                   at, [s for s in previous if s.key in wanted],
                                                   changed)
                    fresh.update(s.key for s in changed)
                yield segments, documents

        with self._run(stage) as run:
            summary, _, _ = run.finish_chunks(
                chunks(), self.run, glossary=self._glossary(), mt=stage,
                translate=lambda seg: seg.key in fresh and _machine(seg))
            self._written(summary)
        return Change(f"{override.action}: {len(changed)} new segment(s) in {doc}",
                      [s.key for s in changed], [])

    def _segment_again(self, run, segments: list[Segment], previous: list[Segment],
                       document: Document, override, at: tuple[int, int], old: list[Segment],
                       changed: list[Segment]) -> list[Segment]:
        """``segments`` (a chunk of the dossier) with ``previous``, the segments of
        ``document``, cut again after ``override`` is stored: the machine translations of
        what did not change kept, the English typed in ``old`` a draft of the new segment at
        ``at``; the new segments appended to ``changed``."""
        from .memory import contexts
        from .overrides import append_override
        from .run import project_segments

        run.memory.apply(previous)  # what they show now, edits left in files taken back
        typed = [s.target or "" for s in old] if any(s.origin in HUMAN_ORIGINS for s in old) else None
        append_override(self.project.overrides, override)
        fresh = project_segments(self.project, [document],
                                 translate_boilerplate=self.run.translate_boilerplate)
        machine = {(s.source, s.mt_input): s for s in previous if s.mt}
        for seg in fresh:
            kept = machine.get((seg.source, seg.mt_input))
            if kept is not None:  # its machine translation (the memory gives the rest)
                origin = kept.origin if kept.origin in MACHINE_ORIGINS else MT
                seg.target, seg.origin, seg.mt, seg.score = kept.mt, origin, kept.mt, kept.score
                seg.confidence, seg.round_trip = kept.confidence, kept.round_trip
                seg.alignment = kept.alignment
        text = " ".join(t.strip() for t in typed or () if t.strip())
        if text:
            where = dict(zip((s.key for s in fresh), contexts(fresh), strict=True))
            first = next(s for s in fresh if (s.block, s.index) == at)
            run.memory.record(first, text, where[first.key], draft=True, run=self.run.id,
                              via="browser")
        known = {(s.source, BOILERPLATE_FLAG in s.flags) for s in previous}
        changed += [s for s in fresh if (s.source, BOILERPLATE_FLAG in s.flags) not in known]
        place = segments.index(previous[0])
        rest = [s for s in segments if s.doc != document.stem]
        return rest[:place] + fresh + rest[place:]

    # --- runs ----------------------------------------------------------------------------

    def _run(self, stage=None):
        from .run import Run

        return Run(self.project, COMMAND, writable=stage.writable if stage is not None else ())

    def _mt(self):
        """The MT stage of the project's engine options, or None without an installed model."""
        from .engine import find_fr_en
        from .engine.stage import MtStage

        if find_fr_en() is None:
            return None
        if self._stage is None:
            self._stage = MtStage(self.project.engine_options())
        return self._stage

    def _glossary(self):
        from .glossary import load_glossary

        return load_glossary(self.project.glossary) if self.project.glossary.exists() else None

    def _chunks(self):
        """The dossier of the current outputs a chunk of documents at a time, as a run
        composes it again (:func:`run.report_chunks`)."""
        from .run import report_chunks

        return report_chunks(self.folder)

    def _written_segments(self):
        """The segments of the outputs just written, a document at a time."""
        from .model import segments_of
        from .outputs import current_parts

        return segments_of(current_parts(self.project.output)[1])

    def _written(self, summary) -> None:
        """After a run wrote the outputs of the workspace's segments: they are the current ones."""
        self._load()


def _machine(seg: Segment) -> bool:
    """Whether MT may replace the segment's English (not reviewed, drafted or boilerplate)."""
    return seg.origin not in HUMAN_ORIGINS and BOILERPLATE_FLAG not in seg.flags
