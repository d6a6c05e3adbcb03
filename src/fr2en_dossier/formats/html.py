"""``review.html``: self-contained pages to read French and English side by side.

Per document (named by its first heading, in natural order), one row per segment: its key (the
PO msgctxt / TMX tuid), the French with its glossary hits, the English with the hits' target
terms, and the QA flags with their reasons in words. Totals, a flag filter and a search stay
in view on top. Narrow screens get French and English stacked per segment. A dossier of more
than :data:`SPLIT_SEGMENTS` segments gets an index page and one page per document instead of
one huge page. The markup lives in Jinja2 templates (``templates/review*.html``) with
autoescaping: every text is escaped. Inline CSS and JS only: nothing is fetched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..atomic import atomic_write_stream, atomic_write_text
from ..model import BOILERPLATE_FLAG, REVIEW, TM, Part, Segment, by_document, segments_of
from .notes import match_notes, percent
from .qa_export import status
from .report import RunInfo, Totals, report_totals
from .view import (
    document_title,
    flag_reason,
    flagged,
    natural_key,
    source_pieces,
    target_pieces,
)

SPLIT_SEGMENTS = 3000  # above this, one page per document plus an index
PAGES_DIR_SUFFIX = "-pages"  # review.html's per-document pages live in review-pages/


@lru_cache(maxsize=1)
def templates():
    """The package's one Jinja2 environment (autoescaping on): every page and template."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("fr2en_dossier", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def write_review_html(
    segments: list[Segment], path: str | os.PathLike, run: RunInfo | None = None
) -> Path:
    """Write the one-page review of ``segments`` to ``path`` (atomically)."""
    return atomic_write_text(path, render_review_html(segments, run))


def write_review_pages(
    parts: Iterable[Part],
    path: str | os.PathLike,
    run: RunInfo | None = None,
    split_above: int | None = None,
) -> list[Path]:
    """Write the review of the segments of ``parts`` (:func:`model.parts_of`): one page at
    ``path``, or, above ``split_above`` segments (default :data:`SPLIT_SEGMENTS`), an index
    at ``path`` and one page per document in ``<path stem>-pages/``, written one document at
    a time."""
    path = Path(path)
    limit = SPLIT_SEGMENTS if split_above is None else split_above
    parts, first, count = iter(parts), [], 0
    for part in parts:  # the first parts, until they are more than one page holds (kept)
        first.append(part)
        count += len(part.segments)
        if count > limit:
            break
    else:
        segments = list(segments_of(first))
        return [atomic_write_text(path, render_review_html(segments, run, _formats(first)))]
    folder = path.with_name(path.stem + PAGES_DIR_SUFFIX)
    pages, index, totals = [], [], Totals()
    for part in chain(first, parts):  # one document's rows in memory at a time
        if not part.segments:
            continue
        doc = _document(part.stem, part.segments, part.document.format if part.document else "")
        page = _render_page(doc.pop("segments"), [doc], run, index=f"../{path.name}")
        pages.append(atomic_write_text(folder / doc["file"], page))
        index.append(IndexRow(*(doc[name] for name in IndexRow._fields)))
        totals.add(part.segments)
    index.sort(key=lambda row: natural_key(row.doc))
    head = _head(totals.result(), sum(row.flagged for row in index), run)
    template = templates().get_template("review_index.html")

    def write(fh) -> None:  # the index streamed: a row a document, never one string
        for piece in template.generate(head=head, documents=index, pages=folder.name):
            fh.write(piece.encode("utf-8"))

    return [atomic_write_stream(path, write), *pages]


class IndexRow(NamedTuple):
    """What the index of the split review shows of a document (a row each: kept small)."""

    doc: str
    file: str
    title: str
    count: int
    reviewed: int
    flagged: int


