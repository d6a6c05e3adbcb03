"""``.docx`` reader: every paragraph of the document is a unit, wherever it is.

The package is read within bounds (:mod:`.package`) and its XML directly (lxml): the main
document (found through the package relationships), its headers, footers, footnotes and
endnotes. Every ``w:p`` of those parts is a unit — body, table cells, text boxes, content
controls — read as Word shows its final text: runs, hyperlinks, smart tags, inline content
controls, simple fields and field results, tracked insertions and moves in; deleted and
moved-away text, field instructions and the fallback copy of a text box out. Images, fields,
footnote marks, bookmarks and everything else stay in the file untouched (``formats/docx.py``
writes the English into the same runs).

The style name gives the kind (``Title``/``Heading N`` → heading, ``List …`` or numbered →
list item with its level, ``Quote``/``Block Text`` → quote, captions → caption); runs give bold,
italic and code (a monospace font or a code character style), hyperlinks give links (a link
whose relationship is missing loses its link, not its words), and any other run formatting a
format span, so the English keeps it. ``Block.locator`` is ``PART#N``: the N-th paragraph of
that part.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import BOLD, CAPTION, CODE, DOCX, HEADING, ITALIC, LIST_ITEM, PARAGRAPH, QUOTE
from ..model import Document
from .inline import InlineText, RawBlock
from .package import Unit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CORE = "docProps/core.xml"
MONOSPACE = frozenset({"Courier New", "Courier", "Consolas", "Menlo", "Monaco", "Lucida Console"})
CODE_STYLES = frozenset({"Verbatim Char", "VerbatimChar", "HTML Code", "Source Code"})
_STYLE_SAYS = CODE_STYLES | {"Strong", "StrongEmphasis", "Emphasis"}
_PARTS = ("header", "footer", "footnotes", "endnotes")  # relationship types read after the body
_LEVEL = re.compile(r"(\d+)$")
_OFF = ("0", "false", "off", "none")
_TEXT_TAGS = {f"{{{W}}}{t}" for t in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen")}
_WALKED = {f"{{{W}}}{t}" for t in ("hyperlink", "ins", "moveTo", "smartTag", "customXml",
                                   "fldSimple", "sdt", "sdtContent", "dir", "bdo")}
_FIELD_MARK = "field"  # format name suffix of a field result's runs: the English stays out
_VOLATILE = {f"{{{W}}}{t}" for t in ("lang", "noProof", "rPrChange", "proofErr", "webHidden")}
# What the bold, italic and code spans already say (and a link's own look), left out of the
# format name: the English pieces find their run by those spans.
_SAID = {f"{{{W}}}{t}" for t in ("b", "bCs", "i", "iCs")}
_LINK_LOOK = {f"{{{W}}}{t}" for t in ("rStyle", "u", "color")}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class WordFile:
    """The parts of a .docx the readers and writers use."""

    package: object  # readers.package.Package
    main: str  # the main document part ("word/document.xml")
    parts: dict[str, object] = field(default_factory=dict)  # name → root, in reading order
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # part → rId → target
    styles: dict[str, str] = field(default_factory=dict)  # style id → name
    numbered: set[str] = field(default_factory=set)  # paragraph style ids with numbering
    default_style: str = "Normal"


def open_word(path: Path, data: bytes) -> WordFile:
    from ..errors import Fr2enError
    from .package import read_package

    package = read_package(path, data, "Word .docx")
    main = target(package, "", "officeDocument")
    if main is None or main not in package.data:
        raise Fr2enError(f"{path}: not a readable Word .docx file (no main document part)")
    word = WordFile(package, main)
    word.parts[main] = package.xml(main)
    word.links[main] = relationships(package, main)
    for kind in _PARTS:
        for name in targets(package, main, kind):
            if name in package.data and name not in word.parts:
                word.parts[name] = package.xml(name)
                word.links[name] = relationships(package, name)
    _read_styles(word, package.xml(target(package, main, "styles") or ""))
    return word


def read(path: Path, warn) -> Document:
    from .package import read_office

    return read_office(path, DOCX, open_word, paragraphs, paragraph_unit,
                       lambda word: _core(word.package.xml(CORE)))


def paragraphs(root) -> list:
    """The ``w:p`` of a part in document order, but for the fallback copies of text boxes."""
    fallback = f"{{{MC}}}Fallback"
    return [p for p in root.iter(w("p"))
            if not any(a.tag == fallback for a in p.iterancestors())]


def paragraph_unit(word: WordFile, part: str, number: int, paragraph, line: int = 0) -> Unit:
    style_id = _val(paragraph.find(f"{w('pPr')}/{w('pStyle')}")) or ""
    style = word.styles.get(style_id, style_id) if style_id else word.default_style
    kind, level = _kind(paragraph, style, style_id in word.numbered)
    out = InlineText()
    _Walker(word.links.get(part, {}), out, paragraph).walk()
    out.rebase_formats()
    text, spans = out.finish()
    raw = RawBlock(kind, text, spans, style, level, line, f"{part}#{number}")
    return Unit(part, number, paragraph, raw, out.slots)


class _Walker:
    """The final text of a paragraph: its runs in order, with their formatting and links."""

    def __init__(self, links: dict[str, str], out: InlineText, paragraph) -> None:
        self.links, self.out, self.paragraph = links, out, paragraph
        self.fields: list[list] = []  # open complex fields: [state, instruction, href]

    def walk(self, element=None, chain: tuple = (), href: str = "", group=None) -> None:
        for child in (self.paragraph if element is None else element):
            tag = child.tag
            top = child if element is None else group
            if tag == w("r"):
                self.run(child, chain, href, top)
            elif tag == w("hyperlink"):
                link = self.links.get(child.get(f"{{{R}}}id", ""), "")
                anchor = child.get(w("anchor"))
                link = f"{link}#{anchor}" if anchor and "#" not in link else link or (
                    f"#{anchor}" if anchor else "")
                self.walk(child, (*chain, child), link, top)
            elif tag == w("fldSimple"):
                self.fields.append(["result", child.get(w("instr"), ""), _field_link(
                    child.get(w("instr"), ""))])
                self.walk(child, (*chain, child), href, top)
                self.fields.pop()
            elif tag in _WALKED:
                self.walk(child, (*chain, child), href, top)

    def run(self, run, chain: tuple, href: str, group) -> None:
        for mark in run.iter(w("fldChar"), w("instrText")):
            if mark.tag == w("instrText") and self.fields and self.fields[-1][0] == "instr":
                self.fields[-1][1] += mark.text or ""
        kind = run.find(w("fldChar"))
        state = kind.get(w("fldCharType")) if kind is not None else None
        if state == "begin":
            self.fields.append(["instr", "", ""])
        elif state == "separate" and self.fields:
            self.fields[-1][0] = "result"
            self.fields[-1][2] = _field_link(self.fields[-1][1])
        elif state == "end" and self.fields:
            self.fields.pop()
        if any(f[0] == "instr" for f in self.fields) or not _text_run(run):
            return
        name = _name(_format(run, bool(href)))
        if self.fields:
            name = f"{name}{_FIELD_MARK}"
            href = href or next((f[2] for f in reversed(self.fields) if f[2]), "")
        self.out.slot(run, run_text(run), _styles(run), href, name, group, chain)


def run_text(run) -> str:
    """The text a run shows: its text, tabs, line breaks and no-break hyphens."""
    parts = []
    for child in run:
        tag = child.tag
        if tag == w("t"):
            parts.append(child.text or "")
        elif tag in (w("tab"), w("ptab")):
            parts.append("\t")
        elif tag == w("cr") or (tag == w("br") and child.get(w("type"), "textWrapping")
                                == "textWrapping"):
            parts.append("\n")
        elif tag == w("noBreakHyphen"):
            parts.append("\u2011")
        elif tag == w("softHyphen"):
            parts.append("\u00ad")
    return "".join(parts)


def text_children(run) -> list:
    """The children of a run that :func:`run_text` reads (a page break is not one of them)."""
    return [c for c in run if c.tag in _TEXT_TAGS and not (
        c.tag == w("br") and c.get(w("type"), "textWrapping") != "textWrapping")]


def _text_run(run) -> bool:
    return bool(text_children(run))


def _format(run, linked: bool) -> bytes:
    """A run's formatting as comparable bytes, without revision marks and proofing, nor what
    its bold/italic/code spans (or, in a link, its link look) say."""
    from lxml import etree

    props = run.find(w("rPr"))
    if props is None:
        return b""
    styles = _styles(run)
    props = etree.fromstring(etree.tostring(props))
    for child in list(props):
        said = child.tag in _SAID or (CODE in styles and child.tag == w("rFonts")) or (
            child.tag == w("rStyle") and _val(child) in _STYLE_SAYS)
        if child.tag in _VOLATILE or said or (linked and child.tag in _LINK_LOOK):
            props.remove(child)
    return etree.tostring(props, method="c14n") if len(props) else b""


def _name(fmt: bytes) -> str:
    return "w:" + hashlib.sha1(fmt).hexdigest()[:8] if fmt else ""


def _on(props, tag: str) -> bool:
    found = props.find(w(tag)) if props is not None else None
    return found is not None and found.get(w("val"), "1").lower() not in _OFF


def _styles(run) -> set[str]:
    props = run.find(w("rPr"))
    styles = set()
    char_style = _val(props.find(w("rStyle"))) if props is not None else None
    if _on(props, "b") or char_style in ("Strong", "StrongEmphasis"):
        styles.add(BOLD)
    if _on(props, "i") or char_style == "Emphasis":
        styles.add(ITALIC)
    fonts = props.find(w("rFonts")) if props is not None else None
    if (fonts is not None and fonts.get(w("ascii")) in MONOSPACE) or char_style in CODE_STYLES:
        styles.add(CODE)
    return styles


def _field_link(instruction: str) -> str:
    """The URL of a ``HYPERLINK "url"`` field ("" for any other field)."""
    found = re.match(r'\s*HYPERLINK\s+"([^"]*)"(?:\s+\\l\s+"([^"]*)")?', instruction)
    if not found:
        return ""
    return found[1] + (f"#{found[2]}" if found[2] else "")


def _kind(paragraph, style: str, style_numbered: bool) -> tuple[str, int]:
    """(kind, level) of a paragraph from its style name and numbering."""
    level = int(m.group(1)) if (m := _LEVEL.search(style)) else 1
    if style == "Title":
        return HEADING, 1
    if style.startswith("Heading"):
        return HEADING, level
    outline = paragraph.find(f"{w('pPr')}/{w('outlineLvl')}")
    if outline is not None and (_val(outline) or "").isdigit() and int(_val(outline)) < 9:
        return HEADING, int(_val(outline)) + 1
    numbering = paragraph.find(f"{w('pPr')}/{w('numPr')}")
    if style.startswith("List") or numbering is not None or style_numbered:
        depth = numbering.find(w("ilvl")) if numbering is not None else None
        if depth is not None and (_val(depth) or "").isdigit():
            level = int(_val(depth)) + 1
        return LIST_ITEM, level
    if style in ("Quote", "Intense Quote", "Block Text"):
        return QUOTE, 0
    if style.endswith("Caption"):
        return CAPTION, 0
    return PARAGRAPH, 0


def _val(element) -> str | None:
    return element.get(w("val")) if element is not None else None


def _read_styles(word: WordFile, root) -> None:
    """Style names (python-docx's: built-in names capitalized, "heading 1" → "Heading 1")."""
    if root is None:
        return
    for style in root.iter(w("style")):
        sid = style.get(w("styleId"), "")
        name = _val(style.find(w("name"))) or sid
        if name.islower():
            name = name[:1].upper() + name[1:]
        word.styles[sid] = name
        if style.get(w("type")) == "paragraph":
            if style.get(w("default")) in ("1", "true"):
                word.default_style = name
            if style.find(f"{w('pPr')}/{w('numPr')}") is not None:
                word.numbered.add(sid)


def _core(root) -> dict[str, str]:
    """Title, author and creation date of the core properties."""
    if root is None:
        return {}
    meta = {}
    for key, tag in (("title", f"{{{DC}}}title"), ("author", f"{{{DC}}}creator")):
        found = root.find(tag)
        if found is not None and (found.text or "").strip():
            meta[key] = found.text.strip()
    created = root.find(f"{{{DCTERMS}}}created")
    if created is not None and re.match(r"\d{4}-\d\d-\d\d", created.text or ""):
        meta["date"] = created.text[:10]
    return meta


def relationships(package, part: str) -> dict[str, str]:
    """rId → target of a part's relationships (a missing or damaged .rels: none)."""
    from ..errors import Fr2enError

    folder, name = posixpath.split(part)
    try:
        root = package.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
    except Fr2enError:
        return {}
    if root is None:
        return {}
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root.iter(f"{{{RELS}}}Relationship")}


def targets(package, part: str, kind: str) -> list[str]:
    """Parts that ``part`` (``""``: the package) relates to with a relationship of ``kind``."""
    from ..errors import Fr2enError

    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        root = package.xml(rels)
    except Fr2enError:
        return []
    if root is None:
        return []
    found = []
    for rel in root.iter(f"{{{RELS}}}Relationship"):
        if rel.get("Type", "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            found.append(posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                            else posixpath.join(folder, target)))
    return found


def target(package, part: str, kind: str) -> str | None:
    found = targets(package, part, kind)
    return found[0] if found else None
