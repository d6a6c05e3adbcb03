"""Readers: one module per input format, chosen by extension through the table of formats
(``formats/table.py``; an HTML page also by content).

Each returns a :class:`~fr2en_dossier.model.Document` of typed blocks whose texts are plain
text (never markup), with the map back to the markup (``Block.style/level/spans``), so
segmentation, glossary, MT and review work the same on every format.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Fr2enError
from ..formats.table import ARTICLES, CONVERT, article_format, by_suffix, function
from ..model import HTML, TXT, Document

_HTML_START = (b"<!doctype html", b"<html")


def readable(path: Path) -> bool:
    """Whether a reader takes ``path`` (what a directory listing reads, the rest is skipped)."""
    return by_suffix(ARTICLES, path) is not None


def read_document(path: Path) -> Document:
    """``path`` → Document through its format's reader; Fr2enError naming the file otherwise."""
    suffix = path.suffix.lower()
    if suffix in CONVERT:
        raise Fr2enError(
            f"{path}: {suffix[1:].upper()} is not supported; convert it first, e.g. "
            f"{CONVERT[suffix].replace('FILE', path.stem)}"
        )
    found = by_suffix(ARTICLES, path)
    if found is None or found.name == TXT:
        found = article_format(HTML if _looks_like_html(path) else TXT)
    return function(found.reader)(path)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; Fr2enError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read ({err.strerror or err})") from None


def _looks_like_html(path: Path) -> bool:
    """A saved web page under another name (``article.txt`` that starts with ``<!DOCTYPE html``)."""
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_HTML_START)
