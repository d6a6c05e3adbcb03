"""The records that flow through the pipeline: Document → Block → Segment (+ Hit).

Offsets are Python string indices. ``Segment.start/end`` and ``Hit.start/end`` are both
relative to the block text (the line without its newline), so every output speaks one frame.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

# Block kinds (the "kind" field of the `fr2en segment` contract).
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list-item"
CAPTION = "caption"
BOILERPLATE = "boilerplate"
QUOTE = "quote"  # a quotation set apart (HTML blockquote, Markdown "> ", Word "Quote" style)
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, CAPTION, BOILERPLATE, QUOTE)

# Document formats (Document.format) and inline styles of their markup (Span.style).
TXT, HTML, MARKDOWN, DOCX = "txt", "html", "markdown", "docx"
ODT, PPTX = "odt", "pptx"  # OpenDocument text, PowerPoint: written back in place only
# Block styles whose text is written back exactly as read (code, raw HTML of a Markdown file).
VERBATIM_STYLES = ("pre", "html")
BOLD, ITALIC, CODE, LINK = "bold", "italic", "code", "link"
# Any other formatting of the source that the in-place writers keep (a Word character format,
# an HTML <span class> or <sup>, an ODF text style): ``Span.href`` names it in its reader's
# notation. Placed on the English like bold; the article writers ignore it.
FORMAT = "format"
# An inline object with no text (an image, a hard line break, inline HTML): a zero-width span
# where it stands, ``Span.href`` holding it as the source writes it; the English keeps it.
ANCHOR = "anchor"
INLINE_STYLES = (BOLD, ITALIC, CODE, LINK, FORMAT, ANCHOR)

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
TRUNCATED = "truncated"  # input split at the model's limit, or output cut at the decoding cap
TERM_FORCED = "term-forced"  # a glossary term was written into the English over its aligned span
REPETITION = "repetition"  # a word or n-gram repeated in the English, not in the French
PUNCTUATION = "punctuation"  # the end punctuation differs
BRACKETS_QUOTES = "brackets-quotes"  # brackets or quotes unbalanced, or not carried over
INCONSISTENT = "inconsistent"  # the same French translated differently in the dossier
# Inline formatting (bold, italic, code, a link) on part of the French sentence that could not
# be placed exactly in the English: kept at sentence level (README "Formats").
MARKUP_UNALIGNED = "markup-unaligned"
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
    MARKUP_UNALIGNED,
)
MT_FLAGS = (TRUNCATED, TERM_FORCED)  # describe a machine translation: dropped with it

# Where a segment's English came from (Segment.origin; "" when it has none).
MT = "mt"  # translated by the engine in this run
CACHE = "cache"  # the engine's translation, from the translation cache
REVIEW = "review"  # confirmed by a reviewer (the review memory)
DRAFT = "draft"  # typed by a reviewer but not confirmed: never counts as reviewed
# A draft prefilled from a memory match (Segment.tm_*): never counts as reviewed, never stored
# in the memory; recomputed by every run (memory.prefill).
TM = "tm"
HUMAN_ORIGINS = (REVIEW, DRAFT)  # English a person typed: MT never replaces it
MACHINE_ORIGINS = (MT, CACHE)
# What the review pages call each origin, and the origin filters they offer (value, label).
ORIGIN_LABELS = {MT: "machine", CACHE: "machine", REVIEW: "reviewed", DRAFT: "draft",
                 TM: "memory match", "": "no English"}
ORIGIN_FILTERS = (("mt", "machine"), (REVIEW, "reviewed"), (DRAFT, "draft"),
                  (TM, "memory match"), ("none", "no English"))


def probability(log_prob: float | None) -> float | None:
    """exp of a log-probability (``Segment.confidence``, ``round_trip``); None without one."""
    return math.exp(log_prob) if log_prob is not None and math.isfinite(log_prob) else None


def flag_label(name: str) -> str:
    """A flag's name as the pages show it: every hyphen a space."""
    return name.replace("-", " ")

# Characters that XML 1.0 (TMX, HTML) and gettext (PO) cannot carry: C0 controls other than
# tab, newline and carriage return, U+FFFE/U+FFFF and lone surrogates.
UNSTORABLE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Span:
    """Inline formatting of a block: ``[start, end)`` in the block's plain text."""

    start: int
    end: int
    style: str  # one of INLINE_STYLES
    href: str = ""  # the URL of a link; the reader's name of a FORMAT; an ANCHOR's source
    title: str = ""  # a link's title (its tooltip), when the source gives one


@dataclass
class Block:
    """One block of a document: a non-empty line of a .txt file, a paragraph of the others.

    ``text`` is plain text (markup removed, whitespace collapsed outside .txt); ``style``,
    ``level`` and ``spans`` map it back to the source markup so the English can be rebuilt.
    A block is a translatable unit of the original file: ``locator`` says where it is there
    (its reader's notation, docs/formats.md), so the in-place writer replaces its text and
    leaves the rest of the file as it was.
    """

    doc: str  # file stem
    index: int  # 0-based among the document's blocks
    line: int  # 1-based line (.docx: paragraph) number in the file, 0 when unknown
    text: str  # the line without its newline
    kind: str  # one of BLOCK_KINDS
    style: str = ""  # source style: "h2", "ul", "ol", "blockquote", "pre", a Word style name
    level: int = 0  # heading level, or list depth (1 = top level)
    spans: list[Span] = field(default_factory=list)
    locator: str = ""  # where the unit is in the original file ("" for .txt: ``line``)


