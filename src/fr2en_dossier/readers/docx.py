"""``.docx`` reader (python-docx): every non-empty paragraph is a block, with its Word style.

The style name is kept (``Block.style``) and gives the kind: ``Title``/``Heading N`` →
heading, ``List …`` styles or numbered paragraphs → list item (with its level), ``Quote``/
``Intense Quote`` → quote, ``Caption`` → caption, anything else → paragraph. Runs give bold,
italic and code (a monospace font); hyperlinks give links. Table cells are read paragraph by
paragraph. Images, fields, footnotes, comments and tracked changes are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Fr2enError
from ..model import BOLD, CAPTION, CODE, DOCX, HEADING, ITALIC, LIST_ITEM, PARAGRAPH, QUOTE
from ..model import Document
from .inline import InlineText, RawBlock, make_blocks

MONOSPACE = frozenset({"Courier New", "Courier", "Consolas", "Menlo", "Monaco", "Lucida Console"})
_LEVEL = re.compile(r"(\d+)$")


def read(path: Path) -> Document:
    import io

    import docx

    from . import read_bytes

    data = read_bytes(path)  # a clear error when the file cannot be read at all
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # BadZipFile, OpcError, KeyError, XMLSyntaxError: a damaged file
        raise Fr2enError(f"{path}: not a readable Word .docx file ({err})") from None
    raw = [_block(p, n) for n, p in enumerate(_paragraphs(document), 1)]
    props = document.core_properties
    meta = {k: v for k, v in (("title", props.title), ("author", props.author)) if v}
    if props.created:
        meta["date"] = props.created.date().isoformat()
    return Document(path.stem, path, make_blocks(path.stem, raw), DOCX, meta)


def _paragraphs(container):
    """The paragraphs of the body in order, those of table cells included."""
    for item in container.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                for cell in row.cells:
                    yield from _paragraphs(cell)
        else:
            yield item


def _block(paragraph, number: int) -> RawBlock:
    style = paragraph.style.name if paragraph.style is not None else "Normal"
    kind, level = _kind(paragraph, style)
    out = InlineText()
    for item in paragraph.iter_inner_content():
        if hasattr(item, "address"):  # a Hyperlink
            href = item.address + (f"#{item.fragment}" if item.fragment else "")
            for run in item.runs:
                out.add(run.text, _styles(run), href)
        else:
            out.add(item.text, _styles(item))
    text, spans = out.finish()
    return RawBlock(kind, text, spans, style, level, number)


def _styles(run) -> set[str]:
    styles = set()
    if run.bold:
        styles.add(BOLD)
    if run.italic:
        styles.add(ITALIC)
    if run.font.name in MONOSPACE:
        styles.add(CODE)
    return styles


def _kind(paragraph, style: str) -> tuple[str, int]:
    """(kind, level) of a paragraph from its style name and numbering."""
    level = int(m.group(1)) if (m := _LEVEL.search(style)) else 1
    if style == "Title":
        return HEADING, 1
    if style.startswith("Heading"):
        return HEADING, level
    numbering = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if style.startswith("List") or numbering is not None:
        if numbering is not None and numbering.ilvl is not None:
            level = numbering.ilvl.val + 1
        return LIST_ITEM, level
    if style in ("Quote", "Intense Quote"):
        return QUOTE, 0
    if style == "Caption":
        return CAPTION, 0
    return PARAGRAPH, 0
