"""The MT engine: an Argos package's SentencePiece model and CTranslate2 Transformer.

All texts of a run go through one :meth:`Engine.translate` call: tokenized in one
SentencePiece call, sorted by length, cut into batches of at most ``max_batch_tokens`` padded
tokens, each queued with ``translate_batch`` for the translator's CPU workers (or the GPU),
put back in input order, and detokenized. Decoding settings are argostranslate's (beam 4, length penalty 0.2, unknown
tokens replaced from the source), so a sentence gets the translation argostranslate gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Fr2enError
from .options import EngineOptions, cpu_workers, resolve_device
from .packages import InstalledPackage, require_fr_en

WORD_START = "\u2581"  # SentencePiece's word-boundary marker
Progress = Callable[[int, int], None]  # (texts done, texts in all)


@dataclass(frozen=True)
class Translation:
    text: str
    score: float | None  # CTranslate2's log-prob score, summed over split parts (None: empty)
    truncated: bool  # the input was split, or an output hit max_decoding_length


class Engine:
    """A loaded package: call :meth:`translate` once per run with every text."""

    def __init__(self, package: InstalledPackage, options: EngineOptions):
        import ctranslate2
        import sentencepiece

        self.package = package
        self.options = options
        self.device, self.compute_type = resolve_device(options)
        workers, threads = cpu_workers(options.threads) if self.device == "cpu" else (1, 0)
        try:
            self._sp = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model")
            )
            self._translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=workers,
                intra_threads=threads,
            )
        except (RuntimeError, OSError, ValueError) as err:
            raise Fr2enError(f"{package.path}: cannot load the {package.id} model: {err}")
        # Everything that determines the output, for the translation cache.
        self.cache_key = (
            f"{package.id}|beam={options.beam_size}|{self.device}/{self.compute_type}"
            f"|in<={options.max_input_tokens}|out<={options.max_decoding_length}"
        )

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[Translation]:
        """Translate ``texts``; results in the same order."""
        chunks: list[list[str]] = []  # every text's pieces, split to max_input_tokens
        parts: list[range] = []  # each text's chunks in ``chunks``
        for pieces in self._sp.encode(list(texts), out_type=str):
            split = split_pieces(pieces, self.options.max_input_tokens)
            parts.append(range(len(chunks), len(chunks) + len(split)))
            chunks.extend(split)
        owner = [i for i, ks in enumerate(parts) for _ in ks]
        remaining = [len(ks) for ks in parts]
        done = remaining.count(0)
        if progress:
            progress(done, len(texts))
        results = [None] * len(chunks)
        # All batches are queued at once (the workers take them in order); wait in that order.
        queued = [
            (batch, self._translate_batch([chunks[k] for k in batch]))
            for batch in length_batches([len(c) + 1 for c in chunks], self.options.max_batch_tokens)
        ]
        for batch, futures in queued:
            for k, future in zip(batch, futures):
                results[k] = future.result()
                remaining[owner[k]] -= 1
                done += remaining[owner[k]] == 0
            if progress:
                progress(done, len(texts))
        hypotheses = [r.hypotheses[0] for r in results]
        decoded = self._sp.decode(hypotheses) if hypotheses else []
        cap = self.options.max_decoding_length
        return [
            Translation(
                text=" ".join(decoded[k].strip() for k in ks),
                score=sum(results[k].scores[0] for k in ks) if ks else None,
                truncated=len(ks) > 1 or any(len(hypotheses[k]) >= cap for k in ks),
            )
            for ks in parts
        ]

    def _translate_batch(self, batch: list[list[str]]):
        """Queue one batch; returns a future per example."""
        options = self.options
        return self._translator.translate_batch(
            batch,
            asynchronous=True,
            max_batch_size=options.max_batch_tokens,
            batch_type="tokens",
            beam_size=options.beam_size,
            length_penalty=0.2,
            max_input_length=0,  # inputs are already split to max_input_tokens
            max_decoding_length=options.max_decoding_length,
            replace_unknowns=True,
            return_scores=True,
        )


def load_engine(options: EngineOptions) -> Engine:
    """Load the installed fr→en package (Fr2enError, exit 2, when there is none)."""
    return Engine(require_fr_en(), options)


def split_pieces(pieces: list[str], limit: int) -> list[list[str]]:
    """Cut a piece sequence into chunks of at most ``limit`` pieces, at word starts if possible.

    Concatenating the chunks gives back ``pieces``; an empty sequence gives no chunk.
    """
    chunks = []
    start = 0
    while len(pieces) - start > limit:
        end = start + limit
        word_start = max(
            (j for j in range(end, start, -1) if pieces[j].startswith(WORD_START)), default=start
        )
        end = word_start if word_start > start else end
        chunks.append(pieces[start:end])
        start = end
    if start < len(pieces):
        chunks.append(pieces[start:])
    return chunks


def length_batches(lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Indices of ``lengths``, longest first, grouped so that each group's padded size
    (count x longest) stays within ``max_tokens`` (a longer single item gets a group of its own).

    Longest first, as CTranslate2 does: the last, short batches fill in for parallel workers.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True):
        if current and (len(current) + 1) * lengths[current[0]] > max_tokens:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
