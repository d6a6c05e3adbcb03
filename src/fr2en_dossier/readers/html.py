"""``.html``/``.htm`` reader: the article's main content through trafilatura, the rest of the
page kept as boilerplate.

trafilatura (with formatting and links) gives the main content — headings, paragraphs, list
items, quotes, table cells, with bold, italic, code and links — and the metadata (title,
author, date, site name, URL). The page's own blocks (lxml) are then walked in order: a block
whose text is one of the main content's is where that content goes; every other block —
navigation, ads, "Lire aussi" boxes, footers — is kept in place as boilerplate (shown in
review, never translated). Without a main content (a page too short for trafilatura), every
block of the page is content, typed by its tag.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from ..model import BOILERPLATE, BOLD, CODE, HEADING, HTML, ITALIC, LIST_ITEM, PARAGRAPH, QUOTE
from ..model import Document
from . import read_bytes
from .inline import InlineText, RawBlock, make_blocks

# Tags of the page that start a block of their own.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "button")
_PAGE_STYLES = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC, "code": CODE, "kbd": CODE,
                "samp": CODE, "tt": CODE}
_MAIN_STYLES = {"#b": BOLD, "#i": ITALIC, "#t": CODE}
_META = {"title": "title", "author": "author", "date": "date", "sitename": "site", "url": "url"}
_MERGED_MIN_CHARS = 40  # a page block inside a longer main-content block is that content


def read(path: Path) -> Document:
    import lxml.html
    import trafilatura
    from lxml import etree
    from trafilatura.utils import decode_file

    text = decode_file(read_bytes(path))
    extracted = trafilatura.extract(
        text, output_format="xml", include_formatting=True, include_links=True,
        include_comments=False, include_images=False, include_tables=True, with_metadata=True,
    )
    main, meta = [], {}
    if extracted:
        doc = etree.fromstring(extracted.encode("utf-8"))
        meta = {ours: doc.get(theirs) for theirs, ours in _META.items() if doc.get(theirs)}
        body = doc.find("main")
        if body is not None:
            main = _main_blocks(body, meta.get("url", ""))
    page = lxml.html.document_fromstring(text)
    for element in page.iter(*_DROPPED_TAGS):
        element.drop_tree()
    base = meta.get("url", "")
    page_blocks = [_page_block(el, base) for el in page.iter() if _is_block(el)]
    page_blocks = [b for b in page_blocks if b.text]
    raw = _interleave(main, page_blocks, meta.get("title", "")) if main else [
        _typed(block) for block in page_blocks
    ]
    return Document(path.stem, path, make_blocks(path.stem, raw), HTML, meta)


def _norm(text: str) -> str:
    """Text to match page blocks with trafilatura's: without any white space (trafilatura
    folds no-break spaces and drops the space between two adjacent links)."""
    return "".join(text.split())


def _interleave(main: list[RawBlock], page: list[RawBlock], title: str) -> list[RawBlock]:
    """The main content, with the page's other blocks as boilerplate where they stand."""
    texts = [_norm(block.text) for block in main]
    out, done = [], 0  # main[:done] are placed
    if title and _norm(title) not in texts and not any(
        b.style == "h1" and _norm(b.text) == _norm(title) for b in page
    ):
        out.append(RawBlock(HEADING, title, [], "h1", 1))  # the title is always translated
    for block in page:
        text = _norm(block.text)
        if text in texts[done:]:
            found = texts.index(text, done)
            # The page's own text of that block: trafilatura folds no-break spaces.
            main[found].text, main[found].spans = block.text, block.spans
            for placed in main[done : found + 1]:
                placed.line = placed.line or block.line
                out.append(placed)
            done = found + 1
        elif block.style == "h1" and title and text == _norm(title):
            out.append(_typed(block))
        elif len(text) >= _MERGED_MIN_CHARS and any(text in t for t in texts):
            continue  # part of a main-content block (trafilatura merged it)
        else:
            block.kind = BOILERPLATE
            out.append(block)
    return out + main[done:]


