"""Writing a unit's English back into the source's own text places (docs/formats.md).

A reader opens a :class:`~fr2en_dossier.readers.inline.Slot` for each place of a unit that
holds text (a Word run, an HTML text node), with the formatting its text wears. The English
of the unit comes as plain text with the French spans placed on it (:mod:`markup`); it is cut
into pieces where that formatting changes, and :func:`distribute` gives each piece, in order,
to the next slot wearing the same formatting. A piece with no such slot ahead gets one: the
slot of that formatting that was left behind is moved there when nothing else went into its
container (a link the English puts at the end keeps its hyperlink), else a copy of it is made.
Slots that get no English are emptied; everything else of the source stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import BOLD, CODE, FORMAT, ITALIC, LINK, Span
from ..readers.inline import Key, Slot

STYLED = (BOLD, ITALIC, CODE)


def pieces(text: str, spans: list[Span]) -> list[tuple[str, Key]]:
    """``text`` cut where its formatting changes: (piece, key of a :class:`Slot` wearing it)."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        styles = frozenset(s.style for s in covering if s.style in STYLED)
        href = next((s.href for s in covering if s.style == LINK), "")
        fmt = next((s.href for s in covering if s.style == FORMAT), "")
        out.append((text[a:b], (styles, href, fmt)))
    return out


def rewrite_parts(opened, reader, english, french, ops: Callable, more: Callable | None = None
                  ) -> dict[str, bytes]:
    """The parts of an office file (``opened``, read by the ``reader`` module) with the English
    of their changed units written in place, serialized: ``ops(paragraph)`` gives the
    :class:`Ops`, ``more(root, written)`` more paragraphs to write (paragraph → block)."""
    from ..readers.package import serialize

    by_locator = {b.locator: b for b in english.blocks if b.locator}
    parts = {}
    for part, root in opened.parts.items():
        written = {}
        for number, paragraph in enumerate(reader.paragraphs(root)):
            block = by_locator.get(f"{part}#{number}")
            if block is not None and block.index < len(french.blocks) and not unchanged(
                french.blocks[block.index], block
            ):
                written[paragraph] = block
        if more is not None:
            written.update(more(root, written))
        for paragraph, block in written.items():
            unit = reader.paragraph_unit(opened, part, -1, paragraph)
            distribute(unit.slots, pieces(block.text, block.spans), ops(paragraph, unit))
        if written:
            parts[part] = serialize(root)
    return parts


def unchanged(french, english) -> bool:
    """Whether a unit's English is its French as read (text and formatting): left as it was."""
    return french.text == english.text and french.spans == english.spans


@dataclass
class Ops:
    """What :func:`distribute` does to the source, for one format.

    ``put(slot, text)`` sets a slot's text; ``clone(template, after)`` makes a new slot wearing
    ``template``'s formatting right after slot ``after`` (None: before the first), and returns
    it with any other slot it made (or [] when it cannot: the piece then goes to ``after``); ``move(slot, after)`` moves ``slot``'s container right after ``after``'s;
    ``movable(slot)`` says whether it may; ``position(slot)`` sorts slots in document order."""

    put: Callable[[Slot, str], None]
    clone: Callable[[Slot, Slot | None], list[Slot]]
    move: Callable[[Slot, Slot | None], None]
    movable: Callable[[Slot], bool]
    position: Callable[[Slot], object]


def distribute(slots: list[Slot], english: list[tuple[str, Key]], ops: Ops) -> None:
    """Put the pieces of ``english`` (:func:`pieces`) into ``slots`` (in document order)."""
    if not slots:
        return
    live = list(slots)
    texts: dict[int, str] = {}  # id(slot) → its English
    cursor = -1  # index in live of the slot that got the last piece
    for text, key in english:
        if not text:
            continue
        if cursor >= 0 and (not text.strip() or live[cursor].key == key):
            texts[id(live[cursor])] += text  # white space stays with the text before it
            continue
        found = next((i for i in range(cursor + 1, len(live)) if live[i].key == key), None)
        if found is None:
            after = live[cursor] if cursor >= 0 else None
            template = _template(live, key)
            group = [s for s in live if s.group is template.group]
            if (
                template.group is not None
                and ops.movable(template)
                and not any(id(s) in texts for s in group)
                and all(live.index(s) < max(cursor, 0) for s in group)
            ):
                ops.move(template, after)
                new = template
            else:
                made = ops.clone(template, after)
                if not made:  # no slot of that formatting can be made: the one before
                    cursor = max(cursor, 0)
                    texts[id(live[cursor])] = texts.get(id(live[cursor]), "") + text
                    continue
                new = made[0]
                live.extend(made)
            live.sort(key=ops.position)
            found = live.index(new)
        cursor = found
        texts[id(live[cursor])] = text
    for slot in live:
        ops.put(slot, texts.get(id(slot), ""))


def _template(slots: list[Slot], key: Key) -> Slot:
    """The slot whose formatting is nearest ``key``: the same, else the same link and format,
    else the same link, else the same format, else the first."""
    styles, href, fmt = key
    for match in (
        lambda k: k == key,
        lambda k: k[1:] == (href, fmt),
        lambda k: k[1] == href,
        lambda k: k[2] == fmt and not k[1],
        lambda k: not k[1],
    ):
        found = next((s for s in slots if match(s.key)), None)
        if found is not None:
            return found
    return slots[0]


def tree_ops(unit, slots: list[Slot], movable: Callable[[object], bool],
             dropped_attributes: tuple[str, ...] = ("id",)) -> Ops:
    """:class:`Ops` for a unit of mixed content (an HTML or ODF element: text and inline
    elements), whose ``slots`` are text nodes ``(element, "text")`` / ``(element, "tail")``,
    the unit's own text first. A new slot is a copy of its template's inline elements
    (attributes but ``dropped_attributes``, which must stay unique) put right after
    ``after``'s, its tail a new slot of the unit's own text; a slot's container is moved only
    when it is a child of the unit that ``movable`` takes."""
    own = slots[0].key
    order: dict = {}

    def put(slot: Slot, text: str) -> None:
        element, where = slot.node
        setattr(element, where, text or None)

    def clone(template: Slot, after: Slot | None) -> list[Slot]:
        if not template.chain:
            return []  # a text node of the unit itself: only the one before can take it
        copies = [element.makeelement(element.tag, {k: v for k, v in element.attrib.items()
                                                    if k not in dropped_attributes})
                  for element in template.chain]
        for outer, inner in zip(copies, copies[1:]):
            outer.append(inner)
        _place(copies[0], after)
        order.clear()
        return [Slot(template.key, (copies[-1], "text"), copies[0], tuple(copies)),
                Slot(own, (copies[0], "tail"), copies[0])]

    def move(slot: Slot, after: Slot | None) -> None:
        group = slot.group
        group.getparent().remove(group)  # its tail goes with it: a slot of its group
        _place(group, after)
        order.clear()

    def _place(element, after: Slot | None) -> None:
        if after is None or after.group is None:
            unit.insert(0, element)  # right after the unit's own first text
        else:
            after.group.addnext(element)  # after its tail, a slot of its group

    def position(slot: Slot):
        if not order:
            for n, node in enumerate(unit.iter()):
                order[node] = n
        element, where = slot.node
        if where == "text":
            return 2 * order[element]
        last = element
        for last in element.iter():
            pass
        return 2 * order[last] + 1

    def can_move(slot: Slot) -> bool:
        return slot.group is not None and slot.group.getparent() is unit and movable(slot.group)

    return Ops(put, clone, move, can_move, position)
