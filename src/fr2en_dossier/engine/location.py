"""Where the engine keeps its files: the translation cache, the model hashes and the embedded
Ray clusters' folders, all in one cache folder.

``$FR2EN_CACHE_DIR``; without that variable ``$XDG_CACHE_HOME/fr2en-dossier/`` (default
``~/.cache/fr2en-dossier/``).
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_FILE = "mt-cache.sqlite3"


def default_cache_path() -> Path:
    """The translation cache's file, in the engine's cache folder."""
    directory = os.environ.get("FR2EN_CACHE_DIR")
    if not directory:
        xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        directory = Path(xdg) / "fr2en-dossier"
    return Path(directory) / CACHE_FILE
