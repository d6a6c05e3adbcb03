"""Test-session setup: argostranslate kept away from $HOME, and the synthetic MT package.

``argostranslate.settings`` reads ARGOS_PACKAGES_DIR / ARGOS_PACKAGE_INDEX / XDG_* when it is
first imported and creates directories under them, so the environment is set here, before any
test can import it; subprocesses inherit it.

Fixtures for MT tests (see tests/support/synthetic_argos.py):

- ``synthetic_package``: the synthetic fr→en ``.argosmodel`` (built once per session);
- ``argos_packages_dir``: an empty argostranslate package directory for one test;
- ``installed_package``: ``synthetic_package`` installed there, so that ``load_engine`` and
  ``fr2en translate`` (in-process or in a subprocess) find it.

Every test also gets an empty translation cache (``FR2EN_CACHE_DIR``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

_SANDBOX = Path(tempfile.mkdtemp(prefix="fr2en-tests-"))
atexit.register(shutil.rmtree, _SANDBOX, True)
os.environ.update(
    {
        "XDG_DATA_HOME": str(_SANDBOX / "share"),
        "XDG_CONFIG_HOME": str(_SANDBOX / "config"),
        "XDG_CACHE_HOME": str(_SANDBOX / "cache"),
        "ARGOS_PACKAGES_DIR": str(_SANDBOX / "argos-packages"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # never the real index
        "FR2EN_CACHE_DIR": str(_SANDBOX / "fr2en-cache"),
    }
)


def copy_seeds(folder: Path) -> Path:
    """The seeds and the shipped glossary copied into ``folder`` (a project's inputs)."""
    shutil.copytree(SEEDS, folder / "seeds")
    shutil.copy(ROOT / "glossary.tsv", folder / "glossary.tsv")
    return folder


def seed_lines() -> list[str]:
    return [
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture(scope="session")
def synthetic_package(tmp_path_factory) -> Path:
    """A fr→en ``.argosmodel`` of the real format: SentencePiece trained on the seeds, a tiny
    CTranslate2 Transformer that outputs one gibberish piece per source piece."""
    from support.synthetic_argos import build_package

    return build_package(tmp_path_factory.mktemp("argosmodel"), seed_lines())


@pytest.fixture
def argos_packages_dir(tmp_path_factory, monkeypatch) -> Path:
    """An empty argostranslate package directory, used in-process and by subprocesses."""
    from argostranslate import settings

    path = tmp_path_factory.mktemp("argos-packages")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(path))
    monkeypatch.setattr(settings, "package_data_dir", path)
    monkeypatch.setattr(settings, "package_dirs", [path])
    return path


@pytest.fixture
def installed_package(synthetic_package, argos_packages_dir):
    """The synthetic package installed (an ``engine.InstalledPackage``)."""
    from fr2en_dossier.engine import install_file

    return install_file(synthetic_package)


@pytest.fixture(autouse=True)
def _private_mt_cache(tmp_path_factory, monkeypatch) -> None:
    monkeypatch.setenv("FR2EN_CACHE_DIR", str(tmp_path_factory.mktemp("mt-cache")))
