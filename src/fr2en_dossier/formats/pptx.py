"""``en/<stem>.pptx``: the French presentation with each paragraph's text replaced.

The original package is opened again and every unit found by its locator
(:mod:`readers.pptx`); its English goes into the paragraph's own runs
(:func:`formats.inplace.distribute`), so layouts, shapes, images, animations, run formatting
and click hyperlinks stay as they were; every other entry of the package is copied as is.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..model import Document
from .inplace import Ops, rewrite_parts


def write_pptx(english: Document, french: Document, path: Path, run_id: str = "") -> Path:
    from ..readers import pptx as reader
    from ..readers.package import write_package

    slides = reader.open_slides(french.path, french.original)
    parts = rewrite_parts(slides, reader, english, french, lambda paragraph, _: _ops(paragraph))
    return atomic_write_bytes(path, write_package(slides.package, parts))


def _ops(paragraph) -> Ops:
    from ..readers.inline import Slot
    from ..readers.pptx import a

    def put(slot: Slot, text: str) -> None:
        node = slot.node.find(a("t"))
        if node is None:
            node = slot.node.makeelement(a("t"), {})
            slot.node.append(node)
        node.text = text

    def clone(template: Slot, after: Slot | None) -> list[Slot]:
        run = copy.deepcopy(template.node)
        _place(run, after)
        return [Slot(template.key, run, run)]

    def move(slot: Slot, after: Slot | None) -> None:
        paragraph.remove(slot.node)
        _place(slot.node, after)

    def _place(run, after: Slot | None) -> None:
        if after is not None:
            after.node.addnext(run)
        else:
            props = paragraph.find(a("pPr"))
            paragraph.insert(paragraph.index(props) + 1 if props is not None else 0, run)

    return Ops(put, clone, move, lambda slot: True, lambda slot: paragraph.index(slot.node))
