"""The English document in its input's format: ``en/<stem>.md``, ``.docx``, ``.odt``,
``.pptx`` — the original file with each unit's text replaced (docs/formats.md) — and, for a
web page, ``en/<stem>.html`` (a clean article page) with ``en/pages/<stem>.html`` (the whole
page translated in place).

The English of each unit is made by :func:`fr2en_dossier.markup.english_documents` (its
segments' English, the French inline markup placed on it); units nobody translated keep their
French, so an in-place writer leaves them as they were.
"""

from __future__ import annotations

from pathlib import Path

from ..model import DOCX, HTML, MARKDOWN, ODT, PPTX, Document, Segment

SUFFIXES = {HTML: ".html", MARKDOWN: ".md", DOCX: ".docx", ODT: ".odt", PPTX: ".pptx"}
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

    if french.format not in SUFFIXES:
        return []
    (english,) = english_documents([french], segments, include_boilerplate=True)
    path = directory / f"{french.stem}{SUFFIXES[french.format]}"
    written = []
    if french.format == HTML:
        from .article_html import write_article_html

        (article,) = english_documents([french], segments, include_boilerplate=include_boilerplate)
        written.append(write_article_html(article, path, run_id))
        path = directory / PAGES_DIR / f"{french.stem}.html"
    if french.original is None:
        return written
    if french.format == HTML:
        from .page_html import write_page

        written.append(write_page(english, french, path, run_id))
    elif french.format == MARKDOWN:
        from .markdown import write_markdown

        written.append(write_markdown(english, french, path))
    elif french.format == DOCX:
        from .docx import write_docx

        written.append(write_docx(english, french, path, run_id))
    elif french.format == ODT:
        from .odt import write_odt

        written.append(write_odt(english, french, path, run_id))
    else:
        from .pptx import write_pptx

        written.append(write_pptx(english, french, path))
    return written
