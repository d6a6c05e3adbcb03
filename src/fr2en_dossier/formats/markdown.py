"""``en/<stem>.md``: the English article as CommonMark — ATX headings, paragraphs, ``>``
quotes, bulleted or numbered lists nested by level, fenced code, bold/italic/code spans and
links; text is escaped so that it reads back as the same text."""

from __future__ import annotations

import re
from pathlib import Path

from ..atomic import atomic_write_text
from ..model import BOLD, CODE, HEADING, ITALIC, LIST_ITEM, QUOTE, Block, Document
from .runs import runs

_SPECIAL = re.compile(r"([\\`*_\[\]<>!&|~])")
# Plain text that would open a block at the start of a line: a heading, list or numbered-list
# marker followed by a space, or a line of - or = (a rule, a setext underline). ">" and "*"
# are escaped everywhere by _SPECIAL.
_BLOCK_START = re.compile(r"(?:#{1,6}|[+-]|\d{1,9}[.)])(?=\s|$)|[-=]+\s*$")
_INDENT = "    "  # per list level: deeper than "1. " and "- " items' content


def write_markdown(doc: Document, path: Path, run_id: str = "") -> Path:
    """Write ``doc`` as CommonMark (``run_id`` has no place a Markdown reader would not show)."""
    return atomic_write_text(path, render_markdown(doc))


def render_markdown(doc: Document) -> str:
    out: list[str] = []
    numbers: dict[int, int] = {}  # list level → last number used
    previous: Block | None = None
    for block in doc.blocks:
        if block.kind == LIST_ITEM:
            level = max(block.level, 1)
            numbers = {k: v for k, v in numbers.items() if k <= level}
            if previous is None or previous.kind != LIST_ITEM:
                numbers = {}
            numbers[level] = numbers.get(level, 0) + 1
            marker = f"{numbers[level]}." if block.style == "ol" else "-"
            line = f"{_INDENT * (level - 1)}{marker} {_inline(block)}"
            tight = previous is not None and previous.kind == LIST_ITEM
            out.append(("\n" if tight else "\n\n") + line if out else line)
        else:
            out.append(("\n\n" if out else "") + _block(block))
        previous = block
    return "".join(out) + "\n"


def _block(block: Block) -> str:
    if block.style == "pre":
        fence = "```" + "`" * max((len(m) - 2 for m in re.findall(r"`{3,}", block.text)), default=0)
        return f"{fence}\n{block.text}\n{fence}"
    if block.style == "html":
        return block.text  # a raw HTML block of the input, kept as it was
    if block.kind == HEADING:
        return f"{'#' * min(max(block.level, 1), 6)} {_inline(block)}"
    if block.kind == QUOTE:
        return f"> {_inline(block)}"
    return _inline(block)


def _inline(block: Block) -> str:
    parts = []
    for n, (text, styles, href) in enumerate(runs(block.text, block.spans)):
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        if not core:
            parts.append(text)
            continue
        if CODE in styles:
            ticks = "`" * (max((len(t) for t in re.findall(r"`+", core)), default=0) + 1)
            pad = " " if core.startswith("`") or core.endswith("`") else ""
            core = f"{ticks}{pad}{core}{pad}{ticks}"
        else:
            core = _SPECIAL.sub(r"\\\1", core)
            if n == 0 and not (styles or href):
                core = _escape_block_start(core)
        if ITALIC in styles:
            core = f"*{core}*"
        if BOLD in styles:
            core = f"**{core}**"
        if href:
            core = f"[{core}]({_url(href)})"
        parts.append(f"{lead}{core}{trail}")
    return "".join(parts)


def _escape_block_start(text: str) -> str:
    """``text`` that starts a line, with a backslash where it would open a block ("1\\. ",
    "\\# ", "\\- "); "3.5" or "-x" are left as they are."""
    if not _BLOCK_START.match(text):
        return text
    digits = re.match(r"\d+", text)
    return f"{text[:digits.end()]}\\{text[digits.end():]}" if digits else "\\" + text


def _url(href: str) -> str:
    """A link destination CommonMark reads back as the same URL (characters that end or break
    a destination percent-encoded)."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(char, code)
    return href
