"""The MT engine: an Argos package's SentencePiece model and CTranslate2 Transformer.

All texts of a run go through one :meth:`Engine.translate` call: tokenized in one
SentencePiece call, cut into batches of at most ``max_batch_tokens`` padded tokens (longest
first), all handed at once to the runner (:mod:`.runners`: this process's CTranslate2 workers
or GPUs, or Ray actors), put back in input order as each batch finishes, and detokenized. Each
batch is decoded whole by one worker, so results depend neither on the number of workers nor
on the backend. :meth:`Engine.constrained` is the terminology pass's re-decode
(``target_prefix``, ``suppress_sequences``), through the same runner.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from ..errors import Fr2enError
from .decoder import Batch, Decoded, mean_log_prob
from .identity import package_identity
from .options import EngineOptions
from .packages import InstalledPackage, require_fr_en
from .runners import Runner, make_runner

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

    @property
    def confidence(self) -> float | None:
        """The mean log-probability of its tokens (:func:`.decoder.mean_log_prob`)."""
        return mean_log_prob([self.score], [len(self.pieces)])


@dataclass(frozen=True)
class Constraint:
    """A re-decode of ``source`` (pieces) that must start with ``prefix`` (pieces) and never
    produce any of ``suppress`` (piece sequences)."""

    source: tuple[str, ...]
    prefix: tuple[str, ...]
    suppress: tuple[tuple[str, ...], ...] = ()


# Translation.truncated: which limit a translation hit, indexed by 1 (the input was split at
# max_input_tokens) + 2 (an output reached max_decoding_length); the cache stores the index.
TRUNCATIONS = ("", "input", "output", "input and output")


@dataclass(frozen=True)
class Translation:
    text: str
    score: float | None  # CTranslate2's log-prob score, summed over split parts (None: empty)
    truncated: str  # "" or the limit hit: one of TRUNCATIONS
    method: str = ""  # how the glossary's terms were met (engine.terms): "", n-best, prefix, forced
    # The mean log-probability of the English's tokens (decoder.mean_log_prob; None: empty).
    confidence: float | None = None
    # With ``detail``: every beam hypothesis, best first, with attention (never cached).
    hypotheses: tuple[Hypothesis, ...] = field(default=(), compare=False, repr=False)


class Engine:
    """A loaded package and its runner: call :meth:`translate` once per run with every text.

    ``identity`` names the model (package code, version, content hash); ``workers`` says what
    each decoder resolved (device, compute type, where it runs). :meth:`close` (or ``with``)
    releases the runner's workers (a Ray backend's actors).
    """

    def __init__(self, package: InstalledPackage, options: EngineOptions, runner: Runner | None = None):
        import sentencepiece

        self.package = package
        self.options = options
        try:
            self._sp = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model")
            )
        except (RuntimeError, OSError, ValueError) as err:
            raise Fr2enError(f"{package.path}: cannot load the {package.id} model: {err}")
        self.identity = package_identity(package)
        self.runner = runner or make_runner(package.path, options)
        self.device, self.compute_type = self.runner.device, self.runner.compute_type
        self.workers = self.runner.workers
        # Everything that determines the output, for the translation cache.
        self.cache_key = (
            f"{self.identity.key}|beam={options.beam_size}|{self.device}/{self.compute_type}"
            f"|in<={options.max_input_tokens}|out<={options.max_decoding_length}"
        )

    def translate(
        self,
        texts: Sequence[str],
        progress: Progress | None = None,
        detail: Collection[int] = (),
        on_batch: Callable[[list[tuple[int, Translation]]], None] | None = None,
    ) -> list[Translation]:
        """Translate ``texts``; results in the same order. The texts at the indices in
        ``detail`` also get every beam hypothesis with its attention (unless they are split).
        ``on_batch([(index, translation), ...])`` gets the texts each finished batch
        completes, as it finishes (before ``progress``)."""
        chunks: list[list[str]] = []  # every text's pieces, split to max_input_tokens
        parts: list[range] = []  # each text's chunks in ``chunks``
        for pieces in self._sp.encode(list(texts), out_type=str):
            split = split_pieces(pieces, self.options.max_input_tokens)
            parts.append(range(len(chunks), len(chunks) + len(split)))
            chunks.extend(split)
        owner = [i for i, ks in enumerate(parts) for _ in ks]
        detailed = {i for i in detail if len(parts[i]) == 1}
        remaining = [len(ks) for ks in parts]
        results: list = [None] * len(chunks)
        translations: dict[int, Translation] = {}

        def finish(indices: list[int]) -> None:
            best = [results[k].hypotheses[0] for i in indices for k in parts[i]]
            decoded = iter(self._sp.decode(best) if best else [])
            cap = self.options.max_decoding_length
            done = []
            for i in indices:
                ks = parts[i]
                texts_ = [next(decoded).strip() for _ in ks]
                cut = any(len(results[k].hypotheses[0]) >= cap for k in ks)
                done.append((i, Translation(
                    text=" ".join(texts_),
                    score=sum(results[k].scores[0] for k in ks) if ks else None,
                    truncated=TRUNCATIONS[(len(ks) > 1) + 2 * cut],
                    confidence=mean_log_prob([results[k].scores[0] for k in ks],
                                             [len(results[k].hypotheses[0]) for k in ks]),
                    hypotheses=self._hypotheses(results[ks[0]]) if i in detailed else (),
                )))
            translations.update(done)
            if on_batch and done:
                on_batch(done)
            if progress:
                progress(len(translations), len(texts))

        finish([i for i, n in enumerate(remaining) if n == 0])
        groups = [
            [k for k in range(len(chunks)) if owner[k] not in detailed],
            [k for k in range(len(chunks)) if owner[k] in detailed],
        ]
        extra = [{}, dict(num_hypotheses=self.options.beam_size, return_attention=True)]
        for batch, decoded in self._run(chunks, groups, extra):
            completed = []
            for k, result in zip(batch, decoded):
                results[k] = result
                remaining[owner[k]] -= 1
                if remaining[owner[k]] == 0:
                    completed.append(owner[k])
            finish(completed)
        return [translations[i] for i in range(len(texts))]

    def constrained(
        self,
        constraints: Sequence[Constraint],
        on_batch: Callable[[list[tuple[int, Hypothesis]]], None] | None = None,
    ) -> list[Hypothesis]:
        """Decode each constraint's source starting with its prefix (one hypothesis, with
        attention); results in the same order. ``on_batch`` as for :meth:`translate`."""
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
        results: list = [None] * len(chunks)
        for batch, decoded in self._run(chunks, groups, extra, prefixes):
            done = [(k, self._hypotheses(result)[0]) for k, result in zip(batch, decoded)]
            for k, hyp in done:
                results[k] = hyp
            if on_batch:
                on_batch(done)
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

    def close(self) -> None:
        self.runner.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _hypotheses(self, result: Decoded) -> tuple[Hypothesis, ...]:
        attention = result.attention or [()] * len(result.hypotheses)
        texts = self._sp.decode(result.hypotheses)  # one call for all
        return tuple(
            Hypothesis(tuple(h), s, t.strip(), tuple(map(tuple, a)))
            for h, s, t, a in zip(result.hypotheses, result.scores, texts, attention)
        )

    def _run(self, chunks, groups, extra, prefixes=None):
        """Every group's chunks in length batches, each group with its own extra options, given
        to the runner at once; yields (chunk indices, results) per batch as each finishes."""
        members: list[list[int]] = []
        batches: list[Batch] = []
        budget = self.options.batch_tokens(self.device)
        for group, options in zip(groups, extra):
            lengths = [len(chunks[k]) + 1 + (len(prefixes[k]) if prefixes else 0) for k in group]
            for batch in length_batches(lengths, budget):
                batch = [group[i] for i in batch]
                members.append(batch)
                prefix = [prefixes[k] for k in batch] if prefixes else None
                batches.append(Batch([chunks[k] for k in batch], prefix, options))
        for index, decoded in self.runner.run(batches):
            yield members[index], decoded


def load_engine(options: EngineOptions) -> Engine:
    """Load the installed fr→en package on the backend of ``options`` (Fr2enError, exit 2,
    when there is none or it cannot be loaded)."""
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
