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
_BLOCK_START = re.compile(r"([#>+*-]|=+$)|(\d+)([.)])")
_INDENT = "    "  # per list level: deeper than "1. " and "- " items' content


def write_markdown(doc: Document, path: Path) -> Path:
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
    for text, styles, href in runs(block.text, block.spans):
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
        if ITALIC in styles:
            core = f"*{core}*"
        if BOLD in styles:
            core = f"**{core}**"
        if href:
            core = f"[{core}]({_url(href)})"
        parts.append(f"{lead}{core}{trail}")
    line = "".join(parts)
    match = _BLOCK_START.match(line)
    if match and match.group(1):
        line = "\\" + line
    elif match:
        line = f"{match.group(2)}\\{line[len(match.group(2)):]}"
    return line


def _url(href: str) -> str:
    """A link destination CommonMark reads back as the same URL (characters that end or break
    a destination percent-encoded)."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(char, code)
    return href
