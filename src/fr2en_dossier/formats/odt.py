"""``en/<stem>.odt``: the French OpenDocument text with each paragraph's text replaced.

The original package is opened again and every unit found by its locator
(:mod:`readers.odt`); its English goes into the paragraph's own text nodes
(:func:`formats.inplace.distribute`): spans, links, notes, frames, lists, tables, styles and
page layout stay as they were, every other entry of the package is copied as is (the
``mimetype`` entry first and stored, as ODF requires). ``meta.xml`` gets the English title,
language en and the run id (a user-defined ``fr2en-run-id``).
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_write_bytes
from ..model import Document
from .inplace import rewrite_parts, tree_ops


def write_odt(english: Document, french: Document, path: Path, run_id: str = "") -> Path:
    from ..readers import odt as reader
    from ..readers.package import serialize, write_package

    odf = reader.open_odf(french.path, french.original)
    unique = (f"{{{reader.XML}}}id", reader.t("id"))
    parts = rewrite_parts(odf, reader, english, french, lambda paragraph, unit: tree_ops(
        paragraph, unit.slots, lambda e: e.tag in reader.MOVABLE, unique))
    meta = odf.package.xml(reader.META_PART)
    if meta is not None:
        _set_meta(meta, english, run_id)
        parts[reader.META_PART] = serialize(meta)
    return atomic_write_bytes(path, write_package(odf.package, parts))


def _set_meta(root, english: Document, run_id: str) -> None:
    from ..readers.odt import DC, META, OFFICE

    meta = root.find(f"{{{OFFICE}}}meta")
    if meta is None:
        return
    values = {f"{{{DC}}}language": "en"}
    if english.title:
        values[f"{{{DC}}}title"] = english.title
    for tag, value in values.items():
        element = meta.find(tag)
        if element is None:
            element = meta.makeelement(tag, {})
            meta.append(element)
        element.text = value
    name = f"{{{META}}}name"
    mark = next((e for e in meta.iter(f"{{{META}}}user-defined") if e.get(name) == "fr2en-run-id"),
                None)
    if mark is None:
        mark = meta.makeelement(f"{{{META}}}user-defined", {name: "fr2en-run-id"})
        meta.append(mark)
    mark.text = run_id
