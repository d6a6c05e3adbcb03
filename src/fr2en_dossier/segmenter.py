"""Lossless rule-based French sentence segmentation.

:func:`split_sentences` returns ``[start, end)`` spans that cover the text except the
whitespace between them: no character is lost or duplicated. The word lists the rules use
(abbreviations, "contre." rendering "vs.", tracking junk) live in ``data/segmentation.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .model import BOILERPLATE, BOILERPLATE_FLAG, Document, Segment
from .overrides import Override, adjust_spans, boilerplate_override

RULES_FILE = Path(__file__).parent / "data" / "segmentation.json"

# Terminal punctuation, with the closing quotes/brackets that belong to the sentence it ends
# (a French closing guillemet may follow a space or a no-break space). An elision mark
# "(...)" / "[…]" inside a quotation is no terminal punctuation.
_TERMINAL = re.compile(r"(?<![(\[.…!?])[.!?…]+(?:[\"”’»)\]]|[ \u00a0\u202f][»\"])*")
# What may precede the first letter of a sentence: opening quotes, brackets, dashes, an
# elision mark.
_OPENING = re.compile(r"(?:[(\[](?:\.\.\.|…)[)\]]\s*)?[\s«“\"'‘(\[—–\-¿¡]{0,4}")
_OPENERS = "«“\"'‘([—–-¿¡"
_CLOSERS = '"”’»)]'
_INITIAL = re.compile(r"(?:[^\W\d_]\.-?)*[^\W\d_]")  # J  J.-C  U.S
_ENUMERATOR = re.compile(r"\d{1,3}|[IVXLC]{1,6}|[a-zA-Z]")  # "3." "IV." "b." opening a line


@dataclass(frozen=True)
class Rules:
    """The word lists of ``data/segmentation.json``."""

    never_final: frozenset[str]
    may_end: frozenset[str]
    versus: frozenset[str]
    sentence_starters: frozenset[str]
    junk: re.Pattern[str] | None


def _with_capitalized(words: list[str]) -> frozenset[str]:
    """The words plus their sentence-initial capitalized form ("cf" → "Cf")."""
    return frozenset(words) | {w[:1].upper() + w[1:] for w in words if w[:1].islower()}


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Load the segmentation rules once."""
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    abbreviations = raw["abbreviations"]
    junk = raw.get("junk") or []
    return Rules(
        never_final=_with_capitalized(abbreviations["never_final"]),
        may_end=_with_capitalized(abbreviations["may_end"]),
        versus=frozenset(raw["versus"]),
        sentence_starters=frozenset(raw["sentence_starters"]),
        junk=re.compile("|".join(map(re.escape, junk))) if junk else None,
    )


def _word_before(text: str, pos: int) -> tuple[str, int]:
    """The word ending at ``pos`` (opening punctuation and an elided article removed) and
    the index where its whitespace-delimited token starts."""
    i = pos
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    word = text[i:pos].lstrip(_OPENERS)
    for apostrophe in "'’":
        word = word.rpartition(apostrophe)[2]
    return word, i


def _opens_sentence(text: str, pos: int, starters: frozenset[str]) -> bool:
    """Whether the word at ``pos`` is a typical sentence opener ("Le", "L'année")."""
    end = pos
    while end < len(text) and not text[end].isspace() and text[end] not in ",;:.!?…'’":
        end += 1
    if text[end : end + 1] in ("'", "’"):
        end += 1  # elided: "L'", "Qu’"
    return text[pos:end] in starters


def _sentence_start(text: str, pos: int) -> int:
    """Index of the first letter or digit after ``pos`` if what follows can open a sentence
    (an uppercase letter or a digit, maybe after an opening quote, dash or elision mark),
    else -1."""
    i = _OPENING.match(text, pos).end()
    if i < len(text) and (text[i].isupper() or text[i].isdigit()):
        return i
    return -1


def _closes_quote(text: str, quote: int) -> bool:
    """Whether the ASCII double quote at ``quote``, preceded by a space, closes a quotation:
    it is not glued to the next word and closes one opened earlier in the text."""
    glued_to_word = quote + 1 < len(text) and text[quote + 1].isalnum()
    return not glued_to_word and text.count('"', 0, quote) % 2 == 1


