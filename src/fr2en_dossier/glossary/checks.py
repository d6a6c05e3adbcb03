"""Warnings about entries that do not do what they seem to: `glossary lint` and `glossary add`.

- **shadowed**: an entry inside a longer one that always wins ("but non lucratif" inside "à
  but non lucratif"): in the dossier, every occurrence of the shorter is part of the longer;
  without the dossier, when both have the same target;
- **never hits**: an entry that matches no segment of the dossier;
- **conflicting forms**: two entries whose sources are inflections of each other (same
  lemmas) without matching alike: with different targets the dossier gets both renderings;
  with the same one, the ``forms`` option on one of them is the entry meant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..model import BOILERPLATE_FLAG, Segment
from .entries import WARNING, Entry, Problem
from .load import Glossary
from .matcher import WORD, Matcher, word_key
from .tagger import lemma_of


def glossary_warnings(glossary: Glossary, segments: list[Segment] | None = None) -> list[Problem]:
    """Every warning of this module for ``glossary`` (``segments``: the dossier; None or
    empty leaves out the checks that need it), in line order."""
    return sorted((p for p, _ in _findings(glossary, segments)), key=lambda p: p.line)


def entry_warnings(glossary: Glossary, entry: Entry, segments: Iterable[Segment] | None = None
                   ) -> list[Problem]:
    """The warnings that concern ``entry`` of ``glossary`` (just added, say): about it, or
    about another entry because of it."""
    return [p for p, entries in _findings(glossary, segments) if entry.line in entries]


def _findings(glossary: Glossary, segments):
    """(problem, lines of the entries involved) pairs."""
    path = str(glossary.path or "glossary")
    nested = _nested(glossary.entries)
    hits, inside, count = _usage(glossary, nested, segments) if segments is not None else ({}, {}, 0)
    shadowed = set()
    for longer in glossary.entries:
        for shorter in nested.get(id(longer), ()):
            if id(shorter) in shadowed:
                continue
            if count:
                always = not hits.get(id(shorter)) and inside.get((id(shorter), id(longer)))
            else:
                always = shorter.target == longer.target
            if always:
                shadowed.add(id(shorter))
                yield Problem(path, shorter.line, _shadow_message(shorter, longer, inside),
                              WARNING), {shorter.line, longer.line}
    if count:
        duplicates = {id(c.entry) for c in glossary.matcher.collisions}  # reported already
        for entry in glossary.entries:
            if not hits.get(id(entry)) and id(entry) not in shadowed | duplicates:
                junk = hits.get((BOILERPLATE_FLAG, id(entry)))
                where = f" outside boilerplate ({junk} hit(s) there, not translated)" if junk else ""
                yield Problem(path, entry.line, f"{entry.source!r} never hits the dossier{where} "
                              f"({count} segments)", WARNING), {entry.line}
    yield from _conflicting_forms(glossary, path)


def _nested(entries: list[Entry]) -> dict[int, list[Entry]]:
    """For each entry (by id), the shorter entries whose words are a run of its words (found
    through its own runs: linear in the number of entries)."""
    by_words = {_words(e.source): e for e in entries}
    nested: dict[int, list[Entry]] = {}
    for longer in entries:
        words = _words(longer.source)
        runs = {words[start : start + size] for size in range(1, len(words))
                for start in range(len(words) - size + 1)}  # fmt: skip
        inner = [by_words[run] for run in runs if run in by_words and by_words[run] is not longer]
        if inner:
            nested[id(longer)] = sorted(inner, key=lambda e: e.line)
    return nested


def _shadow_message(shorter: Entry, longer: Entry, inside: dict) -> str:
    count = inside.get((id(shorter), id(longer)), 0)
    where = f"line {longer.line}"
    if count:
        return (f"shadowed: all {count} occurrences of {shorter.source!r} in the dossier are "
                f"inside {longer.source!r} ({where}), which wins: it never applies on its own")
    return (f"shadowed: {shorter.source!r} is inside {longer.source!r} ({where}) with the same "
            "target, and the longer entry wins wherever both match")


def _usage(glossary: Glossary, nested: dict[int, list[Entry]], segments: Iterable[Segment]):
    """Hits per entry, (entry, longer entry) → occurrences of the entry inside the hits of
    the longer one, and the number of ``segments`` (read once: a stream will do)."""
    hits: dict = defaultdict(int)
    inside: dict[tuple[int, int], int] = defaultdict(int)
    single: dict[int, Matcher] = {}
    count = 0
    for count, seg in enumerate(segments, 1):
        if BOILERPLATE_FLAG in seg.flags:
            for match in glossary.find(seg.source):
                hits[BOILERPLATE_FLAG, id(match.entry)] += 1
            continue
        for match in glossary.find(seg.source):
            hits[id(match.entry)] += 1
            text = seg.source[match.start : match.end]
            for shorter in nested.get(id(match.entry), ()):
                matcher = single.setdefault(id(shorter), Matcher([shorter]))
                if matcher.find(text):
                    inside[id(shorter), id(match.entry)] += 1
    return hits, inside, count


def _conflicting_forms(glossary: Glossary, path: str):
    groups: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
    collided = {(id(c.entry), id(c.other)) for c in glossary.matcher.collisions}
    for entry in glossary.entries:
        groups[tuple(lemma_of(w) for w in _words(entry.source))].append(entry)
    for same in groups.values():
        for i, later in enumerate(same):
            first = same[0]
            if i == 0 or (id(later), id(first)) in collided or (id(first), id(later)) in collided:
                continue
            if later.target == first.target:
                advice = (f"same target: give line {first.line} the forms option instead "
                          "(--plural/--feminine)")
            else:
                advice = f"there → {first.target}, here → {later.target}"
            yield Problem(path, later.line, f"conflicting forms: {later.source!r} is a form of "
                          f"{first.source!r} (line {first.line}); {advice}",
                          WARNING), {later.line, first.line}


def _words(text: str) -> tuple[str, ...]:
    return tuple(word_key(w) for w in WORD.findall(text.replace("-", "")))
