"""``.md`` reader (markdown-it-py, CommonMark plus tables): the inline text of each block is
a unit, located in the source by markdown-it's line maps.

Headings, paragraphs, list items (bulleted or numbered, with their depth), block quotes and
table cells become blocks; bold, italic, inline code and links become spans; images, inline
HTML and hard line breaks are anchors (zero-width spans holding their Markdown), so the English
keeps them. Code blocks and raw HTML blocks are kept verbatim as boilerplate (shown, never
translated). ``Block.locator`` is ``L0:C0-L1:C1``: the unit's inline source runs from line L0
(0-based), column C0 to line L1, column C1; everything around it — container markers, list
numbers, link reference definitions, other blocks — is left as it was by the writer
(``formats/markdown.py``). Nesting deeper than :data:`MAX_NESTING` is skipped by the parser:
a warning names the file and the lines left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
from .inline import InlineText, RawBlock, make_blocks

_TOGGLES = {"strong": BOLD, "em": ITALIC}
MAX_NESTING = 50  # markdown-it's limit on nested blocks (its default, 20, is often reached)
_LEAVES = ("inline", "fence", "code_block", "html_block", "hr")


@dataclass
class Source:
    """A Markdown file as markdown-it reads it: its lines (newlines normalized) and tokens."""

    lines: list[str]
    tokens: list
    crlf: bool  # the file's line breaks were \r\n


def parse(text: str) -> Source:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    crlf = "\r\n" in text and not re.search(r"(?<!\r)\n", text)
    normalized = re.sub(r"\r\n?", "\n", text).replace("\0", "\ufffd")
    return Source(normalized.split("\n"), md.parse(text), crlf)


def read(path: Path, warn) -> Document:
    from . import keep_original, read_bytes

    data = read_bytes(path)
    source = parse(decode(data, path))
    raw = units(source)
    skipped = _skipped(source)
    if skipped:
        warn(f"{path}:{skipped[0] + 1}: nested deeper than {MAX_NESTING} levels: "
             f"{len(skipped)} line(s) left out")
    return keep_original(Document(path.stem, path, make_blocks(path.stem, raw), MARKDOWN), data)


def units(source: Source) -> list[RawBlock]:
    """The blocks of a parsed file, each located in its lines."""
    raw: list[RawBlock] = []
    lists: list[str] = []  # "ul"/"ol" of the open lists
    quotes = 0
    opened = None  # the token that opened the current inline content
    cells: dict[int, int] = {}  # table row line → column where the next cell is looked for
    for token in source.tokens:
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
        elif kind == "inline" and opened is not None and token.map:
            where = _locate(source.lines, opened, token, cells)
            block_text, spans = _inline(token.children or [], where[1] if where else [])
            kind, style, level = _block_kind(opened, lists, quotes)
            locator = "{}:{}-{}:{}".format(*where[0]) if where else ""
            raw.append(RawBlock(kind, block_text, spans, style, level, token.map[0] + 1, locator))
        elif kind in ("fence", "code_block", "html_block"):
            style = "html" if kind == "html_block" else "pre"
            line = token.map[0] + 1 if token.map else 0
            raw.append(RawBlock(BOILERPLATE, token.content.rstrip("\n"), [], style, 0, line))
    return raw


def _locate(lines: list[str], opened, token, cells: dict[int, int]):
    """((L0, C0, L1, C1), the prefix of each continuation line) of an inline token's source;
    None when it cannot be found there (the unit is then left as it was)."""
    content = token.content.split("\n")
    first = token.map[0]
    if opened.type in ("td_open", "th_open"):
        pattern = "".join(r"\\?\|" if c == "|" else re.escape(c) for c in content[0])
        found = re.compile(pattern).search(lines[first], cells.get(first, 0)) if content[0] \
            else None
        if found is None:
            return None
        cells[first] = found.end()
        return (first, found.start(), first, found.end()), []
    if opened.type == "heading_open" and opened.markup.startswith("#"):
        line = lines[first]
        start = len(line) - len(line.lstrip(" ")) + len(opened.markup)
        at = line.find(content[0], start) if content[0] else -1
        return ((first, at, first, at + len(content[0])), []) if at >= 0 else None
    if first + len(content) > len(lines):
        return None
    starts, prefixes = [], []
    for k, piece in enumerate(content):
        line = lines[first + k]
        body = line.rstrip() if k == len(content) - 1 else line
        piece = piece.lstrip(" \t") if k else piece  # (a tab may have been cut into spaces)
        if not body.endswith(piece):
            return None
        starts.append(len(body) - len(piece))
        if k:
            prefixes.append(line[: starts[-1]])
    last = first + len(content) - 1
    return (first, starts[0], last, len(lines[last].rstrip() if len(content) > 1 else
                                         lines[last].rstrip())), prefixes


def _skipped(source: Source) -> list[int]:
    """Lines (0-based) the parser left out for being nested too deep."""
    covered = set()
    for token in source.tokens:
        if token.type in _LEAVES and token.map:
            covered.update(range(*token.map))
    deep = set()
    for token in source.tokens:
        if token.nesting == 1 and token.level >= MAX_NESTING - 1 and token.map:
            deep.update(range(*token.map))
    return sorted(n for n in deep - covered if source.lines[n].strip(" >\t-*+0123456789.)"))


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


def _inline(children, prefixes: list[str]) -> tuple[str, list]:
    """Plain text and spans of an inline token's children (``prefixes``: what starts each of
    the source's continuation lines, kept after a hard line break)."""
    out = InlineText()
    styles: set[str] = set()
    href = title = ""
    breaks = 0
    for child in children:
        kind = child.type
        if kind == "text":
            out.add(child.content, styles, href, title=title)
        elif kind == "code_inline":
            out.add(child.content, styles | {CODE}, href, title=title)
        elif kind in ("softbreak", "hardbreak"):
            if kind == "hardbreak":
                prefix = prefixes[breaks] if breaks < len(prefixes) else ""
                out.anchor("\\\n" + prefix)
            breaks += 1
            out.add(" ", styles, href)
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            title = str(child.attrs.get("title", "") or "")
        elif kind == "link_close":
            href = title = ""
        elif kind == "image":
            out.anchor(image_markdown(child))
        elif kind == "html_inline":
            out.anchor(child.content)
        elif kind.endswith("_open") and kind[:-5] in _TOGGLES:
            styles.add(_TOGGLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _TOGGLES:
            styles.discard(_TOGGLES[kind[:-6]])
    return out.finish()


_SPECIAL = re.compile(r"([\\`*_\[\]<>!&|~])")  # what Markdown could read as markup


def escape_text(text: str) -> str:
    """Plain text with a backslash before every character Markdown could read as markup."""
    return _SPECIAL.sub(r"\\\1", text)


def link_destination(href: str, title: str = "") -> str:
    """A link destination (and title) CommonMark reads back as the same URL and title."""
    escaped = re.sub(r"([\\<>])", r"\\\1", href)
    destination = f"<{escaped}>" if re.search(r"[\s()<>]", href) or not href else escaped
    if title:
        destination += ' "{}"'.format(re.sub(r'(["\\])', r"\\\1", title))
    return destination


def image_markdown(token) -> str:
    """An image as Markdown that reads back as the same image."""
    alt = escape_text("".join(c.content for c in (token.children or []) if c.content))
    title = str(token.attrs.get("title", "") or "")
    title = ' "{}"'.format(title.replace("\\", "\\\\").replace('"', '\\"')) if title else ""
    return f"![{alt}]({link_destination(str(token.attrs.get('src', '')))}{title})"