def _ends_sentence(text: str, start: int, end: int, r: Rules) -> bool:
    """Whether the terminal punctuation ``text[start:end]`` ends a sentence."""
    n = end
    while n < len(text) and text[n].isspace():
        n += 1
    if n == len(text):
        return False  # the end of the text ends the last segment anyway
    first = _sentence_start(text, n)
    if first < 0:
        return False  # "., en particulier", "? » demande-t-il", "x.ai", "3.5"
    word, token_start = _word_before(text, start)
    if n == end:  # glued: "en 2019.Depuis", "objectifs.Alors" but not "U.S.A", "ASP.NET"
        return (
            first == n
            and n + 1 < len(text)
            and text[n + 1].islower()
            and word != ""
            and word not in r.never_final
            and not _INITIAL.fullmatch(word)
        )
    if "…" in text[start:end] or text.count(".", start, end) > 1:
        return not text[first].isdigit()  # "Il hésite... Puis" but "revendu... 1,6 million"
    if text[start] != "." or text[end - 1] in _CLOSERS:
        return True  # ? ! and a period inside quotes end a sentence before a capital
    if word in r.never_final:
        return False  # "M. Dupont", "cf. Paris", "p. 12"
    if word in r.may_end:
        return True  # "etc. Le lendemain"
    if _ENUMERATOR.fullmatch(word) and not text[:token_start].strip():
        return False  # a numbered heading or list item: "3. Choc des egos", "b. Le point"
    if _INITIAL.fullmatch(word):
        # "J. K. Rowling", "U.S. Steel" — unless a typical sentence opener follows
        return _opens_sentence(text, first, r.sentence_starters)
    if word in r.versus:
        # "Musk contre. OpenAI": MT rendering of "vs." between two names
        before, _ = _word_before(text, token_start - 1) if token_start else ("", 0)
        return not (before[:1].isupper() and text[first].isupper())
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _junk_cuts(text: str, r: Rules) -> list[int]:
    """Cut around tracking junk standing alone or glued to a sentence end ("humanité.fbpx")."""
    cuts: list[int] = []
    if r.junk is None:
        return cuts
    for m in r.junk.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if not before.isalnum() and not (after.islower() or after.isdigit()):
            cuts += [m.start(), m.end()]
    return cuts


def _terminal_end(text: str, start: int, end: int) -> int:
    """End of the terminal punctuation matched at ``[start, end)``, short of a spaced ASCII
    quote that opens the next sentence rather than closing this one."""
    for i in range(start + 1, end):
        if text[i] == '"' and text[i - 1].isspace() and not _closes_quote(text, i):
            return i - 1
    return end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split French text into sentences: ``[start, end)`` spans, in order, none empty, each
    without surrounding whitespace, together covering every non-whitespace character."""
    r = rules()
    cuts = []
    for m in _TERMINAL.finditer(text):
        end = _terminal_end(text, m.start(), m.end())
        if _ends_sentence(text, m.start(), end, r):
            cuts.append(end)
    cuts += _junk_cuts(text, r)
    spans = []
    prev = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        span = _trimmed(text, prev, cut)
        if span:
            spans.append(span)
        prev = cut
    return spans


def is_junk(text: str) -> bool:
    """Whether a segment is nothing but tracking junk."""
    junk = rules().junk
    return bool(junk and junk.fullmatch(text))


def final_punctuation(text: str) -> str:
    """The punctuation mark ending ``text``, closing quotes and brackets aside; "" if none
    (a title, a caption, a name)."""
    core = text.rstrip(_CLOSERS + " \t\u00a0\u202f")
    return core[-1] if core and core[-1] in ".!?…:;," else ""


def _glued_title(text: str, spans: list[tuple[int, int]], i: int) -> bool:
    """The last sentence of a line, glued to the previous one without a space and without
    final punctuation: a heading that lost its line break ("…mondiales.Une collaboration")."""
    if i == 0 or i != len(spans) - 1 or spans[i][0] != spans[i - 1][1]:
        return False
    return not final_punctuation(text[spans[i][0] : spans[i][1]])


def segment_documents(documents: list[Document], overrides: Iterable[Override] = ()) -> list[Segment]:
    """Segments of every block of the documents, in order, with the reviewers' ``overrides``
    applied (:mod:`overrides`). Segments of boilerplate blocks and junk segments are flagged
    ``BOILERPLATE_FLAG``, unless an override says otherwise (or says so of another sentence)."""
    by_doc: dict[str, list[Override]] = {}
    for override in overrides:
        by_doc.setdefault(override.doc, []).append(override)
    segments = []
    for doc in documents:
        corrections = by_doc.get(doc.stem, [])
        for block in doc.blocks:
            spans = split_sentences(block.text)
            if corrections:
                spans = adjust_spans(block.text, spans, corrections)
            for i, (start, end) in enumerate(spans):
                seg = Segment(
                    doc.stem, block.index, i, block.kind, start, end, block.text[start:end]
                )
                said = boilerplate_override(seg.source, corrections)
                if said is None:
                    said = is_junk(seg.source) or (
                        block.kind == BOILERPLATE and not _glued_title(block.text, spans, i))
                if said:
                    seg.flag(BOILERPLATE_FLAG)
                segments.append(seg)
    return segments


def segment_record(seg: Segment) -> dict:
    """The ``fr2en segment --format jsonl`` object of a segment (a stable contract)."""
    return {
        "doc": seg.doc,
        "block": seg.block,
        "kind": seg.kind,
        "index": seg.index,
        "start": seg.start,
        "end": seg.end,
        "text": seg.source,
    }


def segment_line(seg: Segment) -> str:
    """The ``fr2en segment --format text`` line: key, kind, flags ("-": none), sentence."""
    return f"{seg.key}\t{seg.kind}\t{','.join(seg.flags) or '-'}\t{seg.source}"
