"""The dossier project: its root, its settings (``fr2en.toml``), its paths and its writer lock.

Every command finds the project by walking up from the current directory to the first
``fr2en.toml``; paths in the file are relative to the folder holding it. Without a project file
the current directory is the root and the defaults below apply. Command-line options override
the file.

Commands that write project state (``translate``, ``review import``, ``glossary add``,
``init``, the review server's writes of files) hold the project lock, an OS file lock on
``<root>/.fr2en.lock``: a second writer waits (``wait``) or stops with the holder's name.
Read-only commands never take it. The review memory (``memory.sqlite``) is a database with its
own locking: reviews and drafts are recorded without the project lock (:mod:`memory`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import Fr2enError

CONFIG_FILE = "fr2en.toml"
LOCK_FILE = ".fr2en.lock"
HOLDER_FILE = ".fr2en.holder"  # who holds the lock: pid and command, for the waiting side

# [project] keys and their defaults (paths relative to the root).
PATH_DEFAULTS = {
    "glossary": "glossary.tsv",
    "memory": "memory.sqlite",
    "output": "output",
    "overrides": "segmentation.tsv",
}
DEFAULT_INPUTS = ("seeds",)
# [outputs] xliff: the XLIFF versions a run writes, for CAT tools (README "CAT tools"): both by
# default, so that a reviewer's tool finds its file without a setting; [] for none.
XLIFF_VERSIONS = ("1.2", "2.1")


@dataclass(frozen=True)
class MemorySettings:
    """The [memory] table: what the translation memory offers and prefills (README
    "Translation memory")."""

    fuzzy_min: int = 75  # the lowest score of a match offered (50-100)
    prefill: int | None = 85  # the lowest score that prefills a draft (None: never)


@dataclass
class Project:
    """Where a dossier's files live, and how its writers take turns.

    ``wait`` and ``on_wait`` say what :meth:`lock` does when another process holds it: wait
    (calling ``on_wait(holder)`` once) or raise :class:`Fr2enError` naming the holder.
    """

    root: Path
    config: Path | None  # the fr2en.toml read, None when there is none
    inputs: list[Path]
    glossary: Path
    memory: Path  # the review memory database; memory_tmx is its exchange file
    output: Path
    overrides: Path
    engine: dict = field(default_factory=dict)  # EngineOptions fields from [engine]
    memory_settings: MemorySettings = field(default_factory=MemorySettings)  # [memory]
    xliff: list[str] = field(default_factory=lambda: list(XLIFF_VERSIONS))  # [outputs] xliff
    wait: bool = True
    on_wait: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self.memory = memory_database(self.memory)

    @property
    def memory_tmx(self) -> Path:
        """The memory as TMX (beside the database): written with every generation of the
        outputs, and read on first use when there is no database yet."""
        return self.memory.with_suffix(".tmx")

    def open_memory(self):
        """The review memory (:class:`memory.ReviewMemory`), created — from ``memory.tmx``
        when that exists — on first use; close it (or use it in a ``with``)."""
        from .memory import ReviewMemory

        return ReviewMemory(self.memory, legacy_tmx=self.memory_tmx)

    @classmethod
    def find(cls, start: str | os.PathLike | None = None) -> Project:
        """The project around ``start`` (default: the current directory)."""
        here = Path(start or Path.cwd()).absolute()
        for folder in (here, *here.parents):
            if (folder / CONFIG_FILE).is_file():
                return cls.load(folder / CONFIG_FILE)
        return cls.defaults(here)

    @classmethod
    def defaults(cls, root: Path) -> Project:
        """A project without a file: ``root`` and the default paths."""
        root = Path(root).absolute()
        paths = {name: root / value for name, value in PATH_DEFAULTS.items()}
        return cls(root, None, [root / p for p in DEFAULT_INPUTS], **paths)

    @classmethod
    def load(cls, config: Path) -> Project:
        """The project described by the ``fr2en.toml`` at ``config``; one-line error if bad."""
        config = Path(config).absolute()
        data = read_config(config)
        root = config.parent
        section = data.get("project", {})
        where = f"{config}: [project]"
        unknown = set(section) - set(PATH_DEFAULTS) - {"inputs"}
        if unknown:
            raise Fr2enError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        inputs = section.get("inputs", list(DEFAULT_INPUTS))
        if not (isinstance(inputs, list) and all(isinstance(p, str) and p for p in inputs)):
            raise Fr2enError(f"{where}: inputs must be a list of paths (strings)")
        paths = {}
        for name, default in PATH_DEFAULTS.items():
            value = section.get(name, default)
            if not isinstance(value, str) or not value:
                raise Fr2enError(f"{where}: {name} must be a path (a string)")
            paths[name] = root / value
        return cls(root, config, [root / p for p in inputs], **paths,
                   engine=_engine_settings(config, data.get("engine", {})),
                   memory_settings=read_memory_settings(f"{config}: [memory]",
                                                        data.get("memory", {})),
                   xliff=_xliff_setting(config, data.get("outputs", {})))

    def engine_options(self, **given):
        """``EngineOptions`` from [engine], overridden by the ``given`` values that are not None."""
        from .engine.options import EngineOptions

        return EngineOptions(**{**self.engine, **{k: v for k, v in given.items() if v is not None}})

    @contextlib.contextmanager
    def lock(self, command: str = "") -> Iterator[None]:
        """Hold the project's writer lock for the ``with`` body.

        Re-entrant in one thread; threads of one process (the review server) take turns too.
        """
        import filelock

        turn, lock = _locks(self.root)
        if not turn.acquire(blocking=self.wait):
            raise Fr2enError(f"{self.root}: the project is busy in this process; try again")
        try:
            if lock.is_locked:  # this thread holds it already (re-entry)
                lock.acquire()
            else:
                self._acquire(lock, filelock.Timeout)
                _write_holder(self.root / HOLDER_FILE, command)
                self._remove_temp_files()
            try:
                yield
            finally:
                lock.release()
        finally:
            turn.release()

    def _acquire(self, lock, timeout_error) -> None:
        try:
            try:
                lock.acquire(timeout=0)
            except timeout_error:
                holder = self.holder()
                if not self.wait:
                    raise Fr2enError(
                        f"{self.root}: the project is locked by {holder}; try again when it "
                        "has finished"
                    ) from None
                if self.on_wait is not None:
                    self.on_wait(holder)
                lock.acquire()
        except OSError as err:
            raise Fr2enError(
                f"{err.filename or self.root / LOCK_FILE}: cannot lock the project "
                f"({err.strerror or err})"
            ) from None

    def check_links(self) -> None:
        """Fr2enError when a file the writers write through is a link that leads nowhere or
        to a file of another kind (checked before a run writes anything)."""
        from .atomic import TEXT, link_target
        from .formats.tmx import TMX_FILE_KIND

        for path, kind in ((self.glossary, TEXT), (self.overrides, TEXT),
                           (self.memory_tmx, TMX_FILE_KIND)):
            if path.is_symlink():
                link_target(path, kind)

    def _remove_temp_files(self) -> None:
        """What killed writers of the project's files left (``.NAME.*.tmp``): every writer of
        those files holds the lock, so none is being written now."""
        from .atomic import remove_temp_files

        remove_temp_files(self.root / HOLDER_FILE, self.root / CONFIG_FILE, self.glossary,
                          self.overrides, self.memory, self.memory_tmx)

    def holder(self) -> str:
        """Who holds the lock, as "pid N (command)", from the holder file."""
        try:
            info = json.loads((self.root / HOLDER_FILE).read_text(encoding="utf-8"))
            return f"pid {info['pid']} ({info['command']})"
        except (OSError, ValueError, KeyError, TypeError):
            return "another process"


def memory_database(path: Path) -> Path:
    """The database of a memory path: itself, or for ``memory.tmx`` (what the setting named
    before the database) the ``memory.sqlite`` beside it."""
    return path.with_suffix(".sqlite") if path.suffix.lower() == ".tmx" else path


_LOCKS: dict[Path, tuple] = {}
_LOCKS_GUARD = threading.Lock()


def _locks(root: Path) -> tuple:
    """(thread lock, file lock) of the project at ``root``: one pair per process."""
    import filelock

    with _LOCKS_GUARD:
        if root not in _LOCKS:
            _LOCKS[root] = (threading.RLock(), filelock.FileLock(root / LOCK_FILE, thread_local=False))
        return _LOCKS[root]


def _write_holder(path: Path, command: str) -> None:
    from .atomic import TEXT, atomic_write_text

    info = {"pid": os.getpid(), "command": command or " ".join(["fr2en", *sys.argv[1:]])}
    atomic_write_text(path, json.dumps(info) + "\n", TEXT)


def read_config(path: Path) -> dict:
    """The parsed TOML of ``path``; one-line error with the line of a syntax error."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise Fr2enError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise Fr2enError(f"{path}: not valid TOML: {err}") from None


