"""French term candidates of a dossier, ranked by termhood (no English here: see mining.py).

From the words of :mod:`.tagger`:

- a **name** is a run of capitalized words (or words with inner capitals, "xAI") joined by
  spaces; an **acronym** is one word of two or more capitals. A capitalized word that opens a
  sentence (or follows a colon, a quote or a bracket) is a name only if the dossier also has
  it capitalized elsewhere, or if it is no French word and never written in lower case:
  "Choc", "Malgré", "Pouvons" are not names;
- a **noun** is one common noun; a **phrase** is a noun followed by adjectives or participles,
  another noun ("interface utilisateur"), or de/d'/à/en and a noun ("conseil
  d'administration"), up to :data:`MAX_WORDS` words, or the locution à + noun + adjective
  ("à but non lucratif").

Occurrences are grouped by their lemmas ("procès/Procès", "bénéfice plafonné/bénéfices
plafonnés": one candidate, shown in the singular). Termhood is the C-value of Frantzi et al.
(2000, with log2(1 + words) so that single words count) times the mean weirdness of the
candidate's words against general French (Ahmad et al. 1999; the lemma frequencies of the UD
French GSD treebank, ``data/fr_general.tsv``): log2(1 + dossier rate / general rate).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import Segment
from .french import APOSTROPHES, STOPWORDS
from .tagger import ADJ, NOUN, OTHER, Word, general_counts, is_french_word, lemma_of

NAME, ACRONYM, NOUN_KIND, PHRASE = "name", "acronym", "noun", "phrase"
MAX_WORDS = 6  # words in a phrase, links included
SINGLE_NOUN = 0.5  # weight of a single common noun's length against a name's or a phrase's
# General count assumed for a word of simplemma's dictionary absent from the (small) treebank.
KNOWN_UNSEEN = 3
LINKS = frozenset({"de", "d", "à", "en"})
_OPENERS = re.compile(r"[.!?:;«»\"“”—–(\[]")
_PLURAL = re.compile(r"(?<=[^sè])s$|(?<=[aeiou])x$")


@dataclass
class Occurrence:
    segment: int  # index in the segments given
    start: int
    end: int
    text: str  # as written
    singular: str  # the same words in the singular (lowercased at a sentence start)


@dataclass
class FrenchCandidate:
    key: tuple[str, ...]  # lemmas (names: their case-folded words)
    category: str  # name, acronym, noun or phrase
    words: int  # content words
    occurrences: list[Occurrence] = field(default_factory=list)
    score: float = 0.0

    @property
    def count(self) -> int:
        return len(self.occurrences)

    @property
    def text(self) -> str:
        """The form to propose: the commonest singular form."""
        return Counter(o.singular for o in self.occurrences).most_common(1)[0][0]

    @property
    def surfaces(self) -> list[str]:
        """The forms written in the dossier, commonest first."""
        return [text for text, _ in Counter(o.text for o in self.occurrences).most_common()]


def french_candidates(
    segments: list[Segment], words: list[list[Word]], covered: list[list[tuple[int, int]]]
) -> list[FrenchCandidate]:
    """Every candidate of ``segments`` (their ``words``, from :func:`tagger.tag`) outside the
    ``covered`` spans of each segment, with its termhood ``score``, best first."""
    lower, capital_inside = _case_evidence(segments, words)
    found: dict[tuple[str, ...], FrenchCandidate] = {}
    lemma_counts: Counter[str] = Counter()
    for index, (seg, seg_words) in enumerate(zip(segments, words)):
        lemma_counts.update(_key(w) for w in seg_words if w.pos != OTHER)
        starts = _sentence_starts(seg.source, seg_words)
        names = [_is_name(w, i in starts, lower, capital_inside) for i, w in enumerate(seg_words)]
        for category, key, content, i, j in _spans(seg.source, seg_words, names):
            start, end = seg_words[i].start, seg_words[j].end
            if any(start < b and a < end for a, b in covered[index]):
                continue
            singular = _singular(seg.source, seg_words[i : j + 1], category, i in starts)
            occurrence = Occurrence(index, start, end, seg.source[start:end], singular)
            candidate = found.setdefault(key, FrenchCandidate(key, category, content))
            candidate.occurrences.append(occurrence)
    _score(list(found.values()), lemma_counts)
    return sorted((c for c in found.values() if c.score > 0), key=lambda c: (-c.score, c.text))


def _case_evidence(segments, words) -> tuple[set[str], set[str]]:
    """Words seen in lower case, and words seen capitalized away from a sentence start."""
    lower, capital = set(), set()
    for seg, seg_words in zip(segments, words):
        starts = _sentence_starts(seg.source, seg_words)
        for i, word in enumerate(seg_words):
            if word.text[:1].islower():
                lower.add(word.text.lower())
            elif word.text[:1].isupper() and i not in starts:
                capital.add(word.text.lower())
    return lower, capital


def _sentence_starts(text: str, words: list[Word]) -> set[int]:
    """Indices of the words that open a sentence, a quotation or a bracket."""
    starts = set()
    previous_end = 0
    for i, word in enumerate(words):
        if word.pos == OTHER and not word.text[:1].isalnum():
            continue
        if i == 0 or previous_end == 0 or _OPENERS.search(text[previous_end : word.start]):
            starts.add(i)
        previous_end = word.end
    return starts


def _is_name(word: Word, opens: bool, lower: set[str], capital_inside: set[str]) -> bool:
    text = word.text
    if len(text) < 2 or not text[:1].isalnum():
        return False
    inner = any(c.isupper() for c in text[1:])
    if not (text[0].isupper() or inner) or text.lower() in STOPWORDS and not text.isupper():
        return False
    if inner or not opens:
        return True
    folded = text.lower()
    return folded in capital_inside or (folded not in lower and not is_french_word(folded))


def _spans(text: str, words: list[Word], names: list[bool]):
    """(category, key, content words, first, last) of each candidate among ``words``."""
    gaps = [""] + [text[words[k - 1].end : words[k].start] for k in range(1, len(words))]
    i = 0
    while i < len(words):  # names: maximal runs joined by spaces
        if not names[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and names[j + 1] and gaps[j + 1].isspace():
            j += 1
        run = words[i : j + 1]
        if len(run) == 1 and run[0].text.isupper() and run[0].text.isalpha():
            yield ACRONYM, (ACRONYM, run[0].text), 1, i, i
        else:
            yield NAME, (NAME, *(w.text.casefold() for w in run)), len(run), i, j
        i = j + 1
    for i, word in enumerate(words):
        if names[i]:
            continue
        if _is_noun(word):
            yield from _phrases(words, gaps, names, i)
        elif word.text.lower() == "à":
            yield from _locution(words, gaps, names, i)


def _is_noun(word: Word) -> bool:
    return word.pos == NOUN and len(word.text) >= 3 and word.text.lower() not in STOPWORDS


def _is_modifier(word: Word) -> bool:
    return word.pos == ADJ and word.text.lower() not in STOPWORDS


def _link(word: Word) -> bool:
    return word.text.lower().rstrip(APOSTROPHES) in LINKS


def _phrases(words, gaps, names, i):
    """The noun ``words[i]`` and each phrase it heads."""
    key = [_key(words[i])]
    content, k = _parts(words[i]), i + 1
    yield (NOUN_KIND if content == 1 else PHRASE), (NOUN_KIND, *key), content, i, i
    while k < len(words) and k - i < MAX_WORDS and _joined(gaps[k], words[k - 1]) and not names[k]:
        word = words[k]
        if _is_modifier(word) or _is_noun(word):
            pass
        elif word.text.lower() == "non" and k + 1 < len(words) and _is_modifier(words[k + 1]):
            key.append("non")
            k += 1
            continue
        elif _link(word) and k + 1 < len(words) and _is_noun(words[k + 1]) and not names[k + 1]:
            key.append("de" if word.text.lower().startswith("d") else word.text.lower())
            k += 1
            continue
        else:
            return
        key.append(_key(word))
        content += _parts(word)
        yield PHRASE, (PHRASE, *key), content, i, k
        k += 1


def _locution(words, gaps, names, i):
    """"à" + noun + ("non") + adjectives: "à but lucratif", "à but non lucratif (plafonné)"."""
    k = i + 1
    if k >= len(words) or not _is_noun(words[k]) or names[k] or not gaps[k].isspace():
        return
    key = ["à", _key(words[k])]
    k += 1
    if k < len(words) and words[k].text.lower() == "non" and gaps[k].isspace():
        key.append("non")
        k += 1
    while k < len(words) and _is_modifier(words[k]) and gaps[k].isspace() and k - i < MAX_WORDS:
        key.append(_key(words[k]))
        yield PHRASE, (PHRASE, *key), len(key) - 1 - key.count("non"), i, k
        k += 1


def _joined(gap: str, before: Word) -> bool:
    """Whether a phrase goes on across ``gap`` (spaces, or nothing after an elision)."""
    return gap.isspace() or (gap == "" and before.text[-1:] in APOSTROPHES)


def _key(word: Word) -> str:
    """The grouping form of a word: a noun's lemma, a modifier without its plural ending;
    hyphens left out ("co-fondateurs", "cofondateur"), as glossary matching does."""
    form = word.lemma if word.pos == NOUN else _PLURAL.sub("", word.text.lower())
    return form.replace("-", "")


def _parts(word: Word) -> int:
    """Words of a hyphenated compound ("assurance-chômage": 2)."""
    return word.text.count("-") + 1


def _singular(text: str, words: list[Word], category: str, opens: bool) -> str:
    """The occurrence's words in the singular, its spacing kept; lowercased at a sentence
    start unless it is a name."""
    if category in (NAME, ACRONYM):
        return text[words[0].start : words[-1].end]
    out = []
    head = True  # the words before the first link agree with the head noun
    for k, word in enumerate(words):
        form = word.text
        head = head and not _link(word)
        if k == 0 and word.pos == NOUN and word.lemma and word.lemma != form.lower():
            form = _same_case(word.lemma, form)
        elif head and word.pos == ADJ:
            form = _PLURAL.sub("", form)
        gap = text[words[k - 1].end : word.start] if k else ""
        out.append(gap + form)
    result = "".join(out)
    return result[:1].lower() + result[1:] if opens and not result[1:2].isupper() else result


def _same_case(lemma: str, written: str) -> str:
    return lemma[:1].upper() + lemma[1:] if written[:1].isupper() else lemma


def _score(candidates: list[FrenchCandidate], lemma_counts: Counter[str]) -> None:
    """Set each candidate's termhood (module docstring)."""
    general = general_counts()
    general_total = general[""][1]
    dossier_total = sum(lemma_counts.values()) or 1
    longer = _longer_counts({c.key: c.count for c in candidates})
    for candidate in candidates:
        nested = longer.get(candidate.key)
        frequency = candidate.count - (sum(nested) / len(nested) if nested else 0)
        if frequency <= 0:
            candidate.score = 0.0  # as frequent as a longer candidate holding it
            continue
        length = math.log2(1 + candidate.words) * (SINGLE_NOUN if candidate.category == NOUN_KIND else 1)
        cvalue = length * (1 + math.log2(frequency))
        weirdness = []
        for word in candidate.key[1:]:
            if word in LINKS or word == "non":
                continue
            rate = lemma_counts.get(word, candidate.count) / dossier_total
            seen = 0
            if candidate.category not in (NAME, ACRONYM):
                entry = general.get(word) or general.get(lemma_of(word))
                seen = entry[1] if entry else KNOWN_UNSEEN * is_french_word(word)
            weirdness.append(math.log2(1 + rate / ((seen + 1) / general_total)))
        candidate.score = cvalue * (sum(weirdness) / len(weirdness) if weirdness else 0)


def _longer_counts(counts: dict[tuple[str, ...], int]) -> dict[tuple[str, ...], list[int]]:
    """For each noun or phrase key of ``counts`` inside a longer phrase, the counts of those
    longer ones.

    Keys have a handful of words, so this is linear in their number (each contributes its
    inner runs), not quadratic as comparing every pair would be.
    """
    inner: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for key, count in counts.items():
        kind, words = key[0], key[1:]
        if kind != PHRASE:
            continue  # names are whole runs: a shorter name's occurrences are its own
        runs = {(inner_kind, *words[start : start + size])
                for size in range(1, len(words)) for start in range(len(words) - size + 1)
                for inner_kind in (PHRASE, NOUN_KIND)}  # fmt: skip
        for run in runs & counts.keys():
            inner[run].append(count)
    return inner
