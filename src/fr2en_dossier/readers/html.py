"""``.html``/``.htm`` reader: every text block of the page is a unit; trafilatura says which
are the article.

The page is parsed with lxml (``huge_tree``: deep nesting and long texts are read, not cut).
Its units are its block elements (headings, paragraphs, list items, cells, divs… in page
order), each with its own text and inline markup (bold, italic, code, links, and any other
inline element as a format span); scripts, styles, JSON-LD, templates, SVG, forms' buttons,
comments and the head never reach a unit. trafilatura (on a copy of the tree) gives the main
content and the metadata (title, author, date, site name, URL): a unit whose text is that of a
main-content block, or holds it, or is held by it, is article text (typed by trafilatura or
its tag); every other unit — navigation, ads, "Lire aussi" boxes, footers — is boilerplate,
kept in place, shown in review, never translated. Without a main content (a page too short
for trafilatura), or when less than half of it is found among the units (the reader then
warns), every unit is article text, typed by its tag. ``Block.locator`` is ``eN``: the N-th
element of the page in the order :func:`elements` walks it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from ..model import BOILERPLATE, BOLD, CODE, HEADING, HTML, ITALIC, LIST_ITEM, PARAGRAPH, QUOTE
from ..model import Document
from .inline import InlineText, RawBlock, Slot, make_blocks

# Tags of the page that start a block of their own.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is never text of the page.
DROPPED_TAGS = frozenset(
    "script style noscript template svg math head iframe button select option textarea "
    "object canvas audio video map".split()
)
_PAGE_STYLES = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC, "code": CODE, "kbd": CODE,
                "samp": CODE, "tt": CODE}
_META = {"title": "title", "author": "author", "date": "date", "sitename": "site", "url": "url"}
_HELD_MIN_CHARS = 20  # a unit's text found inside a main-content block is that content
_FOUND_MIN = 0.5  # share of the main content the units must hold, else every unit is content


@dataclass
class Unit:
    """A block element of the page with its own text, spans and text slots."""

    number: int  # its place in elements()
    element: object
    raw: RawBlock
    slots: list[Slot] = field(default_factory=list)


def parse_page(text: str):
    """The page's tree (lxml.html, comments kept, nothing cut)."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=False)
    return lxml.html.document_fromstring(text, parser=parser)


def read(path: Path, warn) -> Document:
    from lxml import etree
    from trafilatura import extract
    from trafilatura.utils import decode_file

    from . import keep_original, read_bytes

    data = read_bytes(path)
    page = parse_page(decode_file(data))
    raw = [unit.raw for unit in units(page, "")]  # (a paragraph too long is refused here)
    try:
        extracted = extract(
            copy.deepcopy(page), output_format="xml", include_formatting=True,
            include_links=True, include_comments=False, include_images=False,
            include_tables=True, with_metadata=True,
        )
    except Exception as err:  # its own XML limits (a text over 10 MB), its own bugs
        warn(f"{path}: trafilatura could not read the page ({type(err).__name__}: {err}): "
             "every block is read as article text")
        extracted = None
    main, meta = [], {}
    if extracted:
        tree = etree.fromstring(extracted.encode("utf-8"),
                                etree.XMLParser(huge_tree=True, resolve_entities=False))
        meta = {ours: tree.get(theirs) for theirs, ours in _META.items() if tree.get(theirs)}
        body = tree.find("main")
        if body is not None:
            main = _main_blocks(body)
    if meta.get("url"):  # links are relative to the page's own address
        raw = [unit.raw for unit in units(page, meta["url"])]
    if main and not _classify(raw, main):
        warn(f"{path}: trafilatura's main content is not among the page's blocks: every block "
             "is read as article text")
        main = []
    if not main:
        raw = [_typed(block) for block in raw]
    return keep_original(Document(path.stem, path, make_blocks(path.stem, raw), HTML, meta), data)


def elements(page) -> Iterator:
    """The page's elements in document order, without entering those of :data:`DROPPED_TAGS`
    (nor comments and processing instructions)."""
    stack = [page]
    while stack:
        element = stack.pop()
        yield element
        if element.tag not in DROPPED_TAGS:
            stack.extend(reversed([c for c in element if isinstance(c.tag, str)]))


def units(page, base: str) -> Iterator[Unit]:
    """Every block element of the page as a unit (its text may be empty)."""
    for number, element in enumerate(elements(page)):
        if element.tag in BLOCK_TAGS:
            yield _unit(element, number, base)


def _is_block(element) -> bool:
    return isinstance(element.tag, str) and element.tag in BLOCK_TAGS


def _unit(element, number: int, base: str) -> Unit:
    """A block element's own text (its block children are units of their own)."""
    out = InlineText()
    _walk(element, out, base)
    out.rebase_formats()
    text, spans = out.finish(keep_whitespace=element.tag == "pre")
    style_name = element.tag
    if element.tag == "li":
        parent = element.getparent()
        style_name = parent.tag if parent is not None and parent.tag in ("ul", "ol") else "ul"
    level = sum(1 for a in element.iterancestors() if a.tag in ("ul", "ol")) or 1
    raw = RawBlock(PARAGRAPH, text, spans, style_name, level if element.tag == "li" else 0,
                   element.sourceline or 0, f"e{number}")
    return Unit(number, element, raw, out.slots)


