"""The term scoreboard of a run, in the terms of the WMT 2023 terminology task: for each
glossary entry and in all, the segments where it applies, how often its English is there (as
the engine translated, after another beam hypothesis, after a re-decode, forced in), how often
it is missing, and whether it is rendered the same way every time (consistency).

Counted over the segments with English that is the engine's (a person's English is their
choice, boilerplate is not translated); how the terms were met is the segment's
(``Segment.term_method``), shared by all its terms.
"""

from __future__ import annotations

from collections import defaultdict

from .model import BOILERPLATE_FLAG, MACHINE_ORIGINS, Segment

METHODS = ("as translated", "n-best", "re-decoded", "forced")
_METHOD = {"": "as translated", "n-best": "n-best", "prefix": "re-decoded", "forced": "forced"}


def scoreboard(segments: list[Segment]) -> dict:
    """{"entries": [per entry], "total": {...}}; an entry: its French and English, kind,
    ``segments`` where it applies, ``present`` by method, ``missing``, the ``renderings`` of its
    English found (text → count) and ``consistent``."""
    rows: dict[tuple[str, str], dict] = {}
    renderings: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for seg in segments:
        if seg.origin not in MACHINE_ORIGINS or BOILERPLATE_FLAG in seg.flags:
            continue
        seen = set()
        for hit in seg.hits:
            entry = (hit.entry or hit.source, hit.target)
            row = rows.setdefault(entry, {
                "source": entry[0], "target": hit.target, "kind": hit.kind, "segments": 0,
                "present": dict.fromkeys(METHODS, 0), "missing": 0})
            if entry not in seen:
                row["segments"] += 1
                seen.add(entry)
            if hit.en_start is None or hit.en_end is None:
                row["missing"] += 1
            else:
                row["present"][_METHOD.get(seg.term_method, "as translated")] += 1
                renderings[entry][(seg.target or "")[hit.en_start : hit.en_end]] += 1
    entries = []
    for entry, row in rows.items():
        found = dict(renderings.get(entry, {}))
        entries.append({**row, "renderings": found, "consistent": len(found) <= 1})
    entries.sort(key=lambda r: (-r["missing"], -r["segments"], r["source"].casefold()))
    present = {m: sum(r["present"][m] for r in entries) for m in METHODS}
    occurrences = sum(present.values()) + sum(r["missing"] for r in entries)
    total = {"entries": len(entries), "occurrences": occurrences, "present": present,
             "missing": sum(r["missing"] for r in entries),
             "success": round(sum(present.values()) / occurrences, 4) if occurrences else None,
             "consistent": sum(r["consistent"] for r in entries)}
    return {"entries": entries, "total": total}
