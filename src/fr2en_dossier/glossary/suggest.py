"""Suggest glossary candidates: recurring names, acronyms and noun phrases not yet covered.

Heuristics, no tagger: a *name* is a run of capitalized words (or words with inner capitals,
"xAI", or acronyms, "Mistral AI") joined by spaces, not counting a sentence's first word when it
also occurs in lower case; an *acronym* is a word of two or more capitals standing alone; a
*phrase* is 2 to 4 lower-case content words, possibly linked by "de", "d'", "à", "en" or a
hyphen ("puissance de calcul"). Occurrences inside a glossary hit or a URL do not count, and a
phrase is dropped for a longer one found as often.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..model import BOILERPLATE_FLAG, Segment
from .french import APOSTROPHES, HYPHENS, STOPWORDS
from .load import Glossary
from .matcher import WORD, address_spans, word_key

NAME, ACRONYM, PHRASE = "name", "acronym", "phrase"
LINKS = frozenset({"de", "d", "à", "en"})
MAX_PHRASE_WORDS = 4  # content words in a phrase
CONTEXT_CHARS = 60  # on each side of the occurrence
_SENTENCE_OPENERS = re.compile(r"[.!?:;«»\"“”—–(]")


@dataclass(frozen=True)
class Candidate:
    text: str  # as first seen
    kind: str  # name, acronym or phrase
    count: int
    key: str  # "doc:block:index" of the first occurrence
    context: str  # the sentence around the first occurrence


def suggest_terms(segments: list[Segment], glossary: Glossary, min_count: int = 2) -> list[Candidate]:
    """Candidates seen at least ``min_count`` times, most frequent first."""
    segments = [s for s in segments if BOILERPLATE_FLAG not in s.flags]
    lower = {w for s in segments for w in WORD.findall(_without_addresses(s.source)) if w[:1].islower()}
    known = {_norm(e.source) for e in glossary.entries}
    seen: dict[tuple[str, str], list[tuple[Segment, int, int]]] = defaultdict(list)
    for seg in segments:
        text = seg.source
        covered = [(m.start, m.end) for m in glossary.find(text)] + address_spans(text)
        for kind, start, end in _occurrences(text, lower):
            if not any(start < b and a < end for a, b in covered):
                seen[kind, _norm(text[start:end])].append((seg, start, end))
    counts = {key: len(found) for key, found in seen.items() if len(found) >= min_count}
    longer = _longer_counts({norm: n for (kind, norm), n in counts.items() if kind == PHRASE})
    candidates = []
    for (kind, norm), count in counts.items():
        if norm in known or (kind == PHRASE and longer.get(norm, 0) >= count):
            continue
        seg, start, end = seen[kind, norm][0]
        context = _context(seg.source, start, end)
        candidates.append(Candidate(seg.source[start:end], kind, count, seg.key, context))
    return sorted(candidates, key=lambda c: (-c.count, c.kind, c.text.casefold()))


def _without_addresses(text: str) -> str:
    for start, end in reversed(address_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def _norm(text: str) -> str:
    return " ".join(word_key(w) for w in WORD.findall(text))


def _longer_counts(phrases: dict[str, int]) -> dict[str, int]:
    """For every word run inside a longer phrase of ``phrases`` (phrase → count): the highest
    count of the longer phrases containing it.

    Phrases have at most a few words, so this is linear in their number (each contributes
    its handful of inner runs), not quadratic as comparing every pair would be.
    """
    best: dict[str, int] = {}
    for phrase, count in phrases.items():
        words = phrase.split(" ")
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                inner = " ".join(words[start : start + size])
                best[inner] = max(best.get(inner, 0), count)
    return best


def _context(text: str, start: int, end: int) -> str:
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _occurrences(text: str, lower: set[str]):
    """(kind, start, end) of every name, acronym and phrase occurrence in ``text``."""
    spans = [m.span() for m in WORD.finditer(text)]
    words = [text[s:e] for s, e in spans]
    gaps = [text[: spans[0][0]]] if spans else []
    gaps += [text[spans[i - 1][1] : spans[i][0]] for i in range(1, len(spans))]
    run: list[int] = []
    for i, word in enumerate(words + [""]):
        joins = i < len(words) and gaps[i].isspace()
        name = i < len(words) and _is_name(word, i == 0 or _SENTENCE_OPENERS.search(gaps[i]), lower)
        if run and not (name and joins):
            if len(run) > 1 or not _is_acronym(words[run[0]]):
                yield NAME, spans[run[0]][0], spans[run[-1]][1]
            else:
                yield ACRONYM, *spans[run[0]]
            run = []
        if name:
            run.append(i)
    for i, word in enumerate(words):
        if _is_content(word):
            yield from _phrases(spans, words, gaps, i)


def _phrases(spans, words, gaps, i):
    """Phrases starting at content word ``i``."""
    content, k = 1, i + 1
    while k < len(words) and content < MAX_PHRASE_WORDS:
        after_elision = words[k - 1].lower() == "d" and len(gaps[k]) == 1 and gaps[k] in APOSTROPHES
        compound = len(gaps[k]) == 1 and gaps[k] in HYPHENS  # "assurance-chômage"
        if not (gaps[k].isspace() or after_elision or compound):
            return
        if _is_content(words[k]):
            content += 1
            yield PHRASE, spans[i][0], spans[k][1]
        elif words[k].lower() not in LINKS or words[k - 1].lower() in LINKS:
            return
        k += 1


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _is_name(word: str, sentence_start, lower: set[str]) -> bool:
    """A word of a name: capitalized, with inner capitals ("xAI") or an acronym ("Mistral AI")."""
    if _is_acronym(word):
        return True
    if len(word) < 2 or word.lower() in STOPWORDS:
        return False
    if not (word[0].isupper() or any(c.isupper() for c in word[1:])):
        return False
    return not (sentence_start and word.lower() in lower)


def _is_content(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.islower() and word not in STOPWORDS