def _walk(element, out: InlineText, base: str, styles=frozenset(), href: str = "",
          fmt: str = "", chain: tuple = (), group=None) -> None:
    """Append ``element``'s text and its inline children's to ``out``, a slot for each text
    node (``(element, "text")``, ``(child, "tail")``)."""
    out.slot((element, "text"), element.text or "", styles, href, fmt, group, chain)
    for child in element:
        top = child if not chain else group
        if not isinstance(child.tag, str) or child.tag in DROPPED_TAGS or _is_block(child):
            pass  # no text of this unit (a block child is a unit of its own)
        elif child.tag == "br":
            out.add(" ", styles, href, fmt)
        else:
            added, link, own = _style(child, base)
            _walk(child, out, base, styles | added, link or href, own or fmt, (*chain, child), top)
        out.slot((child, "tail"), child.tail or "", styles, href, fmt, top, chain)


def _style(child, base: str) -> tuple[set[str], str, str]:
    """(styles, link URL, format name) an inline element gives its text."""
    if child.tag in _PAGE_STYLES:
        return {_PAGE_STYLES[child.tag]}, "", ""
    if child.tag == "a" and child.get("href"):
        return set(), urljoin(base, child.get("href", "").strip()), ""
    name = child.tag + "".join(f".{c}" for c in sorted((child.get("class") or "").split()))
    return set(), "", name


def _classify(raw: list[RawBlock], main: list[RawBlock]) -> bool:
    """Type the units by the main content (trafilatura's blocks); False when less than
    :data:`_FOUND_MIN` of it is among them (nothing is changed then)."""
    texts = [_norm(block.text) for block in main]
    joined = "\0".join(texts)
    exact: dict[str, RawBlock] = {}
    for text, block in zip(texts, main, strict=True):
        exact.setdefault(text, block)
    kinds = []
    for unit in raw:
        text = _norm(unit.text)
        if not text:
            kinds.append(None)
        elif text in exact:
            kinds.append(exact[text])
        elif (len(text) >= _HELD_MIN_CHARS and text in joined) or any(
            len(t) >= _HELD_MIN_CHARS and t in text for t in texts
        ):
            kinds.append(True)
        else:
            kinds.append(False)
    content = "".join(_norm(u.text) for u, k in zip(raw, kinds, strict=True) if k)
    total = sum(len(t) for t in texts)
    found = sum(len(t) for t in texts if t in content)
    if not total or found < _FOUND_MIN * total:
        return False
    for unit, kind in zip(raw, kinds, strict=True):
        if isinstance(kind, RawBlock):
            unit.kind = kind.kind
            if kind.kind in (HEADING, LIST_ITEM):
                unit.level = kind.level
        elif kind:
            _typed(unit)
        else:
            unit.kind = BOILERPLATE
    return True


def _norm(text: str) -> str:
    """Text to match units with trafilatura's blocks: without any white space (trafilatura
    folds no-break spaces and drops the space between two adjacent links)."""
    return "".join(text.split())


def _typed(block: RawBlock) -> RawBlock:
    """A unit as article text, its kind from its tag."""
    tag = block.style
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        block.kind, block.level = HEADING, int(tag[1])
    elif tag in ("ul", "ol"):
        block.kind = LIST_ITEM  # its style is already "ul" or "ol", its level its depth
    elif tag == "blockquote":
        block.kind = QUOTE
    elif tag == "pre":
        block.kind = BOILERPLATE
    else:
        block.kind = PARAGRAPH
    return block


def _main_blocks(body) -> list[RawBlock]:
    """Blocks of trafilatura's ``<main>`` (its XML: head, p, list/item, quote, table/cell)."""
    blocks: list[RawBlock] = []

    def add(element, kind: str, level: int = 0) -> None:
        text = "".join(_texts(element, ("list", "p", "quote")))
        blocks.append(RawBlock(kind, text, [], "", level))

    def visit(element, depth: int, quoted: bool, item: bool = False) -> None:
        for child in element:
            tag = child.tag
            if item and tag != "list":
                continue  # an item's inline content is the item's own block
            if tag == "head":
                rend = child.get("rend", "h2")
                add(child, HEADING, int(rend[1]) if rend[1:].isdigit() else 2)
            elif tag == "p":
                add(child, QUOTE if quoted else PARAGRAPH)
            elif tag == "list":
                for entry in child.iter("item"):
                    if entry.getparent() is child:
                        add(entry, LIST_ITEM, depth + 1)
                        visit(entry, depth + 1, quoted, item=True)
            elif tag == "quote":
                add(child, QUOTE)
                visit(child, depth, True)
            elif tag == "code":
                add(child, BOILERPLATE)
            elif tag == "cell":
                add(child, PARAGRAPH)
                visit(child, depth, quoted)
            elif len(child):  # table, row, div, section…: what is inside
                visit(child, depth, quoted)
    visit(body, 0, False)
    return blocks


def _texts(element, stops: tuple[str, ...]) -> Iterator[str]:
    """The text of an element of trafilatura's XML, without that of its ``stops`` children."""
    yield element.text or ""
    for child in element:
        if child.tag not in stops:
            yield from _texts(child, stops)
        yield child.tail or ""

