"""``.txt`` reader: every non-blank line is a block, kept verbatim, typed by layout rules."""

from __future__ import annotations

from pathlib import Path

from ..model import Block, Document
from ..textfile import NEWLINE, decode
from . import read_bytes
from .layout import classify


def read(path: Path, warn) -> Document:
    """One UTF-8 text file → a Document whose blocks are its non-blank lines, typed."""
    text = decode(read_bytes(path), path)
    lines = [(n, line) for n, line in enumerate(NEWLINE.split(text), 1) if line.strip()]
    kinds = classify([line for _, line in lines])
    blocks = [
        Block(path.stem, i, n, line, kind)
        for i, ((n, line), kind) in enumerate(zip(lines, kinds, strict=True))
    ]
    return Document(path.stem, path, blocks)
