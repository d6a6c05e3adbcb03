"""A run's dossier on disk: how a run of an archive keeps its memory flat.

:meth:`run.Run.finish_chunks` sends the documents through the stages a chunk at a time and
adds each chunk's :class:`~model.Part` objects (document, original bytes, segments) here,
pickled in a SQLite file in a scratch folder beside the generations (``.staging-spill-*``,
made by ``mkdtemp``: this process's alone; removed with the run, or as a leftover by the next
writer when the run was killed). What compares segments across the dossier is answered on
disk: the ``inconsistent`` flag from an index of every translated segment's French
(:meth:`Spill.reasons`, the groups judged by :func:`mt_checks.inconsistent_group`) and the
analysis' repetitions from a table of the French met so far (:meth:`Spill.seen`). The writers
then read the parts back one at a time (:meth:`Spill.__iter__`). Nothing here is project
state: the file is scratch, written without a journal, and only the process that wrote it
reads it.
"""

from __future__ import annotations

import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from .model import Part
from .mt_checks import consistency_key, inconsistent_group

PREFIX = ".staging-spill-"  # outputs.remove_leftovers removes what a killed run left

_SCHEMA = """
CREATE TABLE parts (n INTEGER PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE french (seq INTEGER PRIMARY KEY, part INTEGER NOT NULL, key TEXT NOT NULL,
                     source TEXT NOT NULL, target TEXT NOT NULL);
CREATE TABLE reasons (part INTEGER NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL);
"""


class Spill:
    """The parts of a dossier in a scratch SQLite file in ``folder`` (use it in a ``with``)."""

    def __init__(self, folder: Path):
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX, dir=folder))
        self.db = sqlite3.connect(self.dir / "spill.sqlite")  # committed after each chunk
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                              "PRAGMA cache_size = -32768;" + _SCHEMA)
        self.count = self.segments = 0  # parts and segments added
        self._indexed = False
        self._sets = 0

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def add(self, parts: Iterable[Part]) -> None:
        """Keep ``parts`` (each after the per-segment stages), in dossier order."""
        for part in parts:
            self.count += 1
            self.segments += len(part.segments)
            self.db.execute("INSERT INTO parts VALUES (?, ?)", (self.count, _encode(part)))
            self._index(self.count, part)
        self.db.commit()

    def put(self, n: int, part: Part) -> None:
        """Replace part number ``n`` (1-based, dossier order) with ``part``."""
        self.db.execute("UPDATE parts SET record = ? WHERE n = ?", (_encode(part), n))

    def get(self, n: int) -> Part:
        (record,) = self.db.execute("SELECT record FROM parts WHERE n = ?", (n,)).fetchone()
        return pickle.loads(record)

    def __iter__(self) -> Iterator[Part]:
        """The parts in dossier order, read one at a time."""
        for n in range(1, self.count + 1):
            yield self.get(n)

    def reasons(self, n: int) -> dict[str, str]:
        """{key: reason} of the segments of part ``n`` flagged ``inconsistent``: their French
        is translated differently elsewhere in the dossier (every part added)."""
        if not self._indexed:
            self._judge()
        return dict(self.db.execute("SELECT key, reason FROM reasons WHERE part = ?", (n,)))

    def seen(self) -> DiskSet:
        """An empty set of strings on disk (``in`` and ``add``): the analysis' French met."""
        self._sets += 1
        return DiskSet(self.db, f"seen{self._sets}")

    def _index(self, n: int, part: Part) -> None:
        rows = []
        for seg in part.segments:
            french = consistency_key(seg)
            if french is not None:
                rows.append((n, seg.key, french, seg.target))
        self.db.executemany("INSERT INTO french (part, key, source, target) VALUES (?, ?, ?, ?)",
                            rows)

    def _judge(self) -> None:
        """Find the groups of the same French with different English, once."""
        self._indexed = True
        self.db.execute("CREATE INDEX french_source ON french (source, seq)")
        groups = self.db.execute(
            "SELECT source, part, key, target FROM french WHERE source IN "
            "(SELECT source FROM french GROUP BY source HAVING COUNT(*) > 1) "
            "ORDER BY source, seq")
        judge = self.db.cursor()
        for _, group in groupby(groups, key=lambda row: row[0]):  # one group in memory at a time
            members = [(part, key, target) for _, part, key, target in group]
            reasons = inconsistent_group([(key, target) for _, key, target in members])
            judge.executemany("INSERT INTO reasons VALUES (?, ?, ?)",
                              [(part, key, reasons[key]) for part, key, _ in members
                               if key in reasons])
        self.db.execute("CREATE INDEX reasons_part ON reasons (part)")
        self.db.commit()


class DiskSet:
    """A set of strings in a table of the spill (only ``in`` and ``add``)."""

    def __init__(self, db: sqlite3.Connection, table: str):
        self.db, self.table = db, table
        db.execute(f"CREATE TABLE {table} (item TEXT PRIMARY KEY) WITHOUT ROWID")

    def __contains__(self, item: str) -> bool:
        return self.db.execute(f"SELECT 1 FROM {self.table} WHERE item = ?",
                               (item,)).fetchone() is not None

    def add(self, item: str) -> None:
        self.db.execute(f"INSERT OR IGNORE INTO {self.table} VALUES (?)", (item,))


def _encode(part: Part) -> bytes:
    """The part as the spill keeps it: pickled (about four times faster to read back than
    JSON records, and this process alone reads what it wrote, from its own scratch folder)."""
    return pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
