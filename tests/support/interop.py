"""Interoperability tests use real external tools: skipped when one is missing locally, failed
when ``FR2EN_REQUIRE_INTEROP=1`` (set by ``.ci/run``, which installs them)."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

REQUIRE_ENV = "FR2EN_REQUIRE_INTEROP"


def require_tool(name: str) -> str:
    """The path of command ``name``; skip the test without it (fail when interop is required)."""
    # on PATH, or beside this Python (a virtual environment's scripts when it is not activated)
    path = shutil.which(name) or shutil.which(name, path=os.path.dirname(sys.executable))
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message} ({REQUIRE_ENV}=1)")
        pytest.skip(message)
    return path
