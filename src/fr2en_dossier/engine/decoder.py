"""One CTranslate2 translator decoding whole batches of SentencePiece pieces: what a runner
(:mod:`.runners`) runs, in this process or as a Ray actor. Batches and results are plain,
picklable data; decoding settings are argostranslate's (length penalty 0.2, unknown tokens
replaced from the source), so a sentence gets the translation argostranslate gives it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field


LENGTH_PENALTY = 0.2  # argostranslate's


def mean_log_prob(scores: list[float], lengths: list[int]) -> float | None:
    """The mean log-probability per output token of a text decoded in parts (hypotheses of
    ``lengths`` pieces with beam ``scores``), the engine's confidence: CTranslate2's
    beam score of a hypothesis of ``n`` pieces is its summed log-probability over the ``n + 1``
    tokens it decoded (its ``</s>`` included) divided by ``(n + 1) ** LENGTH_PENALTY``; this
    undoes that division and averages over every token. None without tokens."""
    tokens = sum(n + 1 for n in lengths)
    if not tokens:
        return None
    return sum(s * (n + 1) ** LENGTH_PENALTY for s, n in zip(scores, lengths)) / tokens


@dataclass(frozen=True)
class Batch:
    """Examples decoded together: their pieces, target prefixes (or None) and the extra
    ``translate_batch`` options of their group (n-best, attention, suppressed sequences)."""

    source: list[list[str]]
    prefix: list[list[str]] | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Decoded:
    """One example's hypotheses (pieces, best first), their scores and their attention
    (last decoder layer; empty unless asked for)."""

    hypotheses: list[list[str]]
    scores: list[float]
    attention: list = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    """How a decoder loads its model and decodes; ``device_index`` () means every GPU it sees."""

    device: str
    compute_type: str
    beam_size: int
    max_decoding_length: int
    batch_tokens: int
    device_index: tuple[int, ...] = ()
    inter_threads: int = 1
    intra_threads: int = 1


class Decoder:
    """A CTranslate2 translator for a model directory, or for its files in memory
    (``{name: bytes}``, as a Ray actor gets them from the object store)."""

    def __init__(self, model: str | dict, settings: Settings):
        import ctranslate2

        self.settings = settings
        index = list(settings.device_index)
        if settings.device == "cuda" and not index:
            index = list(range(ctranslate2.get_cuda_device_count())) or [0]
        files = model if isinstance(model, dict) else None
        self._translator = ctranslate2.Translator(
            "model" if files else model,
            device=settings.device,
            device_index=index or 0,
            compute_type=settings.compute_type,
            inter_threads=settings.inter_threads,
            intra_threads=settings.intra_threads,
            files=files,
        )

    def describe(self) -> dict:
        """Where this decoder runs and what it resolved: host, pid, device, GPUs, compute type."""
        t = self._translator
        return dict(host=socket.gethostname(), pid=os.getpid(), device=t.device,
                    device_index=list(t.device_index), compute_type=t.compute_type,
                    translators=t.num_translators)

    def submit(self, batch: Batch) -> Callable[[], list[Decoded]]:
        """Queue ``batch`` for the translator's workers; call the result to wait for it."""
        s = self.settings
        futures = self._translator.translate_batch(
            batch.source,
            target_prefix=batch.prefix,
            asynchronous=True,
            max_batch_size=s.batch_tokens,
            batch_type="tokens",
            beam_size=s.beam_size,
            length_penalty=LENGTH_PENALTY,
            max_input_length=0,  # inputs are already split to max_input_tokens
            max_decoding_length=s.max_decoding_length,
            replace_unknowns=True,
            return_scores=True,
            **batch.extra,
        )
        return lambda: [_plain(f.result()) for f in futures]

    def decode(self, batch: Batch) -> list[Decoded]:
        return self.submit(batch)()


def _plain(result) -> Decoded:
    return Decoded([list(h) for h in result.hypotheses], list(result.scores),
                   [list(map(list, a)) for a in result.attention or ()])
