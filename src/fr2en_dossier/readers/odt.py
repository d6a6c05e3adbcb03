"""``.odt`` reader (OpenDocument text, read as XML): every paragraph and heading is a unit.

The package is read within bounds (:mod:`.package`). Units are the ``text:p`` and ``text:h``
of the body (lists, tables, frames and text boxes, notes included) and of the page headers
and footers, in document order; deleted text of tracked changes and comments are left out.
Spans, links, spaces, tabs and line breaks give the text; a span's style gives bold, italic
or code (its text properties, a monospace font) and otherwise a format span, so the English
keeps it; notes, frames, bookmarks and fields stay where they are. Headings keep their
outline level, list paragraphs their depth, styles their display name. ``Block.locator`` is
``PART#N``: the N-th paragraph of that part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import BOLD, CAPTION, CODE, HEADING, ITALIC, LIST_ITEM, ODT, PARAGRAPH, QUOTE
from ..model import Document
from .inline import InlineText, RawBlock
from .package import Unit

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
XML = "http://www.w3.org/XML/1998/namespace"
PARTS = ("content.xml", "styles.xml")
META_PART = "meta.xml"
MONOSPACE = re.compile(r"mono|courier|consolas|menlo|monaco|source.code", re.I)
_LEFT_OUT = {f"{{{TEXT}}}tracked-changes", f"{{{OFFICE}}}annotation",
             f"{{{OFFICE}}}automatic-styles", f"{{{OFFICE}}}styles"}
_OPAQUE = {f"{{{TEXT}}}{t}" for t in ("note", "bookmark", "bookmark-start", "bookmark-end",
                                      "reference-mark-start", "reference-mark-end",
                                      "change", "change-start", "change-end", "soft-page-break",
                                      "tracked-changes")} | {f"{{{OFFICE}}}annotation"}
MOVABLE = frozenset({f"{{{TEXT}}}span", f"{{{TEXT}}}a"})


def t(tag: str) -> str:
    return f"{{{TEXT}}}{tag}"


@dataclass
class OdfFile:
    package: object  # readers.package.Package
    parts: dict[str, object] = field(default_factory=dict)  # content.xml, styles.xml roots
    styles: dict[str, dict] = field(default_factory=dict)  # name → {display, parent, props}


def open_odf(path: Path, data: bytes) -> OdfFile:
    from ..errors import Fr2enError
    from .package import read_package

    package = read_package(path, data, "OpenDocument .odt")
    if "content.xml" not in package.data:
        raise Fr2enError(f"{path}: not a readable OpenDocument .odt file (no content.xml)")
    odf = OdfFile(package)
    for part in PARTS:
        root = package.xml(part)
        if root is not None:
            odf.parts[part] = root
            _read_styles(odf, root)
    return odf


def read(path: Path, warn) -> Document:
    from .package import read_office

    return read_office(path, ODT, open_odf, paragraphs, paragraph_unit,
                       lambda odf: _meta(odf.package.xml(META_PART)))


def paragraphs(root) -> list:
    """The paragraphs and headings of a part in document order (not those of tracked
    deletions, comments or style definitions)."""
    found = []
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag in (t("p"), t("h")):
            found.append(element)
        stack.extend(reversed([c for c in element if isinstance(c.tag, str)
                               and c.tag not in _LEFT_OUT]))
    return found


def paragraph_unit(odf: OdfFile, part: str, number: int, paragraph, line: int = 0) -> Unit:
    style = _display(odf, paragraph.get(t("style-name"), ""))
    kind, level = _kind(paragraph, style)
    out = InlineText()
    _walk(odf, paragraph, out)
    out.rebase_formats()
    text, spans = out.finish()
    raw = RawBlock(kind, text, spans, style, level, line, f"{part}#{number}")
    return Unit(part, number, paragraph, raw, out.slots)


def _walk(odf: OdfFile, element, out: InlineText, styles=frozenset(), href: str = "",
          fmt: str = "", chain: tuple = (), group=None) -> None:
    out.slot((element, "text"), element.text or "", styles, href, fmt, group, chain)
    for child in element:
        top = child if not chain else group
        tag = child.tag
        if not isinstance(tag, str) or tag in _OPAQUE or not tag.startswith(f"{{{TEXT}}}"):
            pass  # notes (their paragraphs are units), frames, bookmarks: left where they are
        elif tag == t("s"):
            count = child.get(t("c"), "1")
            out.add(" " * (int(count) if count.isdigit() else 1), styles, href, fmt)
        elif tag == t("tab"):
            out.add("\t", styles, href, fmt)
        elif tag == t("line-break"):
            out.add("\n", styles, href, fmt)
        elif tag == t("span"):
            name = child.get(t("style-name"), "")
            _walk(odf, child, out, styles | _span_styles(odf, name), href, name or fmt,
                  (*chain, child), top)
        elif tag == t("a"):
            _walk(odf, child, out, styles, child.get(f"{{{XLINK}}}href", ""), fmt,
                  (*chain, child), top)
        else:  # a field (page number, date, reference…): its text, kept apart
            _walk(odf, child, out, styles, href, f"field:{tag.rsplit('}', 1)[1]}",
                  (*chain, child), top)
        out.slot((child, "tail"), child.tail or "", styles, href, fmt, top, chain)


def _kind(paragraph, style: str) -> tuple[str, int]:
    if paragraph.tag == t("h"):
        level = paragraph.get(t("outline-level"), "1")
        return HEADING, int(level) if level.isdigit() else 1
    if style == "Title":
        return HEADING, 1
    lists = sum(1 for a in paragraph.iterancestors() if a.tag == t("list"))
    if lists:
        return LIST_ITEM, lists
    if style in ("Quotations", "Quote"):
        return QUOTE, 0
    if style in ("Caption", "Illustration", "Figure", "Table", "Drawing") or style.endswith(
        "Caption"
    ):
        return CAPTION, 0
    return PARAGRAPH, 0


def _read_styles(odf: OdfFile, root) -> None:
    for style in root.iter(f"{{{STYLE}}}style"):
        name = style.get(f"{{{STYLE}}}name", "")
        props = style.find(f"{{{STYLE}}}text-properties")
        odf.styles[name] = {
            "display": style.get(f"{{{STYLE}}}display-name") or name.replace("_20_", " "),
            "parent": style.get(f"{{{STYLE}}}parent-style-name", ""),
            "props": dict(props.attrib) if props is not None else {},
            "automatic": style.getparent().tag == f"{{{OFFICE}}}automatic-styles",
        }


def _display(odf: OdfFile, name: str) -> str:
    """The display name of a paragraph style (an automatic style: its parent's)."""
    seen = set()
    while name in odf.styles and odf.styles[name]["automatic"] and name not in seen:
        seen.add(name)
        name = odf.styles[name]["parent"] or name
    return odf.styles[name]["display"] if name in odf.styles else name.replace("_20_", " ")


def _span_styles(odf: OdfFile, name: str) -> set[str]:
    """Bold, italic and code of a text style and the styles it inherits."""
    styles: set[str] = set()
    seen = set()
    while name in odf.styles and name not in seen:
        seen.add(name)
        props = odf.styles[name]["props"]
        if props.get(f"{{{FO}}}font-weight") in ("bold", "600", "700", "800", "900"):
            styles.add(BOLD)
        if props.get(f"{{{FO}}}font-style") in ("italic", "oblique"):
            styles.add(ITALIC)
        if MONOSPACE.search(props.get(f"{{{STYLE}}}font-name", "")) or "Source Text" in (
            odf.styles[name]["display"]
        ):
            styles.add(CODE)
        name = odf.styles[name]["parent"]
    return styles


def _meta(root) -> dict[str, str]:
    if root is None:
        return {}
    meta = {}
    for key, tag in (("title", f"{{{DC}}}title"), ("author", f"{{{DC}}}creator"),
                     ("author", f"{{{META}}}initial-creator")):
        found = next(root.iter(tag), None)
        if found is not None and (found.text or "").strip() and key not in meta:
            meta[key] = found.text.strip()
    created = next(root.iter(f"{{{META}}}creation-date"), None)
    if created is not None and re.match(r"\d{4}-\d\d-\d\d", created.text or ""):
        meta["date"] = created.text[:10]
    return meta
