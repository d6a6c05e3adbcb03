"""Plain text and inline spans of a block, built from formatted pieces (shared by the readers).

A reader appends text with the styles in force (bold, italic, code, a link's URL);
:meth:`InlineText.finish` collapses whitespace the way a browser does, and returns the block's
plain text with its :class:`~fr2en_dossier.model.Span` list: offsets into that plain text, the
frame every segment and glossary hit uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..model import LINK, Block, Span
from .layout import mark_boilerplate

_STYLED = ("bold", "italic", "code")


@dataclass
class RawBlock:
    """A block as a reader finds it, before numbering and boilerplate rules."""

    kind: str
    text: str
    spans: list[Span]
    style: str = ""
    level: int = 0
    line: int = 0


_FOLDED = frozenset(" \t\n\r\f")
_LINK_SCHEMES = ("", "http", "https", "mailto")  # "": relative links and #fragments


def _safe_link(href: str) -> bool:
    cleaned = "".join(c for c in href if c.isprintable() and not c.isspace())
    return urlsplit(cleaned).scheme.lower() in _LINK_SCHEMES


@dataclass
class InlineText:
    chars: list[tuple[str, frozenset, str]] = field(default_factory=list)  # char, styles, href

    def add(self, text: str, styles=frozenset(), href: str = "") -> None:
        """Append ``text`` with its ``styles`` and link; a link of another scheme than http(s)
        or mailto (``javascript:``, ``data:``…) is not kept: the English pages must not run it."""
        styles = frozenset(styles)
        href = href if _safe_link(href) else ""
        self.chars.extend((c, styles, href) for c in text)

    def finish(self, *, keep_whitespace: bool = False) -> tuple[str, list[Span]]:
        """(plain text, spans); runs of markup whitespace (space, tab, line breaks: what HTML and
        Markdown fold) become one space and the ends are stripped unless ``keep_whitespace``
        (code blocks). No-break spaces are text: French puts them before ":" and in "1 000"."""
        chars = self.chars
        if not keep_whitespace:
            collapsed = []
            for c, styles, href in chars:
                if c in _FOLDED:
                    if collapsed and collapsed[-1][0] == " ":
                        continue
                    c = " "
                collapsed.append((c, styles, href))
            while collapsed and collapsed[0][0] == " ":
                collapsed.pop(0)
            while collapsed and collapsed[-1][0] == " ":
                collapsed.pop()
            chars = collapsed
        text = "".join(c for c, _, _ in chars)
        spans = [
            Span(start, end, style)
            for style in _STYLED
            for start, end in _runs(text, [style in s for _, s, _ in chars])
        ]
        hrefs = [href for _, _, href in chars]
        for start, end in _runs(text, [bool(h) for h in hrefs]):
            cut = start  # adjacent links with different URLs are different spans
            for i in range(start + 1, end + 1):
                if i == end or hrefs[i] != hrefs[cut]:
                    spans.append(Span(cut, i, LINK, hrefs[cut]))
                    cut = i
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
        Block(stem, i, r.line, r.text, kind, r.style, r.level, r.spans)
        for i, (r, kind) in enumerate(zip(raw, kinds, strict=True))
    ]
