"""``en/pages/<stem>.html``: the whole web page translated in place.

The original page (``Document.original``) is parsed again and each unit found by its locator
(:mod:`readers.html`); its English goes into the unit's own text nodes
(:func:`formats.inplace.distribute`), so the page's structure, styles, scripts, images and
every attribute stay as they were. Only what was translated changes: the article, and the
boilerplate with ``--translate-boilerplate``. The page gets ``lang="en"``, says it is UTF-8
(as it is written), takes the English title when its ``<title>`` was the French one, and
carries the run id in a ``<meta>``.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_write_text
from ..model import Document
from .inplace import distribute, pieces, tree_ops, unchanged


def write_page(english: Document, french: Document, path: Path, run_id: str = "") -> Path:
    return atomic_write_text(path, render_page(english, french, run_id))


def render_page(english: Document, french: Document, run_id: str = "") -> str:
    from lxml import etree
    from trafilatura.utils import decode_file

    from ..readers.html import BLOCK_TAGS, DROPPED_TAGS, parse_page, units

    page = parse_page(decode_file(french.original))
    by_locator = {b.locator: b for b in english.blocks if b.locator}
    for unit in list(units(page, french.meta.get("url", ""))):
        block = by_locator.get(unit.raw.locator)
        if block is None or block.index >= len(french.blocks):
            continue
        if not unchanged(french.blocks[block.index], block):
            ops = tree_ops(unit.element, unit.slots,
                           lambda e: e.tag not in BLOCK_TAGS | DROPPED_TAGS)
            distribute(unit.slots, pieces(block.text, block.spans), ops)
    _head(page, english, french, run_id)
    return etree.tostring(page.getroottree(), method="html", encoding="unicode")


def _head(page, english: Document, french: Document, run_id: str) -> None:
    """lang="en", the UTF-8 charset, the English title, the run id."""
    page.set("lang", "en")
    head = page.find("head")
    if head is None:
        head = page.makeelement("head", {})
        page.insert(0, head)
    said = False
    for meta in head.iter("meta"):
        if meta.get("charset") is not None:
            meta.set("charset", "utf-8")
        elif (meta.get("http-equiv") or "").lower() == "content-type":
            meta.set("content", "text/html; charset=utf-8")
        else:
            continue
        said = True
    if not said:
        head.insert(0, head.makeelement("meta", {"charset": "utf-8"}))
    title = head.find("title")
    if title is not None and french.title and english.title and (
        french.title in (title.text or "")
    ):
        title.text = (title.text or "").replace(french.title, english.title)
    mark = head.makeelement("meta", {"name": "fr2en-run-id", "content": run_id})
    head.append(mark)
