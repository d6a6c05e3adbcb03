"""Plain text and inline spans of a block, built from formatted pieces (shared by the readers).

A reader appends text with the styles in force (bold, italic, code, a link's URL, another
format's name); :meth:`InlineText.finish` collapses whitespace the way a browser does, and
returns the block's plain text with its :class:`~fr2en_dossier.model.Span` list: offsets into
that plain text, the frame every segment and glossary hit uses.

The in-place readers also open a :class:`Slot` for each place of the source that holds text
(a Word run, an HTML text node): the in-place writers (``formats/inplace.py``) put the English
back into the slots whose formatting it carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..model import ANCHOR, FORMAT, LINK, Block, Span
from .layout import mark_boilerplate

_STYLED = ("bold", "italic", "code")
Key = tuple  # (frozenset of bold/italic/code, link URL, format name): what a slot's text wears


@dataclass(eq=False)
class Slot:
    """A place of the source holding text, with the formatting its text wears (``key``).

    ``node`` is the reader's handle on it (a run element, an element and "text"/"tail");
    ``group`` the container it sits in at the top of the unit (slots sharing one move
    together), ``chain`` the inline elements between the unit and the slot."""

    key: Key
    node: object
    group: object = None
    chain: tuple = ()


@dataclass
class RawBlock:
    """A block as a reader finds it, before numbering and boilerplate rules."""

    kind: str
    text: str
    spans: list[Span]
    style: str = ""
    level: int = 0
    line: int = 0
    locator: str = ""


MAX_CHARS = 1_000_000  # in one block: a longer "paragraph" is refused, not read for minutes


class TooLong(ValueError):
    """A block of more than :data:`MAX_CHARS` characters."""


_FOLDED = frozenset(" \t\n\r\f")
_INVISIBLE = str.maketrans("", "", "\u00ad\u200b")  # soft hyphen, zero-width space: not text
_LINK_SCHEMES = ("", "http", "https", "mailto")  # "": relative links and #fragments


def _safe_link(href: str) -> bool:
    cleaned = "".join(c for c in href if c.isprintable() and not c.isspace())
    return urlsplit(cleaned).scheme.lower() in _LINK_SCHEMES


@dataclass
class InlineText:
    chars: list[tuple[str, frozenset, str, str]] = field(default_factory=list)  # c, styles, href, fmt
    slots: list[Slot] = field(default_factory=list)
    anchors: list[tuple[int, str]] = field(default_factory=list)  # (at: len(chars), source)

    def anchor(self, source: str) -> None:
        """An inline object without text here (an ANCHOR span holding ``source``)."""
        self.anchors.append((len(self.chars), source))

    titles: dict[str, str] = field(default_factory=dict)  # link URL → its title

    def add(self, text: str, styles=frozenset(), href: str = "", fmt: str = "",
            title: str = "") -> None:
        """Append ``text`` with its ``styles``, link (and its ``title``) and other format; a
        link of another scheme than http(s) or mailto (``javascript:``, ``data:``…) is not
        kept: the English pages must not run it. Soft hyphens and zero-width spaces are left
        out (they would cut words for MT and matching)."""
        styles = frozenset(styles)
        href = href if _safe_link(href) else ""
        if href and title:
            self.titles.setdefault(href, title)
        if len(self.chars) + len(text) > MAX_CHARS:
            raise TooLong(f"a paragraph of more than {MAX_CHARS:,} characters")
        self.chars.extend((c, styles, href, fmt) for c in text.translate(_INVISIBLE))

    def slot(self, node, text: str, styles=frozenset(), href: str = "", fmt: str = "",
             group=None, chain: tuple = ()) -> Slot:
        """:meth:`add` ``text`` as the text of a new slot of the source (``node``)."""
        self.add(text, styles, href, fmt)
        href = href if _safe_link(href) else ""
        made = Slot((frozenset(styles), href, fmt), node, group, chain)
        self.slots.append(made)
        return made

    def rebase_formats(self) -> None:
        """The format most of the text wears is the unit's own: no format span for it (the
        text without a format then gets the name ``-``)."""
        weight: dict[str, int] = {}
        for c, _, _, fmt in self.chars:
            if not c.isspace():
                weight[fmt] = weight.get(fmt, 0) + 1
        base = max(weight, key=weight.get) if weight else ""
        if not base:
            return
        names = {base: "", "": "-"}
        self.chars = [(c, s, h, names.get(f, f)) for c, s, h, f in self.chars]
        for slot in self.slots:
            styles, href, fmt = slot.key
            slot.key = (styles, href, names.get(fmt, fmt))

    def finish(self, *, keep_whitespace: bool = False) -> tuple[str, list[Span]]:
        """(plain text, spans); runs of markup whitespace (space, tab, line breaks: what HTML and
        Markdown fold) become one space and the ends are stripped unless ``keep_whitespace``
        (code blocks). No-break spaces are text: French puts them before ":" and in "1 000"."""
        chars = self.chars
        kept = list(range(len(chars) + 1))  # chars[:i] keep kept[i] characters
        if not keep_whitespace:
            collapsed = []
            for i, (c, *marks) in enumerate(chars):
                kept[i] = len(collapsed)
                if c in _FOLDED:
                    if collapsed and collapsed[-1][0] == " ":
                        continue
                    c = " "
                collapsed.append((c, *marks))
            kept[len(chars)] = len(collapsed)
            lead = 0
            while lead < len(collapsed) and collapsed[lead][0] == " ":
                lead += 1
            while collapsed and collapsed[-1][0] == " ":
                collapsed.pop()
            lead = min(lead, len(collapsed))
            kept = [min(max(n - lead, 0), len(collapsed) - lead) for n in kept]
            chars = collapsed[lead:]
        text = "".join(c for c, *_ in chars)
        spans = [
            Span(start, end, style)
            for style in _STYLED
            for start, end in _runs(text, [style in s for _, s, _, _ in chars])
        ]
        for style, values in ((LINK, [c[2] for c in chars]), (FORMAT, [c[3] for c in chars])):
            for start, end in _runs(text, [bool(v) for v in values]):
                cut = start  # adjacent links with different URLs are different spans
                for i in range(start + 1, end + 1):
                    if i == end or values[i] != values[cut]:
                        if values[cut]:
                            title = self.titles.get(values[cut], "") if style == LINK else ""
                            spans.append(Span(cut, i, style, values[cut], title))
                        cut = i
        spans += [Span(kept[at], kept[at], ANCHOR, source) for at, source in self.anchors]
        spans.sort(key=lambda s: (s.start, -s.end, s.style))
        return text, spans


def _runs(text: str, marked: list[bool]) -> list[tuple[int, int]]:
    """Maximal marked runs of ``text``, without leading or trailing spaces."""
    runs, start = [], None
    for i, on in enumerate([*marked, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            a, b = start, i
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                runs.append((a, b))
            start = None
    return runs


def make_blocks(stem: str, raw: list[RawBlock]) -> list[Block]:
    """Numbered Blocks of the non-empty raw blocks, boilerplate rules applied to their texts."""
    raw = [r for r in raw if r.text.strip()]
    kinds = mark_boilerplate([r.text for r in raw], [r.kind for r in raw])
    return [
        Block(stem, i, r.line, r.text, kind, r.style, r.level, r.spans, r.locator)
        for i, (r, kind) in enumerate(zip(raw, kinds, strict=True))
    ]
