"""CI runs exactly what the README tells a new user to run, and that install can read every
input format (a dependency missing from pyproject.toml once broke every web page)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shell_blocks(text: str) -> list[list[str]]:
    return [block.strip().splitlines() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_install_and_test_commands_and_nothing_else():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    tests = readme.split("Run the tests:", 1)[1]
    wanted = _shell_blocks(install)[0] + _shell_blocks(tests)[0][:1]
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    commands = [line for line in ci if re.match(r"(python3?|pip|\.)\b|python3? ", line)]
    assert commands == wanted
    assert not [line for line in ci if re.search(r"\bpip\b", line) and line not in wanted]


def test_every_reader_dependency_imports():
    """What each reader imports when it reads a file (trafilatura pulls jusText, which needs
    lxml.html.clean), in a fresh interpreter of this environment."""
    modules = ["trafilatura", "justext", "lxml.html.clean", "markdown_it", "lxml.etree", "rapidfuzz",
               "simplemma"]
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
    done = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_readme_lists_every_key_of_the_workspace():
    from fr2en_dossier.workspace import SHORTCUTS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for keys, what in SHORTCUTS:
        assert f"| {' + '.join(f'`{k}`' for k in keys)} | {what} |" in readme
