"""The review workspace's dossier on disk: every segment of the current outputs as a row of a
scratch SQLite database, and where each document's records lie in ``report.json``.

With it the workspace holds a few documents at a time however large the archive, and still
answers for all of them: the documents with their counts, filters and search over every
segment, the next segment to review, the segments of one French across the dossier (the
``inconsistent`` check). A row keeps what those questions need (the English, origin, flags,
risk, the folded text searched); a document's full segments are read from the report when it
is opened. The database is built from the report when the workspace opens a generation, lives
in the system's temporary folder and is removed when the workspace closes; a copy of it as
built (before the memory's English is laid over it) is kept in the cache folder, so the next
opening of the same report copies the rows instead of reading the report again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from .errors import Fr2enError
from .formats.view import document_title, flagged, natural_key, searchable
from .model import (
    BOILERPLATE_FLAG,
    DRAFT,
    MACHINE_ORIGINS,
    REVIEW,
    Document,
    Segment,
    comparable,
    document_from_dict,
    parse_key,
    segment_from_dict,
)
from .mt_checks import consistency_key, inconsistent_group

_SCHEMA = """
CREATE TABLE docs (
    no INTEGER PRIMARY KEY,        -- the document's place in natural order (0, 1, ...)
    doc TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    at INTEGER NOT NULL, size INTEGER NOT NULL,      -- its segment records in report.json
    doc_at INTEGER, doc_size INTEGER,                -- its document record (None: none)
    total INTEGER NOT NULL DEFAULT 0, reviewed INTEGER NOT NULL DEFAULT 0,
    drafts INTEGER NOT NULL DEFAULT 0, flagged INTEGER NOT NULL DEFAULT 0,
    words INTEGER NOT NULL DEFAULT 0, words_reviewed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE segs (
    seq INTEGER PRIMARY KEY,       -- the workspace's order: documents in natural order
    key TEXT NOT NULL UNIQUE,
    no INTEGER NOT NULL,
    fr TEXT NOT NULL,              -- model.comparable(source): how the memory finds it
    french TEXT,                   -- mt_checks.consistency_key (None: not compared)
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    flags TEXT NOT NULL,           -- " flag flag " (spaces around each)
    flagged INTEGER NOT NULL,
    needs INTEGER NOT NULL,        -- needs work: not reviewed, or rejected
    boiler INTEGER NOT NULL,
    risk REAL NOT NULL,
    words INTEGER NOT NULL,
    text TEXT NOT NULL,            -- formats.view.searchable of French, English and key
    hits TEXT,                     -- the hits' records (JSON) of machine English with hits
    term_method TEXT NOT NULL
);
"""
_INDEXES = """
CREATE INDEX segs_no ON segs (no, seq);
CREATE INDEX segs_fr ON segs (fr);
CREATE INDEX segs_french ON segs (french) WHERE french IS NOT NULL;
CREATE INDEX segs_risk ON segs (risk DESC, seq) WHERE risk > 0;
CREATE INDEX segs_hits ON segs (seq) WHERE hits IS NOT NULL;
"""
ROWS_VERSION = 1  # of the rows' columns and meaning: a kept copy of another is built again
KEPT_COPIES = 4  # kept copies of rows, the most recently opened (one per project output)
_COUNTS = ("total", "reviewed", "drafts", "flagged", "words", "words_reviewed")
_COLUMNS = ("key", "no", "fr", "french", "source", "target", "origin", "flags", "flagged",
            "needs", "boiler", "risk", "words", "text", "hits", "term_method")


class DossierIndex:
    """The rows of the report at ``report`` (a generation's ``report.json``): built on
    creation, in a scratch database removed by :meth:`close`, or copied from the rows kept for
    that report in the folder ``keep`` (None: none kept). ``head`` holds the report's
    top-level values (``run``, ``terms``, the analysis' ``total``)."""

    def __init__(self, report: Path, keep: Path | None = None):
        from .analysis import words

        self.report, self.head, self._words = report, {}, words
        self._folder = Path(tempfile.mkdtemp(prefix="fr2en-workspace-"))
        try:
            self.db = self._connect()
            kept = _kept_copy(report, keep) if keep is not None else None
            if kept is None or not self._restore(kept):
                self.db.executescript(_SCHEMA)
                self._build()
                if kept is not None:
                    self._keep(kept)
        except BaseException:
            self.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._folder / "dossier.sqlite", check_same_thread=False)
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        return db

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None
        shutil.rmtree(self._folder, ignore_errors=True)

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        """The rows and documents, read from the report a record at a time."""
        from .formats.report import scan_report

        docs: dict[str, list] = {}  # doc → [first byte, end byte, document record, title]
        rows, current = [], []  # rows to insert; the segments of the document being read
        for record in scan_report(self.report, self.head):
            if record.array == "documents":
                stem = record.data.get("stem")
                if stem in docs:
                    docs[stem][2] = (record.offset, record.length)
                continue
            seg = _light(self.report, record.data)
            if current and current[0].doc != seg.doc:
                docs[current[0].doc][3] = document_title(current)
                current = []
            if seg.doc in docs and not current:
                raise Fr2enError(f"{self.report}: the segments of {seg.doc} are not together")
            place = docs.setdefault(seg.doc, [record.offset, 0, (None, None), ""])
            place[1] = record.offset + record.length
            current.append(seg)
            rows.append((seg, record.data.get("hits") or None, len(docs) - 1))
            if len(rows) >= 5000:
                self._insert(rows, new=True)
                rows = []
        if current:
            docs[current[0].doc][3] = document_title(current)
        self._insert(rows, new=True)
        self._number(docs)
        self.db.executescript(_INDEXES)
        self.db.execute("ANALYZE")
        for no in range(len(docs)):
            self._count(no)
        self.db.execute("CREATE TABLE kept (version INTEGER NOT NULL, head TEXT NOT NULL)")
        self.db.execute("INSERT INTO kept VALUES (?, ?)",
                        (ROWS_VERSION, json.dumps(self.head, ensure_ascii=False)))
        self.db.commit()

    def _keep(self, kept: Path) -> None:
        """Copy the rows just built (committed: the scratch file is whole) to ``kept``
        atomically, for the next opening of the same report; the project's older copies go
        (and what a killed opening left half written), and the least recently opened beyond
        KEPT_COPIES. A copy that cannot be written is left unwritten: it only saves time."""
        from .atomic import atomic_write_stream

        try:
            with open(self._folder / "dossier.sqlite", "rb") as rows:
                atomic_write_stream(kept, lambda fh: shutil.copyfileobj(rows, fh, 1 << 20))
        except (OSError, Fr2enError):
            return
        project = kept.name.split("-", 1)[0]
        others = [c for c in kept.parent.glob("*.sqlite") if c != kept]
        for other in [*kept.parent.glob(f".{project}-*.tmp"),
                      *(c for c in others if c.name.startswith(f"{project}-")),
                      *sorted((c for c in others if not c.name.startswith(f"{project}-")),
                              key=_opened, reverse=True)[KEPT_COPIES - 1:]]:
            _remove(other)

    def _restore(self, kept: Path) -> bool:
        """The rows from the copy at ``kept``, when there is one this code reads (True)."""
        if not kept.is_file():
            return False
        try:
            copy = sqlite3.connect(f"{kept.as_uri()}?mode=ro", uri=True)
            try:
                copy.backup(self.db)
            finally:
                copy.close()
            if self.db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise ValueError("damaged")
            version, head = self.db.execute("SELECT version, head FROM kept").fetchone()
            if version != ROWS_VERSION:
                raise ValueError(f"rows of version {version}")
            self.head = json.loads(head)
            os.utime(kept)  # opened now: kept longest
        except (OSError, sqlite3.Error, ValueError, TypeError):
            self.db.close()  # a copy of other code, or damaged: built again
            (self._folder / "dossier.sqlite").unlink(missing_ok=True)
            self.db, self.head = self._connect(), {}
            return False
        return True

    def _insert(self, rows: list[tuple[Segment, list | None, int]], *, new: bool = False) -> None:
        """Insert (``new``) or update the rows of (segment, its hits' records, document
        number) ``rows``."""
        values = [self._values(seg, hits, no) for seg, hits, no in rows]
        if new:
            self.db.executemany(f"INSERT INTO segs ({', '.join(_COLUMNS)}) VALUES "
                                f"({', '.join('?' * len(_COLUMNS))})", values)
        else:
            sets = ", ".join(f"{name} = ?" for name in _COLUMNS[1:])
            self.db.executemany(f"UPDATE segs SET {sets} WHERE key = ?",
                                [(*v[1:], v[0]) for v in values])

    def _values(self, seg: Segment, hits, no: int) -> tuple:
        target = seg.target or ""
        machine = seg.origin in MACHINE_ORIGINS
        return (seg.key, no, comparable(seg.source), consistency_key(seg), seg.source, target,
                seg.origin, f" {' '.join(seg.flags)} ", flagged(seg),
                seg.origin != REVIEW or bool(seg.rejected), BOILERPLATE_FLAG in seg.flags,
                seg.risk, self._words(seg.source),
                searchable(f"{seg.source}\n{target}\n{seg.key}"),
                json.dumps(hits, ensure_ascii=False) if hits and machine else None,
                seg.term_method)

    def _number(self, docs: dict[str, list]) -> None:
        """The documents in natural order (their rows numbered in the report's order until
        now), their rows in that order."""
        names = sorted(docs, key=natural_key)
        self.db.executemany(
            "INSERT INTO docs (no, doc, title, at, size, doc_at, doc_size) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(no, doc, docs[doc][3] or doc, docs[doc][0], docs[doc][1] - docs[doc][0],
              *docs[doc][2]) for no, doc in enumerate(names)])
        if names != list(docs):
            self.db.execute("CREATE TEMP TABLE renumber (old INTEGER PRIMARY KEY, new INTEGER)")
            place = {doc: no for no, doc in enumerate(names)}
            self.db.executemany("INSERT INTO renumber VALUES (?, ?)",
                                ((old, place[doc]) for old, doc in enumerate(docs)))
            columns = ", ".join(_COLUMNS)
            self.db.executescript(
                "UPDATE segs SET no = (SELECT new FROM renumber WHERE old = segs.no);"
                "CREATE TEMP TABLE ordered AS SELECT * FROM segs ORDER BY no, seq;"
                f"DELETE FROM segs; INSERT INTO segs ({columns}) SELECT {columns} FROM ordered;"
                "DROP TABLE ordered; DROP TABLE renumber;")

    def _count(self, no: int) -> None:
        self.db.execute(
            "UPDATE docs SET (total, reviewed, drafts, flagged, words, words_reviewed) = ("
            "SELECT COUNT(*), TOTAL(origin = ?), TOTAL(origin = ?), TOTAL(flagged), TOTAL(words),"
            " TOTAL(CASE WHEN origin = ? THEN words END) FROM segs WHERE no = ? AND NOT boiler)"
            " WHERE no = ?", (REVIEW, DRAFT, REVIEW, no, no))

    # --- documents -----------------------------------------------------------------------

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def number(self, doc: str) -> int | None:
        row = self.db.execute("SELECT no FROM docs WHERE doc = ?", (doc,)).fetchone()
        return row[0] if row else None

    def name(self, no: int) -> str:
        return self.db.execute("SELECT doc FROM docs WHERE no = ?", (no,)).fetchone()[0]

    def documents(self, text: str = "", offset: int = 0, limit: int = 500) -> tuple[int, list[dict]]:
        """(how many documents match, a page of them in natural order): name, title, counts;
        ``text`` is looked for in their names and titles (accents and case aside)."""
        where, args = "", []
        if text.strip():
            self.db.create_function("searchable", 1, searchable, deterministic=True)
            where, args = "WHERE instr(searchable(doc || ' ' || title), ?) > 0", [searchable(text)]
        total = self.db.execute(f"SELECT COUNT(*) FROM docs {where}", args).fetchone()[0]
        rows = self.db.execute(
            f"SELECT doc, title, {', '.join(_COUNTS)} FROM docs {where} ORDER BY no "
            "LIMIT ? OFFSET ?", [*args, limit, offset])
        return total, [{"doc": r[0], "title": r[1], **{n: int(v) for n, v in zip(_COUNTS, r[2:])}}
                       for r in rows]

    def has_layout(self, no: int) -> bool:
        """Whether the report records document ``no``'s layout (an early version's did not)."""
        return self.db.execute("SELECT doc_at FROM docs WHERE no = ?", (no,)).fetchone()[0] is not None

    def title(self, no: int) -> str:
        return self.db.execute("SELECT title FROM docs WHERE no = ?", (no,)).fetchone()[0]

    def progress(self) -> dict:
        """The dossier's segments and words, and how many are reviewed (boilerplate aside)."""
        row = self.db.execute("SELECT TOTAL(total), TOTAL(reviewed), TOTAL(words), "
                              "TOTAL(words_reviewed) FROM docs").fetchone()
        return dict(zip(("segments", "reviewed", "words", "words_reviewed"), map(int, row)))

    def read(self, no: int) -> tuple[list[Segment], Document | None]:
        """Document ``no``'s segments and layout, read from the report."""
        from .formats.report import read_records

        at, size, doc_at, doc_size = self.db.execute(
            "SELECT at, size, doc_at, doc_size FROM docs WHERE no = ?", (no,)).fetchone()
        try:
            segments = [segment_from_dict(r) for r in read_records(self.report, at, size)]
            document = (document_from_dict(read_records(self.report, doc_at, doc_size)[0])
                        if doc_at is not None else None)
        except (TypeError, ValueError, AttributeError, KeyError) as err:
            raise Fr2enError(f"{self.report}: document {self.name(no)}: {err}") from None
        return segments, document

    def update(self, no: int, segments: list[Segment]) -> None:
        """Document ``no``'s rows as its ``segments`` stand now, and its counts (nothing is
        written when the rows say so already)."""
        from .model import segment_to_dict

        now = [(s.target or "", s.origin, f" {' '.join(s.flags)} ", s.risk,
                s.origin != REVIEW or bool(s.rejected)) for s in segments]
        if self.db.execute("SELECT target, origin, flags, risk, needs FROM segs WHERE no = ? "
                           "ORDER BY seq", (no,)).fetchall() == now:
            return
        self._insert([(s, segment_to_dict(s)["hits"], no) for s in segments])
        self._count(no)
        self.db.commit()

    # --- segments ------------------------------------------------------------------------

    def place(self, key: str) -> tuple[int, int, float] | None:
        """(document number, order, risk) of segment ``key``; None when there is none."""
        return self.db.execute("SELECT no, seq, risk FROM segs WHERE key = ?", (key,)).fetchone()

    def find(self, *, no: int | None = None, flag: str = "", origin: str = "", text: str = "",
             sort: str = "", offset: int = 0, limit: int = 200) -> tuple[int, list[tuple[int, str]]]:
        """(how many segments match, a page of their (document number, key)), in dossier
        order (``sort`` "risk": riskiest first): of document ``no`` (None: all), with QA flag
        ``flag`` ("flagged": any), of ``origin`` ("mt": any machine's, "none": no English),
        whose folded French, English or key holds ``text``."""
        where, args = self._where(no, flag, origin, text)
        total = self.db.execute(f"SELECT COUNT(*) FROM segs WHERE {where}", args).fetchone()[0]
        order = "risk DESC, seq" if sort == "risk" else "seq"
        rows = self.db.execute(f"SELECT no, key FROM segs WHERE {where} ORDER BY {order} "
                               "LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return total, rows

    @staticmethod
    def _where(no, flag, origin, text) -> tuple[str, list]:
        terms, args = ["1"], []
        if no is not None:
            terms.append("no = ?")
            args.append(no)
        if flag == "flagged":
            terms.append("flagged")
        elif flag:
            terms.append("instr(flags, ?) > 0")
            args.append(f" {flag} ")
        if origin == "mt":
            terms.append(f"origin IN ({', '.join('?' * len(MACHINE_ORIGINS))})")
            args.extend(sorted(MACHINE_ORIGINS))
        elif origin == "none":
            terms.append("origin = ''")
        elif origin:
            terms.append("origin = ?")
            args.append(origin)
        if text.strip():
            terms.append("instr(text, ?) > 0")
            args.append(searchable(text))
        return " AND ".join(terms), args

    def next_key(self, key: str, what: str, step: int) -> tuple[int, str] | None:
        """(document number, key) of the next segment after ``key`` (``step`` -1: before it),
        wrapping around, that needs work (``unconfirmed``), has a QA flag (``flagged``) or
        has a risk and needs work (``risky``, in risk order); boilerplate never."""
        wanted = {"unconfirmed": "needs", "flagged": "flagged", "risky": "needs AND risk > 0"}
        place = self.place(key)
        seq, risk = (place[1], place[2]) if place else (-1, None)
        if what == "risky":
            order = ("risk DESC, seq" if step > 0 else "risk, seq DESC")
            if place is not None and risk > 0:
                after = ("(risk < ? OR (risk = ? AND seq > ?))" if step > 0
                         else "(risk > ? OR (risk = ? AND seq < ?))")
                args = [risk, risk, seq]
            else:
                after, args = "1", []
        else:
            order = "seq" if step > 0 else "seq DESC"
            after, args = ("seq > ?" if step > 0 else "seq < ?"), [seq]
            if place is None:
                after, args = "1", []
        base = f"FROM segs WHERE NOT boiler AND {wanted[what]} AND key != ?"
        for extra, extra_args in ((after, args), ("1", [])):  # then from the other end
            row = self.db.execute(f"SELECT no, key {base} AND {extra} ORDER BY {order} LIMIT 1",
                                  [key, *extra_args]).fetchone()
            if row:
                return row
        return None

    def touched(self, sources: Iterable[str]) -> list[int]:
        """The documents holding any of ``sources`` (comparable French)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (fr TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM wanted")
        self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((s,) for s in sources))
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT no FROM segs WHERE fr IN (SELECT fr FROM wanted) ORDER BY no")]

    def reasons(self, segments: list[Segment]) -> tuple[dict[str, str], set[int]]:
        """The ``inconsistent`` reasons of ``segments`` (one document's, their rows current),
        judged over the whole dossier, and the documents sharing a French with them."""
        frenches = sorted({k for k in map(consistency_key, segments) if k is not None})
        found, docs = {}, set()
        for start in range(0, len(frenches), 500):
            chunk = frenches[start : start + 500]
            rows = self.db.execute(
                "SELECT french, key, target, no FROM segs WHERE french IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY french, seq", chunk)
            for _, group in groupby(rows, key=lambda r: r[0]):
                members = list(group)
                docs.update(r[3] for r in members)
                found.update(inconsistent_group([(r[1], r[2]) for r in members]))
        keys = {s.key for s in segments}
        return {k: v for k, v in found.items() if k in keys}, docs

    def sharing(self, french: str) -> set[int]:
        """The documents with segments of the French ``french`` (:func:`mt_checks.same_french`)
        that are compared (with English, not boilerplate)."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT no FROM segs WHERE french = ?",
                                              (french,))}

    def machine_segments(self) -> Iterator[Segment]:
        """The segments with machine English and glossary hits, as far as
        :func:`scoreboard.scoreboard` reads them."""
        for key, target, origin, flags, method, hits in self.db.execute(
                "SELECT key, target, origin, flags, term_method, hits FROM segs "
                "WHERE hits IS NOT NULL ORDER BY seq"):
            doc, block, index = parse_key(key)
            yield segment_from_dict({"doc": doc, "block": block, "index": index, "kind": "",
                                     "start": 0, "end": 0, "source": "", "target": target,
                                     "origin": origin, "flags": flags.split(),
                                     "term_method": method, "hits": json.loads(hits)})

    def containing(self, needle: str) -> Iterator[Segment]:
        """The segments whose folded French, English or key may hold ``needle`` (already
        folded), in dossier order, as far as a concordance reads them (key, French, English)."""
        for key, source, target in self.db.execute(
                "SELECT key, source, target FROM segs WHERE instr(text, ?) > 0 ORDER BY seq",
                (needle,)):
            doc, block, index = parse_key(key)
            yield Segment(doc, block, index, "", 0, 0, source, target=target)


def _kept_copy(report: Path, keep: Path) -> Path:
    """Where, in ``keep``, the rows of ``report`` are kept: named after the project's output
    folder and after the report file itself (its path, size and time), so that a new
    generation, or a report changed in place, is never answered with old rows."""
    report = report.resolve()
    stat = report.stat()
    project = hashlib.sha256(str(report.parent.parent).encode()).hexdigest()[:16]
    this = hashlib.sha256(f"{report}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"
                          .encode()).hexdigest()[:16]
    return keep / f"{project}-{this}.sqlite"


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _opened(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _light(report: Path, record: dict) -> Segment:
    """A report's segment record as far as a row reads it (its hits aside)."""
    try:
        return Segment(record["doc"], record["block"], record["index"], record["kind"], 0, 0,
                       record["source"], target=record.get("target"),
                       flags=[str(f) for f in record.get("flags", [])],
                       origin=record.get("origin", ""), risk=float(record.get("risk", 0.0)),
                       rejected=record.get("rejected", ""),
                       term_method=record.get("term_method", ""))
    except (KeyError, TypeError, ValueError) as err:
        raise Fr2enError(f"{report}: a segment record without {err}") from None
