"""The memory's search index, kept in ``memory.sqlite`` beside what it indexes (schema 2).

- ``texts``: every distinct French of the project's events and of the external memories'
  units, with its number of match words (:mod:`.words`);
- ``terms`` and ``postings``: the match words of those texts, each with the number of texts
  holding it, and which texts hold it: where a fuzzy lookup takes its candidates from
  (:mod:`.fuzzy`);
- ``pairs``: every distinct pair of French and English, folded, which a concordance search
  scans (:mod:`.concordance`).

It is kept in the transaction that adds what it indexes (:meth:`ReviewMemory.add`, the import
of an external memory) and trimmed when an external memory is removed.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from ..folding import fold
from .words import word_keys

SCHEMA = """
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY,
    french TEXT NOT NULL UNIQUE,   -- comparable French
    words INTEGER NOT NULL         -- its match words (repeats included)
);
CREATE TABLE IF NOT EXISTS terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE,     -- a match word
    df INTEGER NOT NULL            -- texts holding it
);
CREATE TABLE IF NOT EXISTS postings (
    term INTEGER NOT NULL,
    text INTEGER NOT NULL,
    PRIMARY KEY (term, text)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (
    id INTEGER PRIMARY KEY,
    french TEXT NOT NULL,
    english TEXT NOT NULL,
    fr_folded TEXT NOT NULL,       -- folding.fold: no case, no accents
    en_folded TEXT NOT NULL,
    UNIQUE (french, english)
);
"""
CHUNK = 500  # values per IN (...)


def selected(execute: Callable[[str, Sequence], Iterable[tuple]], sql: str,
             values: Sequence) -> list[tuple]:
    """The rows of ``sql`` (which ends in ``IN``) for ``values``, queried in chunks with
    ``execute`` (a connection's, or :meth:`ReviewMemory.rows`)."""
    rows: list[tuple] = []
    for start in range(0, len(values), CHUNK):
        chunk = list(values[start : start + CHUNK])
        rows += execute(f"{sql} ({','.join('?' * len(chunk))})", chunk)
    return rows


def index_pairs(db: sqlite3.Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """Index the (comparable French, English) ``pairs``, inside the caller's transaction."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return
    db.executemany("INSERT OR IGNORE INTO pairs (french, english, fr_folded, en_folded) "
                   "VALUES (?, ?, ?, ?)", [(fr, en, fold(fr), fold(en)) for fr, en in pairs])
    frenches = list(dict.fromkeys(fr for fr, _ in pairs))
    known = {row[0] for row in selected(db.execute, "SELECT french FROM texts WHERE french IN", frenches)}
    fresh = {fr: word_keys(fr) for fr in frenches if fr not in known}
    if not fresh:
        return
    db.executemany("INSERT INTO texts (french, words) VALUES (?, ?)",
                   [(fr, len(words)) for fr, words in fresh.items()])
    ids = dict(selected(db.execute, "SELECT french, id FROM texts WHERE french IN", list(fresh)))
    held = {fr: set(words) for fr, words in fresh.items()}
    counts = Counter(word for words in held.values() for word in words)
    vocabulary = list(counts)
    terms = dict(selected(db.execute, "SELECT term, id FROM terms WHERE term IN", vocabulary))
    missing = [word for word in vocabulary if word not in terms]
    db.executemany("INSERT INTO terms (term, df) VALUES (?, 0)", [(w,) for w in missing])
    terms.update(selected(db.execute, "SELECT term, id FROM terms WHERE term IN", missing))
    db.executemany("UPDATE terms SET df = df + ? WHERE id = ?",
                   [(n, terms[word]) for word, n in counts.items()])
    db.executemany("INSERT INTO postings (term, text) VALUES (?, ?)",
                   [(terms[word], ids[fr]) for fr, words in held.items() for word in words])


def trim(db: sqlite3.Connection) -> None:
    """Remove from the index the texts and pairs that no event or unit holds any more,
    inside the caller's transaction."""
    gone = db.execute(
        "SELECT id, french FROM texts t WHERE NOT EXISTS (SELECT 1 FROM events WHERE source = "
        "t.french) AND NOT EXISTS (SELECT 1 FROM units WHERE french = t.french)").fetchall()
    for text_id, french in gone:
        words = sorted(set(word_keys(french)))
        terms = dict(selected(db.execute, "SELECT term, id FROM terms WHERE term IN", words))
        db.executemany("DELETE FROM postings WHERE term = ? AND text = ?",
                       [(terms[w], text_id) for w in words])
        db.executemany("UPDATE terms SET df = df - 1 WHERE id = ?", [(terms[w],) for w in words])
        db.execute("DELETE FROM texts WHERE id = ?", (text_id,))
    db.execute("DELETE FROM terms WHERE df <= 0")
    db.execute(
        "DELETE FROM pairs WHERE NOT EXISTS (SELECT 1 FROM events WHERE source = pairs.french "
        "AND target = pairs.english) AND NOT EXISTS (SELECT 1 FROM units WHERE "
        "french = pairs.french AND english = pairs.english)")
