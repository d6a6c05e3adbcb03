"""XLIFF, the file CAT tools exchange: what its versions 1.2 (:mod:`.xliff12`, one file per
document) and 2.1 (:mod:`.xliff21`, the whole dossier) share, and the reader of both.

Both writers give each segment one unit whose id (1.2) or name (2.1) is the segment key, the
French as source and the English, when there is any, as target with a state saying where it
came from: machine translation is not reviewed yet, a draft is translated, a review is
reviewed. :mod:`.xliff_review` reads either version back, for ``fr2en review import``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..atomic import Kind, atomic_write_bytes

SOURCE_LANG, TARGET_LANG = "fr", "en"
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_2 = "urn:oasis:names:tc:xliff:document:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TOOL = "fr2en-dossier"
TOOL_VERSION = __version__
XLIFF_FILE_KIND = Kind("XLIFF file", lambda head: b"<xliff" in head)  # what a link may lead to
# Inline elements whose content is native code or a placeholder, not text of the segment.
CODE_ELEMENTS = {"ph", "bpt", "ept", "it", "x", "bx", "ex", "sc", "ec", "sub"}
# Elements holding text (inline markup included): never indented by the writer.
_TEXT_ELEMENTS = {"source", "target", "note", "data", "term", "translation", "definition", "meta"}


@dataclass
class XliffUnit:
    """One unit as read back, whatever the version."""

    line: int
    key: str  # trans-unit id (1.2), unit name or id (2.1)
    source: str
    target: str | None  # None: no target, or one a tool only prepared (state new)
    confirmed: (
        bool  # a state that says reviewed (1.2 final/signed-off/approved, 2.1 reviewed/final)
    )


def text_of(element) -> str:
    """The text of a source or target: its own and its inline elements' (``<g>``, ``<pc>``,
    ``<mrk>``), without placeholders and native codes."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] not in CODE_ELEMENTS:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def write_xml(root, path: str | Path) -> None:
    """Write the tree of ``root`` at ``path`` as UTF-8 with an XML declaration (atomically),
    one structural element a line; the text of sources, targets and notes is left as it is."""
    from lxml import etree

    indent(root)
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    atomic_write_bytes(path, data, XLIFF_FILE_KIND)


def indent(element, level: int = 0) -> None:
    children = list(element)
    if not children or element.tag.rpartition("}")[2] in _TEXT_ELEMENTS:
        return
    element.text = "\n" + "  " * (level + 1)
    for child in children:
        indent(child, level + 1)
        child.tail = element.text
    children[-1].tail = "\n" + "  " * level
