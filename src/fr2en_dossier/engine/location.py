"""Where fr2en keeps what it can make again: the translation cache, the model hashes, the
embedded Ray clusters' folders and the review workspace's kept rows, all in one cache folder.

``$FR2EN_CACHE_DIR``; without that variable ``$XDG_CACHE_HOME/fr2en-dossier/`` (default
``~/.cache/fr2en-dossier/``).
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_FILE = "mt-cache.sqlite3"


def cache_folder() -> Path:
    """The cache folder."""
    directory = os.environ.get("FR2EN_CACHE_DIR")
    if not directory:
        xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        directory = Path(xdg) / "fr2en-dossier"
    return Path(directory)


def default_cache_path() -> Path:
    """The translation cache's file, in the cache folder."""
    return cache_folder() / CACHE_FILE
