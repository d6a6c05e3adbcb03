"""The Ray backend (``backend = "ray"``): the engine's batches decoded by a pool of Ray actors.

Each actor is a :class:`~.decoder.Decoder` holding the model; the driver (this process) keeps
tokenization, batching, order, detokenization, the cache and everything else, and hands each
actor at most ``IN_FLIGHT`` batches at a time, the next one as one finishes. Actors are
started with ``max_restarts=-1, max_task_retries=-1``: a killed actor is restarted and its
batches are decoded again (Ray's default would fail the run). On the embedded cluster the
actors load the installed package from its path (the same machine); on any other cluster the
model's files go into the object store once (``ray.put``) and every actor, and every restart,
loads them from there (``ctranslate2.Translator(files=...)``): workers need no copy of it.

Clusters (``address``): ``"local"`` starts an embedded one-machine cluster with
``ray.init(address="local")`` (never one already running here, whatever ``RAY_ADDRESS``
says): usage stats off, no dashboard, token authentication on, its object store sized for the
model, its temp dir ``<fr2en cache>/ray/<pid>``. Every process it starts carries
``FR2EN_RAY_SESSION=<that dir>`` in its environment: a start first removes the sessions of
drivers that are gone (a kill -9 leaves Ray's agents running), ending by their ids the
processes that carry their mark, and a clean exit shuts its own down the same way. Any other
address joins that cluster (``ray.init(address=...)``), shipping this package's code to the
workers (``runtime_env`` ``py_modules``); they need ``ctranslate2`` installed.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import secrets
import shutil
import signal
import tempfile
import time
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import Fr2enError
from .decoder import Batch, Decoded, Decoder, Settings
from .options import EngineOptions, default_compute_type, usable_cores

SESSION_VAR = "FR2EN_RAY_SESSION"
IN_FLIGHT = 2  # batches queued per actor: one decoding, one waiting (no idle gap between)
START_TIMEOUT = 300  # seconds for the actors to load the model
ROOM_WAIT = 30  # seconds for the cluster to have room for the actors
SHARED_PATH = ("local",)  # addresses whose workers read the package from its own path
_OWNER = "owner.json"
# Ray's longest Unix socket path below its temp dir: /<pid>/session_<date>_<pid>/sockets/plasma_store
_SOCKET_TAIL = 80
_SOCKET_MAX = 107


def require_ray():
    """The ``ray`` module, or a one-line Fr2enError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise Fr2enError("--backend ray needs Ray: pip install 'fr2en-dossier[ray]'") from None
    return ray


