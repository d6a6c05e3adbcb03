"""``.pptx`` reader (PowerPoint, read as XML): every paragraph of every slide is a unit.

The package is read within bounds (:mod:`.package`); slides are taken in the presentation's
order, each followed by its speaker notes. Every ``a:p`` of a slide (text boxes, placeholders,
table cells, grouped shapes) is a unit; its runs and fields give the text, ``b``/``i`` and a
monospace typeface bold, italic and code, click hyperlinks links, any other run formatting a
format span. A title placeholder is a heading (level 1 for a title slide's, else 2).
``Block.locator`` is ``PART#N``: the N-th paragraph of that slide or notes part.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import BOLD, CODE, HEADING, ITALIC, PARAGRAPH, PPTX, Document
from .docx import R, relationships, targets
from .inline import InlineText, RawBlock
from .package import Unit

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
MONOSPACE = re.compile(r"mono|courier|consolas|menlo|monaco", re.I)
_SAID = ("b", "i", "lang", "altLang", "dirty", "err", "noProof", "smtClean", "smtId")


def a(tag: str) -> str:
    return f"{{{A}}}{tag}"


@dataclass
class Slides:
    package: object
    parts: dict[str, object] = field(default_factory=dict)  # slide and notes parts, in order
    links: dict[str, dict[str, str]] = field(default_factory=dict)


def open_slides(path: Path, data: bytes) -> Slides:
    from ..errors import Fr2enError
    from .package import read_package

    package = read_package(path, data, "PowerPoint .pptx")
    main = next(iter(targets(package, "", "officeDocument")), None)
    root = package.xml(main) if main else None
    if root is None:
        raise Fr2enError(f"{path}: not a readable PowerPoint .pptx file (no presentation part)")
    slides = Slides(package)
    folder = posixpath.dirname(main)
    links = relationships(package, main)
    for entry in root.iter(f"{{{P}}}sldId"):
        target = links.get(entry.get(f"{{{R}}}id", ""), "")
        name = posixpath.normpath(posixpath.join(folder, target))
        if not target or name not in package.data:
            continue
        for part in (name, *targets(package, name, "notesSlide")):
            if part in package.data and part not in slides.parts:
                slides.parts[part] = package.xml(part)
                slides.links[part] = relationships(package, part)
    return slides


def read(path: Path, warn) -> Document:
    from .package import read_office

    return read_office(path, PPTX, open_slides, paragraphs, paragraph_unit, lambda slides: {})


def paragraphs(root) -> list:
    return list(root.iter(a("p")))


def paragraph_unit(slides: Slides, part: str, number: int, paragraph, line: int = 0) -> Unit:
    links = slides.links.get(part, {})
    out = InlineText()
    for run in paragraph:
        if run.tag in (a("r"), a("fld")):
            props = run.find(a("rPr"))
            click = props.find(a("hlinkClick")) if props is not None else None
            href = links.get(click.get(f"{{{R}}}id", ""), "") if click is not None else ""
            fmt = _format(props) + ("field" if run.tag == a("fld") else "")
            out.slot(run, run.findtext(a("t")) or "", _styles(props), href, fmt, run)
        elif run.tag == a("br"):
            out.add("\n")
    out.rebase_formats()
    text, spans = out.finish()
    kind, level = _kind(paragraph)
    raw = RawBlock(kind, text, spans, "title" if kind == HEADING else "", level, line,
                   f"{part}#{number}")
    return Unit(part, number, paragraph, raw, out.slots)


def _styles(props) -> set[str]:
    styles = set()
    if props is None:
        return styles
    if props.get("b") in ("1", "true"):
        styles.add(BOLD)
    if props.get("i") in ("1", "true"):
        styles.add(ITALIC)
    latin = props.find(a("latin"))
    if latin is not None and MONOSPACE.search(latin.get("typeface", "")):
        styles.add(CODE)
    return styles


def _format(props) -> str:
    """A run's formatting other than what its spans say, as a short name ("" for none)."""
    import hashlib

    from lxml import etree

    if props is None:
        return ""
    props = etree.fromstring(etree.tostring(props))
    for name in _SAID:
        props.attrib.pop(name, None)
    for child in list(props):
        if child.tag in (a("hlinkClick"), a("latin")) and (
            child.tag != a("latin") or MONOSPACE.search(child.get("typeface", ""))
        ):
            props.remove(child)
    if not len(props) and not props.attrib:
        return ""
    return "a:" + hashlib.sha1(etree.tostring(props, method="c14n")).hexdigest()[:8]


def _kind(paragraph) -> tuple[str, int]:
    shape = next((s for s in paragraph.iterancestors(f"{{{P}}}sp")), None)
    placeholder = shape.find(f"{{{P}}}nvSpPr/{{{P}}}nvPr/{{{P}}}ph") if shape is not None else None
    if placeholder is not None and placeholder.get("type") in ("title", "ctrTitle"):
        return HEADING, 1 if placeholder.get("type") == "ctrTitle" else 2
    return PARAGRAPH, 0

