"""The analysis of a dossier against its memory: segments, words and characters per match
band, per document and in total, as memoQ and Trados report them before a job.

Bands: context match (101), 100, 95–99, 85–94, 75–84, 50–74, no match, and repetitions
inside the dossier. A segment is in the band of its best memory match (``Segment.tm_score``,
recorded by the run's match stage, :mod:`memory.prefill`), except that a segment whose French
(as the memory compares it) occurs earlier in the dossier is a repetition unless its match
is a context match — memoQ's "repetitions take precedence over 100% matches". Boilerplate,
never translated, is left out.

Words are the white-space separated pieces of the French holding a letter or a digit ("l'IA"
is one word, "co-fondateur" one, "1 000" two, a dash none); characters are all but white
space.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from .model import BOILERPLATE_FLAG, Part, Segment, comparable, parts_of

CONTEXT, EXACT, NO_MATCH, REPETITION = "101", "100", "no match", "repetitions"
FUZZY_BANDS = ((95, "95-99"), (85, "85-94"), (75, "75-84"), (50, "50-74"))
BANDS = (CONTEXT, EXACT, *(name for _, name in FUZZY_BANDS), NO_MATCH, REPETITION)
COUNTS = ("segments", "words", "characters")


def words(text: str) -> int:
    """The words of ``text`` (the module docstring): its pieces between white space that
    hold a letter or a digit."""
    return len(_WORD.findall(text))


_WORD = re.compile(r"(?<!\S)\S*?[^\W_]\S*")  # [^\W_]: what str.isalnum() is true of


def characters(text: str) -> int:
    """The characters of ``text`` but white space."""
    return sum(1 for c in text if not c.isspace())


def band(score: int | None) -> str:
    """The band of a best match's score (None: no match of 50 or more)."""
    if score is None:
        return NO_MATCH
    if score >= 101:
        return CONTEXT
    if score == 100:
        return EXACT
    return next((name for low, name in FUZZY_BANDS if score >= low), NO_MATCH)


class Analysis:
    """The analysis added up one document at a time (documents in dossier order).

    ``seen`` holds the French met so far (:func:`model.comparable`): a set, or any container
    with ``in`` and ``add`` (a run of an archive keeps it on disk)."""

    def __init__(self, seen=None) -> None:
        self.seen = set() if seen is None else seen
        self.total = _empty()

    def document(self, segments: Iterable[Segment]) -> dict[str, dict[str, int]] | None:
        """The bands of one document's ``segments`` (None when all are boilerplate)."""
        bands = None
        for seg in segments:
            if BOILERPLATE_FLAG in seg.flags:
                continue
            french = comparable(seg.source)
            name = band(seg.tm_score)
            if french in self.seen and name != CONTEXT:
                name = REPETITION
            self.seen.add(french)
            bands = bands or _empty()
            for counts in (bands[name], self.total[name]):
                counts["segments"] += 1
                counts["words"] += words(seg.source)
                counts["characters"] += characters(seg.source)
        return bands

    def documents(self, parts: Iterable[Part]) -> Iterator[dict]:
        """The ``documents`` entries of the analysis of ``parts``, one at a time."""
        for part in parts:
            bands = self.document(part.segments)
            if bands is not None:
                yield {"doc": part.stem, "bands": bands, "total": _sum(bands)}

    def totals(self) -> dict:
        """The ``total`` entry, once every document was added."""
        return {"bands": self.total, "total": _sum(self.total)}


def analyse(segments: Iterable[Segment]) -> dict:
    """The analysis of ``segments`` (a dossier in order, match stage run): ``bands`` (names in
    report order), ``documents`` (per document: ``doc``, ``bands`` {band: {segments, words,
    characters}}, ``total``) and ``total`` (the same for the dossier)."""
    analysis = Analysis()
    documents = list(analysis.documents(parts_of(segments)))
    return {"bands": list(BANDS), "documents": documents, "total": analysis.totals()}


def to_csv(analysis: dict) -> str:
    """The analysis as CSV: one row per document and band, then the dossier's (document
    "total"), each with its segments, words and characters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["document", "band", *COUNTS])
    places = [(d["doc"], d["bands"], d["total"]) for d in analysis["documents"]]
    places.append(("total", analysis["total"]["bands"], analysis["total"]["total"]))
    for doc, bands, total in places:
        for name in analysis["bands"]:
            writer.writerow([doc, name, *(bands[name][what] for what in COUNTS)])
        writer.writerow([doc, "total", *(total[what] for what in COUNTS)])
    return out.getvalue()


def to_text(analysis: dict) -> str:
    """The analysis as a table per document and one for the dossier."""
    places = [(d["doc"], d["bands"], d["total"]) for d in analysis["documents"]]
    places.append(("all documents", analysis["total"]["bands"], analysis["total"]["total"]))
    lines = []
    for doc, bands, total in places:
        lines.append(f"{doc}:")
        lines.append(f"  {'band':<12}{'segments':>10}{'words':>10}{'characters':>12}")
        for name, counts in [*bands.items(), ("total", total)]:
            lines.append(f"  {name:<12}{counts['segments']:>10}{counts['words']:>10}"
                         f"{counts['characters']:>12}")
    return "\n".join(lines)


def _empty() -> dict[str, dict[str, int]]:
    return {name: dict.fromkeys(COUNTS, 0) for name in BANDS}


def _sum(bands: dict[str, dict[str, int]]) -> dict[str, int]:
    return {what: sum(counts[what] for counts in bands.values()) for what in COUNTS}