class RayRunner:
    """``workers`` actors (0: as many as the cluster has room for) decoding batches."""

    def __init__(self, package_path: Path, options: EngineOptions):
        ray = require_ray()
        self._ray = ray
        files = sorted(p for p in (package_path / "model").iterdir() if p.is_file())
        connect(options.address, model_bytes=sum(p.stat().st_size for p in files))
        gpus = options.gpus_per_worker
        self.device = "cuda" if gpus else "cpu"
        self.compute_type = default_compute_type(options, self.device)
        threads = options.threads or 1
        count = options.workers or _room(ray, threads, gpus)
        _check_room(ray, options.address, count, threads, gpus)
        settings = Settings(self.device, self.compute_type, options.beam_size,
                            options.max_decoding_length, options.batch_tokens(self.device),
                            intra_threads=threads)
        actor = ray.remote(ShippedDecoder).options(num_cpus=threads, num_gpus=gpus,
                                                   max_restarts=-1, max_task_retries=-1)
        if options.address in SHARED_PATH:
            model = str(package_path / "model")
        else:  # once; each actor (and each restart) reads it there
            self._shipped = ray.put({p.name: p.read_bytes() for p in files})
            model = [self._shipped]
        self.actors = [actor.remote(model, settings) for _ in range(count)]
        weakref.finalize(self, _kill, ray, list(self.actors))
        try:
            self.workers = ray.get([a.describe.remote() for a in self.actors], timeout=START_TIMEOUT)
        except ray.exceptions.GetTimeoutError:
            self.close()
            raise Fr2enError(f"--backend ray: {count} workers did not start in {START_TIMEOUT} s") from None
        except ray.exceptions.RayError as err:
            self.close()
            raise Fr2enError(f"{package_path}: a Ray worker cannot load the model: "
                             f"{_first_line(err)}") from None
        resolved = {(w["device"], w["compute_type"]) for w in self.workers}
        if len(resolved) > 1:
            self.close()
            raise Fr2enError(f"--backend ray: the workers resolved different devices or compute "
                             f"types ({sorted(resolved)}): set --device and --compute-type")

    def run(self, batches: Sequence[Batch]) -> Iterator[tuple[int, list[Decoded]]]:
        ray = self._ray
        queue = deque(range(len(batches)))
        pending: dict = {}  # ObjectRef → (batch index, actor)

        def submit(actor) -> None:
            if queue:
                index = queue.popleft()
                pending[actor.decode.remote(batches[index])] = (index, actor)

        for actor in self.actors:
            for _ in range(IN_FLIGHT):
                submit(actor)
        while pending:
            [ready], _ = ray.wait(list(pending), num_returns=1)
            index, actor = pending.pop(ready)
            try:
                decoded = ray.get(ready)
            except ray.exceptions.RayError as err:
                raise Fr2enError(f"--backend ray: a batch failed: {_first_line(err)}") from None
            submit(actor)
            yield index, decoded

    def close(self) -> None:
        _kill(self._ray, self.actors)
        self.actors = []


class ShippedDecoder(Decoder):
    """A decoder of the model directory at a path its host shares with the driver, or of the
    model files in the object store (``[ref]``; the runner holds the reference for as long
    as the actors may restart)."""

    def __init__(self, model: str | list, settings: Settings):
        import ray

        super().__init__(model if isinstance(model, str) else ray.get(model[0]), settings)


def _kill(ray, actors) -> None:
    for actor in actors:
        try:
            ray.kill(actor)
        except Exception:  # the cluster is gone already (interpreter exit)
            pass


def _room(ray, threads: int, gpus: float) -> int:
    """How many actors of ``threads`` CPUs and ``gpus`` GPUs the cluster holds."""
    total = ray.cluster_resources()
    fits = int(total.get("CPU", 0) // threads)
    if gpus:
        fits = min(fits, int(total.get("GPU", 0) / gpus + 1e-9))
    return max(fits, 1)


def _check_room(ray, address: str, count: int, threads: int, gpus: float) -> None:
    """Wait (up to ROOM_WAIT s: killed actors free theirs a moment later) until the cluster
    has the CPUs and GPUs of ``count`` actors free; Fr2enError if it never has."""
    deadline = time.monotonic() + ROOM_WAIT
    while True:
        free = ray.available_resources()
        cpus, gpus_free = free.get("CPU", 0), free.get("GPU", 0)
        if count * threads <= cpus + 1e-9 and count * gpus <= gpus_free + 1e-9:
            return
        if time.monotonic() > deadline:
            raise Fr2enError(
                f"--address {address}: the Ray cluster has {cpus:g} CPU(s) and {gpus_free:g} "
                f"GPU(s) free, not enough for {count} worker(s) of {threads} CPU(s) and "
                f"{gpus:g} GPU(s) each"
            )
        time.sleep(0.1)


def _first_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    cause = next((line for line in reversed(lines) if "Error" in line), None)
    return cause or (lines[0] if lines else type(err).__name__)


# --- the cluster -----------------------------------------------------------------------------


def connect(address: str, *, num_cpus: int | None = None, model_bytes: int = 0) -> None:
    """Connect this process to the cluster at ``address`` once; later calls keep it (as does a
    process that called ``ray.init`` itself). ``num_cpus``: the embedded cluster's CPUs
    (default: the cores this process may use)."""
    ray = require_ray()
    if ray.is_initialized():
        return
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    quiet = dict(log_to_driver=False, logging_level=logging.ERROR)
    if address != "local":
        import fr2en_dossier

        try:
            ray.init(address=address, runtime_env={"py_modules": [Path(fr2en_dossier.__file__).parent]},
                     **quiet)
        except (ConnectionError, RuntimeError, ValueError, OSError) as err:
            raise Fr2enError(f"--address {address}: cannot join the Ray cluster: "
                             f"{_first_line(err)}") from None
        return
    prune()
    session = _new_session()
    os.environ[SESSION_VAR] = str(session)  # inherited by every process the cluster starts
    # Ray binds its ports to the machine's address, never to loopback only (it resolves
    # 127.0.0.1 to a reachable address): a token only this process and the cluster's own
    # processes know is what keeps other users and hosts out of it.
    os.environ.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32))
    os.environ.pop("RAY_AUTH_TOKEN_PATH", None)
    from ray._raylet import AuthenticationTokenLoader, Config

    Config.initialize("")  # this process reads the mode from the environment again
    AuthenticationTokenLoader.instance().reset_cache()
    try:
        ray.init(address="local", num_cpus=num_cpus or usable_cores(), include_dashboard=False,
                 object_store_memory=max(128 << 20, 2 * model_bytes + (64 << 20)),
                 _temp_dir=str(session), **quiet)
    except Exception as err:
        _end_session(session)
        raise Fr2enError(f"--backend ray: cannot start a local Ray cluster: {_first_line(err)}") from None
    finally:
        os.environ.pop(SESSION_VAR, None)
    global _session
    _session = session
    atexit.register(shutdown)


