"""Argos Translate packages: find the installed fr→en one, validate and install archives.

Packages live in argostranslate's own package directory (``ARGOS_PACKAGES_DIR``, default
``~/.local/share/argos-translate/packages``), so packages installed by argospm or LibreTranslate
are found here and ours are found by them. Index and download go through
``argostranslate.package`` (so ``ARGOS_PACKAGE_INDEX`` works); unpacking is ours, because
argostranslate extracts unvalidated archives straight into the package directory. An archive
installs into the folder its metadata names (``translate-fr_en-<version>``), whatever its own
top folder is called, and only once its model and tokenizer have loaded from the staging copy.
"""

from __future__ import annotations

import json
import logging
import re
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
# The language pairs a package may be installed for: fr→en translates; en→fr, the reverse
# model, scores round trips (round_trip.py).
PAIRS = ((FROM_CODE, TO_CODE), (TO_CODE, FROM_CODE))
_NAMES = {FROM_CODE: "French", TO_CODE: "English"}
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
METADATA_MAX_BYTES = 1 << 20  # a real metadata.json is about 1 KB
METADATA_MAX_DEPTH = 32  # nesting of JSON arrays and objects (argostranslate reads 2 levels)
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,63}")


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
            metadata = path / "metadata.json"
            if not metadata.is_file():
                continue  # not a package (an install in progress, a stray folder)
            try:
                with open(metadata, "rb") as fh:
                    parse_metadata(fh.read(METADATA_MAX_BYTES + 1), str(metadata))
                pkg = package.Package(path)
            except (OSError, ValueError) as err:
                raise Fr2enError(f"{metadata}: unreadable package metadata: {err}")
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
    return find_package(FROM_CODE, TO_CODE, packages)


def find_package(from_code: str, to_code: str, packages: list[InstalledPackage] | None = None
                 ) -> InstalledPackage | None:
    """The installed translate package of that language pair with the highest version, if any
    (en→fr: the reverse model that scores round trips, :mod:`.round_trip`)."""
    candidates = [p for p in (installed_packages() if packages is None else packages)
                  if p.name.startswith("translate-") and (p.from_code, p.to_code) == (from_code, to_code)]
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
    """Check that ``path`` is a complete fr→en (or en→fr) Argos package; return (top
    directory, metadata)."""
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
            with zf.open(f"{top}/metadata.json") as fh:
                data = fh.read(METADATA_MAX_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError) as err:
        raise Fr2enError(f"{path}: not an Argos package (not a readable zip archive: {err})")
    try:
        metadata = parse_metadata(data, f"{top}/metadata.json")
    except ValueError as err:
        raise Fr2enError(f"{path}: {err}") from None
    kind = metadata.get("type", "translate")
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if kind != "translate" or pair not in PAIRS:
        raise Fr2enError(
            f"{path}: a {kind} package for {pair[0]}→{pair[1]}, not a {FROM_CODE}→{TO_CODE} "
            f"translate package (nor the {TO_CODE}→{FROM_CODE} one that scores round trips)"
        )
    _check_types(path, f"{top}/metadata.json", metadata)
    version = str(metadata.get("package_version", "")).strip()
    if not version:
        raise Fr2enError(f"{path}: {top}/metadata.json has no package_version")
    if not _VERSION.fullmatch(version):
        raise Fr2enError(f"{path}: {top}/metadata.json: package_version {version!r} is not "
                         "a version (letters, digits and . _ + -)")
    missing = [f for f in REQUIRED_FILES if f"{top}/{f}" not in members]
    if not any(all(f"{top}/{f}" in members for f in vocab) for vocab in VOCABULARIES):
        missing.append("model/shared_vocabulary.txt")
    if missing:
        raise Fr2enError(f"{path}: incomplete Argos package, missing {', '.join(missing)}")
    return top, metadata


