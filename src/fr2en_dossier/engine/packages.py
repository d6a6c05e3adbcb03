"""Argos Translate packages: find the installed fr→en one, validate and install archives.

Packages live in argostranslate's own package directory (``ARGOS_PACKAGES_DIR``, default
``~/.local/share/argos-translate/packages``), so packages installed by argospm or LibreTranslate
are found here and ours are found by them. Index and download go through
``argostranslate.package`` (so ``ARGOS_PACKAGE_INDEX`` works); unpacking is ours, because
argostranslate extracts unvalidated archives straight into the package directory.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Fr2enError

Progress = Callable[[int, int], None]  # (bytes done, bytes in all or 0 when unknown)

FROM_CODE, TO_CODE = "fr", "en"
REQUIRED_FILES = ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json")
VOCABULARIES = (  # CTranslate2 writes .txt (older converters) or .json; shared or split
    ("model/shared_vocabulary.txt",),
    ("model/shared_vocabulary.json",),
    ("model/source_vocabulary.txt", "model/target_vocabulary.txt"),
    ("model/source_vocabulary.json", "model/target_vocabulary.json"),
)
_STAGING_PREFIX = ".fr2en-install-"
_INSTALL_LOCK = ".fr2en-install.lock"  # beside the package directory: installs take turns
_PREVIOUS = "previous-"  # inside a staging folder: the installed copy being replaced
FROM_FILE = "install from a file: fr2en model install --file PATH.argosmodel"


@dataclass(frozen=True)
class InstalledPackage:
    """An unpacked Argos package in a package directory."""

    name: str  # argospm's name, e.g. "translate-fr_en"
    version: str
    from_code: str
    to_code: str
    from_name: str
    to_name: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def is_fr_en(self) -> bool:
        return self.name.startswith("translate-") and (self.from_code, self.to_code) == (
            FROM_CODE,
            TO_CODE,
        )


def packages_dir() -> Path:
    """argostranslate's package directory (where installs go)."""
    from argostranslate import settings

    return Path(settings.package_data_dir)


def installed_packages() -> list[InstalledPackage]:
    """Every package in argostranslate's package directories, as argostranslate reads them."""
    from argostranslate import package, settings

    found = []
    for directory in settings.package_dirs:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if not (path / "metadata.json").is_file():
                continue  # not a package (an install in progress, a stray folder)
            try:
                pkg = package.Package(path)
            except (OSError, ValueError) as err:
                raise Fr2enError(f"{path / 'metadata.json'}: unreadable package metadata: {err}")
            found.append(
                InstalledPackage(
                    name=package.argospm_package_name(pkg),
                    version=str(pkg.package_version),
                    from_code=pkg.from_code or "",
                    to_code=pkg.to_code or "",
                    from_name=pkg.from_name or "",
                    to_name=pkg.to_name or "",
                    path=path,
                )
            )
    return found


def find_fr_en(packages: list[InstalledPackage] | None = None) -> InstalledPackage | None:
    """The installed fr→en translate package with the highest version, if any."""
    candidates = [p for p in (installed_packages() if packages is None else packages) if p.is_fr_en]
    return max(candidates, key=lambda p: _version_key(p.version), default=None)