def _typed(block: RawBlock) -> RawBlock:
    """A page block as content, its kind from its tag."""
    tag = block.style
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        block.kind, block.level = HEADING, int(tag[1])
    elif tag in ("ul", "ol"):
        block.kind, block.level = LIST_ITEM, 1  # its style is already "ul" or "ol"
    elif tag == "blockquote":
        block.kind = QUOTE
    elif tag == "pre":
        block.kind = BOILERPLATE
    else:
        block.kind = PARAGRAPH
    return block


def _is_block(element) -> bool:
    return isinstance(element.tag, str) and element.tag in _BLOCK_TAGS


def _page_block(element, base: str) -> RawBlock:
    """A page element's own text (its block children are blocks of their own)."""
    def style(child) -> tuple[set[str], str]:
        styles = {_PAGE_STYLES[child.tag]} if child.tag in _PAGE_STYLES else set()
        href = child.get("href", "") if child.tag == "a" else ""
        return styles, urljoin(base, href) if href else ""

    out = InlineText()
    _walk(element, out, set(), "", style, lambda child: _is_block(child) or child.tag == "br")
    block_text, spans = out.finish(keep_whitespace=element.tag == "pre")
    style_name = element.tag
    if element.tag == "li":
        parent = element.getparent()
        style_name = parent.tag if parent is not None and parent.tag in ("ul", "ol") else "ul"
    return RawBlock(PARAGRAPH, block_text, spans, style_name, 0, element.sourceline or 0)


def _walk(element, out: InlineText, styles: set[str], href: str,
          style_of: Callable, stops: Callable[[object], bool]) -> None:
    """Append ``element``'s text and its inline children's, with their styles, to ``out``."""
    if element.text:
        out.add(element.text, styles, href)
    for child in element:
        if isinstance(child.tag, str) and not stops(child):
            added, link = style_of(child)
            _walk(child, out, styles | added, link or href, style_of, stops)
        elif child.tag in ("br", "lb"):
            out.add(" ", styles, href)
        if child.tail:
            out.add(child.tail, styles, href)


def _main_blocks(body, base: str) -> list[RawBlock]:
    """Blocks of trafilatura's ``<main>`` (its XML: head, p, list/item, quote, table/cell)."""
    blocks: list[RawBlock] = []

    def style(child) -> tuple[set[str], str]:
        if child.tag == "hi":
            return ({_MAIN_STYLES[child.get("rend")]} if child.get("rend") in _MAIN_STYLES
                    else set()), ""
        if child.tag == "code":
            return {CODE}, ""
        target = child.get("target", "") if child.tag == "ref" else ""
        return set(), urljoin(base, target) if target else ""

    def add(element, kind: str, style_name: str, level: int = 0) -> None:
        out = InlineText()
        _walk(element, out, set(), "", style, lambda child: child.tag in ("list", "p", "quote"))
        block_text, spans = out.finish(keep_whitespace=kind == BOILERPLATE)
        blocks.append(RawBlock(kind, block_text, spans, style_name, level))

    def visit(element, depth: int, quoted: bool, item: bool = False) -> None:
        for child in element:
            tag = child.tag
            if item and tag != "list":
                continue  # an item's inline content is the item's own block
            if tag == "head":
                rend = child.get("rend", "h2")
                add(child, HEADING, rend, int(rend[1]) if rend[1:].isdigit() else 2)
            elif tag == "p":
                add(child, QUOTE if quoted else PARAGRAPH, "blockquote" if quoted else "p")
            elif tag == "list":
                for entry in child.iter("item"):
                    if entry.getparent() is child:
                        add(entry, LIST_ITEM, child.get("rend", "ul"), depth + 1)
                        visit(entry, depth + 1, quoted, item=True)
            elif tag == "quote":
                add(child, QUOTE, "blockquote")
                visit(child, depth, True)
            elif tag == "code":
                add(child, BOILERPLATE, "pre")
            elif tag in ("table", "row"):
                visit(child, depth, quoted)
            elif tag == "cell":
                add(child, PARAGRAPH, "td")
    visit(body, 0, False)
    return blocks
