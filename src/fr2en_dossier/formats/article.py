"""The English document in its input's format: ``en/<stem>.md``, ``.docx``, ``.odt``,
``.pptx`` — the original file with each unit's text replaced (docs/formats.md) — and, for a
web page, ``en/<stem>.html`` (a clean article page) with ``en/pages/<stem>.html`` (the whole
page translated in place).

The writers are named in the table of formats (``formats/table.py``). The English of each unit
is made by :func:`fr2en_dossier.markup.english_documents` (its segments' English, the French
inline markup placed on it); units nobody translated keep their French, so an in-place writer
leaves them as they were.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document, Segment
from .table import article_format, function

PAGES_DIR = "pages"  # en/pages/<stem>.html: the web page translated in place


def write_article(
    french: Document,
    segments: list[Segment],
    directory: Path,
    run_id: str = "",
    *,
    include_boilerplate: bool = False,
) -> list[Path]:
    """Write the English of ``french`` (its ``segments``) in its format into ``directory``;
    the paths written ([] for a .txt input: ``en/<stem>.txt`` is written for every document by
    :mod:`formats.text`, or when the original file is not at hand). ``run_id`` goes where the
    format has room for it (an HTML ``<meta>``, the ``identifier`` property of Word and ODF).
    ``include_boilerplate`` keeps the boilerplate in the clean article page."""
    from ..markup import english_documents

    found = article_format(french.format)
    if not found.writer:
        return []
    (english,) = english_documents([french], segments, include_boilerplate=True)
    path = directory / f"{french.stem}{found.suffixes[0]}"
    written = []
    if found.clean:
        (article,) = english_documents([french], segments, include_boilerplate=include_boilerplate)
        written.append(function(found.clean)(article, path, run_id))
        path = directory / PAGES_DIR / f"{french.stem}{found.suffixes[0]}"
    if french.original is not None:
        written.append(function(found.writer)(english, french, path, run_id))
    return written
