"""The review workspace behind ``fr2en review serve``: the current outputs' segments, edited.

It reads the segments of the project's current outputs (``report.json``) and answers the page's
questions (documents with progress, one document's segments, filters, search) from memory. Every
change goes to the project's files under the project lock, for that write only:

- confirm / draft: the review memory (a review counts at once; the next ``fr2en translate``
  writes it to ``en/*.txt``), QA recomputed for the segment;
- a glossary entry: ``glossary.add_entry`` exactly as ``fr2en glossary add``; the segments it
  hits are re-checked, and the machine-translated ones whose MT input changed or whose English
  lacks the new term are listed for re-translation;
- re-translate, merge, split: MT for the segments concerned (never for reviewed or drafted
  ones) when a model is installed, merge/split written to the overrides file, and a new
  generation of the outputs written.

When another command writes a new generation, the workspace reloads it on the next question.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from .errors import Fr2enError
from .formats.view import (
    document_title,
    flag_reason,
    flagged,
    natural_key,
    source_pieces,
)
from .model import (
    BOILERPLATE_FLAG,
    CACHE,
    DRAFT,
    HUMAN_ORIGINS,
    MT,
    REVIEW,
    TERM_MISSING,
    Segment,
    by_document,
)

COMMAND = "fr2en review serve"
PAGE_SIZE = 200


class BadRequest(Fr2enError):
    """A request the workspace refuses (unknown segment, bad offset, empty English…)."""


@dataclass
class Change:
    """What a write did, for the page: a message and the keys it touched."""

    message: str
    keys: list[str]
    retranslate: list[str]


class Workspace:
    """The segments of a project's current outputs, with the page's reads and writes."""

    def __init__(self, project):
        self.project = project
        self._guard = threading.RLock()  # one request at a time touches the state
        self._engine = None
        self._stale: set[str] = set()  # keys whose MT input changed since their MT
        self._memory = None  # the review memory as last read or written here
        self._memory_stamp = None  # its file's identity then: reloaded only when it changed
        self._load()

    # --- state ---------------------------------------------------------------------------

    def _load(self) -> None:
        from .outputs import current_dir, load_current

        report = load_current(self.project.output)
        self.folder = current_dir(self.project.output)
        self.run = report.run
        self.segments = report.segments
        self._index()

    def _index(self) -> None:
        from .memory import contexts

        docs = by_document(self.segments)
        self.doc_names = sorted(docs, key=natural_key)
        self.titles = {doc: document_title(segs) or doc for doc, segs in docs.items()}
        self.by_key = {seg.key: seg for seg in self.segments}
        self.contexts = dict(zip(self.by_key, contexts(self.segments), strict=True))
        rank = {doc: n for n, doc in enumerate(self.doc_names)}
        self.ordered = sorted(self.segments, key=lambda s: rank[s.doc])  # stable within a doc
        self.position = {seg.key: n for n, seg in enumerate(self.ordered)}
        self._text = {seg.key: _searchable(seg) for seg in self.segments}

    def refresh(self) -> None:
        """Reload when another command made a new generation of the outputs current."""
        from .outputs import current_dir

        with self._guard:
            if current_dir(self.project.output) != self.folder:
                self._load()

    def _segment(self, key: str) -> Segment:
        seg = self.by_key.get(key)
        if seg is None:
            raise BadRequest(f"{key}: no such segment (reload the page)")
        return seg

    # --- reads ---------------------------------------------------------------------------

    def documents(self) -> list[dict]:
        """Every document in natural order: title, counts and progress."""
        counts = {doc: [0, 0, 0, 0] for doc in self.doc_names}  # total, reviewed, drafts, flagged
        for seg in self.segments:
            c = counts[seg.doc]
            c[0] += 1
            c[1] += seg.origin == REVIEW
            c[2] += seg.origin == DRAFT
            c[3] += flagged(seg)
        return [
            {"doc": doc, "title": self.titles[doc], "total": c[0], "reviewed": c[1],
             "drafts": c[2], "flagged": c[3]}
            for doc, c in counts.items()
        ]

    def query(self, doc: str = "", flag: str = "", origin: str = "", text: str = "",
              offset: int = 0, limit: int = PAGE_SIZE) -> dict:
        """One page of the segments matching the filters, in document order."""
        needle = " ".join(text.split()).casefold()
        found = [
            seg for seg in (self.ordered if not doc else self._doc_segments(doc))
            if _has_flag(seg, flag) and _has_origin(seg, origin)
            and (not needle or needle in self._text[seg.key])
        ]
        page = found[offset : offset + max(1, min(limit, 1000))]
        return {"total": len(found), "offset": offset, "segments": [self.view(s) for s in page]}

    def _doc_segments(self, doc: str) -> list[Segment]:
        if doc not in self.titles:
            raise BadRequest(f"{doc}: no such document")
        return [seg for seg in self.segments if seg.doc == doc]

    def view(self, seg: Segment) -> dict:
        """What the page shows of one segment."""
        mt_input = seg.engine_input if seg.engine_input not in (None, seg.source) else ""
        terms = {}
        for hit in seg.hits:  # aligned with the English by QA (Hit.en_start)
            found = hit.en_start is not None
            terms[hit.target] = {"target": hit.target, "kind": hit.kind, "found": found}
        return {
            "key": seg.key, "doc": seg.doc, "block": seg.block, "index": seg.index,
            "kind": seg.kind, "source": seg.source,
            "fr": [list(piece) for piece in source_pieces(seg)],
            "mt_input": mt_input, "target": seg.target or "", "origin": seg.origin,
            "flags": [[name, flag_reason(seg, name)] for name in seg.flags],
            "terms": list(terms.values()),
            "boilerplate": BOILERPLATE_FLAG in seg.flags,
            "stale": seg.key in self._stale,
        }

    # --- reviews -------------------------------------------------------------------------

    def save(self, key: str, target: str, *, draft: bool) -> dict:
        """Record ``target`` as the review (or draft) of segment ``key`` in the memory."""
        from .qa import run_qa

        if not draft and not target.strip():
            raise BadRequest("empty English: type a translation before confirming it")
        with self._guard:
            seg = self._segment(key)
            with self.project.lock(COMMAND):
                memory = self._current_memory()
                if memory.record(seg, target, self.contexts[key], draft=draft):
                    memory.save()
                    self._memory_stamp = _file_stamp(memory.path)
            seg.set_english(target, DRAFT if draft else REVIEW)
            run_qa([seg])
            self._stale.discard(key)
            self._text[key] = _searchable(seg)
            return self.view(seg)

    def _current_memory(self):
        """The memory file's content, read again only if another writer replaced the file
        since (every writer replaces it by a rename: a new inode, size or time)."""
        from .memory import ReviewMemory

        stamp = _file_stamp(self.project.memory)
        if self._memory is None or stamp != self._memory_stamp:
            self._memory, self._memory_stamp = ReviewMemory.load(self.project.memory), stamp
        return self._memory

    # --- glossary ------------------------------------------------------------------------

    def add_term(self, source: str, target: str, kind: str, comment: str = "",
                 exact_case: bool = False, plural: bool = False, feminine: bool = False) -> Change:
        """Add a glossary entry as ``fr2en glossary add`` does; re-check the segments it hits."""
        from .glossary import add_entry, apply_glossary, load_glossary
        from .qa import run_qa

        forms = ",".join(name for name, on in (("plural", plural), ("feminine", feminine)) if on)
        with self._guard:
            with self.project.lock(COMMAND):
                entry = add_entry(self.project.glossary, source, target, comment, kind,
                                  "exact" if exact_case else "", forms)
                glossary = load_glossary(self.project.glossary)
            before = {seg.key: seg.mt_input for seg in self.segments}
            apply_glossary(self.segments, glossary)
            hit = [s for s in self.segments if any(h.entry == entry.source for h in s.hits)]
            run_qa(hit)
            changed = [s.key for s in self.segments if _machine(s) and (
                s.mt_input != before[s.key] or (s in hit and TERM_MISSING in s.flags))]
            self._stale.update(changed)
            for seg in hit:
                self._text[seg.key] = _searchable(seg)
            where = f"{self.project.glossary.name}:{entry.line}"
            return Change(
                f"{where}: added {entry.kind} {entry.source} → {entry.target}; "
                f"{len(hit)} segment(s) hit, {len(self._stale)} to re-translate",
                [s.key for s in hit], sorted(self._stale, key=self.position.get),
            )

    # --- MT, merge and split -------------------------------------------------------------

    def retranslate(self) -> Change:
        """Machine-translate again the segments whose MT input changed (none reviewed or
        drafted), then write a new generation of the outputs."""
        with self._guard:
            todo = [self.by_key[k] for k in self._stale if k in self.by_key]
            todo = [seg for seg in todo if _machine(seg)]
            for seg in todo:
                seg.set_english(None, "")
            self._translate(todo)
            self._stale.clear()
            self._write_outputs()
            return Change(f"re-translated {len(todo)} segment(s)", [s.key for s in todo], [])

    def merge(self, key: str) -> Change:
        """Join segment ``key`` with the next one of its block (an override in the project)."""
        from .overrides import MERGE, boundary

        with self._guard:
            seg = self._segment(key)
            after = self.segments[self.segments.index(seg) + 1 :][:1]
            if not after or after[0].doc != seg.doc or after[0].block != seg.block:
                raise BadRequest(f"{key}: the last sentence of its paragraph; nothing to merge "
                                 "it with")
            return self._resegment(seg.doc, boundary(MERGE, seg.doc, seg.source, after[0].source))

    def split(self, key: str, offset: int) -> Change:
        """Cut segment ``key`` before character ``offset`` of its French."""
        from .overrides import SPLIT, boundary

        with self._guard:
            seg = self._segment(key)
            before, after = seg.source[:offset], seg.source[offset:]
            if not (0 < offset < len(seg.source)) or not before.strip() or not after.strip():
                raise BadRequest(f"{key}: choose a place inside the French to split it")
            return self._resegment(seg.doc, boundary(SPLIT, seg.doc, before, after))

    def _resegment(self, doc: str, override) -> Change:
        """Store ``override``, segment ``doc`` again, keep what did not change, translate the
        new segments, and write the outputs."""
        from .glossary import apply_glossary, load_glossary
        from .overrides import append_override, read_overrides
        from .segmenter import segment_documents

        document = next((d for d in self.run.documents if d.stem == doc), None)
        if document is None:
            raise BadRequest(f"{doc}: the outputs do not record this article's text; run "
                             "`fr2en translate` again")
        with self.project.lock(COMMAND):
            append_override(self.project.overrides, override)
            overrides = read_overrides(self.project.overrides)
        fresh = segment_documents([document], overrides)
        if self.project.glossary.exists():
            apply_glossary(fresh, load_glossary(self.project.glossary))
        previous = [s for s in self.segments if s.doc == doc]
        machine = {(s.source, s.mt_input): s for s in previous if _machine(s)}
        for seg in fresh:
            kept = machine.get((seg.source, seg.mt_input))
            if kept is not None and kept.target:
                seg.target, seg.origin, seg.score = kept.target, kept.origin, kept.score
                seg.alignment = kept.alignment
        at = self.segments.index(previous[0])
        rest = [s for s in self.segments if s.doc != doc]
        self.segments = rest[:at] + fresh + rest[at:]
        self._write_outputs(translate=[s for s in fresh if _machine(s)])
        known = {s.source for s in previous}
        changed = [s.key for s in self.segments if s.doc == doc and s.source not in known]
        return Change(f"{override.action}: {len(changed)} new segment(s) in {doc}", changed, [])

    def _translate(self, segments: list[Segment]) -> None:
        """MT for ``segments`` when a model is installed (else they stay untranslated)."""
        from .engine import TranslationCache, find_fr_en, load_engine, translate_segments

        if not segments or find_fr_en() is None:
            return
        if self._engine is None:
            self._engine = load_engine(self.project.engine_options())
        with TranslationCache() as cache:
            translate_segments(segments, self._engine, cache=cache)

    def _write_outputs(self, translate: list[Segment] = ()) -> None:
        """Apply the memory, translate ``translate``, re-run QA and write a new generation
        (edits left in the current PO/TMX files are taken back first, as every writer does)."""
        from dataclasses import replace

        from .outputs import write_generation
        from .qa import run_qa
        from .review import take_back

        with self.project.lock(COMMAND):
            memory, _, _ = take_back(self.project)
            memory.apply(self.segments)
            self._translate([s for s in translate if not s.target])
            run_qa(self.segments, self.run.documents)
            write_generation(self.segments, self.project.output, replace(self.run))
        self._load()


def _file_stamp(path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _searchable(seg: Segment) -> str:
    return " ".join(f"{seg.source}\n{seg.target or ''}\n{seg.key}".split()).casefold()


def _machine(seg: Segment) -> bool:
    """Whether MT may replace the segment's English (not reviewed, drafted or boilerplate)."""
    return seg.origin not in HUMAN_ORIGINS and BOILERPLATE_FLAG not in seg.flags


def _has_flag(seg: Segment, flag: str) -> bool:
    if not flag:
        return True
    return flagged(seg) if flag == "flagged" else flag in seg.flags


def _has_origin(seg: Segment, origin: str) -> bool:
    if not origin:
        return True
    if origin == "mt":
        return seg.origin in (MT, CACHE)
    if origin == "none":
        return not seg.origin
    return seg.origin == origin