def _xliff_setting(config: Path, section) -> list[str]:
    """The XLIFF versions of the [outputs] table (its one key, ``xliff``)."""
    if not isinstance(section, dict):
        raise Fr2enError(f"{config}: [outputs] must be a table")
    unknown = set(section) - {"xliff"}
    if unknown:
        raise Fr2enError(f"{config}: [outputs]: unknown key {sorted(unknown)[0]!r}")
    value = section.get("xliff", list(XLIFF_VERSIONS))
    if not isinstance(value, list) or any(v not in XLIFF_VERSIONS for v in value):
        raise Fr2enError(f'{config}: [outputs] xliff: must be a list of "1.2" and "2.1" '
                         f"([] for none), not {value!r}")
    return list(dict.fromkeys(value))


# EngineOptions' annotations → the TOML values they take (a float also takes an integer).
_TOML_TYPES = {"int": (int,), "bool": (bool,), "str": (str,), "float": (float, int),
               "tuple[int, ...]": (list,)}
_TOML_WORDS = {int: "an integer", bool: "true or false", float: "a number",
               list: "a list of integers", str: "a string"}


def _engine_settings(config: Path, section: dict) -> dict:
    """The [engine] table checked against ``EngineOptions``' fields and their types."""
    from .engine.options import EngineOptions

    types = {f.name: f.type for f in fields(EngineOptions)}
    if not isinstance(section, dict):
        raise Fr2enError(f"{config}: [engine] must be a table")
    for name, value in section.items():
        if name not in types:
            raise Fr2enError(f"{config}: [engine]: unknown key {name!r}")
        expected = _TOML_TYPES.get(str(types[name]), (str,))
        if type(value) not in expected:
            what = _TOML_WORDS[expected[0]]
            raise Fr2enError(f"{config}: [engine] {name}: must be {what}, not {value!r}")
    try:
        EngineOptions(**section)
    except Fr2enError as err:
        raise Fr2enError(f"{config}: [engine]: {err}") from None
    return dict(section)


