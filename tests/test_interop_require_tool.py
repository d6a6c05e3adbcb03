"""tests/support/interop.py: a missing tool skips locally and fails in CI."""

from __future__ import annotations

import pytest
from support.interop import REQUIRE_ENV, require_tool


def test_a_missing_tool_skips_the_test(monkeypatch):
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pytest.skip.Exception, match="no-such-tool is not installed"):
        require_tool("no-such-tool")


def test_a_missing_tool_fails_when_interop_is_required(monkeypatch):
    monkeypatch.setenv(REQUIRE_ENV, "1")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_ENV}=1"):
        require_tool("no-such-tool")


def test_an_installed_tool_is_found(tmp_path, monkeypatch):
    tool = tmp_path / "tool"
    tool.write_text("#!/bin/sh\n", encoding="utf-8")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert require_tool("tool") == str(tool)
