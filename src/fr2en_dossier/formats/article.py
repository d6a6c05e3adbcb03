"""The English article in its input's format: ``en/<stem>.html``, ``.md`` or ``.docx``.

The writers take the English Document made by :func:`fr2en_dossier.markup.english_documents`
(blocks of English text with their inline spans, the input's styles and metadata).
"""

from __future__ import annotations

from pathlib import Path

from ..model import DOCX, HTML, MARKDOWN, Document

SUFFIXES = {HTML: ".html", MARKDOWN: ".md", DOCX: ".docx"}


def write_article(doc: Document, directory: Path, run_id: str = "") -> Path | None:
    """Write ``<directory>/<stem><suffix>`` in the document's format; None for a .txt input
    (``en/<stem>.txt`` is written for every document by :mod:`formats.text`). ``run_id`` goes
    where the format has room for it: an HTML ``<meta>``, the DOCX ``identifier`` property
    (Markdown has none that readers would not show)."""
    if doc.format not in SUFFIXES:
        return None
    path = directory / f"{doc.stem}{SUFFIXES[doc.format]}"
    if doc.format == HTML:
        from .article_html import write_article_html

        write_article_html(doc, path, run_id)
    elif doc.format == MARKDOWN:
        from .markdown import write_markdown

        write_markdown(doc, path)
    else:
        from .docx import write_docx

        write_docx(doc, path, run_id)
    return path
