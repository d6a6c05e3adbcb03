"""The English of each document as a Document of its own format: blocks of English text with
the French inline markup (bold, italic, code, links) placed on it.

A block's English is its segments' English joined with one space (the French where there is
none, as in ``en/*.txt``). A French span is placed on the English by this rule (README
"Formats"): a span covering the whole sentence covers the whole English sentence; a partial
span goes where the segment's alignment puts it — the English of a glossary hit covering the
same words, or the same text found once in the English (names, numbers, code); otherwise it is
kept at sentence level: on the whole English sentence when it covers at least half of the
French sentence, else a link is added after the sentence with its host name as text, and bold,
italic or code is not carried. Segments with such a span get ``markup-unaligned``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from .formats.text import english_of
from .glossary.verify import term_spans
from .model import (
    ANCHOR,
    BOILERPLATE_FLAG,
    LINK,
    VERBATIM_STYLES,
    Block,
    Document,
    Segment,
    Span,
)

_WORD = re.compile(r"\w")


def partial_markup(documents: list[Document]) -> Callable[[Segment], bool]:
    """Whether a segment holds inline markup on part of its French (bold, a link…): the
    segments whose English needs a word alignment to carry it over."""
    spans = {(doc.stem, block.index): block.spans for doc in documents for block in doc.blocks}

    def partial(seg: Segment) -> bool:
        parts = (_part(span, seg) for span in spans.get((seg.doc, seg.block), ()))
        return any(part is not None and not _whole(seg, *part) for part in parts)

    return partial


def markup_unaligned(block: Block, seg: Segment) -> bool:
    """Whether ``seg`` of ``block`` holds inline markup that rule 2 cannot place on its
    English (the ``markup-unaligned`` QA flag: :func:`qa.check_segment` sets it)."""
    if block.style in VERBATIM_STYLES or BOILERPLATE_FLAG in seg.flags:
        return False
    return _place(block.spans, seg, english_of(seg))[1]


def english_documents(
    documents: list[Document], segments: list[Segment], *, include_boilerplate: bool = False
) -> list[Document]:
    """The English Document of each of ``documents``."""
    by_block: dict[tuple[str, int], list[Segment]] = {}
    for seg in segments:
        by_block.setdefault((seg.doc, seg.block), []).append(seg)
    english = []
    for doc in documents:
        blocks = []
        for block in doc.blocks:
            segs = [
                s for s in sorted(by_block.get((doc.stem, block.index), []), key=lambda s: s.index)
                if include_boilerplate or block.style in VERBATIM_STYLES
                or BOILERPLATE_FLAG not in s.flags
            ]
            if segs and block.style in VERBATIM_STYLES:
                blocks.append(block)  # code and raw HTML: never translated, kept as written
            elif segs:
                blocks.append(_english_block(block, segs))
        english.append(replace(doc, blocks=blocks))
    return english


def _english_block(block: Block, segs: list[Segment]) -> Block:
    if all(english_of(seg) == seg.source for seg in segs) and _covers(block.text, segs):
        return block  # nothing translated: the French as it is (an in-place writer keeps it)
    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    anchors = [s for s in block.spans if s.style == ANCHOR]
    owners = [max((n for n, seg in enumerate(segs) if seg.start <= a.start), default=0)
              for a in anchors]
    for n, seg in enumerate(segs):
        text = english_of(seg)
        end = len(text)  # links that could not be placed go after this, one by one
        placed, _ = _place(block.spans, seg, text)
        for span in placed:
            if span.start == end:  # a link added after the sentence
                label = urlsplit(span.href).hostname or span.href
                text += f" ({label})"
                span = replace(span, start=len(text) - len(label) - 1, end=len(text) - 1)
            spans.append(replace(span, start=at + span.start, end=at + span.end))
        for anchor, owner in zip(anchors, owners, strict=True):
            if owner == n:
                where = _anchored(anchor.start - seg.start, seg, text)
                spans.append(replace(anchor, start=at + where, end=at + where))
        parts.append(text)
        at += len(text) + 1
    spans.sort(key=lambda s: (s.start, -s.end))
    return replace(block, text=" ".join(parts), spans=spans)


def _covers(text: str, segs: list[Segment]) -> bool:
    """Whether ``segs`` are all the text of the block (only white space around them)."""
    cuts = [0, *(p for seg in segs for p in (seg.start, seg.end)), len(text)]
    return all(not text[a:b].strip() for a, b in zip(cuts[::2], cuts[1::2]))


def _anchored(offset: int, seg: Segment, english: str) -> int:
    """Where an inline object at ``offset`` of the segment's French goes in its English: the
    same place in the French itself, else the start when no word comes before it, else the
    end (README "Formats")."""
    if english == seg.source:
        return min(max(offset, 0), len(english))
    return 0 if not _WORD.search(seg.source, 0, max(offset, 0)) else len(english)


def _place(spans: list[Span], seg: Segment, english: str) -> tuple[list[Span], bool]:
    """The block's ``spans`` on this segment placed on its ``english``; whether one was not
    aligned. Offsets are in ``english``; a span at ``len(english)`` is a link to add after it."""
    if not spans:
        return [], False
    source = seg.source
    placed: list[Span] = []
    unaligned = False
    whole = _words(english, 0, len(english))
    for span in spans:
        part = _part(span, seg) if span.style != ANCHOR else None
        if part is None or whole is None:
            continue
        a, b = part
        if english == source:  # not translated: the French itself, offsets unchanged
            placed.append(replace(span, start=a, end=b))
            continue
        if _whole(seg, a, b):
            placed.append(replace(span, start=whole[0], end=whole[1]))
            continue
        where = _aligned(seg, a, b, english)
        if where is not None:
            placed.append(replace(span, start=where[0], end=where[1]))
            continue
        unaligned = True
        covered = sum(1 for c in source[a:b] if not c.isspace())
        if 2 * covered >= sum(1 for c in source if not c.isspace()) and not (
            span.style == LINK and any(p.style == LINK and p.end > p.start for p in placed)
        ):
            placed.append(replace(span, start=whole[0], end=whole[1]))
        elif span.style == LINK:
            placed.append(replace(span, start=len(english), end=len(english)))
    return placed, unaligned


def _part(span: Span, seg: Segment) -> tuple[int, int] | None:
    """The part of a block's ``span`` inside ``seg`` (offsets in its French), None when no word
    of the span is in it."""
    a, b = max(span.start, seg.start) - seg.start, min(span.end, seg.end) - seg.start
    return (a, b) if a < b and _WORD.search(seg.source, a, b) else None


def _whole(seg: Segment, a: int, b: int) -> bool:
    """Whether ``seg.source[a:b]`` holds every word of the sentence."""
    return not _WORD.search(seg.source[:a]) and not _WORD.search(seg.source[b:])


def _words(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``[a, b)`` narrowed to its first and last word characters (None: no word in it)."""
    found = [m.start() for m in _WORD.finditer(text, a, b)]
    return (found[0], found[-1] + 1) if found else None


