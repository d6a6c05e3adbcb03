"""The review memory: every review and draft ever made, one row per event, in SQLite.

``memory.sqlite`` (beside the project file, as Trados keeps its ``.sdltm``) holds one row per
review or draft: the French as compared (:func:`model.comparable`), its context, the English,
the origin, when it was recorded, the generation of the outputs it was made on, how it came
(browser, PO, TMX…) and who made it when known. A review or draft is committed before
:meth:`ReviewMemory.record` returns, so a caller that reports it stored tells the truth.

The database runs in WAL mode with a busy timeout: the review server records while
``fr2en translate`` reads or writes, without the project lock; SQLite serialises the writes.
Nothing is deleted: a review is never touched again; a draft is shadowed by a newer one, and an
Esc in the workspace *withdraws* the drafts it autosaved (they stay in the history).

The file is created on first use, from ``memory.tmx`` when that exists (a memory of the format
before this database: migrated whole, :mod:`.exchange`), in a temporary file linked into place
in one step, so a killed migration leaves either no database or a complete one.

Schema 2 adds the external memories (``sources`` and their ``units``: TMX files imported
read-only, :mod:`.external`) and the search index (:mod:`.index`); a database of schema 1 is
upgraded when it is opened, in one transaction (its events indexed, nothing else touched).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..atomic import _umask
from ..errors import Fr2enError
from ..model import DRAFT, MT, REVIEW, Segment, comparable
from . import index
from .context import ANYWHERE, Context, contexts, rank

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 15_000
SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,          -- the French as compared (model.comparable)
    target TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('review', 'draft')),
    doc TEXT NOT NULL,
    key TEXT NOT NULL,             -- the segment key when it was recorded
    contextual INTEGER NOT NULL,   -- 0: recorded before contexts were kept
    prev TEXT,                     -- the French before and after (NULL at an edge)
    next TEXT,
    changedate TEXT NOT NULL,      -- TMX date, YYYYMMDDThhmmssZ
    recorded TEXT NOT NULL,        -- YYYYMMDDThhmmss.ffffffZ: sorts with run ids
    run TEXT NOT NULL DEFAULT '',  -- the generation of the outputs the edit was made on
    via TEXT NOT NULL DEFAULT '',  -- browser, po, tmx, xliff, memory.tmx, import
    author TEXT NOT NULL DEFAULT '',
    withdrawn TEXT                 -- a draft undone (Esc): when; NULL while it stands
);
CREATE INDEX IF NOT EXISTS events_source ON events (source);
CREATE INDEX IF NOT EXISTS events_run ON events (run);
"""
# Marks on a segment's English that are no translation: a QA flag a reviewer judged a false
# positive (dismiss), or English a reviewer rejected (reject). Each holds for the English it
# was made on: when the English changes, the flag comes back and the rejection goes.
_MARKS = """
CREATE TABLE IF NOT EXISTS marks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    doc TEXT NOT NULL,
    key TEXT NOT NULL,
    contextual INTEGER NOT NULL,
    prev TEXT,
    next TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('dismiss', 'reject')),
    flag TEXT NOT NULL DEFAULT '',  -- the flag dismissed
    target TEXT NOT NULL,           -- the English it is about
    reason TEXT NOT NULL DEFAULT '',
    recorded TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    withdrawn TEXT
);
CREATE INDEX IF NOT EXISTS marks_source ON marks (source);
CREATE TABLE IF NOT EXISTS declined (  -- glossary candidates a reviewer said are no entry
    source TEXT PRIMARY KEY,
    recorded TEXT NOT NULL
);
"""
DISMISS, REJECT = "dismiss", "reject"
# Schema 2: external memories (read-only, by name) and the search index.
_SCHEMA_2 = """
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,            -- the file it was imported from
    tool TEXT NOT NULL DEFAULT '', -- the TMX header's creationtool and its version
    imported TEXT NOT NULL         -- now_stamp() of the import
);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES sources (id),
    french TEXT NOT NULL,          -- comparable French
    english TEXT NOT NULL,
    changedate TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS units_french ON units (french);
CREATE INDEX IF NOT EXISTS units_source ON units (source);
""" + index.SCHEMA
_COLUMNS = ("id, source, target, origin, doc, key, contextual, prev, next, changedate, "
            "recorded, run, via, author, withdrawn")
