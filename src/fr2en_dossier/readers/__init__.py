"""Readers: one module per input format, chosen by extension through the table of formats
(``formats/table.py``; an HTML page also by content).

Each returns a :class:`~fr2en_dossier.model.Document` of typed blocks whose texts are plain
text (never markup), with the map back to the markup (``Block.style/level/spans``), so
segmentation, glossary, MT and review work the same on every format. Each block is a unit of
the original file (``Block.locator``), which the document keeps (``Document.original``, its
sha256 in ``Document.source``): the English document is that file with the units' text
replaced (docs/formats.md). A reader may ``warn`` (one line) about what it could not read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..errors import Fr2enError
from ..formats.table import ARTICLES, CONVERT, article_format, by_suffix, function
from ..model import HTML, TXT, Document

_HTML_START = (b"<!doctype html", b"<html")


def readable(path: Path) -> bool:
    """Whether a reader takes ``path`` (what a directory listing reads, the rest is skipped)."""
    return by_suffix(ARTICLES, path) is not None


def read_document(path: Path, warn: Callable[[str], None] | None = None) -> Document:
    """``path`` → Document through its format's reader; Fr2enError naming the file otherwise.
    ``warn`` gets one line (naming the file) for each thing the reader had to leave out."""
    suffix = path.suffix.lower()
    if suffix in CONVERT:
        raise Fr2enError(
            f"{path}: {suffix[1:].upper()} is not supported; convert it first, e.g. "
            f"{CONVERT[suffix].replace('FILE', path.stem)}"
        )
    found = by_suffix(ARTICLES, path)
    if found is None or found.name == TXT:
        found = article_format(HTML if _looks_like_html(path) else TXT)
    from .inline import TooLong

    try:
        return function(found.reader)(path, warn or (lambda line: None))
    except TooLong as err:
        raise Fr2enError(f"{path}: refused: {err} (no paragraph breaks); split it into "
                         "paragraphs") from None
    except RecursionError:
        raise Fr2enError(f"{path}: refused: nested too deep to be read") from None


def read_bytes(path: Path) -> bytes:
    """The file's bytes; Fr2enError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read ({err.strerror or err})") from None


def keep_original(doc: Document, data: bytes) -> Document:
    """``doc`` keeping the bytes it was read from (written in place from them)."""
    doc.source, doc.original = hashlib.sha256(data).hexdigest(), data
    return doc


def _looks_like_html(path: Path) -> bool:
    """A saved web page under another name (``article.txt`` that starts with ``<!DOCTYPE html``)."""
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_HTML_START)
