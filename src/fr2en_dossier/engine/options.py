"""Engine options: everything that changes what the engine outputs (and so the cache key)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineOptions:
    beam_size: int = 4
    device: str = "cpu"  # cpu | cuda | auto
    compute_type: str = "default"  # "default": int8 on CPU, float16 on CUDA
    threads: int = 0  # intra-op threads; 0 = all cores
    max_batch_tokens: int = 4096