def read_memory_settings(where: str, section: dict, **given) -> MemorySettings:
    """The [memory] table checked, with the ``given`` values over it (the command line's);
    one-line error starting with ``where`` when a value is wrong."""
    if not isinstance(section, dict):
        raise Fr2enError(f"{where}: must be a table")
    unknown = set(section) - {"fuzzy_min", "prefill"}
    if unknown:
        raise Fr2enError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    values = {**section, **given}
    fuzzy_min = values.get("fuzzy_min", MemorySettings.fuzzy_min)
    if type(fuzzy_min) is not int or not 50 <= fuzzy_min <= 100:
        raise Fr2enError(f"{where}: fuzzy_min must be an integer from 50 to 100, not "
                         f"{fuzzy_min!r}")
    prefill = values.get("prefill", MemorySettings.prefill)
    if prefill is False or prefill is None:
        return MemorySettings(fuzzy_min, None)
    if type(prefill) is not int or not fuzzy_min <= prefill <= 100:
        raise Fr2enError(f"{where}: prefill must be an integer from fuzzy_min ({fuzzy_min}) "
                         f"to 100, or false, not {prefill!r}")
    return MemorySettings(fuzzy_min, prefill)


CONFIG_TEMPLATE = """\
# fr2en-dossier project: every fr2en command run in this folder (or below) uses it.
# Paths are relative to this file's folder; command-line options override them.

[project]
# the articles: files, or folders of them
inputs = [{inputs}]
# OmegaT tab-separated glossary (fr2en glossary ...)
glossary = "glossary.tsv"
# the review memory: every review and draft, never deleted (memory.tmx beside it: the same
# as TMX, written with every run, for other tools)
memory = "memory.sqlite"
# the current outputs (a link to the newest complete generation)
output = "output"
# sentence boundaries corrected by reviewers
overrides = "segmentation.tsv"

# the engine options of `fr2en translate --help`, as defaults for this dossier
[engine]
beam_size = 4
device = "cpu"

# the translation memory's matches (README "Translation memory")
[memory]
# the lowest score of a fuzzy match offered (50-100)
# fuzzy_min = 75
# a segment without a review gets a match of this score or more as a draft (false: never)
# prefill = 85
# exchange files for CAT tools (README "CAT tools"): output/xliff/<stem>.xlf (XLIFF 1.2) and
# output/dossier.xlf (XLIFF 2.1); [] for none
[outputs]
xliff = ["1.2", "2.1"]
"""


def init_project(directory: str | os.PathLike = ".", inputs: list[str] | None = None) -> Path:
    """Write ``fr2en.toml`` in ``directory``; Fr2enError when there is one already.

    ``inputs`` default to ``seeds`` when that folder exists, else ``articles`` (created).
    """
    from .atomic import atomic_write_text

    root = Path(directory).absolute()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Fr2enError(f"{root}: cannot create the project folder ({err.strerror})") from None
    project = Project.defaults(root)
    with project.lock("fr2en init"):
        config = root / CONFIG_FILE
        if config.exists():
            raise Fr2enError(f"{config}: already a fr2en project; edit this file instead")
        if not inputs:
            inputs = ["seeds"] if (root / "seeds").is_dir() else ["articles"]
            (root / inputs[0]).mkdir(exist_ok=True)
        listed = ", ".join(json.dumps(p, ensure_ascii=False) for p in inputs)
        atomic_write_text(config, CONFIG_TEMPLATE.format(inputs=listed))
    return config
