"""XLIFF 2.1 (``output/dossier.xlf``): the whole dossier, one ``<file>`` per document, writer and
reader.

A ``<file id="fN" original="NAME">`` (whitespace preserved) holds the document's run id and stem
in the metadata module (``mda:meta`` types ``run-id`` and ``document``), then one ``<group
name="doc:block" type="fr2en:KIND">`` per block and one ``<unit name="doc:block:index">`` per
segment (its ``id`` the key where that is an XML name token, else the key with the other
characters as "_"). A unit holds the segment's glossary hits in the glossary module
(``gls:glossEntry``: the term as found, its English, the entry's comment as definition;
``fr2en:kind``, ``fr2en:entry``, ``fr2en:repair`` and ``fr2en:avoid`` attributes), its QA
flags as ``<note category="fr2en:qa">`` (with their reasons), and one ``<segment>``: the French,
and the English when there is any, with ``state`` ``initial`` (machine translation),
``translated`` (a draft) or ``reviewed`` (a review) and ``subState="fr2en:ORIGIN"``. A review
is ``reviewed``, not ``final``: it is one reviewer's confirmation; ``final`` (finalized, ready
to be used) is left to a sign-off in the CAT tool, and both read back as reviewed.
Boilerplate is ``translate="no"``.

Inline markup of the source document (bold, italic, code, links: ``Block.spans``) is ``<pc>``
in the source and, where :func:`markup.inline_markup` places it on the English, in the target
with the same id (``<sc>``/``<ec>`` where spans cross, ``<ph>`` for a span of no text); a
link's URL is in ``<originalData>`` as the ``<a href>`` it opens with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..atomic import atomic_write_stream
from ..errors import Fr2enError
from ..model import (
    BOILERPLATE_FLAG,
    BOLD,
    CODE,
    DRAFT,
    ITALIC,
    LINK,
    REVIEW,
    Part,
    Segment,
    Span,
)
from .notes import flag_notes
from .safe_text import CharDropper
from .xliff import (
    NS_2, SOURCE_LANG, TARGET_LANG, TOOL, XLIFF_FILE_KIND, XML_NS, XliffUnit, indent, text_of,
)

NS_GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
NS_FR2EN = "urn:fr2en-dossier:xliff"
STATES = {DRAFT: "translated", REVIEW: "reviewed"}  # any other origin: initial
CONFIRMED = ("reviewed", "final")
_ORDER = ("initial", "translated", "reviewed", "final")  # the state machine, earliest first
_NOT_NAME = re.compile(r"[^\w.\-:]")  # characters an XML name token cannot hold (about)
# pc/sc attributes of each inline style (any other style: fmt with subType fr2en:STYLE).
_STYLE = {
    BOLD: {"type": "fmt", "subType": "xlf:b"},
    ITALIC: {"type": "fmt", "subType": "xlf:i"},
    CODE: {"type": "fmt", "subType": "fr2en:code"},
    LINK: {"type": "link"},
}
Markup = dict[str, list[tuple[Span, Span | None]]]  # segment key → (French span, English span)


def write_xliff21(
    parts: Iterable[Part],
    path: str | Path,
    markup: Markup | Callable[[Segment], list[tuple[Span, Span | None]]] | None = None,
    run_id: str = "",
) -> int:
    """Write the segments of ``parts`` (:func:`model.parts_of`) as XLIFF 2.1 at ``path``
    (atomically), a ``<file>`` per part with segments, named after its document's file;
    ``markup`` gives each segment's inline spans (by key, or a function of the segment).
    Returns the characters dropped.

    The file is streamed one ``<file>`` at a time, so only one document's tree is ever in
    memory: each is serialized inside a copy of the root holding it alone (the namespaces are
    then declared once, on the root), and the copy's start and end tags are written once."""
    from lxml import etree

    clean = CharDropper()
    spans = markup if callable(markup) else (lambda seg: (markup or {}).get(seg.key, []))

    def root():
        return etree.Element(_q("xliff"), version="2.1", srcLang=SOURCE_LANG,
                             trgLang=TARGET_LANG,
                             nsmap={None: NS_2, "gls": NS_GLS, "mda": NS_MDA, "fr2en": NS_FR2EN})

    def write(fh) -> None:
        fh.write(b"<?xml version='1.0' encoding='UTF-8'?>\n")
        end, number = b"</xliff>", 0
        for number, part in enumerate((p for p in parts if p.segments), 1):
            holder = root()
            name = (part.document.path.name if part.document else "") or part.stem
            _file(holder, number, name, part.stem, part.segments, spans, run_id, clean)
            indent(holder)
            data = etree.tostring(holder, encoding="UTF-8")
            start = data.index(b">") + 1  # lxml escapes ">" in attribute values
            fh.write((data[:start] if number == 1 else b"") + data[start:-len(end)].rstrip(b"\n"))
        fh.write(b"\n" + end if number else etree.tostring(root(), encoding="UTF-8"))

    atomic_write_stream(path, write, XLIFF_FILE_KIND)
    return clean.dropped


