"""Disk cache of machine translations: sqlite3, keyed by (engine cache key, engine input);
an input translated under glossary terms is keyed with them too (engine.pipeline). The engine
key holds the model's content hash (engine.identity). The MT stage stores each batch's
translations as the batch finishes, in one transaction, so a killed run keeps them.

Location: ``mt-cache.sqlite3`` in the engine's cache folder (:mod:`.location`). sqlite
commits are atomic, so an interrupted run leaves the cache as of its last commit.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..errors import Fr2enError
from .location import default_cache_path
from .translator import TRUNCATIONS, Translation



class TranslationCache:
    """Translations by engine key and input; use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS mt (key BLOB PRIMARY KEY, target TEXT NOT NULL,"
                " score REAL, truncated INTEGER NOT NULL, method TEXT NOT NULL DEFAULT '',"
                " confidence REAL)"
            )
            columns = [row[1] for row in self._db.execute("PRAGMA table_info(mt)")]
            if "method" not in columns:  # a cache written before the terminology passes
                self._db.execute("ALTER TABLE mt ADD COLUMN method TEXT NOT NULL DEFAULT ''")
            if "confidence" not in columns:  # written before confidence: NULL, none known
                self._db.execute("ALTER TABLE mt ADD COLUMN confidence REAL")
            self._db.commit()
        except (sqlite3.Error, OSError) as err:
            raise Fr2enError(f"{self.path}: cannot open the translation cache ({err}); "
                             "delete it or run with --no-cache")

    @staticmethod
    def _key(engine_key: str, text: str) -> bytes:
        return hashlib.sha256(f"{engine_key}\0{text}".encode("utf-8")).digest()

    def get_many(self, engine_key: str, texts: Iterable[str]) -> dict[str, Translation]:
        """The cached translations among ``texts`` (missing ones are absent)."""
        found = {}
        try:
            for text in texts:
                row = self._db.execute(
                    "SELECT target, score, truncated, method, confidence FROM mt WHERE key = ?",
                    (self._key(engine_key, text),),
                ).fetchone()
                if row is not None:
                    found[text] = Translation(row[0], row[1], _truncation(row[2]), row[3], row[4])
        except sqlite3.Error as err:
            raise Fr2enError(f"{self.path}: unreadable translation cache ({err}); "
                             "delete it or run with --no-cache")
        return found

    def put_many(self, engine_key: str, items: Iterable[tuple[str, Translation]]) -> None:
        """Store translations in one transaction."""
        self.store((engine_key, text, t) for text, t in items)

    def store(self, items: Iterable[tuple[str, str, Translation]]) -> None:
        """Store (engine key, text, translation) triples in one transaction."""
        rows = [
            (self._key(key, text), t.text, t.score, TRUNCATIONS.index(t.truncated), t.method,
             t.confidence)
            for key, text, t in items
        ]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO mt (key, target, score, truncated, method, confidence)"
                                     " VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as err:
            raise Fr2enError(f"{self.path}: cannot write the translation cache ({err}); "
                             "run with --no-cache")

    def close(self) -> None:
        self._db.close()

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM mt").fetchone()[0]

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _truncation(stored) -> str:
    """``Translation.truncated`` from its stored index (an unknown value: the input limit)."""
    return TRUNCATIONS[stored] if stored in range(len(TRUNCATIONS)) else TRUNCATIONS[1]
