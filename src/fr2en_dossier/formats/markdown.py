"""``en/<stem>.md``: the French Markdown file with the inline text of each unit replaced.

The original file (``Document.original``) is parsed again and each unit's source range
(``Block.locator``, :mod:`readers.markdown`) is replaced by its English: list markers and
numbers, quote markers, nesting, code, HTML blocks, thematic breaks and link reference
definitions are left exactly as they were, and so is a unit whose English is its French.
A unit spread over several lines is written on its first line (hard line breaks are kept).

The English is written as CommonMark inline text: bold, italic, code and links nested as the
spans say (``**L'*Express* a révélé**``), images and inline HTML where their anchors are,
text escaped so that it reads back as the same text. Each unit is checked by rendering it with
markdown-it: where emphasis cannot be written with ``*`` (its delimiters would not open or
close next to that punctuation), HTML tags are written instead; where that fails too, the
text is written without its formatting.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..model import ANCHOR, BOLD, CODE, HEADING, ITALIC, LINK, Document, Span
from ..readers.markdown import escape_text, link_destination
from .inplace import unchanged

# Plain text that would open a block at the start of a line: a heading, list or numbered-list
# marker followed by a space, or a line of - or = (a rule, a setext underline). ">" and "*"
# are escaped everywhere by ``readers.markdown.escape_text``.
_BLOCK_START = re.compile(r"(?:#{1,6}|[+-]|\d{1,9}[.)])(?=\s|$)|[-=]+\s*$")
_MARKS = {BOLD: ("**", "</strong>", "<strong>"), ITALIC: ("*", "</em>", "<em>")}
_HARD_BREAK = "\\\n"
_OUTER = (LINK, ITALIC, BOLD)  # the order markup nests in when spans cover the same text
PLAIN, ATX, CELL = "plain", "atx", "cell"  # where a unit's text stands in its line


def write_markdown(english: Document, french: Document, path: Path, run_id: str = "") -> Path:
    """``run_id`` has no place in Markdown that a reader would not show."""
    from ..readers.markdown import parse
    from ..textfile import decode

    source = parse(decode(french.original, french.path))
    lines = list(source.lines)
    edits = []
    for block in english.blocks:
        if not block.locator or block.index >= len(french.blocks):
            continue
        original = french.blocks[block.index]
        if unchanged(original, block):
            continue
        (l0, c0), (l1, c1) = (map(int, end.split(":")) for end in block.locator.split("-"))
        context = CELL if original.style in ("td", "th") else (
            ATX if original.kind == HEADING and lines[l0][:c0].rstrip().endswith("#") else PLAIN)
        edits.append((l0, c0, l1, c1, render_unit(block.text, block.spans, context)))
    for l0, c0, l1, c1, text in sorted(edits, reverse=True):
        lines[l0 : l1 + 1] = [lines[l0][:c0] + text + lines[l1][c1:]]
    out = "\n".join(lines)
    return atomic_write_bytes(path, (out.replace("\n", "\r\n") if source.crlf else out).encode())


def render_unit(text: str, spans: list[Span], context: str = PLAIN) -> str:
    """The Markdown of a unit's English, checked to render as ``text`` with ``spans``."""
    expected = _expected_html(text, spans)
    probe = [replace(s, href=_HARD_BREAK) if s.style == ANCHOR and s.href.startswith(_HARD_BREAK)
             else s for s in spans]  # hard breaks without the container marks of their line
    for tags in (False, True):
        if _rendered(render_inline(text, probe, html_tags=tags, context=context), context) \
                == expected:
            return render_inline(text, spans, html_tags=tags, context=context)
    kept = [s for s in spans if s.style == ANCHOR]
    return render_inline(text, kept, context=context)


def render_inline(text: str, spans: list[Span], *, html_tags: bool = False,
                  context: str = PLAIN) -> str:
    """``text`` as CommonMark inline text with ``spans`` (bold, italic, code, links nested,
    anchors' Markdown where they stand); with ``html_tags``, bold, italic, code and links are
    written as HTML tags."""
    out = _nested(text, spans, lambda piece, code: _code(piece, html_tags) if code
                  else escape_text(piece), lambda span, opening: _mark(span, opening, html_tags),
                  lambda anchor: anchor.href)
    if _BLOCK_START.match(out):
        digits = re.match(r"\d+", out)
        out = f"{out[:digits.end()]}\\{out[digits.end():]}" if digits else "\\" + out
    if context == ATX and out.endswith("#"):
        out = out[:-1] + "\\#"  # not a closing sequence
    return out