_session: Path | None = None  # the embedded cluster this process started


def shutdown() -> None:
    """Stop the embedded cluster this process started (at exit, or earlier): Ray's own
    shutdown, then whatever it left, and its temp dir."""
    global _session
    if _session is not None:
        require_ray().shutdown()
        _end_session(_session)
        _session = None


def session_roots() -> list[Path]:
    """Where embedded clusters keep their temp dirs: under the fr2en cache, or in the temp
    folder when that path is too long for Ray's Unix sockets."""
    from .location import cache_folder

    return [cache_folder() / "ray",
            Path(tempfile.gettempdir()) / f"fr2en-ray-{os.getuid()}"]


def _new_session() -> Path:
    root = next((r for r in session_roots() if len(str(r)) + _SOCKET_TAIL <= _SOCKET_MAX),
                session_roots()[-1])
    session = root / str(os.getpid())
    shutil.rmtree(session, ignore_errors=True)
    session.mkdir(parents=True)
    owner = {"pid": os.getpid(), "started": _start_time(os.getpid())}
    (session / _OWNER).write_text(json.dumps(owner), encoding="utf-8")
    return session


def prune() -> int:
    """End the embedded clusters whose driver is gone (their processes, by id, and their
    temp dirs); return how many."""
    ended = 0
    for root in session_roots():
        if not root.is_dir():
            continue
        for session in root.iterdir():
            if session.is_dir() and not _owner_alive(session):
                _end_session(session)
                ended += 1
    return ended


def _owner_alive(session: Path) -> bool:
    try:
        owner = json.loads((session / _OWNER).read_text(encoding="utf-8"))
        return _start_time(int(owner["pid"])) == owner["started"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), telling a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def session_processes(session: Path) -> list[int]:
    """The ids of the live processes marked with ``session`` (Linux: /proc)."""
    mark = f"{SESSION_VAR}={session}\0".encode()
    marked = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if mark in (proc / "environ").read_bytes() and not _zombie(int(proc.name)):
                marked.append(int(proc.name))
        except (OSError, ValueError):
            continue  # gone, or not ours to read
    return marked


def _end_session(session: Path) -> None:
    """SIGKILL every process marked with ``session``, wait for them to go, remove the dir."""
    marked = session_processes(session)
    for pid in marked:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + 5
    while marked and time.monotonic() < deadline:
        marked = [pid for pid in marked if _start_time(pid) is not None and not _zombie(pid)]
        time.sleep(0.05)
    shutil.rmtree(session, ignore_errors=True)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
