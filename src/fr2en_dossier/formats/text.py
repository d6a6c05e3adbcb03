"""English texts: ``en/<stem>.txt``, one line per block in the original order.

A block's line is its segments' targets joined with one space. Segments flagged boilerplate
(by the segmenter) are left out unless asked for, and so are blocks left empty by that. A
segment with no English (``--no-mt``, or a failed MT) keeps its French text in place: the
file stays complete, and the report and review page flag it ``untranslated``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import atomic_write_text
from ..model import BOILERPLATE_FLAG, Segment


def render_texts(segments: list[Segment], *, include_boilerplate: bool = False) -> dict[str, str]:
    """The English text of each document (by stem, in first-seen order), lines ending in "\\n".

    Every document of ``segments`` gets an entry, even if all its blocks are left out.
    """
    docs: dict[str, dict[int, dict[int, str]]] = {}
    for seg in segments:
        blocks = docs.setdefault(seg.doc, {})
        if include_boilerplate or BOILERPLATE_FLAG not in seg.flags:
            blocks.setdefault(seg.block, {})[seg.index] = english_of(seg)
    return {
        doc: "".join(" ".join(b[i] for i in sorted(b)) + "\n" for _, b in sorted(blocks.items()))
        for doc, blocks in docs.items()
    }


def write_texts(
    segments: list[Segment], directory: str | os.PathLike, *, include_boilerplate: bool = False
) -> list[Path]:
    """Write ``<directory>/<stem>.txt`` for every document; return the paths written."""
    texts = render_texts(segments, include_boilerplate=include_boilerplate)
    return [atomic_write_text(Path(directory) / f"{doc}.txt", text) for doc, text in texts.items()]


def english_of(seg: Segment) -> str:
    """The target on one line (line breaks become spaces), or the French when there is none."""
    text = seg.target if seg.target and seg.target.strip() else seg.source
    return " ".join(text.strip().splitlines())
