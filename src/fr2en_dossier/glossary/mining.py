"""English for French term candidates, from the machine translations and the reviews.

Input: one :class:`SegmentRecord` per segment (its French, the engine's English with its word
alignment when it had one, a person's English). For each occurrence of a candidate:

- with the engine's alignment, its English is the aligned span of the MT; in a reviewed
  segment, the words of the review that the word diff MT → review puts in that span's place;
- without one, the English n-gram (1 to 3 words) of the segment that the candidate is linked
  to by *competitive linking* (Melamed 2000, "Models of translational equivalence among
  words"): in each segment, candidate/n-gram pairs are linked best first, each word used once;
  a pair ranks by whether the English is a cognate or copy of the French ("OpenAI", "procès" /
  "process", "investisseur" / "investors": a string similarity of 0.75, or a common beginning
  of 5 letters and half the shorter word), then by their Dice coefficient over all segments
  (they must share 2 segments at least), then the longer French first (a phrase before the
  words inside it), then by how close their numbers of words are.

A review **changes** a rendering when the linked English is not in the segment's MT (or the
MT is not known any more). Two reviews or more changing a candidate's English the same way make a *mined* entry: a ``fix``
when the reviewers' English matches no reading of the French (neither the French words nor any
MT rendering share a word or cognate with it, while an MT rendering is a literal reading of the
French, so the French itself is what is wrong: "interface utilisateur" → "user interface" by
the MT, "AI" by the reviewers), else a ``term``.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import DRAFT, MT, REVIEW, comparable
from .french import STOPWORDS

MAX_EN_WORDS = 3
MIN_SHARED = 2  # segments a linked pair must share (without an alignment)
_EN_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_WORD = re.compile(r"\w+")
EN_STOPWORDS = frozenset(
    """a an the of to in on for and or but is are was were be been being by with as at from
    that this these those it its he she they them we you i his her their our your not no so
    than then there which who whom what when where will would can could should may might must
    has have had do does did into over under about after before between also more most such
    only just very all any some one other up out if""".split()
)


@dataclass(frozen=True)
class SegmentRecord:
    """What the project knows of one segment's English (the input of the mining)."""

    key: str
    french: str
    mt: str | None = None  # the engine's English
    # Word links [French start, end, English start, end] between ``french`` and ``mt``.
    alignment: tuple[tuple[int, int, int, int], ...] = ()
    reviewed: str | None = None  # English a person wrote
    origin: str = MT  # REVIEW or DRAFT when ``reviewed`` is set

    @property
    def english(self) -> str:
        return self.reviewed if self.reviewed is not None else (self.mt or "")


@dataclass(frozen=True)
class Link:
    """A candidate occurrence and the English found for it in one segment."""

    key: str
    french: str
    english: str
    origin: str  # REVIEW, DRAFT or MT
    changed: bool = False  # a review whose English for it is not the MT's

    def to_dict(self) -> dict:
        return {"key": self.key, "french": self.french, "english": self.english,
                "origin": self.origin, "changed": self.changed}


@dataclass
class Rendering:
    """One English rendering of a candidate and how many segments give it, by origin."""

    text: str
    reviews: int = 0
    drafts: int = 0
    mt: int = 0

    def label(self) -> str:
        counts = [(self.reviews, "review"), (self.drafts, "draft"), (self.mt, "MT")]
        parts = [f"{n} {name}{'s' if n > 1 and name != 'MT' else ''}" for n, name in counts if n]
        return f"{self.text} ({', '.join(parts)})"

    def to_dict(self) -> dict:
        return {"text": self.text, "reviews": self.reviews, "drafts": self.drafts, "mt": self.mt}


@dataclass
class English:
    """What the segments say of one candidate's English."""

    links: list[Link] = field(default_factory=list)

    def renderings(self) -> list[Rendering]:
        """Renderings, the most reviewed first, then the most frequent."""
        found: dict[str, Rendering] = {}
        for link in self.links:
            rendering = found.setdefault(link.english.casefold(), Rendering(link.english))
            if link.origin == REVIEW:
                rendering.reviews += 1
            elif link.origin == DRAFT:
                rendering.drafts += 1
            else:
                rendering.mt += 1
        return sorted(found.values(), key=lambda r: (-r.reviews, -r.drafts, -r.mt, r.text))

    def mined(self) -> str | None:
        """The English that at least two reviews changed the candidate's rendering to."""
        changed = Counter(link.english.casefold() for link in self.links if link.changed)
        best = changed.most_common(1)
        if not best or best[0][1] < MIN_SHARED:
            return None
        return next(link.english for link in self.links if link.english.casefold() == best[0][0])

    def kind_for(self, french: str, english: str) -> str:
        """``fix`` when ``english`` is no reading of ``french`` (module docstring), else ``term``."""
        readings = {link.english for link in self.links if link.origin == MT}
        if cognate(french, english) or any(shares_word(english, r) for r in readings):
            return "term"
        return "fix" if any(cognate(french, r) for r in readings) else "term"