@dataclass
class Document:
    stem: str
    path: Path
    blocks: list[Block] = field(default_factory=list)
    format: str = TXT  # TXT, HTML, MARKDOWN, DOCX, ODT or PPTX
    meta: dict[str, str] = field(default_factory=dict)  # title, author, date, site, url
    # sha256 of the file as read: its copy beside report.json is originals/<source><suffix>,
    # from which the English document is written in place ("" for .txt: nothing to keep).
    source: str = ""
    original: bytes | None = field(default=None, repr=False, compare=False)  # those bytes

    @property
    def title(self) -> str:
        """Its first level-1 heading, else the title its metadata gives ("" if none)."""
        first = next((b.text for b in self.blocks if b.kind == HEADING and b.level == 1), "")
        return first or self.meta.get("title", "")


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
    # The machine translation, kept when a review or draft is the target (None: no MT ran).
    mt: str | None = None
    hits: list[Hit] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    score: float | None = None  # engine log-prob score when the engine gives one
    # The engine's confidence in its English: the mean log-probability of its tokens (None:
    # no MT); and, when an en→fr model is installed, the mean log-probability of the French
    # given that English (round trip). See risk.py.
    confidence: float | None = None
    round_trip: float | None = None
    origin: str = ""  # where target came from: "mt", "cache", "review", "draft", "tm", "" (none)
    term_method: str = ""  # how MT met the glossary terms: "", "n-best", "prefix", "forced"
    reasons: dict[str, str] = field(default_factory=dict)  # flag → why, one sentence
    # Machine translation's word alignment, when asked for (inline markup to place):
    # [French word start, end, English word start, end], offsets in source and target.
    alignment: list[list[int]] = field(default_factory=list)
    # QA flags a reviewer dismissed as false positives for this English: flag → why.
    dismissed: dict[str, str] = field(default_factory=dict)
    rejected: str = ""  # a reviewer rejected this English: why ("" when not)
    risk: float = 0.0  # how much it needs a reviewer's eyes (risk.py); 0: none
    # The best match the memory had for this French when the run looked (memory.prefill),
    # whether or not it prefilled the English (origin TM): its score (50-101; None: none
    # scoring 50), where it came from ("review", "draft" or an external memory's name), its
    # French, and what the glossary repaired in its English (one line per change).
    tm_score: int | None = None
    tm_source: str = ""
    tm_french: str = ""
    tm_repairs: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Position id "doc:block:index" (PO msgctxt, TMX tuid)."""
        return make_key(self.doc, self.block, self.index)

    @property
    def mt_input(self) -> str:
        return self.source if self.engine_input is None else self.engine_input

    def set_english(self, target: str | None, origin: str) -> None:
        """English that is not this segment's machine translation (a review, a draft, none):
        the engine's score, flags and alignment go with the translation they described
        (``mt`` keeps its text)."""
        self.target, self.origin, self.score = target, origin, None
        self.confidence = self.round_trip = None
        self.flags = [flag for flag in self.flags if flag not in MT_FLAGS]
        self.alignment = []
        self.dismissed, self.rejected = {}, ""  # they were about the English replaced

    def flag(self, name: str, reason: str = "") -> None:
        if name not in self.flags:
            self.flags.append(name)
        if reason:
            self.reasons[name] = reason


@dataclass
class ReviewUnit:
    """One unit of a review file (PO entry, TMX unit…) as read back, whatever its format."""

    line: int  # where it is in the file, for messages
    key: str  # the segment key it was written for ("" when it has none)
    source: str  # the French
    target: str  # the English ("" when none)
    fuzzy: bool  # marked as not reviewed (a PO fuzzy flag): an edit is a draft
    confirmed: bool  # marked as reviewed (a non-fuzzy PO entry); False where the format has no state


def flag_totals(segments: Iterable[Segment]) -> dict[str, int]:
    """Number of segments carrying each flag, for every flag of the model (zeros included)."""
    totals = dict.fromkeys(FLAGS, 0)
    for seg in segments:
        for name in seg.flags:
            totals[name] = totals.get(name, 0) + 1
    return totals


def by_document(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    """Segments grouped by document stem, documents and segments in their given order."""
    docs: dict[str, list[Segment]] = {}
    for seg in segments:
        docs.setdefault(seg.doc, []).append(seg)
    return docs


@dataclass
class Part:
    """One document of a run with its segments: what the writers are fed, one at a time.
    ``document`` is None for segments of a document whose layout is not known (a report
    written by an early version)."""

    stem: str
    document: Document | None
    segments: list[Segment]


def parts_of(segments: Iterable[Segment], documents: Iterable[Document] = ()) -> list[Part]:
    """The parts of a dossier held in memory: each of ``documents`` with its segments, in
    their order, then the segments of any other document, in theirs."""
    groups = by_document(segments)
    parts = [Part(doc.stem, doc, groups.pop(doc.stem, [])) for doc in documents]
    return parts + [Part(stem, None, segs) for stem, segs in groups.items()]


def segments_of(parts: Iterable[Part]) -> Iterator[Segment]:
    """Every segment of ``parts``, in order."""
    for part in parts:
        yield from part.segments


def make_key(doc: str, block: int, index: int) -> str:
    """The segment key "doc:block:index"."""
    return f"{doc}:{block}:{index}"


def parse_key(key: str) -> tuple[str, int, int]:
    """(doc, block, index) of a key made by :func:`make_key`; ValueError if it is not one."""
    doc, _, index = key.rpartition(":")
    doc, _, block = doc.rpartition(":")
    if not (doc and block.isdecimal() and index.isdecimal()):
        raise ValueError(f"not a segment key (DOC:BLOCK:INDEX): {key!r}")
    return doc, int(block), int(index)


def key_position(key: str) -> tuple[str, int | None, int | None]:
    """(doc, block, index) of a segment key; ``(key, None, None)`` for any other id (a TMX
    ``tuid`` or PO ``msgctxt`` written by another tool)."""
    try:
        return parse_key(key)
    except ValueError:
        return key, None, None


def comparable(text: str) -> str:
    """``text`` as every storage keeps it: NFC, without the characters TMX/PO cannot hold.

    The review memory, PO and TMX readers compare French through this, so a segment with a
    control character or a decomposed accent matches its own review.
    """
    return unicodedata.normalize("NFC", UNSTORABLE.sub("", text))


def segment_to_dict(seg: Segment) -> dict:
    """The JSON record of a segment: its key, then every field (hits as objects; lists and
    objects copied, so the record can be changed without changing the segment)."""
    record = {"key": seg.key}
    for name in _field_names(Segment):
        value = getattr(seg, name)
        record[name] = value.copy() if isinstance(value, (list, dict)) else value
    record["hits"] = [{**vars(hit), "avoid": list(hit.avoid)} for hit in seg.hits]
    record["alignment"] = [list(link) for link in seg.alignment]
    for name in ("score", "confidence", "round_trip"):
        if record[name] is not None and not math.isfinite(record[name]):
            record[name] = None  # JSON has no NaN/Infinity
    return record


def segment_from_dict(record: dict) -> Segment:
    """The Segment of a :func:`segment_to_dict` record (unknown keys ignored, types checked)."""
    values = known_fields(Segment, record)
    values["hits"] = [Hit(**known_fields(Hit, hit)) for hit in values.get("hits", [])]
    values["flags"] = [str(flag) for flag in values.get("flags", [])]
    values["tm_repairs"] = [str(note) for note in values.get("tm_repairs", [])]
    seg = Segment(**values)
    if seg.tm_score is not None and type(seg.tm_score) is not int:
        raise ValueError("tm_score must be an integer or null")
    for name in ("block", "index", "start", "end"):
        if not isinstance(getattr(seg, name), int):
            raise ValueError(f"{name} must be an integer")
    for name in ("doc", "source"):
        if not isinstance(getattr(seg, name), str):
            raise ValueError(f"{name} must be a string")
    return seg


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@functools.cache
def _field_set(cls: type) -> frozenset[str]:
    return frozenset(_field_names(cls))


def known_fields(cls: type, record: dict) -> dict:
    """The items of ``record`` that are fields of dataclass ``cls`` (newer keys are ignored)."""
    if not isinstance(record, dict):
        raise TypeError(f"expected an object, got {type(record).__name__}")
    names = _field_set(cls)
    return {k: v for k, v in record.items() if k in names}


def document_to_dict(doc: Document) -> dict:
    """The JSON record of a document's layout (report.json "documents"): format, metadata,
    and every block with its text, style and inline spans."""
    record = asdict(doc)
    record["path"] = str(doc.path)
    del record["original"]  # kept as a file of its own (Document.source)
    for block in record["blocks"]:
        del block["doc"]
    return record


def document_from_dict(record: dict) -> Document:
    """The Document of a :func:`document_to_dict` record (unknown keys ignored, types checked)."""
    values = known_fields(Document, record)
    stem = values.get("stem")
    if not isinstance(stem, str) or not isinstance(values.get("format", TXT), str):
        raise ValueError("stem and format must be strings")
    blocks = []
    for raw in values.get("blocks", []):
        block = Block(stem, **{k: v for k, v in known_fields(Block, raw).items() if k != "doc"})
        block.spans = [Span(**known_fields(Span, span)) for span in block.spans]
        if not isinstance(block.text, str) or not isinstance(block.index, int):
            raise ValueError("block text must be a string and index an integer")
        blocks.append(block)
    meta = values.get("meta", {})
    if not isinstance(meta, dict):
        raise ValueError("meta must be an object")
    source = values.get("source", "")
    if not isinstance(source, str):
        raise ValueError("source must be a string")
    return Document(
        stem, Path(str(values.get("path", ""))), blocks, values.get("format", TXT),
        {str(k): str(v) for k, v in meta.items()}, source,
    )
