"""The MT engine: an Argos package's SentencePiece model and CTranslate2 Transformer.

All texts of a run go through one :meth:`Engine.translate` call: tokenized in one
SentencePiece call, cut into batches of at most ``max_batch_tokens`` padded tokens (longest
first), all queued at once with ``translate_batch(asynchronous=True)`` for the translator's CPU
workers (``inter_threads``; or the GPU), put back in input order, and detokenized. Each batch is
decoded whole by one worker, so results do not depend on the number of workers. Decoding
settings are argostranslate's (beam 4, length penalty 0.2, unknown tokens replaced from the
source), so a sentence gets the translation argostranslate gives it. :meth:`Engine.constrained`
is the terminology pass's re-decode (``target_prefix``, ``suppress_sequences``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from ..errors import Fr2enError
from .options import EngineOptions, cpu_workers, resolve_device
from .packages import InstalledPackage, require_fr_en

WORD_START = "\u2581"  # SentencePiece's word-boundary marker
Progress = Callable[[int, int], None]  # (texts done, texts in all)


@dataclass(frozen=True)
class Hypothesis:
    """One decoded hypothesis: its pieces, score, text and cross-attention (last decoder layer:
    one row per output piece, one column per source piece, then the source's ``</s>``)."""

    pieces: tuple[str, ...]
    score: float
    text: str
    attention: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class Constraint:
    """A re-decode of ``source`` (pieces) that must start with ``prefix`` (pieces) and never
    produce any of ``suppress`` (piece sequences)."""

    source: tuple[str, ...]
    prefix: tuple[str, ...]
    suppress: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Translation:
    text: str
    score: float | None  # CTranslate2's log-prob score, summed over split parts (None: empty)
    truncated: bool  # the input was split, or an output hit max_decoding_length
    method: str = ""  # how the glossary's terms were met (engine.terms): "", n-best, prefix, forced
    # With ``detail``: every beam hypothesis, best first, with attention (never cached).
    hypotheses: tuple[Hypothesis, ...] = field(default=(), compare=False, repr=False)


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

    def translate(
        self, texts: Sequence[str], progress: Progress | None = None, detail: Collection[int] = ()
    ) -> list[Translation]:
        """Translate ``texts``; results in the same order. The texts at the indices in
        ``detail`` also get every beam hypothesis with its attention (unless they are split)."""
        chunks: list[list[str]] = []  # every text's pieces, split to max_input_tokens
        parts: list[range] = []  # each text's chunks in ``chunks``
        for pieces in self._sp.encode(list(texts), out_type=str):
            split = split_pieces(pieces, self.options.max_input_tokens)
            parts.append(range(len(chunks), len(chunks) + len(split)))
            chunks.extend(split)
        owner = [i for i, ks in enumerate(parts) for _ in ks]
        detailed = {i for i in detail if len(parts[i]) == 1}
        remaining = [len(ks) for ks in parts]
        done = remaining.count(0)
        if progress:
            progress(done, len(texts))
        results = [None] * len(chunks)
        groups = [
            [k for k in range(len(chunks)) if owner[k] not in detailed],
            [k for k in range(len(chunks)) if owner[k] in detailed],
        ]
        extra = [{}, dict(num_hypotheses=self.options.beam_size, return_attention=True)]
        for batch, futures in self._queue(chunks, groups, extra):
            for k, future in zip(batch, futures):
                results[k] = future.result()
                remaining[owner[k]] -= 1
                done += remaining[owner[k]] == 0
            if progress:
                progress(done, len(texts))
        best = [r.hypotheses[0] for r in results]
        decoded = self._sp.decode(best) if best else []
        cap = self.options.max_decoding_length
        return [
            Translation(
                text=" ".join(decoded[k].strip() for k in ks),
                score=sum(results[k].scores[0] for k in ks) if ks else None,
                truncated=len(ks) > 1 or any(len(best[k]) >= cap for k in ks),
                hypotheses=self._hypotheses(results[ks[0]]) if i in detailed else (),
            )
            for i, ks in enumerate(parts)
        ]

    def constrained(self, constraints: Sequence[Constraint]) -> list[Hypothesis]:
        """Decode each constraint's source starting with its prefix (one hypothesis, with
        attention), in one asynchronous pass; results in the same order."""
        by_suppress: dict[tuple, list[int]] = {}
        for k, c in enumerate(constraints):
            by_suppress.setdefault(c.suppress, []).append(k)
        chunks = [list(c.source) for c in constraints]
        prefixes = [list(c.prefix) for c in constraints]
        groups = list(by_suppress.values())
        extra = [
            dict(return_attention=True, suppress_sequences=[list(s) for s in key] or None)
            for key in by_suppress
        ]
        results = [None] * len(chunks)
        for batch, futures in self._queue(chunks, groups, extra, prefixes):
            for k, future in zip(batch, futures):
                results[k] = self._hypotheses(future.result())[0]
        return results

    def tokenize(self, text: str) -> list[str]:
        return self._sp.encode(text, out_type=str)

    def piece_spans(self, text: str) -> list[tuple[int, int]]:
        """Character span in ``text`` of each of its pieces."""
        spans, pos = [], 0
        for piece in self._sp.encode(text, return_type="proto").pieces:
            spans.append((pos, pos + len(piece.surface)))
            pos += len(piece.surface)
        return spans

    def _hypotheses(self, result) -> tuple[Hypothesis, ...]:
        attention = result.attention or [()] * len(result.hypotheses)
        texts = self._sp.decode([list(h) for h in result.hypotheses])  # one call for all
        return tuple(
            Hypothesis(tuple(h), s, t.strip(), tuple(map(tuple, a)))
            for h, s, t, a in zip(result.hypotheses, result.scores, texts, attention)
        )

    def _queue(self, chunks, groups, extra, prefixes=None):
        """Queue every group's chunks in length batches, each group with its own extra options,
        all at once (the workers take the batches in order); yields (batch, futures) in order."""
        queued = []
        for group, options in zip(groups, extra):
            lengths = [len(chunks[k]) + 1 + (len(prefixes[k]) if prefixes else 0) for k in group]
            for batch in length_batches(lengths, self.options.max_batch_tokens):
                batch = [group[i] for i in batch]
                prefix = [prefixes[k] for k in batch] if prefixes else None
                futures = self._translate_batch([chunks[k] for k in batch], prefix, options)
                queued.append((batch, futures))
        yield from queued

    def _translate_batch(self, batch: list[list[str]], prefix, extra: dict):
        """Queue one batch; returns a future per example."""
        options = self.options
        return self._translator.translate_batch(
            batch,
            target_prefix=prefix,
            asynchronous=True,
            max_batch_size=options.max_batch_tokens,
            batch_type="tokens",
            beam_size=options.beam_size,
            length_penalty=0.2,
            max_input_length=0,  # inputs are already split to max_input_tokens
            max_decoding_length=options.max_decoding_length,
            replace_unknowns=True,
            return_scores=True,
            **extra,
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
