"""Editing an XLIFF file as a CAT tool does: one unit's target and state changed, the rest kept."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
X2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def set_state(path: Path, key: str, state: str, english: str | None = None) -> None:
    """What a CAT tool does: a unit's target and state changed, the rest of the file kept."""
    tree = etree.parse(str(path))
    if tree.getroot().get("version") == "1.2":
        unit = tree.xpath("//x:trans-unit[@id=$key]", namespaces=X12, key=key)[0]
        target = unit.find("x:target", X12)
        if target is None:
            target = etree.SubElement(unit, f"{{{X12['x']}}}target")
            unit.insert(1, target)
        unit.attrib.pop("approved", None)
        target.set("state", state)
    else:
        unit = tree.xpath("//x:unit[@name=$key]", namespaces=X2, key=key)[0]
        segment = unit.find("x:segment", X2)
        target = segment.find("x:target", X2)
        if target is None:
            target = etree.SubElement(segment, f"{{{X2['x']}}}target")
        segment.set("state", state)
        segment.attrib.pop("subState", None)
    if english is not None:
        for child in list(target):
            target.remove(child)
        target.text = english
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