def _file(root, number: int, name: str, doc: str, segments: list[Segment], spans, run_id: str,
          clean: CharDropper) -> None:
    """The ``<file>`` of one document, its blocks as groups, in ``root``."""
    from lxml import etree

    file = etree.SubElement(
        root, _q("file"),
        {"id": f"f{number}", "original": clean(name), f"{{{XML_NS}}}space": "preserve"},
    )
    group = etree.SubElement(
        etree.SubElement(file, f"{{{NS_MDA}}}metadata"), f"{{{NS_MDA}}}metaGroup", category=TOOL
    )
    for kind, value in (("run-id", run_id), ("document", doc)):
        if value:
            etree.SubElement(group, f"{{{NS_MDA}}}meta", type=kind).text = clean(value)
    block = None
    for seg in segments:
        if block is None or block.get("name") != clean(f"{seg.doc}:{seg.block}"):
            block = etree.SubElement(
                file, _q("group"), id=f"b{seg.block}", name=clean(f"{seg.doc}:{seg.block}"),
                type=f"fr2en:{seg.kind}",
            )
        _unit(block, seg, spans(seg), clean)


def _q(name: str) -> str:
    return f"{{{NS_2}}}{name}"


def _unit(group, seg: Segment, pairs: list[tuple[Span, Span | None]], clean: CharDropper) -> None:
    from lxml import etree

    unit = etree.SubElement(
        group, _q("unit"), id=_NOT_NAME.sub("_", clean(seg.key)), name=clean(seg.key)
    )
    if BOILERPLATE_FLAG in seg.flags:
        unit.set("translate", "no")
    if seg.hits:
        glossary = etree.SubElement(unit, f"{{{NS_GLS}}}glossary")
        for hit in seg.hits:
            extra = {
                "kind": hit.kind,
                "entry": hit.entry if hit.entry != hit.source else "",
                "repair": hit.repair,
                "avoid": "|".join(hit.avoid),
            }
            entry = etree.SubElement(
                glossary,
                f"{{{NS_GLS}}}glossEntry",
                {f"{{{NS_FR2EN}}}{name}": clean(value) for name, value in extra.items() if value},
            )
            etree.SubElement(entry, f"{{{NS_GLS}}}term", source=TOOL).text = clean(hit.source)
            etree.SubElement(entry, f"{{{NS_GLS}}}translation").text = clean(hit.target)
            if hit.comment:
                etree.SubElement(entry, f"{{{NS_GLS}}}definition").text = clean(hit.comment)
    notes = flag_notes(seg)
    if notes:
        element = etree.SubElement(unit, _q("notes"))
        for note in notes:
            etree.SubElement(
                element, _q("note"), category="fr2en:qa", appliesTo="target"
            ).text = clean(note)
    coded = [(str(n), french, english) for n, (french, english) in enumerate(pairs, 1)]
    links = [(code, french) for code, french, _ in coded if french.style == LINK]
    if links:
        data = etree.SubElement(unit, _q("originalData"))
        for n, span in links:
            etree.SubElement(data, _q("data"), id=f"d{n}").text = clean(f'<a href="{span.href}">')
            etree.SubElement(data, _q("data"), id=f"e{n}").text = "</a>"
    segment = etree.SubElement(unit, _q("segment"))
    _inline(
        etree.SubElement(segment, _q("source")),
        seg.source,
        [(code, french) for code, french, _ in coded],
        clean,
    )
    if seg.target:
        segment.set("state", STATES.get(seg.origin, "initial"))
        if seg.origin:
            segment.set("subState", f"fr2en:{seg.origin}")
        _inline(
            etree.SubElement(segment, _q("target")),
            seg.target,
            [(code, english) for code, _, english in coded if english is not None],
            clean,
        )