def _version_key(version: str):
    """Sort key for package versions; unparsable versions sort first."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, Version("0"))


def require_fr_en() -> InstalledPackage:
    """:func:`find_fr_en`, or a Fr2enError (exit 2) saying how to get one.

    What a killed install left is cleaned up first (unless an install is running now).
    """
    recover_installs()
    pkg = find_fr_en()
    if pkg is None:
        raise Fr2enError(
            f"no French→English Argos package installed in {packages_dir()}: run "
            "`fr2en model install` (or `fr2en model install --file PATH.argosmodel`), "
            "or pass --no-mt to skip machine translation"
        )
    return pkg


def validate_archive(path: Path) -> tuple[str, dict]:
    """Check that ``path`` is a complete fr→en Argos package; return (top directory, metadata)."""
    path = Path(path)
    if not path.is_file():
        raise Fr2enError(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n]
            top = _single_top_directory(path, names)
            members = {n.rstrip("/") for n in names}
            if f"{top}/metadata.json" not in members:
                raise Fr2enError(f"{path}: not an Argos package (no {top}/metadata.json)")
            try:
                metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as err:
                raise Fr2enError(f"{path}: {top}/metadata.json is not valid JSON: {err}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError) as err:
        raise Fr2enError(f"{path}: not an Argos package (not a readable zip archive: {err})")
    if not isinstance(metadata, dict):
        raise Fr2enError(f"{path}: {top}/metadata.json must hold a JSON object")
    kind = metadata.get("type", "translate")
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if kind != "translate" or pair != (FROM_CODE, TO_CODE):
        raise Fr2enError(
            f"{path}: a {kind} package for {pair[0]}→{pair[1]}, not a {FROM_CODE}→{TO_CODE} "
            "translate package"
        )
    _check_types(path, f"{top}/metadata.json", metadata)
    if not str(metadata.get("package_version", "")).strip():
        raise Fr2enError(f"{path}: {top}/metadata.json has no package_version")
    missing = [f for f in REQUIRED_FILES if f"{top}/{f}" not in members]
    if not any(all(f"{top}/{f}" in members for f in vocab) for vocab in VOCABULARIES):
        missing.append("model/shared_vocabulary.txt")
    if missing:
        raise Fr2enError(f"{path}: incomplete Argos package, missing {', '.join(missing)}")
    return top, metadata


# metadata.json fields argostranslate reads, with the type it needs (lists: of what).
_STRING_FIELDS = ("code", "package_version", "argos_version", "from_code", "from_name",
                  "to_code", "to_name", "type", "target_prefix")
_LIST_FIELDS = {"from_codes": str, "to_codes": str, "links": str, "languages": dict,
                "dependencies": (str, dict), "source_languages": dict, "target_languages": dict}


def _check_types(path: Path, name: str, metadata: dict) -> None:
    """Fr2enError unless every field argostranslate reads has the type it expects."""
    for key in _STRING_FIELDS:
        if key in metadata and not isinstance(metadata[key], str):
            raise Fr2enError(f"{path}: {name}: {key} must be a string, not {metadata[key]!r}")
    for key, item in _LIST_FIELDS.items():
        value = metadata.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, item) for v in value):
            kind = "strings" if item is str else "objects"
            raise Fr2enError(f"{path}: {name}: {key} must be a list of {kind}, not {value!r}")


def _single_top_directory(path: Path, names: list[str]) -> str:
    tops = set()
    for name in names:
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
            raise Fr2enError(f"{path}: unsafe path in archive: {name!r}")
        tops.add(parts[0])
    if len(tops) != 1 or not any("/" in n.rstrip("/") for n in names):
        raise Fr2enError(f"{path}: not an Argos package (needs exactly one top-level directory)")
    return tops.pop()


def install_file(path: Path) -> InstalledPackage:
    """Validate and install a ``.argosmodel`` file; an older copy of it is replaced.

    The archive is unpacked into a staging directory beside the package directory (never
    inside it: argostranslate takes every folder there for a package), then renamed into
    place: a failure at any point leaves the package directory as it was. Installs take
    turns (a file lock beside the package directory), and each first removes the staging
    left by a killed one.
    """
    import filelock

    path = Path(path)
    top, _ = validate_archive(path)
    root = packages_dir()
    target = root / top
    try:
        root.mkdir(parents=True, exist_ok=True)
        with filelock.FileLock(root.parent / _INSTALL_LOCK):
            remove_install_leftovers()
            staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root.parent))
            try:
                _unpack(path, staging, top, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zlib.error) as err:
        raise Fr2enError(f"{path}: cannot install into {root}: {err}") from None
    except OSError as err:
        raise Fr2enError(
            f"{err.filename or root}: cannot install {path.name} ({err.strerror or err})"
        ) from None
    return next(p for p in installed_packages() if p.path == target)


def _unpack(path: Path, staging: Path, top: str, target: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        zf.extractall(staging)  # checks every member's CRC
    if target.exists():
        previous = staging / f"{_PREVIOUS}{top}"  # put back by remove_install_leftovers if killed
        target.rename(previous)
        try:
            (staging / top).rename(target)
        except BaseException:
            previous.rename(target)
            raise
    else:
        (staging / top).rename(target)


def recover_installs() -> int:
    """:func:`remove_install_leftovers` unless an install holds the lock now; return the count."""
    import filelock

    root = packages_dir()
    if not root.parent.is_dir():
        return 0
    try:
        with filelock.FileLock(root.parent / _INSTALL_LOCK, timeout=0):
            return remove_install_leftovers()
    except (filelock.Timeout, OSError):
        return 0


def remove_install_leftovers() -> int:
    """Remove the staging folders of killed installs (beside the package directory, and inside
    it where earlier versions put them); return how many. A package that a killed install had
    moved aside and not yet replaced is put back first. Call it holding the install lock."""
    root = packages_dir()
    leftovers = [
        p for folder in (root, root.parent) if folder.is_dir()
        for p in folder.glob(f"{_STAGING_PREFIX}*") if p.is_dir()
    ]
    for leftover in leftovers:
        for previous in leftover.glob(f"{_PREVIOUS}*"):
            target = root / previous.name.removeprefix(_PREVIOUS)
            if not target.exists():
                previous.rename(target)
        shutil.rmtree(leftover, ignore_errors=True)
    return len(leftovers)


def ensure_fr_en(download: bool = True, progress: Progress | None = None) -> InstalledPackage:
    """The installed fr→en package; without one, :func:`install_from_index` when ``download``
    (a Fr2enError saying how to install from a file or skip MT when that fails)."""
    pkg = find_fr_en()
    if pkg is not None or not download:
        return pkg or require_fr_en()
    try:
        return install_from_index(progress)
    except Fr2enError as err:
        reason = str(err).replace(f"; or {FROM_FILE}", "")
        raise Fr2enError(
            f"no French→English model installed, and it could not be downloaded: {reason}; "
            f"{FROM_FILE}, or run with --no-mt"
        ) from None


def install_from_index(progress: Progress | None = None) -> InstalledPackage:
    """Download the fr→en package named by the Argos package index and install it;
    ``progress(bytes done, bytes in all or 0)`` follows the download."""
    from argostranslate import package, settings

    with _argos_errors() as errors:
        package.update_package_index()
    if errors:
        raise Fr2enError(
            f"cannot download the Argos package index {settings.remote_package_index}: "
            f"{errors[-1]}; or {FROM_FILE}"
        )
    try:
        available = package.get_available_packages()
    except (ValueError, TypeError, AttributeError) as err:
        raise Fr2enError(f"{settings.local_package_index}: not a valid package index: {err}")
    offers = [
        p
        for p in available
        if p.type == "translate" and (p.from_code, p.to_code) == (FROM_CODE, TO_CODE)
    ]
    if not offers:
        raise Fr2enError(
            f"the package index {settings.remote_package_index} lists no French→English package"
        )
    offer = max(offers, key=lambda p: _version_key(str(p.package_version)))
    archive = Path(settings.downloads_dir) / f"{package.argospm_package_name(offer)}.argosmodel"
    _download(offer.links, archive, progress)
    try:
        return install_file(archive)
    finally:
        archive.unlink(missing_ok=True)


def _download(links: list[str], path: Path, progress: Progress | None) -> None:
    """Fetch the first of ``links`` that answers into ``path`` (through a partial file)."""
    import urllib.request

    partial = path.with_name(path.name + ".part")
    errors = []
    for link in links:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            request = urllib.request.Request(link, headers={"User-Agent": "fr2en-dossier"})
            with urllib.request.urlopen(request, timeout=60) as response, open(partial, "wb") as out:
                total, done = int(response.headers.get("Content-Length") or 0), 0
                while chunk := response.read(1 << 20):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            partial.replace(path)
            return
        except (OSError, ValueError) as err:  # URLError and HTTPError are OSErrors
            errors.append(f"{link}: {getattr(err, 'reason', None) or err}")
        finally:
            partial.unlink(missing_ok=True)
    raise Fr2enError(f"download failed from {'; '.join(errors) or 'no link'}")


@contextmanager
def _argos_errors():
    """Collect the error messages argostranslate logs (it logs failures instead of raising)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()  # argostranslate logs str() of its argument tuple
            if message.startswith("(") and message.endswith(",)"):
                message = message[1:-2]
            messages.append(message)

    from argostranslate import utils

    handler = Collect(logging.ERROR)
    utils.logger.addHandler(handler)
    try:
        yield messages
    finally:
        utils.logger.removeHandler(handler)
