"""The review memory's entries as a test reads them (the database opened and closed)."""

from __future__ import annotations

from pathlib import Path

from fr2en_dossier.memory import MemoryEntry, ReviewMemory


def memory_entries(path: str | Path, *, withdrawn: bool = False) -> list[MemoryEntry]:
    """Every event of the memory at ``path`` (a ``memory.sqlite``, or the project folder)."""
    path = Path(path)
    with ReviewMemory(path / "memory.sqlite" if path.is_dir() else path) as memory:
        return memory.entries(withdrawn=withdrawn)