def render_review_html(segments: list[Segment], run: RunInfo | None = None,
                       formats: dict[str, str] | None = None) -> str:
    """The one-page review of ``segments`` as an HTML string (``formats``: each document's
    input format, by stem)."""
    groups = sorted(by_document(segments).items(), key=lambda item: natural_key(item[0]))
    docs = [_document(doc, segs, (formats or {}).get(doc, "")) for doc, segs in groups]
    return _render_page(segments, docs, run, index="")


def _formats(parts: Iterable[Part]) -> dict[str, str]:
    return {part.stem: part.document.format for part in parts if part.document is not None}


STATUSES = {"machine": "machine", "tm": "TM match", "draft": "draft", "reviewed": "reviewed",
            "rejected": "rejected", "none": "no English"}


def _render_page(segments, docs, run, index: str) -> str:
    head = _head(report_totals(segments), sum(1 for s in segments if flagged(s)), run)
    return templates().get_template("review.html").render(
        head=head, documents=docs, index=index, statuses=STATUSES
    )


def _head(totals: dict, flagged_count: int, run: RunInfo | None) -> dict:
    """What the top of every page shows: title, run line, tiles, flag counts (``totals``:
    :func:`report_totals` of the segments shown or indexed)."""
    origins = totals["origins"]
    n = totals["segments"]
    return {
        "title": f"fr2en review — {totals['documents']} documents, {n} segments",
        "run_line": _run_line(run),
        "run_id": run.id if run is not None else "",
        "flags": totals["flags"],
        "tiles": [
            ("documents", totals["documents"], ""),
            ("segments", n, ""),
            ("translated", totals["translated"], _percent(totals["translated"], n)),
            ("machine", origins.get("mt", 0) + origins.get("cache", 0),
             f"{origins.get('cache', 0)} from cache"),
            ("reviewed", origins.get(REVIEW, 0), "from the review memory"),
            ("memory matches", origins.get(TM, 0), "drafts prefilled from fuzzy matches"),
            ("flagged", flagged_count, "segments with a QA flag"),
        ],
    }


def _run_line(run: RunInfo | None) -> str:
    parts = [f"fr2en-dossier {__version__}"]
    if run is not None:
        parts.append((run.engine or "machine translation") if run.mt else "no MT (--no-mt)")
        parts.append(f"glossary {run.glossary}" if run.glossary else "no glossary")
        if run.xml_chars_dropped:
            parts.append(f"{run.xml_chars_dropped} XML-invalid characters dropped from the TMX")
    return " · ".join(parts)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else ""


def _document(doc: str, segs: list[Segment], fmt: str) -> dict:
    """One document of the review: its title, input format, counts, rows and segments."""
    return {
        "doc": doc,
        "file": f"{doc}.html",
        "title": document_title(segs) or doc,
        "format": fmt,
        "count": len(segs),
        "flagged": sum(1 for s in segs if flagged(s)),
        "reviewed": sum(1 for s in segs if s.origin == REVIEW),
        "rows": [_row(seg, i == 0 or seg.block != segs[i - 1].block)
                 for i, seg in enumerate(segs)],
        "segments": segs,
    }


def _row(seg: Segment, new_block: bool) -> dict:
    classes = ["seg", f"kind-{seg.kind}"]
    if new_block:
        classes.append("block-start")
    if BOILERPLATE_FLAG in seg.flags:
        classes.append("muted")
    has_english = bool(seg.target and seg.target.strip())
    return {
        "seg": seg,
        "classes": " ".join(classes),
        "status": status(seg),
        "confidence": f"{percent(seg.confidence)} confident" if percent(seg.confidence) else "",
        "fr": source_pieces(seg),
        "mt_input": seg.engine_input if seg.engine_input not in (None, seg.source) else "",
        "en": target_pieces(seg) if has_english else [],
        "none": "" if has_english else (
            "boilerplate: not translated" if BOILERPLATE_FLAG in seg.flags else "no translation"
        ),
        "flags": [(name, flag_reason(seg, name)) for name in seg.flags],
        "dismissed": sorted(seg.dismissed.items()),
        "match": match_notes(seg),  # a prefilled draft: the match's score, source, repairs
    }