_LOOKUP_CHUNK = 500  # sources per IN (...) query


def now_stamp() -> str:
    """The current time as memory rows and run ids spell it: ``20261124T090102.123456Z``."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")


def run_stamp(run_id: str) -> str:
    """The time part of a run id (``outputs.new_run_id``), comparable with :func:`now_stamp`."""
    return run_id.split("-", 1)[0]


@dataclass(frozen=True)
class MemoryEntry:
    """One review or draft event."""

    id: int
    source: str  # comparable French
    target: str
    origin: str  # REVIEW or DRAFT
    key: str  # the segment key when it was recorded
    doc: str
    context: Context | None  # None: recorded before contexts were kept
    changedate: str  # TMX date, YYYYMMDDThhmmssZ
    recorded: str  # now_stamp() when recorded
    run: str = ""  # the run id of the outputs the edit was made on ("" unknown)
    via: str = ""
    author: str = ""
    withdrawn: str = ""  # "" while it stands


class ReviewMemory:
    """Reviews and drafts by French text, in the SQLite database at ``path``.

    ``legacy_tmx`` is the memory file of the format before the database: read on first use
    when the database does not exist yet. Use as a context manager, or call :meth:`close`.
    Safe to share between the threads of one process (one connection, one lock).
    """

    def __init__(self, path: str | os.PathLike, legacy_tmx: str | os.PathLike | None = None):
        self.path = Path(path)
        self._guard = threading.RLock()
        target = checked_database_path(self.path)
        try:
            if not target.exists():
                _create(target, Path(legacy_tmx) if legacy_tmx else None)
            self._db = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000,
                                       check_same_thread=False, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            version = self._version()
        except sqlite3.Error as err:
            raise Fr2enError(f"{self.path}: not a usable review memory ({err})") from None
        if version is None or version > SCHEMA_VERSION:
            self._db.close()
            raise Fr2enError(f"{self.path}: a review memory of another version "
                             f"({version or 'none'}); upgrade fr2en-dossier")
        if version < SCHEMA_VERSION:
            self._write(self._upgrade)
        try:
            if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'declined'").fetchone():
                self._db.executescript(_MARKS)  # a memory made before marks existed
        except sqlite3.Error as err:
            raise Fr2enError(f"{self.path}: cannot add the marks table ({err})") from None

    def _version(self) -> int | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        return int(row[0]) if row else None

    def _upgrade(self, db: sqlite3.Connection) -> None:
        """Schema 1 → 2 inside one transaction: the new tables, the events indexed."""
        if self._version() != 1:
            return  # upgraded meanwhile by another process
        for statement in _statements(_SCHEMA_2):
            db.execute(statement)
        index.index_pairs(db, db.execute("SELECT source, target FROM events").fetchall())
        db.execute("UPDATE meta SET value = ? WHERE name = 'schema'", (str(SCHEMA_VERSION),))

    # --- reading -------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._one("SELECT COUNT(*) FROM events WHERE withdrawn IS NULL")[0]

    def entries(self, *, withdrawn: bool = False) -> list[MemoryEntry]:
        """Every event in the order it was recorded (standing ones only, unless ``withdrawn``)."""
        where = "" if withdrawn else " WHERE withdrawn IS NULL"
        return self._select(f"SELECT {_COLUMNS} FROM events{where} ORDER BY id")

    def history(self, source: str) -> list[MemoryEntry]:
        """Every event recorded for this French (withdrawn drafts included), oldest first."""
        return self._select(f"SELECT {_COLUMNS} FROM events WHERE source = ? ORDER BY id",
                            (comparable(source),))

    def candidates(self, sources: Iterable[str]) -> dict[str, list[MemoryEntry]]:
        """The standing entries of each of ``sources`` (comparable French), in recorded order."""
        found: dict[str, list[MemoryEntry]] = {}
        wanted = list(dict.fromkeys(sources))
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            for entry in self._select(f"SELECT {_COLUMNS} FROM events WHERE withdrawn IS NULL"
                                      f" AND source IN ({marks}) ORDER BY id", chunk):
                found.setdefault(entry.source, []).append(entry)
        return found

    def lookup(self, seg: Segment, context: Context) -> MemoryEntry | None:
        """The entry that applies to ``seg`` standing in ``context``, or None."""
        source = comparable(seg.source)
        return best_entry(self.candidates([source]).get(source, ()), context)

    def applicable(self, segments: Sequence[Segment]) -> list[MemoryEntry | None]:
        """The entry that applies to each of ``segments`` (a dossier, in order), or None."""
        found = self.candidates(comparable(seg.source) for seg in segments)
        return [best_entry(found.get(comparable(seg.source), ()), context)
                for seg, context in zip(segments, contexts(segments), strict=True)]

    def apply(self, segments: Sequence[Segment]) -> int:
        """Give every segment the English the memory says; return how many have an entry.

        A review sets origin REVIEW, a draft origin DRAFT (``Segment.set_english``: what
        described the machine translation goes); a segment whose review or draft no longer
        applies (a draft withdrawn) gets its machine translation back, or no English.
        """
        for seg, entry in zip(segments, self.applicable(segments), strict=True):
            show(seg, entry)
        return sum(1 for seg in segments if seg.origin in (REVIEW, DRAFT))

    def recorded_from(self, source: str, target: str, run: str) -> list[MemoryEntry]:
        """The events of this French and English made on the outputs of ``run`` (so that a
        file taken back twice is recorded once)."""
        return self._select(f"SELECT {_COLUMNS} FROM events WHERE source = ? AND target = ? "
                            "AND run = ? ORDER BY id", (comparable(source), target, run))

    def matches(self, seg: Segment, context: Context, *, n: int = 3, minimum: int = 75,
                glossary=None) -> list:
        """The best ``n`` fuzzy matches for ``seg`` in ``context`` (:func:`.fuzzy.matches`;
        each ``.to_dict()`` is JSON)."""
        from .fuzzy import matches

        return matches(self, seg, context, n=n, minimum=minimum, glossary=glossary)

    def concordance(self, text: str, *, limit: int = 50, segments: Iterable[Segment] = ()) -> list:
        """Where ``text`` occurs, accents and case aside (:func:`.concordance.concordance`;
        each ``.to_dict()`` is JSON)."""
        from .concordance import concordance

        return concordance(self, text, limit=limit, segments=segments)

    def sources(self) -> set[str]:
        """Every French the memory holds anything about: reviews and drafts (withdrawn ones
        too) and marks."""
        return {row[0] for row in self.rows("SELECT source FROM events UNION SELECT source FROM marks")}

    def data_version(self) -> int:
        """Changes when another connection has committed since (``PRAGMA data_version``)."""
        return self._one("PRAGMA data_version")[0]

    # --- writing -------------------------------------------------------------------------

    def record(self, seg: Segment, target: str, context: Context, *, draft: bool = False,
               run: str = "", via: str = "", author: str = "", stamp: str = "") -> MemoryEntry | None:
        """Record ``target`` as the review (or draft) of ``seg`` in ``context``, committed
        before it returns; None when it is already what applies there. ``stamp`` dates it
        (default: now; an edit kept as a conflict's draft is dated by the outputs it was made
        on, so that it never shadows the newer review)."""
        origin = DRAFT if draft else REVIEW
        with self._guard:
            current = self.lookup(seg, context)
            if current is not None and current.target == target and current.origin == origin:
                return None
            return self.add([_row(seg, target, origin, context, run, via, author, stamp)])[0]

    def add(self, rows: list[dict]) -> list[MemoryEntry]:
        """Insert event rows (the columns of the table but ``id``) in one transaction."""
        if not rows:
            return []
        names = [name for name in _COLUMNS.split(", ") if name != "id"]
        sql = f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        with self._guard:
            ids = []

            def insert(db: sqlite3.Connection) -> None:
                ids.extend(db.execute(sql, [row.get(n) for n in names]).lastrowid for row in rows)
                index.index_pairs(db, [(row["source"], row["target"]) for row in rows])

            self._write(insert)
            marks = ",".join("?" * len(ids))
            return self._select(f"SELECT {_COLUMNS} FROM events WHERE id IN ({marks}) ORDER BY id",
                                ids)

    def withdraw(self, seg: Segment, context: Context, after: int) -> int:
        """Withdraw the standing drafts of ``seg`` in ``context`` recorded after event id
        ``after`` (the Esc of an edit that autosaved them); return how many."""
        source = comparable(seg.source)
        doomed = [e.id for e in self.candidates([source]).get(source, ())
                  if e.origin == DRAFT and e.id > after and e.context == context]
        if doomed:
            stamp = now_stamp()
            marks = ",".join("?" * len(doomed))
            self._write(lambda db: db.execute(
                f"UPDATE events SET withdrawn = ? WHERE id IN ({marks})", [stamp, *doomed]))
        return len(doomed)

    def unconfirm(self, seg: Segment, context: Context) -> MemoryEntry | None:
        """Take back the review that applies to ``seg``: withdrawn (it stays in the history)
        and recorded again as a draft, so the segment needs work again. None without one."""
        entry = self.lookup(seg, context)
        if entry is None or entry.origin != REVIEW:
            return None
        stamp = now_stamp()
        self._write(lambda db: db.execute("UPDATE events SET withdrawn = ? WHERE id = ?",
                                          (stamp, entry.id)))
        return self.add([_row(seg, entry.target, DRAFT, context, entry.run, "unconfirm", "")])[0]

    # --- marks ---------------------------------------------------------------------------

    def mark(self, seg: Segment, context: Context, kind: str, reason: str = "", flag: str = "",
             author: str = "") -> None:
        """Dismiss QA ``flag`` of ``seg``'s English (``kind`` DISMISS), or reject that English
        (REJECT), with ``reason``; committed before it returns."""
        values = (comparable(seg.source), seg.doc, seg.key, 1, context.prev, context.next, kind,
                  flag, seg.target or "", reason, now_stamp(), author)
        self._write(lambda db: db.execute(
            "INSERT INTO marks (source, doc, key, contextual, prev, next, kind, flag, target, "
            "reason, recorded, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values))

    def unmark(self, seg: Segment, context: Context, kind: str, flag: str = "") -> int:
        """Withdraw the marks of that kind (and flag) that apply to ``seg``; how many."""
        doomed = [m["id"] for m in self._marks_of(seg, context) if (m["kind"], m["flag"]) == (kind, flag)]
        if doomed:
            marks = ",".join("?" * len(doomed))
            self._write(lambda db: db.execute(
                f"UPDATE marks SET withdrawn = ? WHERE id IN ({marks})", [now_stamp(), *doomed]))
        return len(doomed)

    def apply_marks(self, segments: Sequence[Segment]) -> None:
        """Move each dismissed flag of a segment (its English unchanged since) from ``flags``
        to ``dismissed``, with the reason; set ``rejected`` where its English was rejected."""
        found = self._marks([comparable(seg.source) for seg in segments])
        for seg, context in zip(segments, contexts(segments), strict=True):
            seg.rejected, seg.dismissed = "", {}
            for mark in _applying(found.get(comparable(seg.source), ()), seg, context):
                if mark["kind"] == REJECT:
                    seg.rejected = mark["reason"] or "rejected"
                elif mark["flag"] in seg.flags:
                    seg.flags.remove(mark["flag"])
                    seg.dismissed[mark["flag"]] = mark["reason"]
                    seg.reasons.pop(mark["flag"], None)

    def _marks_of(self, seg: Segment, context: Context) -> list[dict]:
        source = comparable(seg.source)
        return _applying(self._marks([source]).get(source, ()), seg, context)

    def _marks(self, sources: list[str]) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        wanted = list(dict.fromkeys(sources))
        names = ("id", "source", "doc", "contextual", "prev", "next", "kind", "flag", "target",
                 "reason", "recorded")
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            with self._guard:
                try:
                    rows = self._db.execute(
                        f"SELECT {', '.join(names)} FROM marks WHERE withdrawn IS NULL AND source "
                        f"IN ({','.join('?' * len(chunk))}) ORDER BY id", chunk).fetchall()
                except sqlite3.Error as err:
                    raise Fr2enError(f"{self.path}: cannot read the review memory ({err})") from None
            for row in rows:
                found.setdefault(row[1], []).append(dict(zip(names, row)))
        return found

    def decline(self, source: str) -> None:
        """Remember that the glossary candidate ``source`` is no entry: never proposed again."""
        self._write(lambda db: db.execute("INSERT OR REPLACE INTO declined VALUES (?, ?)",
                                          (comparable(source).casefold(), now_stamp())))

    def declined(self) -> set[str]:
        """The candidates declined (:meth:`decline`), folded as they were stored."""
        with self._guard:
            try:
                return {row[0] for row in self._db.execute("SELECT source FROM declined")}
            except sqlite3.Error as err:
                raise Fr2enError(f"{self.path}: cannot read the review memory ({err})") from None

    def close(self) -> None:
        with self._guard:
            self._db.close()

    def __enter__(self) -> ReviewMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- SQLite, for the modules of this package -----------------------------------------

    def rows(self, sql: str, args: Sequence = ()) -> list[tuple]:
        """The rows of a query (one statement), read under this memory's lock."""
        with self._guard:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as err:
                raise Fr2enError(f"{self.path}: cannot read the review memory ({err})") from None

    def write(self, body: Callable[[sqlite3.Connection], object]) -> None:
        """Run ``body`` in one committed transaction (:meth:`_write`)."""
        self._write(body)

    def _write(self, body: Callable[[sqlite3.Connection], object]) -> None:
        """Run ``body`` in one immediate transaction, committed here; on any failure (the
        commit's own: a full disk) it is rolled back, so nothing half-written stays visible."""
        with self._guard:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    body(self._db)
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as err:
                raise Fr2enError(f"{self.path}: cannot write the review memory ({err})") from None

    def _select(self, sql: str, args: Sequence = ()) -> list[MemoryEntry]:
        return [_entry(row) for row in self.rows(sql, args)]

    def _one(self, sql: str, args: Sequence = ()) -> tuple:
        return self.rows(sql, args)[0]


