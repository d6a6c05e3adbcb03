"""The engine's identity: package code, version and a content hash of the package's files.

The translation cache is keyed by the hash, so a different model with the same version is
never served the old model's English. Hashing a Transformer-base package reads ~100 MB, so
each package directory's hash is computed once and kept in ``model-hashes.json`` beside the
translation cache, with the size and mtime of every file it covered: a file replaced, added or
removed (a reinstall) hashes again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import Fr2enError
from .packages import InstalledPackage

HASHES_FILE = "model-hashes.json"


@dataclass(frozen=True)
class EngineIdentity:
    code: str  # argospm's package name, e.g. "translate-fr_en"
    version: str
    model_hash: str  # sha256 of every file of the package (names, sizes, contents)

    @property
    def key(self) -> str:
        """``code@version#hash``: the model part of the translation cache's key."""
        return f"{self.code}@{self.version}#{self.model_hash}"

    def as_dict(self) -> dict:
        return asdict(self)


def package_identity(package: InstalledPackage) -> EngineIdentity:
    return EngineIdentity(package.name, package.version, content_hash(package.path))


def content_hash(directory: Path) -> str:
    """The sha256 of the files under ``directory``; reused from the hash file while no file
    changed size or mtime."""
    from .location import cache_folder

    files = sorted(p for p in Path(directory).rglob("*") if p.is_file())
    stamp = [[str(p.relative_to(directory)), *_size_mtime(p)] for p in files]
    store = cache_folder() / HASHES_FILE
    known = _read(store)
    entry = known.get(str(Path(directory).resolve()))
    if isinstance(entry, dict) and entry.get("files") == stamp and isinstance(entry.get("hash"), str):
        return entry["hash"]
    digest = hashlib.sha256()
    for (name, size, _), path in zip(stamp, files):
        digest.update(f"{name}\0{size}\0".encode())
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    value = digest.hexdigest()
    known[str(Path(directory).resolve())] = {"files": stamp, "hash": value}
    _write(store, known)
    return value


def _size_mtime(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _read(store: Path) -> dict:
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: hashed again and rewritten
    return data if isinstance(data, dict) else {}


def _write(store: Path, known: dict) -> None:
    """Keep the hashes (of packages that still exist); a cache that cannot be written only
    means hashing again next time."""
    from ..atomic import atomic_write_text

    kept = {path: entry for path, entry in known.items() if os.path.isdir(path)}
    try:
        atomic_write_text(store, json.dumps(kept, indent=1))
    except Fr2enError:
        pass
