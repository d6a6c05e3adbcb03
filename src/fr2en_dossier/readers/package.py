"""Zip packages (.docx, .pptx, .odt): their parts read within bounds, their XML parsed safely.

A package is refused in one line before anything is parsed when the sizes its entries declare
add up to more than :data:`MAX_UNPACKED`, or when unpacking gives more than that (a zip bomb:
561 KB that unpack to gigabytes). XML parts are parsed without entities, DTDs or network,
with lxml's ``huge_tree`` (deep nesting and long texts are read, not cut).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Fr2enError
from ..safe_xml import parse_xml_bytes
from ..model import Document
from .inline import RawBlock, Slot, make_blocks

MAX_UNPACKED = 512 * 1024 * 1024  # bytes, all entries together
_CHUNK = 1 << 20


@dataclass
class Package:
    """The entries of a zip file in their order, each with its bytes and zip details."""

    path: Path
    infos: list[zipfile.ZipInfo] = field(default_factory=list)
    data: dict[str, bytes] = field(default_factory=dict)

    def xml(self, name: str):
        """The parsed root element of XML entry ``name`` (None when there is none)."""
        if name not in self.data:
            return None
        return parse_xml_bytes(self.data[name], f"{self.path}: {name}")


@dataclass
class Unit:
    """A paragraph of a package's part, as a unit: its text, spans and text slots
    (``Block.locator``: ``PART#N``, the N-th paragraph of that part)."""

    part: str
    number: int
    element: object
    raw: RawBlock
    slots: list[Slot] = field(default_factory=list)


def read_office(path: Path, fmt: str, open_file: Callable, paragraphs: Callable,
                paragraph_unit: Callable, meta: Callable) -> Document:
    """The Document of an office file: ``open_file(path, data)`` gives an object with
    ``parts`` (name → root, in reading order), ``paragraphs(root)`` the units' elements of a
    part, ``paragraph_unit(opened, part, number, element, line)`` each :class:`Unit`,
    ``meta(opened)`` the metadata."""
    from . import keep_original, read_bytes

    data = read_bytes(path)
    opened = open_file(path, data)
    raw, line = [], 0
    for part, root in opened.parts.items():
        for number, paragraph in enumerate(paragraphs(root)):
            line += 1
            raw.append(paragraph_unit(opened, part, number, paragraph, line).raw)
    doc = Document(path.stem, path, make_blocks(path.stem, raw), fmt, meta(opened))
    return keep_original(doc, data)


def read_package(path: Path, data: bytes, kind: str) -> Package:
    """Every entry of the zip ``data`` (file ``path``, a ``kind`` such as "Word .docx")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise Fr2enError(f"{path}: not a readable {kind} file ({err})") from None
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED:
        raise Fr2enError(
            f"{path}: refused: its parts would unpack to {declared / 1e6:,.0f} MB, more than "
            f"the {MAX_UNPACKED / 1e6:,.0f} MB a {kind} file may (a zip bomb?)"
        )
    package = Package(path, infos)
    total = 0
    try:
        for info in infos:
            if info.is_dir():
                continue
            chunks = []
            with archive.open(info) as entry:
                while chunk := entry.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNPACKED:
                        raise Fr2enError(
                            f"{path}: refused: its parts unpack to more than "
                            f"{MAX_UNPACKED / 1e6:,.0f} MB (a zip bomb?)"
                        )
                    chunks.append(chunk)
            package.data[info.filename] = b"".join(chunks)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as err:
        raise Fr2enError(f"{path}: not a readable {kind} file ({err})") from None
    return package


def write_package(package: Package, parts: dict[str, bytes]) -> bytes:
    """The zip of ``package`` with the entries of ``parts`` replaced, every other entry (its
    name, order, date and compression) as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in package.infos:
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
            entry.create_system = info.create_system
            data = b"" if info.is_dir() else parts.get(info.filename, package.data[info.filename])
            archive.writestr(entry, data)
    return out.getvalue()


def serialize(root) -> bytes:
    """An XML part as written back: UTF-8 with its declaration, standalone as Office writes."""
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
