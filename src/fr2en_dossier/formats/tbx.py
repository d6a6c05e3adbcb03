"""TBX termbases: writer of TBX-Basic on the ISO 30042:2008 core structure (``<martif>``, what
OmegaT, translate-toolkit, memoQ and Trados MultiTerm read), reader of that and of TBX v3
(ISO 30042:2019, ``<tbx>`` in its namespace: conceptEntry, langSec, termSec).

A concept (``<termEntry>``) holds terms by language (``<langSet xml:lang>`` / ``<tig>``); each
term has an ``administrativeStatus`` (``preferredTerm-admn-sts``, ``admittedTerm-admn-sts``,
``deprecatedTerm-admn-sts``; written as "preferred", "admitted", "deprecated"), other term
notes (type → value) and notes; the concept has notes of its own (and, read, definitions).
Characters XML 1.0 forbids are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..atomic import Kind, atomic_write_bytes
from ..errors import Fr2enError
from .safe_text import CharDropper
from ..safe_xml import parse_xml

TBX_FILE_KIND = Kind("TBX file", lambda head: b"<martif" in head or b"<tbx" in head)
NS_3 = "urn:iso:std:iso:30042:ed-2"
STATUS = "administrativeStatus"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">'


@dataclass
class Term:
    text: str
    status: str = ""  # "preferred", "admitted", "deprecated" ("" when not said)
    notes: dict[str, str] = field(default_factory=dict)  # other termNotes: type → value
    remarks: list[str] = field(default_factory=list)  # <note>s of the term


@dataclass
class Concept:
    terms: dict[str, list[Term]] = field(default_factory=dict)  # primary language subtag → terms
    remarks: list[str] = field(default_factory=list)  # the concept's notes and definitions
    line: int = 0  # where it is in the file read (0: not read)


def write_tbx(concepts: Iterable[Concept], path: str | Path, title: str = "") -> int:
    """Write ``concepts`` as TBX-Basic (TBX 2008 core structure) at ``path`` (atomically);
    return the characters dropped."""
    from lxml import etree

    clean = CharDropper()
    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    source = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(source, "p").text = clean(title or f"fr2en-dossier {__version__}")
    etree.SubElement(
        etree.SubElement(header, "encodingDesc"), "p", type="XCSURI"
    ).text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, concept in enumerate(concepts, 1):
        entry = etree.SubElement(body, "termEntry", id=f"c{number}")
        for remark in concept.remarks:
            etree.SubElement(entry, "note").text = clean(remark)
        for lang, terms in concept.terms.items():
            lang_set = etree.SubElement(entry, "langSet", {_XML_LANG: lang})
            for term in terms:
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = clean(term.text)
                notes = {STATUS: f"{term.status}Term-admn-sts"} if term.status else {}
                for kind, value in {**notes, **term.notes}.items():
                    etree.SubElement(tig, "termNote", type=kind).text = clean(value)
                for remark in term.remarks:
                    etree.SubElement(tig, "note").text = clean(remark)
    data = etree.tostring(
        root, encoding="UTF-8", xml_declaration=True, pretty_print=True, doctype=_DOCTYPE
    )
    atomic_write_bytes(path, data, TBX_FILE_KIND)
    return clean.dropped


def read_tbx(path: str | Path) -> list[Concept]:
    """The concepts of a TBX file (2008 ``martif`` or v3 ``tbx``), in file order; Fr2enError
    naming the file and line when it is not well-formed or not TBX."""
    path = Path(path)
    root = parse_xml(path)
    if root.tag == "martif":
        names = ("termEntry", "langSet", ("tig", "ntig"))
        q = lambda name: name  # noqa: E731
    elif root.tag == f"{{{NS_3}}}tbx":
        names = ("conceptEntry", "langSec", ("termSec",))
        q = lambda name: f"{{{NS_3}}}{name}"  # noqa: E731
    else:
        raise Fr2enError(f"{path}:{root.sourceline}: not a TBX file (no <martif> or <tbx> root)")
    concept_tag, lang_tag, term_tags = names
    concepts = []
    for entry in root.iter(q(concept_tag)):
        concept = Concept(remarks=_remarks(entry, q), line=entry.sourceline or 0)
        for lang_set in entry.iterchildren(q(lang_tag)):
            lang = (lang_set.get(_XML_LANG) or "").split("-")[0].lower()
            terms = concept.terms.setdefault(lang, [])
            for tig in (t for name in term_tags for t in lang_set.iterchildren(q(name))):
                terms.append(_term(tig, q))
        concepts.append(concept)
    return concepts


def _term(tig, q) -> Term:
    """A tig, ntig (its termGrp) or termSec."""
    group = tig.find(q("termGrp"))
    holder = group if group is not None else tig
    notes = {note.get("type", ""): _text(note) for note in holder.iter(q("termNote"))}
    status = notes.pop(STATUS, "").removesuffix("-admn-sts").removesuffix("Term")
    return Term(_text(holder.find(q("term"))), status, notes, _remarks(tig, q))


def _remarks(element, q) -> list[str]:
    """The texts of the notes and definitions directly in ``element`` (or its descripGrps)."""
    found = []
    for child in element:
        if child.tag == q("note") or (
            child.tag == q("descrip") and child.get("type") == "definition"
        ):
            found.append(_text(child))
        elif child.tag == q("descripGrp"):
            found += _remarks(child, q)
    return found


def _text(element) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""
