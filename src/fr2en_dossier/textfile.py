"""Text files as every reader of this project takes them: UTF-8, any newline convention."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Fr2enError

NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is dropped); anything else is an error naming the file and line."""
    if b"\0" in data:
        line = _line_at(data, data.index(b"\0"))
        raise Fr2enError(f"{path}:{line}: binary file (NUL byte), not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = _line_at(data, err.start)
        raise Fr2enError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x}); if it is Latin-1, "
            f"convert it first: iconv -f latin1 -t utf-8 {path.name} > {path.stem}.utf8{path.suffix}"
        ) from None


def _line_at(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset (newlines as in :data:`NEWLINE`)."""
    return len(_NEWLINE_BYTES.findall(data, 0, offset)) + 1