def show(seg: Segment, entry: MemoryEntry | None) -> None:
    """Give ``seg`` the English of ``entry``, or, without one, back the machine translation
    when it carried English a person typed."""
    if entry is not None:
        if (seg.target, seg.origin) != (entry.target, entry.origin):
            seg.set_english(entry.target, entry.origin)
    elif seg.origin in (REVIEW, DRAFT):
        seg.set_english(seg.mt, MT if seg.mt else "")


def best_entry(entries: Iterable[MemoryEntry], context: Context) -> MemoryEntry | None:
    """Of the entries of one French, the one that fits ``context`` best (newest of equals);
    a draft only applies in its own document."""
    best, best_key = None, None
    for entry in entries:
        fit = rank(entry.doc, entry.context, context)
        if entry.origin == DRAFT and fit == ANYWHERE:
            continue
        candidate = (fit, entry.recorded, entry.id)
        if best_key is None or candidate > best_key:
            best, best_key = entry, candidate
    return best


def _applying(marks, seg: Segment, context: Context) -> list[dict]:
    """The marks that hold for ``seg`` now: made in its document (the closest context's when
    several say the same), on the English it has."""
    english = comparable(seg.target or "")
    best: dict[tuple[str, str], tuple] = {}
    for mark in marks:
        recorded = Context(mark["doc"], mark["prev"], mark["next"]) if mark["contextual"] else None
        fit = rank(mark["doc"], recorded, context)
        if fit == ANYWHERE or comparable(mark["target"]) != english:
            continue
        key = (mark["kind"], mark["flag"])
        if key not in best or (fit, mark["id"]) > best[key][:2]:
            best[key] = (fit, mark["id"], mark)
    return [item[2] for item in best.values()]


