"""Runners: who decodes the batches the engine forms (``EngineOptions.backend``).

A runner takes a list of :class:`~.decoder.Batch` and yields ``(index, results)`` for each
batch as it finishes, in any order; the engine keeps tokenization, batching, input order and
detokenization, so the output does not depend on the runner. ``local`` is one CTranslate2
translator in this process (its workers take the batches in order); ``ray`` is a pool of Ray
actors (:mod:`.ray_backend`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from ..errors import Fr2enError
from .decoder import Batch, Decoded, Decoder, Settings
from .options import EngineOptions, cpu_workers, resolve_device


class Runner(Protocol):
    device: str  # what the model runs on: cpu or cuda
    compute_type: str  # as asked for ("int8", "float16", ...): part of the cache key
    workers: list[dict]  # each decoder's Decoder.describe()

    def run(self, batches: Sequence[Batch]) -> Iterator[tuple[int, list[Decoded]]]: ...

    def close(self) -> None: ...


class LocalRunner:
    """One translator in this process: ``inter_threads`` one-thread CPU workers, or the GPUs
    of ``device_index`` (CTranslate2 spreads the batches over them)."""

    def __init__(self, package_path: Path, options: EngineOptions):
        self.device, self.compute_type, indices = resolve_device(options)
        workers, threads = cpu_workers(options.threads) if self.device == "cpu" else (1, 0)
        settings = Settings(self.device, self.compute_type, options.beam_size,
                            options.max_decoding_length, options.batch_tokens(self.device),
                            indices, workers, threads)
        try:
            self._decoder = Decoder(str(package_path / "model"), settings)
        except (RuntimeError, OSError, ValueError) as err:
            raise Fr2enError(f"{package_path}: cannot load the model: {err}") from None
        self.workers = [self._decoder.describe()]

    def run(self, batches: Sequence[Batch]) -> Iterator[tuple[int, list[Decoded]]]:
        waits = [self._decoder.submit(batch) for batch in batches]  # all queued at once
        for index, wait in enumerate(waits):
            yield index, wait()

    def close(self) -> None:
        pass


def make_runner(package_path: Path, options: EngineOptions) -> Runner:
    """The runner of ``options.backend``; what a killed Ray driver left is ended first."""
    from . import ray_backend

    ray_backend.prune()
    if options.backend == "ray":
        return ray_backend.RayRunner(package_path, options)
    return LocalRunner(package_path, options)
