"""QA flags computed on every run, over segments that went through glossary and MT.

Rules (README "Outputs"):

- ``term-missing``: the glossary stage's ``verify_terms`` (an expected target term is absent).
- ``number-mismatch``: a number of the French is absent from the English. Numbers are compared
  as values, so French and English formats agree: "1 000" = "1,000", "1,5" = "1.5",
  "60 millions" = "60 million" = "60,000,000", "1er" = "1st".
- ``untranslated``: the target is empty, or equal to the source (ignoring case and spaces)
  unless the source is only names and numbers ("Elon Musk", "OpenAI", "2019").
- ``length-ratio``: on sources of at least ``MIN_RATIO_CHARS`` characters, the English is
  shorter than ``RATIO_BAND[0]`` or longer than ``RATIO_BAND[1]`` times the French.
- ``repetition``, ``punctuation``, ``brackets-quotes``, ``inconsistent``: :mod:`.mt_checks`.

Every flag comes with its reason, one sentence in ``Segment.reasons[flag]``.

Segments flagged ``boilerplate`` (by the segmenter) are not translated and not checked. Flags
set by other stages (``boilerplate``, ``truncated``, ``term-forced``) are left as they are.
:func:`check_segment` computes what depends on one segment, :func:`check_across` what compares
segments (always over the whole dossier), :func:`check_dossier` both.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import mt_checks
from .model import (
    MARKUP_UNALIGNED,
    BOILERPLATE_FLAG,
    BRACKETS_QUOTES,
    INCONSISTENT,
    LENGTH_RATIO,
    NUMBER_MISMATCH,
    PUNCTUATION,
    REPETITION,
    TERM_MISSING,
    UNTRANSLATED,
    Block,
    Document,
    Segment,
    flag_totals,
)

# Flags this module owns: those of one segment (:func:`check_segment`), and those comparing
# segments across the dossier (:func:`check_across`). The others (boilerplate, truncated,
# term-forced) are set by the stages that find them and left as they are.
SEGMENT_FLAGS = (
    TERM_MISSING,
    NUMBER_MISMATCH,
    UNTRANSLATED,
    LENGTH_RATIO,
    REPETITION,
    PUNCTUATION,
    BRACKETS_QUOTES,
)
DOSSIER_FLAGS = (INCONSISTENT,)

MIN_RATIO_CHARS = 30
RATIO_BAND = (0.5, 2.0)

# A number: digits, thousands grouped by spaces ("1 000") or by '.'/',' ("1,000", "1.000"), an
# optional decimal part, then an optional scale word ("60 millions", "1.5 billion").
_NUMBER = re.compile(
    r"(?<!\d)((?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:[.,]\d+)*)"
    r"(?:[ \u00a0\u202f]?(millions?|milliards?|billions?|trillions?|thousands?|mille)\b)?",
    re.IGNORECASE,
)
_SPACE_SEPARATORS = " \u00a0\u202f"
# Powers of ten of each scale word (stripped of its plural "s"). A French "billion" is 10^12,
# but text machine-translated from English also uses it for 10^9: both readings are kept.
_SCALES_FR = {
    "mille": (3,),
    "thousand": (3,),
    "million": (6,),
    "milliard": (9,),
    "billion": (9, 12),
    "trillion": (12, 18),
}
_SCALES_EN = {
    "mille": (3,),
    "thousand": (3,),
    "million": (6,),
    "milliard": (9,),
    "billion": (9,),
    "trillion": (12,),
}
_WORD = re.compile(r"[^\W\d_]+")


def check_segment(seg: Segment, block: Block | None = None, *, markup: bool = True) -> None:
    """Recompute, in place, every QA flag that depends on ``seg`` alone: the glossary terms,
    numbers, length, repetition, punctuation, brackets and quotes, and ``markup-unaligned``
    from the ``block`` it comes from (its inline markup; None: a block without any). With
    ``markup`` false, that flag is left as it is. Boilerplate is not checked."""
    from .glossary import verify_terms
    from .markup import markup_unaligned

    _clear(seg, (*SEGMENT_FLAGS, MARKUP_UNALIGNED) if markup else SEGMENT_FLAGS)
    if BOILERPLATE_FLAG in seg.flags:
        return
    verify_terms([seg])
    for name, reason in segment_flags(seg.source, seg.target).items():
        seg.flag(name, reason)
    if markup and block is not None and markup_unaligned(block, seg):
        seg.flag(MARKUP_UNALIGNED, "inline formatting on part of the French could not be placed "
                                   "on the English: kept at sentence level")


def check_across(segments: list[Segment], reasons: dict[str, str] | None = None) -> None:
    """Recompute, in place, the flags that compare segments with each other (``inconsistent``)
    over ``segments``, which must be the whole dossier — or any part of it, with the
    ``reasons`` ({key: reason}) found over the whole (:meth:`spill.Spill.reasons`)."""
    for seg in segments:
        _clear(seg, DOSSIER_FLAGS)
    if reasons is None:
        reasons = mt_checks.inconsistent(segments)
    for seg in segments:
        if seg.key in reasons:
            seg.flag(INCONSISTENT, reasons[seg.key])


def check_dossier(segments: list[Segment], documents: list[Document] | None = None) -> dict[str, int]:
    """Every QA flag of the whole dossier, in place; return the totals per flag (all FLAGS).

    ``documents`` are the segments' documents (their inline markup, for ``markup-unaligned``;
    None: that flag is left as it is)."""
    blocks = block_index(documents or [])
    for seg in segments:
        check_segment(seg, blocks.get((seg.doc, seg.block)), markup=documents is not None)
    check_across(segments)
    return flag_totals(segments)


def block_index(documents: list[Document]) -> dict[tuple[str, int], Block]:
    """Each block of ``documents`` by (document stem, block index)."""
    return {(doc.stem, block.index): block for doc in documents for block in doc.blocks}


def _clear(seg: Segment, names) -> None:
    seg.flags = [f for f in seg.flags if f not in names]
    seg.reasons = {f: r for f, r in seg.reasons.items() if f not in names}


def segment_flags(source: str, target: str | None) -> dict[str, str]:
    """{flag: reason} of one source/target pair: every QA flag but term-missing and inconsistent."""
    if not target or not target.strip():
        return {UNTRANSLATED: "no English"}
    flags = {}
    if _squash(source) == _squash(target) and not names_and_numbers_only(source):
        flags[UNTRANSLATED] = "the English is the French unchanged"
    numbers = missing_numbers(source, target)
    if numbers:
        flags[NUMBER_MISMATCH] = f"number(s) of the French missing from the English: {', '.join(numbers)}"
    if length_outlier(source, target):
        flags[LENGTH_RATIO] = (
            f"the English is {length_ratio(source, target):.2f}× the French's length "
            f"(expected {RATIO_BAND[0]}–{RATIO_BAND[1]}×)"
        )
    checks = (
        (REPETITION, mt_checks.repetition),
        (PUNCTUATION, mt_checks.end_punctuation),
        (BRACKETS_QUOTES, mt_checks.brackets_quotes),
    )
    for name, check in checks:
        reason = check(source, target)
        if reason:
            flags[name] = reason
    return flags


def missing_numbers(source: str, target: str) -> list[str]:
    """The numbers of the French ``source`` (as written) whose value is absent from ``target``."""
    found = set()
    for _, values in _numbers(target, _SCALES_EN):
        found |= values
    return [text for text, values in _numbers(source, _SCALES_FR) if not values & found]


def length_outlier(source: str, target: str) -> bool:
    """True when the English/French character ratio of a long enough source is out of band."""
    ratio = length_ratio(source, target)
    return ratio is not None and not RATIO_BAND[0] <= ratio <= RATIO_BAND[1]


def length_ratio(source: str, target: str) -> float | None:
    """Characters of the English per character of the French; None for a short French."""
    chars = len(source.strip())
    return len(target.strip()) / chars if chars >= MIN_RATIO_CHARS else None


def names_and_numbers_only(text: str) -> bool:
    """True when every word of ``text`` is capitalised (names, acronyms) or there is none."""
    return all(word[0].isupper() for word in _WORD.findall(text))


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _numbers(text: str, scales: dict[str, tuple[int, ...]]) -> list[tuple[str, set[Decimal]]]:
    """Each number of ``text`` with the set of values it may stand for."""
    out = []
    for match in _NUMBER.finditer(text):
        digits, scale = match.group(1), match.group(2)
        values = _values(digits)
        if scale:
            exponents = scales[scale.lower().rstrip("s")]
            values = {v.scaleb(e) for v in values for e in exponents}
        out.append((match.group(0), {v.normalize() for v in values}))
    return out


def _values(digits: str) -> set[Decimal]:
    """Readings of a digit string: "1 000" → {1000}; "1,5" → {1.5}; "1,000" → {1000, 1}.

    Spaces and a repeated '.'/',' group thousands. A single last '.' or ',' is a decimal mark,
    or either reading when exactly three digits follow it and nothing tells them apart.
    """
    parts = re.split(r"([ \u00a0\u202f.,])", digits)
    groups, seps = parts[0::2], parts[1::2]
    whole = Decimal("".join(groups))
    marks = [sep for sep in seps if sep not in _SPACE_SEPARATORS]
    if not seps or seps[-1] in _SPACE_SEPARATORS or marks.count(seps[-1]) > 1:
        return {whole}
    decimal = Decimal("".join(groups[:-1]) + "." + groups[-1])
    if len(groups[-1]) == 3 and len(marks) == 1:
        return {whole, decimal}
    return {decimal}
