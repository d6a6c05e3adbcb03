"""Fuzzy matches compared with their segment, and repaired by the glossary.

Both French texts are cut into *units*: their match words (:mod:`.words`), except that the
words of a glossary hit make one unit (its entry), so "conseil d'administration" against
"PDG" is one difference, not three. The differences are the runs of units that Levenshtein's
opcodes do not keep, next ones joined; their words are the spans a match panel highlights.

A difference is *repaired* when its units on both sides are glossary hits of different
entries, paired in order — the English of the match's entry (its target, found by the QA's
own term search ``glossary.verify.term_spans``, a plural or possessive ending kept) is
replaced by the segment's entry's target — or one number each (digits only), replaced in the
English. A replacement is made only where the old English occurs exactly once; any other
difference (a word added, left out or changed that is no term, an English that is ambiguous)
leaves the repair incomplete. Nothing is guessed beyond the glossary.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .words import match_words

_NUMBER = "(?<![\\d.,]){}(?!\\d)"


@dataclass(frozen=True)
class Repair:
    """One change made to a match's English."""

    kind: str  # the glossary entry's kind (term, keep, fix), or "number"
    french_was: str  # in the match's French
    french_now: str  # in the segment's French
    english_was: str  # in the match's English
    english_now: str  # what replaced it

    def note(self) -> str:
        return (f"{self.kind}: {self.english_was} → {self.english_now} "
                f"(French {self.french_was} → {self.french_now})")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Comparison:
    """What differs between a match and its segment, and the match's English repaired."""

    segment_spans: list[tuple[int, int]] = field(default_factory=list)  # in the segment's French
    match_spans: list[tuple[int, int]] = field(default_factory=list)  # in the match's French
    english: str = ""  # the match's English with the repairs
    repairs: list[Repair] = field(default_factory=list)
    complete: bool = True  # every difference repaired (True when there is none)


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    key: str  # the word as compared, or the glossary entry
    hit: object = None  # the glossary match, for a hit


def compare(segment: str, match: str, english: str, glossary=None) -> Comparison:
    """Compare the French of ``segment`` and of a ``match`` whose English is ``english``;
    ``glossary`` a loaded glossary (None: numbers are repaired, no terms)."""
    now, was = _units(segment, glossary), _units(match, glossary)
    result = Comparison(english=english)
    edits: list[tuple[int, int, str, Repair]] = []
    for i1, i2, j1, j2 in differences([u.key for u in was], [u.key for u in now]):
        if i2 > i1:
            result.match_spans.append((was[i1].start, was[i2 - 1].end))
        if j2 > j1:
            result.segment_spans.append((now[j1].start, now[j2 - 1].end))
        found = _repaired(match, segment, was[i1:i2], now[j1:j2], english)
        if found is None:
            result.complete = False
        else:
            edits += found
    edits.sort(key=lambda edit: edit[0])
    if any(a[1] > b[0] for a, b in zip(edits, edits[1:])):
        result.complete = False  # two repairs of one place of the English: none is sure
        return result
    for start, end, text, _ in reversed(edits):
        result.english = result.english[:start] + text + result.english[end:]
    result.repairs = [edit[3] for edit in edits]
    return result


def differences(was: list[str], now: list[str]) -> list[tuple[int, int, int, int]]:
    """The runs of items that differ between ``was`` and ``now`` (Levenshtein opcodes, those
    next to each other joined): ``(i1, i2, j1, j2)``, ``was[i1:i2]`` became ``now[j1:j2]``."""
    from rapidfuzz.distance import Levenshtein

    runs: list[list[int]] = []
    for op in Levenshtein.opcodes(was, now):
        if op.tag == "equal":
            continue
        if runs and runs[-1][1] == op.src_start and runs[-1][3] == op.dest_start:
            runs[-1][1], runs[-1][3] = op.src_end, op.dest_end
        else:
            runs.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [tuple(run) for run in runs]


def _units(text: str, glossary) -> list[_Unit]:
    hits = glossary.find(text) if glossary is not None else []
    units, at = [], 0
    for start, end, word in match_words(text):
        while at < len(hits) and hits[at].end <= start:
            at += 1
        hit = hits[at] if at < len(hits) and hits[at].start <= start else None
        if hit is None:
            units.append(_Unit(start, end, word))
        elif not units or units[-1].hit is not hit:
            units.append(_Unit(hit.start, hit.end, "\0" + hit.entry.source, hit))
    return units


def _repaired(match: str, segment: str, was: list[_Unit], now: list[_Unit], english: str):
    """The replacements that repair one difference, or None."""
    if len(was) != len(now) or not was:
        return None
    edits = []
    for old, new in zip(was, now, strict=True):
        if old.hit is not None and new.hit is not None and old.hit.entry != new.hit.entry:
            edit = _term(old.hit, new.hit, match, segment, english)
        elif old.hit is None and new.hit is None:
            edit = _number(match[old.start : old.end], segment[new.start : new.end], english)
        else:
            edit = None
        if edit is None:
            return None
        edits.append(edit)
    return edits


def _number(old: str, new: str, english: str):
    if not (old.isdigit() and new.isdigit()):
        return None
    spans = [m.span() for m in re.finditer(_NUMBER.format(re.escape(old)), english)]
    if len(spans) != 1:
        return None
    return (*spans[0], new, Repair("number", old, new, old, new))


def _term(old, new, match: str, segment: str, english: str):
    from ..glossary.verify import term_spans

    before, target = old.entry.target, new.entry.target
    spans = term_spans(before, english)
    if len(spans) != 1:
        return None
    start, end = spans[0]
    found = english[start:end]
    if found[:1].isupper() and before[:1].islower():
        target = target[:1].upper() + target[1:]  # a capital at the start of a sentence
    same = found.casefold().startswith(before.casefold())
    text = target + (found[len(before) :] if same else "")  # a plural or possessive ending kept
    repair = Repair(new.entry.kind, match[old.start : old.end], segment[new.start : new.end],
                    found, text)
    return start, end, text, repair
