"""The table of formats: every kind of file fr2en reads or writes, in one place.

Articles have a reader (``readers/``: path, warn → Document) and, except plain text, a writer
of the English document in place (the original file with each unit's text replaced: english
Document, french Document, path, run id); a web page also has a clean article page; review files have a reader of their units (``formats/``: path → the file's
run id and its :class:`~fr2en_dossier.model.ReviewUnit`s). The loader, the outputs, review
import and the command-line help all ask this table. Functions are named as ``module:function``
under the package and imported on first use, so reading the table costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..model import DOCX, HTML, MARKDOWN, ODT, PPTX, TXT


@dataclass(frozen=True)
class Format:
    name: str  # Document.format of an article, or the review file kind
    suffixes: tuple[str, ...]  # the first is the one written
    reader: str = ""  # articles: "module:function" reading (path, warn) into a Document
    writer: str = ""  # articles: "module:function" writing (english, french, path, run id)
    clean: str = ""  # articles: "module:function" writing a clean page (english, path, run id)
    review: str = ""  # review files: "module:function" reading (run id, units)


ARTICLES = (
    Format(TXT, (".txt",), "readers.txt:read"),
    Format(HTML, (".html", ".htm"), "readers.html:read", "formats.page_html:write_page",
           "formats.article_html:write_article_html"),
    Format(MARKDOWN, (".md",), "readers.markdown:read", "formats.markdown:write_markdown"),
    Format(DOCX, (".docx",), "readers.docx:read", "formats.docx:write_docx"),
    Format(ODT, (".odt",), "readers.odt:read", "formats.odt:write_odt"),
    Format(PPTX, (".pptx",), "readers.pptx:read", "formats.pptx:write_pptx"),
)
REVIEWS = (
    Format("po", (".po",), review="formats.po:review_units"),
    Format("tmx", (".tmx",), review="formats.tmx:review_units"),
    Format("xliff", (".xlf", ".xliff"), review="formats.xliff_review:review_units"),  # 1.2 and 2.x
)
# Formats an article often comes in that no reader takes: how to convert them.
CONVERT = {
    ".pdf": "pdftotext -layout FILE.pdf",
    ".rtf": "soffice --headless --convert-to odt FILE.rtf",
    ".doc": "soffice --headless --convert-to docx FILE.doc",
    ".odp": "soffice --headless --convert-to pptx FILE.odp",
    ".ppt": "soffice --headless --convert-to pptx FILE.ppt",
}


def function(spec: str) -> Callable:
    """The function a table entry names (``module:function`` under the package)."""
    module, _, name = spec.partition(":")
    return getattr(import_module(f"fr2en_dossier.{module}"), name)


def by_suffix(formats: tuple[Format, ...], path: Path) -> Format | None:
    suffix = path.suffix.lower()
    return next((f for f in formats if suffix in f.suffixes), None)


def article_format(name: str) -> Format:
    """The article format called ``name`` (Document.format)."""
    return next(f for f in ARTICLES if f.name == name)


def suffixes(formats: tuple[Format, ...] = ARTICLES) -> list[str]:
    return [suffix for f in formats for suffix in f.suffixes]


def listed(formats: tuple[Format, ...] = ARTICLES, last: str = "or") -> str:
    """The main suffix of each format, for messages: ".txt, .html, .md, … or .pptx"."""
    names = [f.suffixes[0] for f in formats]
    return ", ".join(names[:-1]) + f" {last} {names[-1]}" if len(names) > 1 else names[0]