def _inline(element, text: str, spans: list[tuple[str, Span]], clean: CharDropper) -> None:
    """Fill ``element`` with ``text`` and its ``spans`` (id, span): ``<pc>`` where they nest,
    ``<sc>``/``<ec>`` where one crosses another, ``<ph>`` for a span of no text."""
    from lxml import etree

    nested, stack = set(), []
    for code, span in sorted(spans, key=lambda s: (s[1].start, -s[1].end)):
        while stack and stack[-1].end <= span.start:
            stack.pop()
        if span.end > span.start and (not stack or span.end <= stack[-1].end):
            nested.add(code)
            stack.append(span)
    events = []  # (position, order at that position, kind, id, span)
    for code, span in spans:
        if span.start == span.end:
            events.append((span.start, 2, 0, "ph", code, span))
        elif code in nested:
            events.append((span.start, 4, -span.end, "open", code, span))
            events.append((span.end, 0, -span.start, "close", code, span))
        else:
            events.append((span.start, 3, 0, "sc", code, span))
            events.append((span.end, 1, 0, "ec", code, span))
    events.sort(key=lambda e: e[:3])
    open_elements, at = [element], 0
    for position, _, _, kind, code, span in events:
        _append(open_elements[-1], clean(text[at:position]))
        at = position
        if kind == "close":
            open_elements.pop()
            continue
        attributes = {
            "id": code,
            **_STYLE.get(span.style, {"type": "fmt", "subType": f"fr2en:{span.style}"}),
        }
        if kind == "open":
            if span.style == LINK:
                attributes.update(dataRefStart=f"d{code}", dataRefEnd=f"e{code}")
            open_elements.append(etree.SubElement(open_elements[-1], _q("pc"), attributes))
        elif kind == "ec":
            etree.SubElement(open_elements[-1], _q("ec"), startRef=code)
        else:
            if span.style == LINK:
                attributes["dataRef"] = f"d{code}"
            etree.SubElement(open_elements[-1], _q(kind), attributes)
    _append(element, clean(text[at:]))


def _append(element, text: str) -> None:
    """Add ``text`` at the end of ``element``'s content."""
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def read(path: Path, root) -> tuple[str, list[XliffUnit]]:
    """The run id (of the first file that has one) and the units of a parsed XLIFF 2 file.

    A unit's segments (and ignorables) are joined; its state is the earliest of theirs, and it
    has English when one of them has a target."""
    run_id = next(
        (
            meta.text or ""
            for meta in root.iter(f"{{{NS_MDA}}}meta")
            if meta.get("type") == "run-id"
        ),
        "",
    )
    units = []
    for unit in root.iter(_q("unit")):
        parts = [part for part in unit if part.tag in (_q("segment"), _q("ignorable"))]
        sources = [part.find(_q("source")) for part in parts]
        if not parts or any(source is None for source in sources):
            raise Fr2enError(f"{path}:{unit.sourceline}: <unit> without a <segment><source>")
        targets = [part.find(_q("target")) for part in parts]
        english = None
        if any(target is not None for target in targets):
            english = "".join(text_of(t if t is not None else s) for s, t in zip(sources, targets))
        states = [part.get("state", "initial") for part in parts if part.tag == _q("segment")]
        earliest = min(states, key=lambda s: _ORDER.index(s) if s in _ORDER else 0, default="")
        units.append(
            XliffUnit(
                unit.sourceline or 0,
                unit.get("name") or unit.get("id", ""),
                "".join(text_of(s) for s in sources),
                english,
                english is not None and earliest in CONFIRMED,
            )
        )
    return run_id, units
