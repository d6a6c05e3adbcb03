"""Where a segment stands, and which memory entry fits it best.

As OmegaT keeps its project memory, a review is stored under its French together with its
context: the document and the French of the segments before and after it. A segment takes the
entry that matches it best: same context, then same document and one neighbour, then same
document, then the same French anywhere (drafts: in the same document only); the newest of
equals wins. So a review follows its sentence when lines are inserted, moved or deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Segment, comparable

SAME_CONTEXT, ONE_NEIGHBOUR, SAME_DOC, ANYWHERE = 3, 2, 1, 0


@dataclass(frozen=True)
class Context:
    """Where a segment stands: its document and its neighbours' French (None at an edge)."""

    doc: str
    prev: str | None
    next: str | None


def contexts(segments: Sequence[Segment]) -> list[Context]:
    """The context of each segment of ``segments`` (documents in order, as the pipeline gives)."""
    result = []
    for i, seg in enumerate(segments):
        before = segments[i - 1] if i and segments[i - 1].doc == seg.doc else None
        after = segments[i + 1] if i + 1 < len(segments) and segments[i + 1].doc == seg.doc else None
        result.append(
            Context(
                seg.doc,
                comparable(before.source) if before else None,
                comparable(after.source) if after else None,
            )
        )
    return result


def rank(doc: str, recorded: Context | None, context: Context) -> int:
    """How well an entry recorded in document ``doc`` and context ``recorded`` (None: before
    contexts were kept) fits a segment standing in ``context``."""
    if doc != context.doc:
        return ANYWHERE
    if recorded == context:
        return SAME_CONTEXT
    if recorded and (recorded.prev == context.prev or recorded.next == context.next):
        return ONE_NEIGHBOUR
    return SAME_DOC