def parse_metadata(data: bytes, name: str) -> dict:
    """A package's metadata.json as a dict; ValueError naming ``name`` when it is not UTF-8
    JSON holding an object, or passes METADATA_MAX_BYTES or METADATA_MAX_DEPTH (checked
    before parsing: Python's json recurses once per level)."""
    if len(data) > METADATA_MAX_BYTES:
        raise ValueError(f"{name} is over {METADATA_MAX_BYTES // 1024} KB: not package metadata")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{name} is not valid JSON: {err}") from None
    depth = deepest = 0
    for bracket in re.finditer(r"[\[\]{}]", re.sub(r'"(?:[^"\\]|\\.)*"', "", text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > METADATA_MAX_DEPTH:
        raise ValueError(f"{name} nests {deepest} levels deep (at most {METADATA_MAX_DEPTH})")
    try:
        metadata = json.loads(text)
    except ValueError as err:
        raise ValueError(f"{name} is not valid JSON: {err}") from None
    if not isinstance(metadata, dict):
        raise ValueError(f"{name} must hold a JSON object")
    return metadata


def install_name(metadata: dict) -> str:
    """The folder a package installs into, from its metadata: argos-train's
    ``translate-fr_en-1_9``."""
    version = str(metadata["package_version"]).strip().replace(".", "_")
    return f"translate-{metadata['from_code']}_{metadata['to_code']}-{version}"


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
    """Validate and install a ``.argosmodel`` file into the folder its metadata names
    (:func:`install_name`); an older copy of that same package is replaced.

    The archive is unpacked into a staging directory beside the package directory (never
    inside it: argostranslate takes every folder there for a package), its model and
    tokenizer are loaded there once, then it is renamed into place: a failure at any point
    leaves the package directory as it was. Installs take turns (a file lock beside the
    package directory), and each first removes the staging left by a killed one.
    """
    import filelock

    path = Path(path)
    top, metadata = validate_archive(path)
    root = packages_dir()
    target = root / install_name(metadata)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with filelock.FileLock(root.parent / _INSTALL_LOCK):
            remove_install_leftovers()
            _check_replaceable(path, target, metadata)
            staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root.parent))
            try:
                with zipfile.ZipFile(path) as zf:
                    zf.extractall(staging)  # checks every member's CRC
                _check_loads(path, staging / top)
                _move_into_place(staging, staging / top, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zlib.error) as err:
        raise Fr2enError(f"{path}: cannot install into {root}: {err}") from None
    except OSError as err:
        raise Fr2enError(
            f"{err.filename or root}: cannot install {path.name} ({err.strerror or err})"
        ) from None
    return next(p for p in installed_packages() if p.path == target)


def _check_replaceable(path: Path, target: Path, metadata: dict) -> None:
    """Fr2enError when ``target`` exists and is not a copy of the same language pair (a
    folder someone else named so): it is never replaced."""
    if not target.exists():
        return
    try:
        with open(target / "metadata.json", "rb") as fh:
            there = parse_metadata(fh.read(METADATA_MAX_BYTES + 1), "metadata.json")
    except (OSError, ValueError):
        there = {}
    pair = (there.get("from_code"), there.get("to_code"))
    if pair != (metadata["from_code"], metadata["to_code"]):
        what = f"a {pair[0]}→{pair[1]} package" if all(pair) else "no fr→en package"
        raise Fr2enError(f"{path}: {target} holds {what}: not replaced; move it away first")


def _check_loads(path: Path, unpacked: Path) -> None:
    """Load the unpacked package's SentencePiece model and CTranslate2 model once."""
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(unpacked / "sentencepiece.model"))
        ctranslate2.Translator(str(unpacked / "model"), device="cpu", compute_type="auto")
    except (RuntimeError, OSError, ValueError) as err:
        message = " ".join(str(err).split())
        raise Fr2enError(f"{path}: the package's model does not load ({message}); "
                         "nothing installed") from None


def _move_into_place(staging: Path, unpacked: Path, target: Path) -> None:
    if target.exists():
        previous = staging / f"{_PREVIOUS}{target.name}"  # put back by remove_install_leftovers
        target.rename(previous)
        try:
            unpacked.rename(target)
        except BaseException:
            previous.rename(target)
            raise
    else:
        unpacked.rename(target)


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


def install_from_index(progress: Progress | None = None, *,
                       pair: tuple[str, str] = (FROM_CODE, TO_CODE)) -> InstalledPackage:
    """Download the package of ``pair`` (fr→en; en→fr for round trips) named by the Argos
    package index and install it; ``progress(bytes done, bytes in all or 0)`` follows the
    download."""
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
        if p.type == "translate" and (p.from_code, p.to_code) == pair
    ]
    if not offers:
        raise Fr2enError(
            f"the package index {settings.remote_package_index} lists no "
            f"{_NAMES[pair[0]]}→{_NAMES[pair[1]]} package"
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