def checked_database_path(path: Path) -> Path:
    """The file to open for the database at ``path``: itself, or what its symlink points to
    when that is an existing SQLite file (a dangling link, or one to another kind of file, is
    an error: nothing is ever created through a link)."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    try:
        with open(target, "rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as err:
        raise Fr2enError(f"{path}: a link to {target}, which cannot be read "
                         f"({err.strerror or err}); the memory is never created through a link")
    if magic != SQLITE_MAGIC:
        raise Fr2enError(f"{path}: a link to {target}, which is not a SQLite database")
    return target


def _create(path: Path, legacy_tmx: Path | None) -> None:
    """Create the database at ``path``, with the events of ``legacy_tmx`` if it exists, in a
    temporary file hard-linked into place (another process creating it meanwhile wins)."""
    from .exchange import legacy_rows

    rows = legacy_rows(legacy_tmx) if legacy_tmx is not None and legacy_tmx.exists() else []
    if not path.parent.is_dir():
        raise Fr2enError(f"{path.parent}: no such folder for the review memory")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # as any file the project writes, not mkstemp's 0600
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.executescript(_SCHEMA + _SCHEMA_2 + _MARKS)
            db.execute("BEGIN")
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            if legacy_tmx is not None and rows:
                db.execute("INSERT INTO meta VALUES ('migrated-from', ?)", (str(legacy_tmx),))
            names = [name for name in _COLUMNS.split(", ") if name != "id"]
            db.executemany(
                f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [[row.get(n) for n in names] for row in rows])
            index.index_pairs(db, [(row["source"], row["target"]) for row in rows])
            db.execute("COMMIT")
        finally:
            db.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # created meanwhile by another process: theirs is the memory
    except OSError as err:
        raise Fr2enError(f"{err.filename or path}: cannot create the review memory "
                         f"({err.strerror or err})") from None
    finally:
        os.unlink(tmp)


def _statements(script: str) -> list[str]:
    """The statements of a schema script (executed one by one inside a transaction, which
    ``executescript`` would commit first)."""
    return [part.strip() for part in script.split(";\n") if part.strip()]


def _row(seg: Segment, target: str, origin: str, context: Context | None, run: str, via: str,
         author: str, stamp: str = "") -> dict:
    """The event row of an edit of ``seg``."""
    stamp = stamp or now_stamp()
    return {
        "source": comparable(seg.source), "target": target, "origin": origin, "doc": seg.doc,
        "key": seg.key, "contextual": int(context is not None),
        "prev": context.prev if context else None, "next": context.next if context else None,
        "changedate": stamp[:15] + "Z", "recorded": stamp, "run": run, "via": via,
        "author": author, "withdrawn": None,
    }


def _entry(row: tuple) -> MemoryEntry:
    (id_, source, target, origin, doc, key, contextual, prev, after, changedate, recorded, run,
     via, author, withdrawn) = row
    context = Context(doc, prev, after) if contextual else None
    return MemoryEntry(id_, source, target, origin, key, doc, context, changedate, recorded, run,
                       via, author, withdrawn or "")