def _aligned(seg: Segment, a: int, b: int, english: str) -> tuple[int, int] | None:
    """Where the French ``source[a:b]`` is in ``english``: the English of a glossary hit on the
    same words, the same text found exactly once, or else the English words the engine's
    attention aligns with those French words (``Segment.alignment``); None when none says."""
    words = _words(seg.source, a, b)
    for hit in seg.hits:
        if _words(seg.source, hit.start - seg.start, hit.end - seg.start) == words:
            found = term_spans(hit.target, english)
            if len(found) == 1:
                return found[0]
    text = seg.source[words[0] : words[1]]
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", english)]
    if len(found) == 1:
        return found[0], found[0] + len(text)
    if english != seg.target:
        return None  # the alignment describes the segment's own English only
    linked = [(ea, eb) for fa, fb, ea, eb in seg.alignment if fa < words[1] and words[0] < fb]
    if not linked:
        return None
    return _words(english, min(a for a, _ in linked), max(b for _, b in linked))


def inline_markup(block: Block, seg: Segment) -> list[tuple[Span, Span | None]]:
    """The inline spans of ``block`` on ``seg``: each as a span of the segment's French
    (offsets in ``seg.source``) with where rule 2 puts it on the segment's English (offsets
    in ``seg.target``; None when there is none, or the span only goes after the sentence as
    a link). Each span is placed on its own; what exchange files (XLIFF) carry."""
    if block.style in VERBATIM_STYLES:
        return []
    english = seg.target or ""
    pairs = []
    for span in block.spans:
        part = _part(span, seg)
        if part is None:
            continue
        placed = _place([span], seg, english)[0] if english.strip() else []
        target = next((p for p in placed if p.end > p.start), None)
        pairs.append((replace(span, start=part[0], end=part[1]), target))
    return pairs
