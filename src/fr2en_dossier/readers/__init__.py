"""Readers: one module per input format, chosen by extension (an HTML page also by content).

Each returns a :class:`~fr2en_dossier.model.Document` of typed blocks whose texts are plain
text (never markup), with the map back to the markup (``Block.style/level/spans``), so
segmentation, glossary, MT and review work the same on every format.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from ..errors import Fr2enError
from ..model import Document

# suffix → module of this package
READERS = {".txt": "txt", ".html": "html", ".htm": "html", ".md": "markdown", ".docx": "docx"}
# Formats an article often comes in that no reader takes: how to convert them.
CONVERT = {
    ".pdf": "pdftotext -layout FILE.pdf",
    ".odt": "soffice --headless --convert-to docx FILE.odt",
    ".rtf": "soffice --headless --convert-to docx FILE.rtf",
    ".doc": "soffice --headless --convert-to docx FILE.doc",
}
_HTML_START = (b"<!doctype html", b"<html")


def readable(path: Path) -> bool:
    """Whether a reader takes ``path`` (what a directory listing reads, the rest is skipped)."""
    return path.suffix.lower() in READERS


def read_document(path: Path) -> Document:
    """``path`` → Document through its format's reader; Fr2enError naming the file otherwise."""
    suffix = path.suffix.lower()
    if suffix in CONVERT:
        raise Fr2enError(
            f"{path}: {suffix[1:].upper()} is not supported; convert it first, e.g. "
            f"{CONVERT[suffix].replace('FILE', path.stem)}"
        )
    name = READERS.get(suffix)
    if name is None or name == "txt":
        name = "html" if _looks_like_html(path) else "txt"
    return import_module(f".{name}", __name__).read(path)


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
