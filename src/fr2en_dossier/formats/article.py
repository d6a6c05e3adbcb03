"""The English article in its input's format: ``en/<stem>.html``, ``.md`` or ``.docx``.

The writers (named in the table of formats, ``formats/table.py``) take the English Document
made by :func:`fr2en_dossier.markup.english_documents` (blocks of English text with their inline
spans, the input's styles and metadata).
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from .table import article_format, function


def write_article(doc: Document, directory: Path, run_id: str = "") -> Path | None:
    """Write ``<directory>/<stem><suffix>`` in the document's format; None for a .txt input
    (``en/<stem>.txt`` is written for every document by :mod:`formats.text`). ``run_id`` goes
    where the format has room for it: an HTML ``<meta>``, the DOCX ``identifier`` property
    (Markdown has none that readers would not show)."""
    found = article_format(doc.format)
    if not found.writer:
        return None
    path = directory / f"{doc.stem}{found.suffixes[0]}"
    function(found.writer)(doc, path, run_id)
    return path