def english_for(
    records: Iterable[SegmentRecord], occurrences: dict[str, list[tuple[int, int, int]]],
) -> dict[int, English]:
    """The English of each candidate: ``occurrences`` gives, per segment key, (candidate id,
    start, end) of the candidates in that segment's French."""
    records = [r for r in records if r.english.strip() and r.key in occurrences]
    pools = {r.key: _ngrams(r.english) for r in records}
    candidate_df: Counter[int] = Counter()
    english_df: Counter[str] = Counter()
    shared: Counter[tuple[int, str]] = Counter()
    for record in records:
        ids = {cid for cid, _, _ in occurrences[record.key]}
        grams = {g for g, _, _ in pools[record.key]}
        candidate_df.update(ids)
        english_df.update(grams)
        shared.update((cid, g) for cid in ids for g in grams)
    result: dict[int, English] = defaultdict(English)
    for record in records:
        found = occurrences[record.key]
        links = _aligned(record, found) if record.alignment and record.mt else []
        aligned = {(cid, start) for cid, start, _, _ in links}
        rest = [(cid, s, e) for cid, s, e in found if (cid, s) not in aligned]
        links += _competitive(record, rest, pools[record.key], shared, candidate_df, english_df)
        for cid, start, end, english in links:
            changed = record.reviewed is not None and not _contains(record.mt or "", english)
            origin = record.origin if record.reviewed is not None else MT
            result[cid].links.append(
                Link(record.key, record.french[start:end], english, origin, changed))
    return result


def _competitive(record, found, pool, shared, candidate_df, english_df):
    """(candidate id, start, end, English) links of one segment, best pairs first."""
    english_words = set(_content(record.english))
    pairs = []
    for cid, start, end in found:
        french = record.french[start:end]
        french_words = _content(french)
        cognates = {w for w in english_words if any(_similar(f, w) for f in french_words)}
        for gram, a, b in pool:
            gram_words = _content(gram)
            literal = not cognates.isdisjoint(gram_words)
            together = shared[cid, gram]
            if not literal and together < MIN_SHARED:
                continue
            dice = 2 * together / (candidate_df[cid] + english_df[gram])
            closeness = -abs(len(gram_words) - len(french_words))
            pairs.append(((literal, dice, end - start, closeness), cid, start, end, a, b))
    pairs.sort(key=lambda p: p[0], reverse=True)
    used_fr: list[tuple[int, int]] = []
    used_en: list[tuple[int, int]] = []
    links = []
    for _, cid, start, end, a, b in pairs:
        if _overlaps(start, end, used_fr) or _overlaps(a, b, used_en):
            continue
        used_fr.append((start, end))
        used_en.append((a, b))
        links.append((cid, start, end, record.english[a:b]))
    return links


def _aligned(record: SegmentRecord, found) -> list[tuple[int, int, int, str]]:
    """Links by the engine's alignment, through the word diff MT → review when reviewed."""
    links = []
    for cid, start, end in found:
        spans = [(a, b) for fs, fe, a, b in record.alignment if fs < end and start < fe]
        if not spans:
            continue
        a, b = min(s for s, _ in spans), max(e for _, e in spans)
        if record.reviewed is None:
            links.append((cid, start, end, record.mt[a:b]))
            continue
        mapped = _through_diff(record.mt, record.reviewed, a, b)
        if mapped is not None:
            links.append((cid, start, end, record.reviewed[mapped[0] : mapped[1]]))
    return links


def _through_diff(before: str, after: str, a: int, b: int) -> tuple[int, int] | None:
    """The span of ``after`` that stands where ``before[a:b]`` stood (word diff)."""
    old = [m.span() for m in _EN_WORD.finditer(before)]
    new = [m.span() for m in _EN_WORD.finditer(after)]
    matcher = difflib.SequenceMatcher(
        None, [before[s:e] for s, e in old], [after[s:e] for s, e in new], autojunk=False)
    inside = [k for k, (s, e) in enumerate(old) if s < b and a < e]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    targets = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 <= first or i1 > last or j1 == j2:
            continue
        if op == "equal":
            lo, hi = max(i1, first), min(i2, last + 1)
            targets += [j1 + (lo - i1), j1 + (hi - 1 - i1)]
        else:
            targets += [j1, j2 - 1]
    if not targets:
        return None
    return new[min(targets)][0], new[max(targets)][1]


def _ngrams(text: str) -> list[tuple[str, int, int]]:
    """(text, start, end) of the English n-grams that may render a term: 1 to 3 words, not
    starting or ending with a function word."""
    words = [m.span() for m in _EN_WORD.finditer(text)]
    grams = []
    for i in range(len(words)):
        for j in range(i, min(i + MAX_EN_WORDS, len(words))):
            first, last = text[slice(*words[i])].lower(), text[slice(*words[j])].lower()
            if first in EN_STOPWORDS or last in EN_STOPWORDS or first.isdigit():
                continue
            grams.append((text[words[i][0] : words[j][1]], words[i][0], words[j][1]))
    return grams


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _contains(text: str, english: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(english.casefold()) + r"(?!\w)"
    return re.search(pattern, comparable(text).casefold()) is not None


def shares_word(one: str, other: str) -> bool:
    """Whether two English texts share a content word (or a cognate of one)."""
    return any(_similar(a, b) for a in _content(one) for b in _content(other))


def cognate(french: str, english: str) -> bool:
    """Whether a content word of ``french`` is the same word as, or a cognate of, one of
    ``english`` (accents and case aside: "OpenAI", "interface", "assurance" / "insurance")."""
    return any(_similar(a, b) for a in _content(french) for b in _content(english))


@lru_cache(maxsize=1 << 18)
def _content(text: str) -> tuple[str, ...]:
    words = [_plain(w) for w in _WORD.findall(text)]
    return tuple(w for w in words if len(w) >= 2 and w not in EN_STOPWORDS and w not in STOPWORDS)


@lru_cache(maxsize=1 << 18)
def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    prefix = len(os.path.commonprefix([a, b]))
    if prefix >= 5 and 2 * prefix >= shorter:
        return True
    if 2 * shorter < 0.75 * (len(a) + len(b)):
        return False  # the ratio cannot reach 0.75
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.75 and matcher.ratio() >= 0.75


@lru_cache(maxsize=65536)
def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
