"""The QA report as Xbench or Verifika users exchange it: one row per segment with its QA
flags and their reasons, as CSV or JSON (``fr2en qa``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from ..model import BOILERPLATE_FLAG, Segment

COLUMNS = ("key", "doc", "status", "risk", "confidence", "flags", "dismissed", "source", "target")


def status(seg: Segment) -> str:
    """What a reviewer calls the segment's state: rejected, reviewed, draft, tm, machine, none."""
    if seg.rejected:
        return "rejected"
    return {"review": "reviewed", "draft": "draft", "mt": "machine", "cache": "machine"}.get(
        seg.origin, seg.origin or "none")


def rows(segments: Iterable[Segment]) -> list[dict]:
    """One record per segment that is not boilerplate, in the order given."""
    return [{
        "key": seg.key, "doc": seg.doc, "status": status(seg), "risk": seg.risk,
        "confidence": seg.confidence,
        "flags": {name: seg.reasons.get(name, "") for name in seg.flags},
        "dismissed": dict(seg.dismissed), "source": seg.source, "target": seg.target or "",
    } for seg in segments if BOILERPLATE_FLAG not in seg.flags]


def render(records: list[dict], fmt: str) -> str:
    """``records`` as ``json`` (one array) or ``csv`` (flags as "name: reason" lines)."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record,
                         "flags": "\n".join(f"{k}: {v}" if v else k for k, v in record["flags"].items()),
                         "dismissed": "\n".join(f"{k}: {v}" for k, v in record["dismissed"].items()),
                         "confidence": "" if record["confidence"] is None else record["confidence"]})
    return out.getvalue()
