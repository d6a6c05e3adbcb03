"""TMX 1.4b: the dossier's translation memory (``output/dossier.tmx``), the review memory file, and
their reader.

One ``<tu>`` per segment, ``tuid`` = ``Segment.key``, props ``x-document``, ``x-block``,
``x-index``, ``x-kind``, ``x-origin`` and one ``x-flag`` per QA flag, one ``<note>`` per glossary
hit; machine translations have ``x-confidence`` and ``x-round-trip`` (mean token
log-probabilities) and ``x-risk`` when known; a draft prefilled from a memory match (origin
``tm``) has props ``x-tm-score`` and ``x-tm-source`` and a note per glossary repair. ``<tuv xml:lang="fr">`` holds the original French; ``<tuv xml:lang="en">`` is written only
when the segment has English: a source-only unit keeps its place (and tuid) in the file, while
CAT tools (OmegaT, translate-toolkit) see no translation rather than an empty one they would
offer as a match. Characters XML 1.0 forbids are dropped and counted (see ``safe_text``), so
the file always parses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..atomic import Kind, atomic_write_stream
from ..errors import Fr2enError
from ..model import ReviewUnit, Segment, key_position
from .notes import engine_props, hit_note, match_notes
from .safe_text import CharDropper
from ..safe_xml import parse_xml

SOURCE_LANG = "fr"
TARGET_LANG = "en"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KEY_PROPS = ("x-document", "x-block", "x-index")
_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
TMX_FILE_KIND = Kind("TMX file", lambda head: b"<tmx" in head)  # what a link may lead to


@dataclass
class TmxUnit:
    """One ``<tu>``: a French source, its English (None: no English variant) and metadata."""

    tuid: str
    doc: str
    block: int | None
    index: int | None
    source: str
    target: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)  # besides the key props
    notes: list[str] = field(default_factory=list)
    changedate: str = ""  # TMX date, YYYYMMDDThhmmssZ
    line: int = 0  # line of the <tu> in the file read (0: not read from a file)

    def prop(self, name: str) -> list[str]:
        """Values of the props of type ``name``, in file order."""
        return [value for kind, value in self.props if kind == name]


def segment_unit(seg: Segment) -> TmxUnit:
    """The ``<tu>`` of one segment."""
    props = [("x-kind", seg.kind)]
    if seg.origin:
        props.append(("x-origin", seg.origin))
    props += [("x-flag", flag) for flag in seg.flags]
    props += engine_props(seg)
    notes = match_notes(seg)
    if notes:
        props += [("x-tm-score", str(seg.tm_score)), ("x-tm-source", seg.tm_source)]
    return TmxUnit(
        seg.key,
        seg.doc,
        seg.block,
        seg.index,
        seg.source,
        seg.target or None,
        props,
        [hit_note(hit) for hit in seg.hits] + notes[1:],
    )


def write_tmx(segments: Iterable[Segment], path: str | Path, run_id: str = "") -> int:
    """Write ``segments`` as TMX 1.4b at ``path`` (atomically); return the characters dropped.

    ``run_id`` (the run that made them) goes into a header prop ``x-run-id``.
    """
    return write_units((segment_unit(seg) for seg in segments), path, run_id)


def write_units(units: Iterable[TmxUnit], path: str | Path, run_id: str = "") -> int:
    """Write ``units`` as TMX 1.4b at ``path`` (atomically, one ``<tu>`` at a time: the file is
    never whole in memory); return the characters dropped."""
    from lxml import etree

    clean = CharDropper()
    header = etree.Element(
        "header",
        {
            "creationtool": "fr2en-dossier",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "fr2en-dossier",
            "adminlang": "en",
            "srclang": SOURCE_LANG,
            "datatype": "plaintext",
        },
    )
    if run_id:
        etree.SubElement(header, "prop", type="x-run-id").text = run_id

    def write(fh) -> None:
        with etree.xmlfile(fh, encoding="UTF-8") as xf:
            xf.write_declaration()
            xf.write_doctype(_DOCTYPE)
            with xf.element("tmx", version="1.4"):
                xf.write("\n", header, pretty_print=True)
                with xf.element("body"):
                    xf.write("\n")
                    for unit in units:
                        xf.write(_tu(unit, clean), pretty_print=True)
                xf.write("\n")
        fh.write(b"\n")

    atomic_write_stream(path, write, TMX_FILE_KIND)
    return clean.dropped


def _tu(unit: TmxUnit, clean: CharDropper):
    """The ``<tu>`` element of one unit."""
    from lxml import etree

    tu = etree.Element("tu", tuid=clean(unit.tuid))
    if unit.changedate:
        tu.set("changedate", unit.changedate)
    position = (unit.doc, unit.block, unit.index)
    props = [(k, str(v)) for k, v in zip(_KEY_PROPS, position, strict=True) if v is not None]
    for kind, value in props + unit.props:
        etree.SubElement(tu, "prop", type=kind).text = clean(value)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = clean(note)
    variants = [(SOURCE_LANG, unit.source)]
    if unit.target is not None:
        variants.append((TARGET_LANG, unit.target))
    for lang, text in variants:
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = clean(text)
    return tu


def review_units(path: str | Path) -> tuple[str, list[ReviewUnit]]:
    """The run id a TMX file was written by (header prop ``x-run-id``, "" if none) and its
    units as review units (TMX has no review state: an English changed is a review)."""
    header, units = read_tmx_file(path)
    run_id = next((value for kind, value in header if kind == "x-run-id"), "")
    return run_id, [ReviewUnit(u.line, u.tuid, u.source, u.target or "", False, False)
                    for u in units]


def read_tmx(path: str | Path) -> list[TmxUnit]:
    """The units of the TMX file at ``path``, in file order (see :func:`read_tmx_file`)."""
    return read_tmx_file(path)[1]


def read_tmx_file(path: str | Path) -> tuple[list[tuple[str, str]], list[TmxUnit]]:
    """The header props (type, value) and the units of the TMX file at ``path``, in file order.

    The French variant is the source and the English one the target (matched on the primary
    language subtag: "fr-FR" counts as French). Raises :class:`Fr2enError` naming the file and
    line on a file that is not well-formed TMX or a ``<tu>`` without French.
    """
    path = Path(path)
    root = parse_xml(path)
    body = root.find("body")
    if root.tag != "tmx" or body is None:
        raise Fr2enError(f"{path}:{root.sourceline}: not a TMX file (no <tmx><body>)")
    header = root.find("header")
    props = [] if header is None else [
        (prop.get("type", ""), prop.text or "") for prop in header.iterchildren("prop")]
    return props, [_read_unit(path, tu) for tu in body.iterchildren("tu")]


def _read_unit(path: Path, tu) -> TmxUnit:
    props = [(prop.get("type", ""), prop.text or "") for prop in tu.iterchildren("prop")]
    variants = _variants(tu)
    if SOURCE_LANG not in variants:
        raise Fr2enError(f"{path}:{tu.sourceline}: <tu> without a French <tuv><seg>")
    tuid = tu.get("tuid", "")
    doc, block, index = _unit_position(tuid, dict(props))
    return TmxUnit(
        tuid,
        doc,
        block,
        index,
        variants[SOURCE_LANG],
        variants.get(TARGET_LANG),
        [(kind, value) for kind, value in props if kind not in _KEY_PROPS],
        [note.text or "" for note in tu.iterchildren("note")],
        tu.get("changedate", ""),
        tu.sourceline or 0,
    )


def _unit_position(tuid: str, props: dict[str, str]) -> tuple[str, int | None, int | None]:
    """(doc, block, index) from the x-document/x-block/x-index props, else from the tuid."""
    doc, block, index = (props.get(name, "") for name in _KEY_PROPS)
    if doc and block.isdecimal() and index.isdecimal():
        return doc, int(block), int(index)
    return key_position(tuid)


@dataclass
class TmxPair:
    """A French text and its English in a TMX file of any tool (:func:`read_pairs`)."""

    french: str
    english: str
    changedate: str  # the unit's changedate, else its creationdate ("" when neither)
    author: str  # its changeid, else its creationid
    line: int


def read_pairs(path: str | Path) -> tuple[dict[str, str], list[TmxPair], int]:
    """The header attributes of a TMX file of any tool (OmegaT, Trados, memoQ, po2tmx…) and
    its units that have a French and an English variant (any ``fr*``/``en*`` code: "fr-FR",
    "FR", "en_GB"; the first of each, white space around it stripped, inline codes left out),
    read as a stream; and how many units lacked either. Fr2enError naming file and line when
    it is not well-formed TMX."""
    from lxml import etree

    path = Path(path)
    header: dict[str, str] = {}
    pairs, lacking, seen_tmx = [], 0, False
    try:
        with open(path, "rb") as fh:
            for event, element in etree.iterparse(
                    fh, events=("start", "end"), resolve_entities=False, load_dtd=False,
                    no_network=True, huge_tree=True):
                if event == "start":
                    seen_tmx = seen_tmx or element.tag == "tmx"
                    continue
                if element.tag == "header":
                    header = {k: v for k, v in element.attrib.items() if isinstance(k, str)}
                elif element.tag == "tu":
                    variants = _variants(element)
                    french = variants.get(SOURCE_LANG, "").strip()
                    english = variants.get(TARGET_LANG, "").strip()
                    if french and english:
                        pairs.append(TmxPair(
                            french, english,
                            element.get("changedate") or element.get("creationdate") or "",
                            element.get("changeid") or element.get("creationid") or "",
                            element.sourceline or 0))
                    else:
                        lacking += 1
                    element.clear(keep_tail=True)
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    except etree.XMLSyntaxError as err:
        raise Fr2enError(f"{path}:{err.lineno}: not well-formed XML: {err.msg}") from None
    if not seen_tmx:
        raise Fr2enError(f"{path}:1: not a TMX file (no <tmx>)")
    return header, pairs, lacking


def _variants(tu) -> dict[str, str]:
    """The text of each language of a ``<tu>`` by primary subtag ("fr-FR", "FR_ca": "fr"),
    the first variant of each; ``xml:lang`` or the deprecated ``lang``."""
    variants = {}
    for tuv in tu.iterchildren("tuv"):
        lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").replace("_", "-")
        seg = tuv.find("seg")
        if seg is not None:
            variants.setdefault(lang.split("-")[0].lower(), _seg_text(seg))
    return variants


def _seg_text(element) -> str:
    """The text of a ``<seg>`` (or ``<hi>``), leaving out inline native codes (bpt, ph, ...)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "hi":
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