def _nested(text: str, spans: list[Span], piece, mark, anchor) -> str:
    """``text`` with its spans written as properly nested markup: ``piece(text, code)`` for
    the text, ``mark(span, opening)`` for each delimiter, ``anchor(span)`` for anchors."""
    marks = [s for s in spans if s.style in (BOLD, ITALIC, LINK) and s.end > s.start]
    codes = [s for s in spans if s.style == CODE and s.end > s.start]
    anchors = [s for s in spans if s.style == ANCHOR]
    cuts = sorted({0, len(text), *(p for s in marks + codes for p in (s.start, s.end)),
                   *(min(max(s.start, 0), len(text)) for s in anchors)})
    out: list[str] = []
    stack: list[Span] = []
    broken = False  # a hard line break was just written: the next line's spaces are not text
    for a, b in zip(cuts, [*cuts[1:], None]):
        wanted = sorted((s for s in marks if b is not None and s.start <= a and b <= s.end),
                        key=lambda s: (s.start, -s.end, _OUTER.index(s.style)))
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(mark(stack.pop(), False))
        here = [s for s in anchors if min(max(s.start, 0), len(text)) == a]
        out.extend(anchor(s) for s in here)
        broken = broken or any(s.href.startswith(_HARD_BREAK) for s in here)
        if b is None:
            break
        for span in wanted[keep:]:
            out.append(mark(span, True))
            stack.append(span)
        part = text[a:b].lstrip(" ") if broken else text[a:b]
        broken = broken and not part
        out.append(piece(part, any(s.start <= a and b <= s.end for s in codes)) if part else "")
    return "".join(out)


def _mark(span: Span, opening: bool, html_tags: bool) -> str:
    if span.style == LINK:
        if html_tags:
            return _link_tag(span) if opening else "</a>"
        return "[" if opening else f"]({link_destination(span.href, span.title)})"
    delimiter, close, open_ = _MARKS[span.style]
    return (open_ if opening else close) if html_tags else delimiter


def _code(text: str, html_tags: bool) -> str:
    if html_tags:
        return f"<code>{escape_text(text)}</code>"
    ticks = "`" * (max((len(t) for t in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (
        text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _expected_html(text: str, spans: list[Span]) -> str:
    """The HTML markdown-it gives for ``text`` with ``spans``: what the English must render as."""
    md = _parser()
    tags = {BOLD: "strong", ITALIC: "em"}

    def mark(span: Span, opening: bool) -> str:
        if span.style == LINK:
            return _link_tag(span) if opening else "</a>"
        return f"<{tags[span.style]}>" if opening else f"</{tags[span.style]}>"

    def piece(part: str, code: bool) -> str:
        escaped = _escape_html(part)
        return f"<code>{escaped}</code>" if code else escaped

    def anchor(span: Span) -> str:
        if span.href.startswith(_HARD_BREAK):
            return "<br />\n"
        return md.renderInline(span.href)

    return _nested(text, spans, piece, mark, anchor).replace("</code><code>", "")


def _link_tag(span: Span) -> str:
    """The ``<a>`` markdown-it writes for a link span."""
    title = f' title="{_escape_html(span.title)}"' if span.title else ""
    return f'<a href="{_escape_html(_parser().normalizeLink(span.href))}"{title}>'


def _escape_html(text: str) -> str:
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(text)


def _rendered(written: str, context: str) -> str:
    """The inner HTML markdown-it gives for a unit written in ``context``."""
    md = _parser()
    if context == ATX:
        found = re.fullmatch(r"<h1>(.*)</h1>\n", md.render(f"# {written}"), re.S)
    elif context == CELL:
        found = re.search(r"<th>(.*)</th>", md.render(f"| {written} |\n| --- |\n"), re.S)
    else:
        found = re.fullmatch(r"<p>(.*)</p>\n", md.render(written), re.S)
    return found[1] if found else ""
