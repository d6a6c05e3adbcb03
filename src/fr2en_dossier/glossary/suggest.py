"""Suggest glossary entries: French candidates (:mod:`.candidates`) with their English
(:mod:`.mining`), each with its evidence, as plain JSON-ready records.

Candidates the reviewers' edits support (:meth:`mining.English.mined`) come first, each with
the French variants the reviewers rendered the same way folded into it (``also``: "bénéfice
plafonné", "profit limité" → capped-profit); then the others by termhood. Occurrences inside a
glossary hit, a URL or a boilerplate segment do not count, nor does a candidate the glossary
already has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import BOILERPLATE_FLAG, FIX, KEEP, TERM, Segment, comparable
from .candidates import ACRONYM, NAME, FrenchCandidate, french_candidates
from .entries import Entry
from .load import Glossary
from .matcher import WORD, Matcher, address_spans, word_key
from .mining import English, Link, Rendering, SegmentRecord, english_for
from .tagger import AUTO, tag

CONTEXT_CHARS = 60  # on each side of the occurrence
CONTEXTS = 3  # contexts kept per candidate
MT_LINKED = 200  # candidates whose MT English is looked for in every segment


@dataclass
class Candidate:
    """A proposed glossary entry and why."""

    text: str  # the French source proposed (singular)
    kind: str  # proposed entry kind: fix, term or keep
    category: str  # name, acronym, noun or phrase
    count: int  # occurrences in the dossier
    score: float  # termhood (candidates.py)
    key: str  # "doc:block:index" of the first occurrence
    context: str  # the sentence around the first occurrence
    target: str = ""  # proposed English ("" when nothing says)
    forms: tuple[str, ...] = ()  # the `forms` option matching every form seen
    surfaces: list[str] = field(default_factory=list)  # forms written in the dossier
    contexts: list[dict] = field(default_factory=list)  # {"key", "text"} of a few occurrences
    english: list[Rendering] = field(default_factory=list)  # renderings, best first
    evidence: list[Link] = field(default_factory=list)  # the segments behind ``english``
    mined: bool = False  # proposed by the reviewers' edits
    also: list[str] = field(default_factory=list)  # French variants with the same English

    def renderings(self) -> str:
        """"capped-profit (3 reviews), limited profit (2 MT)"."""
        return ", ".join(r.label() for r in self.english)

    def to_dict(self) -> dict:
        return {
            "source": self.text, "kind": self.kind, "target": self.target,
            "category": self.category, "count": self.count, "score": round(self.score, 3),
            "forms": list(self.forms), "mined": self.mined, "also": self.also,
            "key": self.key, "context": self.context, "surfaces": self.surfaces,
            "contexts": self.contexts, "english": [r.to_dict() for r in self.english],
            "evidence": [link.to_dict() for link in self.evidence],
        }  # fmt: skip


def suggest_terms(
    segments: list[Segment],
    glossary: Glossary,
    min_count: int = 2,
    *,
    records: Iterable[SegmentRecord] = (),
    pipeline: str = AUTO,
    top: int | None = None,
) -> list[Candidate]:
    """Candidates seen at least ``min_count`` times (``top``: the first ones only), with the
    English that ``records`` (:mod:`.history` builds them from a project) give them."""
    segments = [s for s in segments if BOILERPLATE_FLAG not in s.flags]
    known = {_norm(e.source) for e in glossary.entries}
    covered = [[(m.start, m.end) for m in glossary.find(s.source)] + address_spans(s.source)
               for s in segments]  # fmt: skip
    found = [c for c in french_candidates(segments, tag([s.source for s in segments], pipeline),
                                          covered)
             if c.count >= min_count and _norm(c.text) not in known]  # fmt: skip
    records = list(records)
    english = _english(segments, found, records)
    candidates = [_candidate(segments, c, english.get(i, English())) for i, c in enumerate(found)]
    mined = _fold([c for c in candidates if c.mined])
    rest = [c for c in candidates if not c.mined]
    ordered = mined + rest
    return ordered[:top] if top is not None else ordered


def _english(segments, found: list[FrenchCandidate], records: list[SegmentRecord]):
    """English per candidate index: reviewed segments for every candidate, the MT of every
    segment for the first :data:`MT_LINKED` candidates."""
    if not records:
        return {}
    index = {(s.key, comparable(s.source)): i for i, s in enumerate(segments)}
    by_segment: dict[int, list[tuple[int, int, int]]] = {}
    for cid, candidate in enumerate(found):
        for o in candidate.occurrences:
            by_segment.setdefault(o.segment, []).append((cid, o.start, o.end))
    occurrences = {}
    for record in records:
        i = index.get((record.key, comparable(record.french)))
        if i is None or i not in by_segment:
            continue
        limit = len(found) if record.reviewed is not None else MT_LINKED
        occurrences[record.key] = [o for o in by_segment[i] if o[0] < limit]
    return english_for(records, occurrences)


def _candidate(segments, found: FrenchCandidate, english: English) -> Candidate:
    first = found.occurrences[0]
    seg = segments[first.segment]
    contexts = [{"key": segments[o.segment].key, "text": _context(segments[o.segment].source,
                                                                  o.start, o.end)}
                for o in found.occurrences[:CONTEXTS]]  # fmt: skip
    text = found.text
    candidate = Candidate(
        text, TERM, found.category, found.count, found.score, seg.key, contexts[0]["text"],
        forms=_forms(text, found.surfaces), surfaces=found.surfaces, contexts=contexts,
        english=english.renderings(), evidence=english.links,
    )
    mined = english.mined()
    if mined is not None:
        candidate.target, candidate.mined = mined, True
        candidate.kind = english.kind_for(text, mined)
    elif candidate.english:
        candidate.target = candidate.english[0].text
    elif found.category in (NAME, ACRONYM):
        candidate.target = text
    if candidate.kind != FIX and candidate.target.casefold() == text.casefold():
        candidate.kind = KEEP
    return candidate


def _fold(mined: list[Candidate]) -> list[Candidate]:
    """One candidate per mined English: the best supported one, the others in its ``also``."""
    kept: dict[str, Candidate] = {}
    for candidate in sorted(mined, key=lambda c: (-len(c.evidence), -c.score)):
        first = kept.setdefault(candidate.target.casefold(), candidate)
        if first is not candidate:
            first.also.append(candidate.text)
    return list(kept.values())


def _forms(text: str, surfaces: list[str]) -> tuple[str, ...]:
    """The fewest `forms` options under which an entry ``text`` matches every form seen."""
    for forms in ((), ("plural",), ("feminine",), ("plural", "feminine")):
        matcher = Matcher([Entry(text, text, forms=forms)])
        if all(_whole_match(matcher, s) for s in surfaces):
            return forms
    return ()


def _whole_match(matcher: Matcher, text: str) -> bool:
    return any(m.start == 0 and m.end == len(text) for m in matcher.find(text))


def _norm(text: str) -> str:
    """``text`` compared as the matcher does (case, accents composed, hyphens optional)."""
    return " ".join(word_key(w) for w in WORD.findall(text.replace("-", "")))


def _context(text: str, start: int, end: int) -> str:
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")
