"""``en/<stem>.html``: the English article as a clean page (Jinja2 template
``templates/article.html.j2``): title, metadata, headings, paragraphs, quotes, nested lists,
bold/italic/code and links with their URLs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write_text
from ..model import BOILERPLATE, CAPTION, HEADING, LIST_ITEM, QUOTE, Block, Document
from .runs import runs

@dataclass
class Node:
    """One thing of the page: a block (``block``) or a list (``tag`` "ul"/"ol", ``items``)."""

    block: Block | None = None
    tag: str = ""
    items: list[Node] = field(default_factory=list)  # list items, each maybe with a sub-list


def write_article_html(doc: Document, path: Path, run_id: str = "") -> Path:
    return atomic_write_text(path, render_article_html(doc, run_id))


def render_article_html(doc: Document, run_id: str = "") -> str:
    from .html import templates

    return templates().get_template("article.html.j2").render(
        title=doc.title or doc.stem,
        meta=doc.meta,
        run_id=run_id,
        nodes=_tree(doc.blocks),
        runs=runs,
        element=_element,
    )


def _element(block: Block) -> str:
    """The tag of a block that is not a list item."""
    if block.kind == HEADING:
        return f"h{min(max(block.level, 1), 6)}"
    if block.style == "pre":
        return "pre"
    return {QUOTE: "blockquote", CAPTION: "figcaption", BOILERPLATE: "aside"}.get(block.kind, "p")


def _tree(blocks: list[Block]) -> list[Node]:
    """Blocks with consecutive list items gathered into (nested) lists by their level."""
    nodes: list[Node] = []
    stack: list[Node] = []  # open lists, outermost first
    for block in blocks:
        if block.kind != LIST_ITEM:
            stack.clear()
            nodes.append(Node(block))
            continue
        level = max(block.level, 1)
        del stack[level:]
        while len(stack) < level:
            new = Node(tag="ol" if block.style == "ol" else "ul")
            if stack and stack[-1].items:
                stack[-1].items[-1].items.append(new)  # a sub-list of the last item
            elif stack:
                stack[-1].items.append(Node(items=[new]))
            else:
                nodes.append(new)
            stack.append(new)
        stack[-1].items.append(Node(block))
    return nodes
