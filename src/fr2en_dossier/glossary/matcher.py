"""Find glossary entries in French text: a trie over words, longest match first.

Text is cut into words (runs of letters and digits, combining accents included) and the gaps
between them, so an entry only ever matches whole words: "IA" is not found in "médias" or
"IAG", and an elided article ("l'IA", "qu'OpenAI") is a word of its own before the term.
An entry is a path word, gap, word, … in the trie. Words are compared NFC-normalized and
case-folded (case-sensitive entries then check the exact spelling); gaps are compared by
class: spaces and hyphens alike ("assurance chômage"), any apostrophe (' ’), otherwise their
punctuation with spaces ignored ("contre. OpenAi"). A hyphen may also be left out
("e-mail" matches "email"). Matching costs one dictionary step per word of the text.

Of overlapping candidates the longest wins, then the leftmost. Nothing matches inside a URL,
an e-mail address or a domain name ("x.ai").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .entries import Entry
from .french import APOSTROPHES, FUNCTION_WORDS, HYPHENS, word_forms

WORD = re.compile(r"[\w\u0300-\u036f]+")
_TLDS = "ai|app|biz|ca|ch|co|com|dev|edu|eu|fr|gov|info|io|ly|net|news|org|tech|tv|uk|us"
_ADDRESS = re.compile(
    r"(?:https?|ftp)://\S+"
    r"|www\.\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|(?<![\w.@-])[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})(?![\w-])(?:/\S*)?"
)
_ADDRESS_HINT = re.compile(rf"@|://|www\.|\.(?:{_TLDS})(?![\w-])")  # cheap test before _ADDRESS
_SPACE, _APOSTROPHE = " ", "'"
_GAP_CHARS = str.maketrans({**dict.fromkeys(APOSTROPHES, _APOSTROPHE), **dict.fromkeys(HYPHENS, "-")})


@dataclass(frozen=True)
class Match:
    """An entry found at ``text[start:end]``."""

    start: int
    end: int
    entry: Entry
    plural: bool = False  # matched through a plural form of the entry


@dataclass(frozen=True)
class Collision:
    """Two entries that both match ``form``: a duplicate, or a conflict if their targets differ."""

    entry: Entry
    other: Entry  # the earlier entry, which wins when matching
    form: str


def word_key(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def gap_key(gap: str) -> str:
    """The class of the text between two words."""
    squeezed = "".join(gap.split()).translate(_GAP_CHARS)
    return _SPACE if squeezed in ("", "-") else squeezed


def address_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and domain names in ``text``."""
    if not _ADDRESS_HINT.search(text):
        return []
    return [m.span() for m in _ADDRESS.finditer(text)]


class _Node:
    __slots__ = ("next", "ends")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        # (entry, its exact words when case-sensitive, whether the form is plural)
        self.ends: list[tuple[Entry, tuple[str, ...] | None, bool]] = []


class Matcher:
    """All entries of a glossary in one trie. ``collisions`` lists entries matching alike."""

    def __init__(self, entries: list[Entry]):
        self._root = _Node()
        self.collisions: list[Collision] = []
        for entry in entries:
            for words, gaps, plural in _variants(entry):
                self._add(entry, words, gaps, plural)

    def _add(self, entry: Entry, words: list[str], gaps: list[str], plural: bool) -> None:
        node = self._root
        for i, word in enumerate(words):
            if i:
                node = node.next.setdefault(gap_key(gaps[i - 1]), _Node())
            node = node.next.setdefault(word_key(word), _Node())
        exact = _nfc(words) if entry.exact_case else None
        for other, other_exact, _ in node.ends:
            if other is entry or (exact and other_exact and exact != other_exact):
                continue
            form = "".join(w + g for w, g in itertools.zip_longest(words, gaps, fillvalue=""))
            self.collisions.append(Collision(entry, other, form))
            break
        node.ends.append((entry, exact, plural))

    def find(self, text: str) -> list[Match]:
        """The entries found in ``text``, without overlaps, in text order."""
        spans = [m.span() for m in WORD.finditer(text)]
        keys = _word_keys(text, spans)
        blocked = _blocked_words(spans, address_spans(text))
        candidates = []
        for i, key in enumerate(keys):
            node = self._root.next.get(key)
            if node is None or i in blocked:
                continue
            best, j = None, i
            while node is not None:
                for entry, exact, plural in node.ends:
                    if exact is None or exact == _nfc(text[s:e] for s, e in spans[i : j + 1]):
                        best = (Match(spans[i][0], spans[j][1], entry, plural), i, j)
                        break
                if j + 1 == len(spans) or j + 1 in blocked:
                    break
                node = node.next.get(gap_key(text[spans[j][1] : spans[j + 1][0]]))
                node = node and node.next.get(keys[j + 1])
                j += 1
            if best:
                candidates.append(best)
        return _longest_first(candidates, len(spans))


def _word_keys(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """``word_key`` of each word; one casefold of the whole text when offsets survive it."""
    folded = text.casefold()
    if len(folded) == len(text) and unicodedata.is_normalized("NFC", text):
        return [folded[s:e] for s, e in spans]  # casefold never shortens: same length, same offsets
    return [word_key(text[s:e]) for s, e in spans]


def _nfc(words) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", w) for w in words)


def _blocked_words(spans: list[tuple[int, int]], addresses: list[tuple[int, int]]) -> set[int]:
    """Indices of the words inside an address."""
    if not addresses:
        return set()
    return {i for i, (s, e) in enumerate(spans) for a, b in addresses if s < b and a < e}


def _longest_first(candidates: list[tuple[Match, int, int]], words: int) -> list[Match]:
    """Keep the longest candidates (then the leftmost) that do not overlap a kept one."""
    taken = [False] * words
    kept = []
    for match, i, j in sorted(candidates, key=lambda c: (c[0].start - c[0].end, c[0].start)):
        if not any(taken[i : j + 1]):
            taken[i : j + 1] = [True] * (j + 1 - i)
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _variants(entry: Entry):
    """(words, gaps, plural) of every form of ``entry``: inflected, hyphens kept or left out."""
    spans = [m.span() for m in WORD.finditer(entry.source)]
    words = [entry.source[s:e] for s, e in spans]
    gaps = [entry.source[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
    plural, feminine = "plural" in entry.forms, "feminine" in entry.forms
    inflected = set(_head_words(words)) if plural or feminine else set()
    hyphens = [i for i, gap in enumerate(gaps) if len(gap) == 1 and gap in HYPHENS]
    choices = [
        word_forms(w, plural, feminine) if i in inflected else [(w, False)] for i, w in enumerate(words)
    ]
    for forms in itertools.product(*choices):
        is_plural = any(p for _, p in forms)
        for count in range(len(hyphens) + 1):
            for joined in itertools.combinations(hyphens, count):
                yield *_join([f for f, _ in forms], gaps, set(joined)), is_plural


def _head_words(words: list[str]) -> list[int]:
    """Indices of the words that inflect: those before the first function word after a noun."""
    head: list[int] = []
    for i, word in enumerate(words):
        if word.lower() in FUNCTION_WORDS:
            if head:
                break
            continue
        head.append(i)
    return head


def _join(words: list[str], gaps: list[str], joined: set[int]) -> tuple[list[str], list[str]]:
    """Words with the gaps at ``joined`` left out (the two words around each become one)."""
    out_words, out_gaps = [words[0]], []
    for i, gap in enumerate(gaps):
        if i in joined:
            out_words[-1] += words[i + 1]
        else:
            out_gaps.append(gap)
            out_words.append(words[i + 1])
    return out_words, out_gaps
