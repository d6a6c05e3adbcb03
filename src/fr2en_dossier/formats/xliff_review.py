"""XLIFF files back for ``fr2en review import``: either version (told apart by namespace),
read by :mod:`.xliff12` or :mod:`.xliff21`; a reviewed or final state is a review
(confirmed), any other state with English is not reviewed (an edit is a draft)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Fr2enError
from ..model import ReviewUnit
from . import xliff12, xliff21
from .xliff import NS_12, NS_2
from ..safe_xml import parse_xml


def review_units(path: str | Path) -> tuple[str, list[ReviewUnit]]:
    """The run id an XLIFF file (1.2 or 2.x) was written by ("" if none) and its units as
    review units: a confirmed state is a review, anything else with English a draft."""
    path = Path(path)
    root = parse_xml(path)
    namespace = root.tag.partition("}")[0].lstrip("{") if root.tag.startswith("{") else ""
    local = root.tag.rpartition("}")[2]
    if local == "xliff" and (
        namespace == NS_12 or (not namespace and root.get("version", "").startswith("1."))
    ):
        run_id, units = xliff12.read(path, root, namespace)
    elif local == "xliff" and namespace == NS_2:
        run_id, units = xliff21.read(path, root)
    else:
        raise Fr2enError(
            f"{path}:{root.sourceline}: not an XLIFF 1.2 or 2.x file "
            f"(root <{local}> in namespace {namespace or 'none'})"
        )
    return run_id, [
        ReviewUnit(u.line, u.key, u.source, u.target or "", not u.confirmed, u.confirmed)
        for u in units
    ]
