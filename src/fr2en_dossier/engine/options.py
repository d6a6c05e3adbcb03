"""Engine options, their defaults and validation (README "Machine translation")."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..errors import Fr2enError

DEVICES = ("cpu", "cuda", "auto")
BACKENDS = ("local", "ray")
# "local": an embedded one-machine cluster; "auto": the cluster `ray start` runs on this
# machine; HOST:PORT: a cluster's GCS; ray://HOST:PORT: Ray Client.
_ADDRESS = re.compile(r"local|auto|(ray://)?[A-Za-z0-9.\-_\[\]:]+:\d{1,5}")
# Padded source tokens per batch when max_batch_tokens is 0. On CPU throughput is flat from
# 1024 up (benchmarks/throughput.py); a GPU keeps more sequences in flight per kernel, so it
# gets four times as many (benchmarks/gpu.py sweeps the size on a GPU host).
CPU_BATCH_TOKENS, GPU_BATCH_TOKENS = 2048, 8192


@dataclass(frozen=True)
class EngineOptions:
    beam_size: int = 4  # argostranslate's default
    device: str = "cpu"  # cpu | cuda | auto (cuda when CTranslate2 sees a GPU, else cpu)
    device_index: tuple[int, ...] = ()  # the GPUs to use (cuda); (): every GPU of the host
    compute_type: str = "default"  # "default": int8 on CPU, float16 on CUDA
    threads: int = 0  # local: CPU threads in all, 0 = every core; ray: per worker, 0 = 1
    max_batch_tokens: int = 0  # padded source tokens per batch; 0: 2048 on CPU, 8192 on GPU
    # Longer inputs are split at word boundaries and flagged model.TRUNCATED. argos-train
    # trains on pairs of at most 150 pieces; CTranslate2 would silently cut at 1024.
    max_input_tokens: int = 200
    max_decoding_length: int = 256  # CTranslate2's default, as argostranslate uses it
    backend: str = "local"  # local: this process's CTranslate2; ray: actors of a Ray cluster
    address: str = "local"  # ray: which cluster (see _ADDRESS)
    workers: int = 0  # ray: actors; 0 = as many as the cluster has room for
    gpus_per_worker: float = 0.0  # ray: GPUs per actor (fractions share a GPU); 0: CPU actors

    def __post_init__(self) -> None:
        index = self.device_index
        if isinstance(index, list):  # as TOML gives it
            index = tuple(index)
            object.__setattr__(self, "device_index", index)
        if not isinstance(index, tuple) or not all(
            type(i) is int and i >= 0 for i in index
        ):
            raise Fr2enError(f"device-index must be a list of GPU numbers, not {index!r}")
        if self.device not in DEVICES:
            raise Fr2enError(f"--device must be one of {', '.join(DEVICES)}, not {self.device!r}")
        if self.backend not in BACKENDS:
            raise Fr2enError(
                f"--backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}"
            )
        if not _ADDRESS.fullmatch(self.address):
            raise Fr2enError(
                f"--address must be local, auto, HOST:PORT or ray://HOST:PORT, not {self.address!r}"
            )
        for name in ("beam_size", "max_input_tokens", "max_decoding_length"):
            if getattr(self, name) < 1:
                raise Fr2enError(f"{name.replace('_', '-')} must be at least 1")
        for name in ("threads", "workers", "gpus_per_worker", "max_batch_tokens"):
            if getattr(self, name) < 0:
                raise Fr2enError(f"{name.replace('_', '-')} must be 0 or more")
        if 0 < self.max_batch_tokens < self.max_input_tokens:
            raise Fr2enError(
                f"max-batch-tokens ({self.max_batch_tokens}) must be at least "
                f"max-input-tokens ({self.max_input_tokens})"
            )
        if self.backend == "ray" and self.device == "cuda" and not self.gpus_per_worker:
            raise Fr2enError("--device cuda with --backend ray needs --gpus-per-worker above 0")
        if self.backend == "ray" and self.device == "cpu" and self.gpus_per_worker:
            raise Fr2enError("--gpus-per-worker needs --device cuda or auto")

    def batch_tokens(self, device: str) -> int:
        """The token budget of one batch on ``device`` ("cpu" or "cuda")."""
        budget = GPU_BATCH_TOKENS if device == "cuda" else CPU_BATCH_TOKENS
        return self.max_batch_tokens or max(budget, self.max_input_tokens)


def resolve_device(options: EngineOptions) -> tuple[str, str, tuple[int, ...]]:
    """(device, compute type, GPU indices) to load the model with on this host; Fr2enError
    when they cannot be had."""
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    device = options.device
    if device == "auto":
        device = "cuda" if gpus else "cpu"
    elif device == "cuda" and not gpus:
        raise Fr2enError(
            "--device cuda: CTranslate2 sees no CUDA GPU here; use --device cpu or auto"
        )
    indices = ()
    if device == "cuda":
        indices = options.device_index or tuple(range(gpus))
        absent = [i for i in indices if i >= gpus]
        if absent:
            raise Fr2enError(f"device-index {absent[0]}: this host has {gpus} GPU(s) (0 to {gpus - 1})")
    compute = default_compute_type(options, device)
    supported = ctranslate2.get_supported_compute_types(device)
    if compute != "auto" and compute not in supported:
        raise Fr2enError(
            f"--compute-type {compute} is not supported on {device}; "
            f"choose from {', '.join(sorted(supported))}"
        )
    return device, compute, indices


def default_compute_type(options: EngineOptions, device: str) -> str:
    """The compute type asked for on ``device``: int8 on CPU (Argos models are int8), float16
    on CUDA (CTranslate2's published figures: the fastest for Transformer-base on a GPU)."""
    if options.compute_type != "default":
        return options.compute_type
    return "float16" if device == "cuda" else "int8"


def cpu_workers(threads: int) -> tuple[int, int]:
    """(inter_threads, intra_threads) for ``threads`` CPU threads in all (0: every usable core).

    One one-thread worker per core, each decoding whole batches: independent batches scale
    better than one batch's matrix products split across cores (README "Machine translation",
    measured). The workers share the model's weights; each holds one batch's activations.
    """
    return (threads or usable_cores()), 1


def usable_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) or 1
