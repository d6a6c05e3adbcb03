"""The review memory: every review and draft, in SQLite (:mod:`.store`), exchanged as TMX
(:mod:`.exchange`), matched to segments by French and context (:mod:`.context`)."""

from .context import Context, contexts
from .store import MemoryEntry, ReviewMemory, now_stamp, run_stamp

__all__ = ["Context", "MemoryEntry", "ReviewMemory", "contexts", "now_stamp", "run_stamp"]
