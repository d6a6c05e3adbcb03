"""``.md`` reader (markdown-it-py, CommonMark plus tables).

Headings, paragraphs, list items (bulleted or numbered, with their depth), block quotes and
table cells become blocks; bold, italic, inline code and links become spans. Code blocks and
raw HTML blocks are kept verbatim as boilerplate (shown, never translated). Images, inline
HTML tags and thematic breaks are left out.
"""

from __future__ import annotations

from pathlib import Path

from ..model import (
    BOILERPLATE,
    BOLD,
    CODE,
    HEADING,
    ITALIC,
    LIST_ITEM,
    MARKDOWN,
    PARAGRAPH,
    QUOTE,
    Document,
)
from ..textfile import decode
from . import read_bytes
from .inline import InlineText, RawBlock, make_blocks

_TOGGLES = {"strong": BOLD, "em": ITALIC}


def read(path: Path) -> Document:
    from markdown_it import MarkdownIt

    text = decode(read_bytes(path), path)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    raw: list[RawBlock] = []
    lists: list[str] = []  # "ul"/"ol" of the open lists
    quotes = 0
    opened = None  # the token that opened the current inline content
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(token.tag)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind.endswith("_open"):
            opened = token
        elif kind == "inline" and opened is not None:
            line = token.map[0] + 1 if token.map else 0
            block_text, spans = _inline(token.children or [])
            kind, style, level = _block_kind(opened, lists, quotes)
            raw.append(RawBlock(kind, block_text, spans, style, level, line))
        elif kind in ("fence", "code_block", "html_block"):
            style = "html" if kind == "html_block" else "pre"
            line = token.map[0] + 1 if token.map else 0
            raw.append(RawBlock(BOILERPLATE, token.content.rstrip("\n"), [], style, 0, line))
    return Document(path.stem, path, make_blocks(path.stem, raw), MARKDOWN)


def _block_kind(opened, lists: list[str], quotes: int) -> tuple[str, str, int]:
    """(kind, style, level) of the inline content opened by token ``opened``."""
    if opened.type == "heading_open":
        return HEADING, opened.tag, int(opened.tag[1])
    if lists:
        return LIST_ITEM, lists[-1], len(lists)
    if quotes:
        return QUOTE, "blockquote", 0
    if opened.type in ("th_open", "td_open"):
        return PARAGRAPH, opened.tag, 0
    return PARAGRAPH, "p", 0


def _inline(children) -> tuple[str, list]:
    """Plain text and spans of an inline token's children."""
    out = InlineText()
    styles: set[str] = set()
    href = ""
    for child in children:
        kind = child.type
        if kind == "text":
            out.add(child.content, styles, href)
        elif kind == "code_inline":
            out.add(child.content, styles | {CODE}, href)
        elif kind in ("softbreak", "hardbreak"):
            out.add(" ", styles, href)
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = ""
        elif kind.endswith("_open") and kind[:-5] in _TOGGLES:
            styles.add(_TOGGLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _TOGGLES:
            styles.discard(_TOGGLES[kind[:-6]])
    return out.finish()
