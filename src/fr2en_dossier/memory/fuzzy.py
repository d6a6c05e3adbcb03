"""Fuzzy matches: the French of the memory nearest to a segment's, scored as CAT tools do.

**Score.** The Levenshtein distance ``d`` between the *match words* of the two French texts
(:mod:`.words`: the French as the exact lookup compares it, case-folded, punctuation and
spacing left out), counted in words — a word replaced, added or left out costs one — over
the longer one's ``n`` words: ``score = floor(100 × (n − d) / n)``, OmegaT's
``FuzzyMatcher.calcSimilarity``. 100 is kept for the identical French (as the exact lookup
compares it): the same words with another case, punctuation or spacing score 99 (memoQ's
95–99 band: "numbers, tags, punctuation marks and spaces might be different"). A review of the
identical French recorded in the same context (document and both neighbours) is a *context
match*, 101, as memoQ counts it. Levenshtein, not Indel: a word replaced costs one edit, not
two (rapidfuzz's ``Levenshtein.distance`` over word lists).

**Candidates** come from the index (:mod:`.index`), not from a scan. A text scoring at least
``minimum`` shares at least ``t = ceil(k × minimum / 100)`` words with a French of ``k``
words (each word of the longer text that is not matched costs an edit), and has between
``t`` and ``k × 100 / minimum`` words. So it must hold one of the ``k − t + 1`` rarest of
the segment's words (the prefix filter of set-similarity joins: without it, it would share at
most ``t − 1``); only the texts posted under those words, of a fitting length, are scored.
The filter loses no match: the lookup returns exactly what scoring every text would.

**Which English.** For each French found: the project's review that fits the segment's
context best, then its draft (in the same document only, as for exact matches), then each
external memory's newest unit; ordered by score, then in that order (the project's reviews,
its drafts, the external memories in the order they were imported), then newest first. The
same English is offered once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model import DRAFT, REVIEW, Segment, comparable
from .context import SAME_CONTEXT, Context, rank
from .index import selected
from .repair import Repair, compare
from .store import MemoryEntry, ReviewMemory, best_entry
from .words import match_words, word_keys

EXTERNAL = "external"  # Match.origin of a unit of an external memory
CONTEXT_MATCH = 101


@dataclass
class Match:
    """One memory match for a segment (JSON-ready with :meth:`to_dict`)."""

    score: int  # 50–101
    french: str  # the match's French (as compared)
    english: str  # its English, as stored
    origin: str  # REVIEW, DRAFT (the project's) or EXTERNAL
    memory: str  # "" (the project's) or the external memory's name
    time: str  # its changedate, YYYYMMDDThhmmssZ
    entry: int | None = None  # the event id of the project's review or draft
    # The words that differ: [start, end) in the segment's French and in the match's.
    segment_spans: list[tuple[int, int]] = field(default_factory=list)
    match_spans: list[tuple[int, int]] = field(default_factory=list)
    repaired: str | None = None  # the English repaired by the glossary (None: no repair)
    repairs: list[Repair] = field(default_factory=list)
    complete: bool = False  # every difference of the French repaired (or none to repair)

    @property
    def source(self) -> str:
        """Where it came from as ``Segment.tm_source`` says it: "review", "draft" or a name."""
        return self.memory or self.origin

    @property
    def use(self) -> str:
        """The English to use: the repaired one when there is one."""
        return self.english if self.repaired is None else self.repaired

    def to_dict(self) -> dict:
        return {
            "score": self.score, "french": self.french, "english": self.english,
            "origin": self.origin, "memory": self.memory, "source": self.source,
            "time": self.time, "entry": self.entry,
            "segment_spans": [list(s) for s in self.segment_spans],
            "match_spans": [list(s) for s in self.match_spans],
            "repaired": self.repaired, "repairs": [r.to_dict() for r in self.repairs],
            "complete": self.complete, "use": self.use,
        }


def score(words: list[str], other: list[str], same_text: bool, minimum: int = 0) -> int:
    """The score of two French texts' match words (``same_text``: identical as compared);
    below ``minimum`` the result is only known to be below it."""
    longest = max(len(words), len(other))
    if not longest:
        return 100 if same_text else 0
    allowed = longest * (100 - minimum) // 100
    from rapidfuzz.distance import Levenshtein

    distance = Levenshtein.distance(words, other, score_cutoff=allowed)
    if distance == 0 and not same_text:
        return 99
    return 100 * (longest - distance) // longest


def scored_texts(memory: ReviewMemory, french: str, words: list[str],
                 minimum: int) -> list[tuple[str, int]]:
    """(French, score) of every text of the memory scoring at least ``minimum`` against
    ``french`` (comparable) of match words ``words``, best first."""
    if not words:
        return [(text, 100) for (text,) in memory.rows(
            "SELECT french FROM texts WHERE french = ?", (french,))]
    found = []
    for text, _ in candidates(memory, words, minimum):
        value = score(words, word_keys(text), text == french, minimum)
        if value >= minimum:
            found.append((text, value))
    return sorted(found, key=lambda item: -item[1])


def candidates(memory: ReviewMemory, words: list[str], minimum: int) -> list[tuple[str, int]]:
    """(French, word count) of the texts that may score ``minimum`` (module docstring)."""
    k = len(words)
    shared = math.ceil(k * minimum / 100)
    frequency = {term: (term_id, df) for term, term_id, df in memory.rows(
        f"SELECT term, id, df FROM terms WHERE term IN ({','.join('?' * len(set(words)))})",
        sorted(set(words)))}
    rarest = sorted(words, key=lambda word: frequency.get(word, (0, 0))[1])[: k - shared + 1]
    prefix = sorted({frequency[word][0] for word in rarest if word in frequency})
    if not prefix:
        return []
    return memory.rows(
        "SELECT DISTINCT t.french, t.words FROM postings p JOIN texts t ON t.id = p.text "
        f"WHERE p.term IN ({','.join('?' * len(prefix))}) AND t.words BETWEEN ? AND ?",
        [*prefix, shared, k * 100 // minimum])


def matches(memory: ReviewMemory, seg: Segment, context: Context, *, n: int = 3,
            minimum: int = 75, glossary=None) -> list[Match]:
    """The best ``n`` matches of ``memory`` for ``seg`` standing in ``context``, scoring at
    least ``minimum``, each with the differing words and, with a ``glossary``, its English
    repaired (numbers are repaired without one)."""
    french = comparable(seg.source)
    seg_words = match_words(seg.source)
    found = scored_texts(memory, french, [w for _, _, w in seg_words], max(1, minimum))
    if not found:
        return []
    scores = dict(found)
    offered = _offers(memory, list(scores), context)
    ranked = []
    for order, (text, entry) in enumerate(offered):
        value = scores[text]
        if (value == 100 and isinstance(entry, MemoryEntry) and entry.origin == REVIEW
                and rank(entry.doc, entry.context, context) == SAME_CONTEXT):
            value = CONTEXT_MATCH
        ranked.append((-value, order, text, entry))
    ranked.sort(key=lambda item: item[:2])
    result, seen = [], set()
    for negative, _, text, entry in ranked:
        match = _match(-negative, text, entry)
        if match.english in seen:
            continue
        seen.add(match.english)
        _compare(match, seg, glossary)
        result.append(match)
        if len(result) == n:
            break
    return result


def _offers(memory: ReviewMemory, texts: list[str], context: Context) -> list[tuple[str, object]]:
    """(French, entry) of what each French offers, in the order of the module docstring
    within one score: the project's reviews, its drafts, then the units of the external
    memories (a :class:`MemoryEntry`, or a row: French, English, changedate, name)."""
    own = memory.candidates(texts)
    reviews, drafts = [], []
    for text in texts:
        entries = own.get(text, [])
        for origin, into in ((REVIEW, reviews), (DRAFT, drafts)):
            entry = best_entry([e for e in entries if e.origin == origin], context)
            if entry is not None:
                into.append((text, entry))
    rows = selected(memory.rows, "SELECT u.french, u.english, u.changedate, s.name, s.id, u.id "
                    "FROM units u JOIN sources s ON s.id = u.source WHERE u.french IN", texts)
    newest: dict[tuple[str, int], tuple] = {}
    for row in rows:  # the newest unit of each French in each external memory
        key = (row[0], row[4])
        if key not in newest or (row[2], row[5]) > (newest[key][2], newest[key][5]):
            newest[key] = row
    units = sorted(newest.values(), key=lambda row: row[4])
    return reviews + drafts + [(row[0], row[:4]) for row in units]


def _match(value: int, text: str, entry) -> Match:
    if isinstance(entry, MemoryEntry):
        return Match(value, text, entry.target, entry.origin, "", entry.changedate, entry.id)
    french, english, changedate, name = entry
    return Match(value, french, english, EXTERNAL, name, changedate)


def _compare(match: Match, seg: Segment, glossary) -> None:
    """The differing words of ``match`` and ``seg``, and the match's English repaired."""
    found = compare(seg.source, match.french, match.english, glossary)
    match.segment_spans, match.match_spans = found.segment_spans, found.match_spans
    match.complete = found.complete
    if found.repairs:
        match.repaired, match.repairs = found.english, found.repairs
