"""External memories: TMX files of other tools (OmegaT, Trados, memoQ, translate-toolkit's
``po2tmx``…) imported into ``memory.sqlite`` under a name, read-only.

An external memory is a table of units (French as compared, English, date, author) beside
the project's own events; the exact lookup of reviews never reads it, fuzzy matches and
prefill read it after the project's reviews and drafts (:mod:`.fuzzy`), the concordance
search reads it too. ``fr2en memory import FILE.tmx`` without a name merges a memory TMX of
this tool (``creationtool="fr2en-dossier"``: ``memory.tmx`` of this or another project) into
the project's own reviews and drafts, as before; any other TMX becomes an external memory
named after the file (its stem). A name is taken once: remove the memory to import it again.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import Fr2enError
from ..model import DRAFT, REVIEW, UNSTORABLE, comparable
from . import index
from .store import ReviewMemory, now_stamp

OWN_TOOL = "fr2en-dossier"  # the creationtool of this tool's TMX files
RESERVED = (REVIEW, DRAFT)  # what Segment.tm_source says of the project's own entries
MAX_NAME = 100


@dataclass(frozen=True)
class Source:
    """An external memory."""

    name: str
    file: str  # the file it was imported from
    tool: str  # the creation tool its header names
    imported: str  # when (memory.now_stamp)
    units: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Imported:
    """What an import did: merged into the project's entries (``source`` None), or made an
    external memory."""

    path: Path
    added: int  # entries merged, or units imported
    source: Source | None = None
    lacking: int = 0  # units without a French or an English variant, left out


def import_file(memory: ReviewMemory, path: str | os.PathLike, name: str | None = None) -> Imported:
    """Import the TMX file at ``path``: as the external memory ``name``; without a name, a
    memory TMX of this tool is merged into the project's entries and any other becomes an
    external memory named after the file."""
    from ..formats.tmx import read_pairs
    from .exchange import import_tmx

    path = Path(path)
    header, pairs, lacking = read_pairs(path)
    if name is None and header.get("creationtool") == OWN_TOOL:
        return Imported(path, import_tmx(memory, path))
    name = checked_name(path.stem if name is None else name)
    if not pairs:
        raise Fr2enError(f"{path}: no unit with both a French and an English variant "
                         f"({lacking} without)")
    tool = " ".join(filter(None, (header.get("creationtool", ""),
                                  header.get("creationtoolversion", ""))))
    rows = [(comparable(p.french), UNSTORABLE.sub("", p.english), p.changedate, p.author)
            for p in pairs]
    stamp = now_stamp()

    def insert(db) -> None:
        if db.execute("SELECT 1 FROM sources WHERE name = ?", (name,)).fetchone():
            raise Fr2enError(f"{path}: an external memory named {name!r} exists already; "
                             f"remove it first (fr2en memory remove {name}) or give --name")
        source = db.execute("INSERT INTO sources (name, file, tool, imported) VALUES (?, ?, ?, ?)",
                            (name, str(path.absolute()), tool, stamp)).lastrowid
        db.executemany("INSERT INTO units (source, french, english, changedate, author) "
                       "VALUES (?, ?, ?, ?, ?)", [(source, *row) for row in rows])
        index.index_pairs(db, [(french, english) for french, english, _, _ in rows])

    memory.write(insert)
    return Imported(path, len(rows), Source(name, str(path.absolute()), tool, stamp, len(rows)),
                    lacking)


def sources(memory: ReviewMemory) -> list[Source]:
    """The external memories, in the order they were imported."""
    return [Source(*row) for row in memory.rows(
        "SELECT s.name, s.file, s.tool, s.imported, COUNT(u.id) FROM sources s "
        "LEFT JOIN units u ON u.source = s.id GROUP BY s.id ORDER BY s.id")]


def remove(memory: ReviewMemory, name: str) -> int:
    """Remove the external memory ``name`` and its units (the project's own entries are never
    touched); returns how many units went."""
    removed = []

    def delete(db) -> None:
        row = db.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise Fr2enError(f"{memory.path}: no external memory named {name!r} "
                             "(fr2en memory list)")
        removed.append(db.execute("DELETE FROM units WHERE source = ?", row).rowcount)
        db.execute("DELETE FROM sources WHERE id = ?", row)
        index.trim(db)

    memory.write(delete)
    return removed[0]


def checked_name(name: str) -> str:
    """``name`` as an external memory's name, or Fr2enError saying why it cannot be one."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(not c.isprintable() for c in name):
        raise Fr2enError(f"{name!r}: an external memory's name is 1 to {MAX_NAME} printable "
                         "characters")
    if name in RESERVED:
        raise Fr2enError(f"{name!r}: a name the project's own entries use; give another")
    return name
