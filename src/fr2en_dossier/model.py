"""The records that flow through the pipeline: Document → Block → Segment (+ Hit).

Offsets are Python string indices. ``Segment.start/end`` and ``Hit.start/end`` are both
relative to the block text (the line without its newline), so every output speaks one frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Block kinds (the "kind" field of the `fr2en segment` contract).
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list-item"
CAPTION = "caption"
BOILERPLATE = "boilerplate"
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, CAPTION, BOILERPLATE)

# Glossary entry kinds.
FIX = "fix"  # the French source is wrong: repair it (into French) before MT
TERM = "term"  # preferred target term
KEEP = "keep"  # do not translate (names)
ENTRY_KINDS = (FIX, TERM, KEEP)

# QA flags on segments.
TERM_MISSING = "term-missing"  # an expected glossary target is absent from the English
NUMBER_MISMATCH = "number-mismatch"  # a number of the source is absent from the target
UNTRANSLATED = "untranslated"  # target empty or equal to the source
LENGTH_RATIO = "length-ratio"  # target/source length ratio is an outlier
BOILERPLATE_FLAG = "boilerplate"  # site junk / tracking text: kept, not translated
TRUNCATED = "truncated"  # longer than the model's input limit: split or cut
TERM_FORCED = "term-forced"  # a glossary term was written into the English over its aligned span
REPETITION = "repetition"  # a word or n-gram repeated in the English, not in the French
PUNCTUATION = "punctuation"  # the end punctuation differs
BRACKETS_QUOTES = "brackets-quotes"  # brackets or quotes unbalanced, or not carried over
INCONSISTENT = "inconsistent"  # the same French translated differently in the dossier
FLAGS = (
    TERM_MISSING,
    NUMBER_MISMATCH,
    UNTRANSLATED,
    LENGTH_RATIO,
    BOILERPLATE_FLAG,
    TRUNCATED,
    TERM_FORCED,
    REPETITION,
    PUNCTUATION,
    BRACKETS_QUOTES,
    INCONSISTENT,
)
MT_FLAGS = (TRUNCATED, TERM_FORCED)  # describe a machine translation: dropped with it


@dataclass
class Block:
    """One non-empty line of a document."""

    doc: str  # file stem
    index: int  # 0-based among the file's non-empty lines
    line: int  # 1-based line number in the file (for error messages)
    text: str  # the line without its newline
    kind: str  # one of BLOCK_KINDS


@dataclass
class Document:
    stem: str
    path: Path
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Hit:
    """A glossary match inside a segment's source."""

    start: int  # offsets in the block text
    end: int
    source: str  # the matched source text as it appears
    target: str  # the target term the English must contain
    kind: str  # one of ENTRY_KINDS
    comment: str = ""
    entry: str = ""  # the glossary entry's source form (what a terminologist looks up)
    repair: str = ""  # fix entries: the French the engine reads instead of ``source``
    avoid: list[str] = field(default_factory=list)  # known wrong English renderings
    # The English span of the hit: its target's occurrence in Segment.target (None: absent).
    en_start: int | None = None
    en_end: int | None = None


@dataclass
class Segment:
    """A sentence-level unit: the single record every pipeline stage reads and enriches."""

    doc: str
    block: int
    index: int
    kind: str  # the block's kind
    start: int  # [start, end) in the block text
    end: int
    source: str  # original French, exactly block_text[start:end]
    engine_input: str | None = None  # text sent to MT after glossary rewriting (None: = source)
    target: str | None = None  # English; None/"" when not translated
    hits: list[Hit] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    score: float | None = None  # engine log-prob score when the engine gives one
    origin: str = ""  # where target came from: "mt", "cache", "review", "" (none)
    term_method: str = ""  # how MT met the glossary terms: "", "n-best", "prefix", "forced"
    reasons: dict[str, str] = field(default_factory=dict)  # flag → why, one sentence

    @property
    def key(self) -> str:
        """Stable id "doc:block:index" (PO msgctxt, TMX tuid)."""
        return f"{self.doc}:{self.block}:{self.index}"

    @property
    def mt_input(self) -> str:
        return self.source if self.engine_input is None else self.engine_input

    def flag(self, name: str, reason: str = "") -> None:
        if name not in self.flags:
            self.flags.append(name)
        if reason:
            self.reasons[name] = reason


def by_document(segments: list[Segment]) -> dict[str, list[Segment]]:
    """Segments grouped by document stem, documents and segments in their given order."""
    docs: dict[str, list[Segment]] = {}
    for seg in segments:
        docs.setdefault(seg.doc, []).append(seg)
    return docs
