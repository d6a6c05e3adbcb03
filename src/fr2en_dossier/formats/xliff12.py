"""XLIFF 1.2 (``output/xliff/<stem>.xlf``): one ``<file>`` per document, writer and reader.

Each block is a ``<group id="doc:block" restype="x-KIND">`` with a location context (its line
in the source file) and one ``<trans-unit id="doc:block:index">`` per segment, whitespace
preserved. The French is ``<source xml:lang="fr">``; English, when there is any, is
``<target xml:lang="en">`` with ``state`` and ``state-qualifier`` by origin: machine translation
``needs-review-translation`` / ``mt-suggestion``, a draft ``translated``, a review ``final``
(and ``approved="yes"``, which translate-toolkit needs to see it final); English taken from the
review memory is qualified ``leveraged-tm``. 1.2 has no state between final and signed-off,
so final is our reviewed. Boilerplate is ``translate="no"``. Notes: one per QA flag (with
its reason, ``from="fr2en QA"``) and one per glossary hit (``from="fr2en glossary"``). The run
id is the header's ``<phase phase-name>``. Characters XML 1.0 forbids are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Fr2enError
from ..model import (
    BOILERPLATE_FLAG,
    DOCX,
    DRAFT,
    HTML,
    MACHINE_ORIGINS,
    MARKDOWN,
    REVIEW,
    Document,
    Segment,
)
from .notes import flag_notes, hit_note
from .safe_text import CharDropper
from .xliff import (
    NS_12,
    SOURCE_LANG,
    TARGET_LANG,
    TOOL,
    TOOL_VERSION,
    XML_NS,
    XliffUnit,
    text_of,
    write_xml,
)

NEEDS_REVIEW, TRANSLATED, FINAL = "needs-review-translation", "translated", "final"
STATES = {DRAFT: TRANSLATED, REVIEW: FINAL}  # any other origin: NEEDS_REVIEW
CONFIRMED = ("final", "signed-off")
UNTRANSLATED = ("new", "needs-translation")  # a target a tool only prepared (a source copy)
DATATYPES = {HTML: "html", MARKDOWN: "x-markdown", DOCX: "x-docx"}  # else plaintext
QA_NOTE, GLOSSARY_NOTE = "fr2en QA", "fr2en glossary"
_SPACE = f"{{{XML_NS}}}space"
_LANG = f"{{{XML_NS}}}lang"


def write_xliff12(
    segments: Iterable[Segment],
    path: str | Path,
    document: Document | None = None,
    run_id: str = "",
) -> int:
    """Write one document's ``segments`` as XLIFF 1.2 at ``path`` (atomically); ``document``
    gives the file name, format and line numbers. Returns the characters dropped."""
    from lxml import etree

    segments = list(segments)
    clean = CharDropper()
    q = lambda name: f"{{{NS_12}}}{name}"  # noqa: E731
    root = etree.Element(q("xliff"), version="1.2", nsmap={None: NS_12})
    stem = document.stem if document else (segments[0].doc if segments else Path(path).stem)
    original = document.path.name if document and document.path.name else stem
    file = etree.SubElement(
        root,
        q("file"),
        {
            "original": clean(original),
            "source-language": SOURCE_LANG,
            "target-language": TARGET_LANG,
            "datatype": DATATYPES.get(document.format if document else "", "plaintext"),
        },
    )
    header = etree.SubElement(file, q("header"))
    if run_id:
        phases = etree.SubElement(header, q("phase-group"))
        etree.SubElement(
            phases,
            q("phase"),
            {"phase-name": run_id, "process-name": "translation", "tool-id": TOOL},
        )
    etree.SubElement(
        header, q("tool"), {"tool-id": TOOL, "tool-name": TOOL, "tool-version": TOOL_VERSION}
    )
    body = etree.SubElement(file, q("body"))
    lines = {block.index: block.line for block in document.blocks} if document else {}
    group = None
    for seg in segments:
        if group is None or group.get("id") != clean(f"{seg.doc}:{seg.block}"):
            group = etree.SubElement(
                body, q("group"), id=clean(f"{seg.doc}:{seg.block}"), restype=f"x-{seg.kind}"
            )
            if lines.get(seg.block):
                context = etree.SubElement(group, q("context-group"), purpose="location")
                etree.SubElement(context, q("context"), {"context-type": "linenumber"}).text = str(
                    lines[seg.block]
                )
        _unit(group, seg, clean, q)
    write_xml(root, path)
    return clean.dropped


def _unit(group, seg: Segment, clean: CharDropper, q) -> None:
    from lxml import etree

    unit = etree.SubElement(group, q("trans-unit"), {"id": clean(seg.key), _SPACE: "preserve"})
    if BOILERPLATE_FLAG in seg.flags:
        unit.set("translate", "no")
    etree.SubElement(unit, q("source"), {_LANG: SOURCE_LANG}).text = clean(seg.source)
    if seg.target:
        state = STATES.get(seg.origin, NEEDS_REVIEW)
        qualifier = "mt-suggestion" if seg.origin in MACHINE_ORIGINS else "leveraged-tm"
        if state == FINAL:
            unit.set("approved", "yes")
        etree.SubElement(
            unit, q("target"), {_LANG: TARGET_LANG, "state": state, "state-qualifier": qualifier}
        ).text = clean(seg.target)
    for note in flag_notes(seg):
        etree.SubElement(unit, q("note"), {"from": QA_NOTE, "annotates": "target"}).text = clean(
            note
        )
    for hit in seg.hits:
        etree.SubElement(
            unit, q("note"), {"from": GLOSSARY_NOTE, "annotates": "source"}
        ).text = clean(hit_note(hit, seg.target or ""))


def read(path: Path, root, namespace: str) -> tuple[str, list[XliffUnit]]:
    """The run id and the units of a parsed XLIFF 1.2 file (``namespace``: its root's, "" for
    files written without one)."""
    q = (lambda name: f"{{{namespace}}}{name}") if namespace else (lambda name: name)  # noqa: E731
    phase = next((p for p in root.iter(q("phase")) if p.get("tool-id") == TOOL), None)
    units = []
    for unit in root.iter(q("trans-unit")):
        source = unit.find(q("source"))
        if source is None:
            raise Fr2enError(f"{path}:{unit.sourceline}: <trans-unit> without a <source>")
        target = unit.find(q("target"))
        state = target.get("state", "") if target is not None else ""
        english = None if target is None or state in UNTRANSLATED else text_of(target)
        # The state says; without one, approved="yes" does.
        confirmed = english is not None and (
            state in CONFIRMED if state else unit.get("approved") == "yes"
        )
        units.append(
            XliffUnit(unit.sourceline or 0, unit.get("id", ""), text_of(source), english, confirmed)
        )
    return (phase.get("phase-name", "") if phase is not None else ""), units
