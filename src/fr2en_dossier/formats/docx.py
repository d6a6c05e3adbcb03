"""``en/<stem>.docx``: the French .docx with each paragraph's text replaced by its English.

The original package (``Document.original``) is opened again and every unit found by its
locator (:mod:`readers.docx`); the English goes into the paragraph's own runs
(:func:`formats.inplace.distribute`), so the runs' formatting, hyperlinks, fields, images,
footnote marks, numbering, tables, sections, headers and footers stay as they were; a text
box's fallback copy (for Word 2007) gets the same English in its own runs. Every other part of the package is copied as is.
The core properties get the English title (cut to Word's 255 characters; the heading itself
stays whole), ``language`` en and the run id as ``identifier``.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..model import Document
from .inplace import Ops, rewrite_parts

TITLE_MAX = 255  # characters Word keeps in the title property


def write_docx(english: Document, french: Document, path: Path, run_id: str = "") -> Path:
    from ..readers import docx as reader
    from ..readers.package import serialize, write_package

    word = reader.open_word(french.path, french.original)
    parts = rewrite_parts(word, reader, english, french, lambda p, _: _ops(p), _fallbacks)
    core = word.package.xml(reader.CORE)
    if core is not None:
        _set_core(core, english, run_id)
        parts[reader.CORE] = serialize(core)
    return atomic_write_bytes(path, write_package(word.package, parts))


def _ops(paragraph) -> Ops:
    from ..readers.docx import text_children, w
    from ..readers.inline import Slot

    def put(slot: Slot, text: str) -> None:
        run = slot.node
        old = text_children(run)
        at = run.index(old[0]) if old else len(run)
        for child in old:
            run.remove(child)
        for n, piece in enumerate(text.split("\t")):
            if n:
                run.insert(at, run.makeelement(w("tab"), {}))
                at += 1
            if piece:
                node = run.makeelement(w("t"), {})
                node.text = piece
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.insert(at, node)
                at += 1

    def clone(template: Slot, after: Slot | None) -> list[Slot]:
        run = paragraph.makeelement(w("r"), {})
        props = template.node.find(w("rPr"))
        if props is not None:
            run.append(copy.deepcopy(props))
        if after is not None and template.chain == after.chain:
            _after(after.node).addnext(run)
            return [Slot(template.key, run, after.group, after.chain)]
        chain = tuple(paragraph.makeelement(c.tag, dict(c.attrib))
                      for c in template.chain if c.tag == w("hyperlink"))
        inner = run
        for wrapper in reversed(chain):
            wrapper.append(inner)
            inner = wrapper
        _place(inner, after)
        return [Slot(template.key, run, inner, chain)]

    def move(slot: Slot, after: Slot | None) -> None:
        slot.group.getparent().remove(slot.group)
        _place(slot.group, after)

    def _place(element, after: Slot | None) -> None:
        if after is None:
            props = paragraph.find(w("pPr"))
            paragraph.insert(1 if props is not None and paragraph.index(props) == 0 else 0,
                             element)
        else:
            _after(after.group).addnext(element)

    def _after(node):
        """``node``, or the end of the complex field it shows the result of: new text goes
        after the field, which Word would otherwise overwrite when it updates it."""
        if not _in_result(node):
            return node
        for sibling in node.itersiblings():
            mark = sibling.find(w("fldChar"))
            if mark is not None and mark.get(w("fldCharType")) == "end":
                return sibling
        return node

    def _in_result(node) -> bool:
        depth = 0
        for sibling in node.itersiblings(preceding=True):
            mark = sibling.find(w("fldChar")) if sibling.tag == w("r") else None
            state = mark.get(w("fldCharType")) if mark is not None else None
            if state == "end":
                depth -= 1
            elif state == "separate":
                depth += 1
        return depth > 0

    order = {}

    def position(slot: Slot):
        if slot.node not in order:
            order.clear()
            order.update((node, n) for n, node in enumerate(paragraph.iter()))
        return order[slot.node]

    def movable(slot: Slot) -> bool:
        return slot.group is not None and slot.group.tag in (w("r"), w("hyperlink"))

    def moved(func):
        def wrapped(*args):
            order.clear()  # positions changed
            return func(*args)
        return wrapped

    return Ops(put, moved(clone), moved(move), movable, position)


def _fallbacks(root, written: dict) -> dict:
    """The paragraphs of the text boxes' fallback copies (for Word 2007), each with the
    English of its paragraph in the box Word shows (when both have as many paragraphs)."""
    from ..readers.docx import MC, w

    found = {}
    for alternate in root.iter(f"{{{MC}}}AlternateContent"):
        choice = alternate.find(f"{{{MC}}}Choice")
        fallback = alternate.find(f"{{{MC}}}Fallback")
        if choice is None or fallback is None:
            continue
        shown = [p for box in choice.iter(w("txbxContent")) for p in box.iter(w("p"))]
        copies = [p for box in fallback.iter(w("txbxContent")) for p in box.iter(w("p"))]
        if len(shown) == len(copies):
            found.update((c, written[s]) for s, c in zip(shown, copies) if s in written)
    return found


def _set_core(core, english: Document, run_id: str) -> None:
    from ..readers.docx import DC

    heading = english.title
    values = {"language": "en", "identifier": run_id}
    if heading:
        values["title"] = heading[:TITLE_MAX]
    for name, value in values.items():
        element = core.find(f"{{{DC}}}{name}")
        if element is None:
            element = core.makeelement(f"{{{DC}}}{name}", {})
            core.append(element)
        element.text = value
