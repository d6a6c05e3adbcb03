"""Engine options, their defaults and validation (README "Machine translation")."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import Fr2enError

DEVICES = ("cpu", "cuda", "auto")


@dataclass(frozen=True)
class EngineOptions:
    beam_size: int = 4  # argostranslate's default
    device: str = "cpu"  # cpu | cuda | auto (cuda when CTranslate2 sees a GPU, else cpu)
    compute_type: str = "default"  # "default": int8 on CPU, float16 on CUDA
    threads: int = 0  # CPU threads in all; 0 = every core this process may use
    max_batch_tokens: int = 2048  # padded source tokens per translate_batch batch
    # Longer inputs are split at word boundaries and flagged model.TRUNCATED. argos-train
    # trains on pairs of at most 150 pieces; CTranslate2 would silently cut at 1024.
    max_input_tokens: int = 200
    max_decoding_length: int = 256  # CTranslate2's default, as argostranslate uses it

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise Fr2enError(f"--device must be one of {', '.join(DEVICES)}, not {self.device!r}")
        for name in ("beam_size", "max_batch_tokens", "max_input_tokens", "max_decoding_length"):
            if getattr(self, name) < 1:
                raise Fr2enError(f"{name.replace('_', '-')} must be at least 1")
        if self.threads < 0:
            raise Fr2enError("threads must be 0 (all cores) or more")
        if self.max_batch_tokens < self.max_input_tokens:
            raise Fr2enError(
                f"max-batch-tokens ({self.max_batch_tokens}) must be at least "
                f"max-input-tokens ({self.max_input_tokens})"
            )


def resolve_device(options: EngineOptions) -> tuple[str, str]:
    """(device, compute type) to load the model with; Fr2enError when they cannot be had."""
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    device = options.device
    if device == "auto":
        device = "cuda" if gpus else "cpu"
    elif device == "cuda" and not gpus:
        raise Fr2enError(
            "--device cuda: CTranslate2 sees no CUDA GPU here; use --device cpu or auto"
        )
    compute = options.compute_type
    if compute == "default":
        compute = "float16" if device == "cuda" else "int8"
    supported = ctranslate2.get_supported_compute_types(device)
    if compute != "auto" and compute not in supported:
        raise Fr2enError(
            f"--compute-type {compute} is not supported on {device}; "
            f"choose from {', '.join(sorted(supported))}"
        )
    return device, compute


def cpu_workers(threads: int) -> tuple[int, int]:
    """(inter_threads, intra_threads) for ``threads`` CPU threads in all (0: every usable core).

    One one-thread worker per core, each decoding whole batches: independent batches scale
    better than one batch's matrix products split across cores (README "Machine translation",
    measured). The workers share the model's weights; each holds one batch's activations.
    """
    return (threads or len(os.sched_getaffinity(0)) or 1), 1
