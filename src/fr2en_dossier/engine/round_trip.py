"""The round-trip score: how probable the reverse model (an installed en→fr Argos package)
finds the French given the machine's English — a second opinion on the English that needs no
reference (risk.py).

Each (English, French) pair is scored in one teacher-forced pass of CTranslate2's
``score_batch`` (no search), batched by tokens; the score is the mean log-probability of the
French tokens, its ``</s>`` included (CTranslate2's ``log_probs``). Scoring is not cached:
it is a fraction of a decode and follows the English wherever it came from.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Fr2enError
from .options import EngineOptions, cpu_workers
from .packages import InstalledPackage

BATCH_TOKENS = 4096  # source tokens per scoring batch


class RoundTrip:
    """Scores French given English with the en→fr ``package``, on the CPU."""

    def __init__(self, package: InstalledPackage, options: EngineOptions):
        import ctranslate2
        import sentencepiece

        self.package = package
        workers, threads = cpu_workers(options.threads)
        try:
            self._sp = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model"))
            self._scorer = ctranslate2.Translator(str(package.path / "model"), device="cpu",
                                                  inter_threads=workers, intra_threads=threads)
        except (RuntimeError, OSError, ValueError) as err:
            raise Fr2enError(f"{package.path}: cannot load the {package.id} model: {err}")

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[float | None]:
        """The mean log-probability of each French given its English (None: an empty side)."""
        english = self._sp.encode([en for en, _ in pairs], out_type=str)
        french = self._sp.encode([fr for _, fr in pairs], out_type=str)
        todo = [i for i, (en, fr) in enumerate(zip(english, french)) if en and fr]
        scores: list[float | None] = [None] * len(pairs)
        if not todo:
            return scores
        results = self._scorer.score_batch([english[i] for i in todo], [french[i] for i in todo],
                                           max_batch_size=BATCH_TOKENS, batch_type="tokens")
        for i, result in zip(todo, results):
            scores[i] = sum(result.log_probs) / len(result.log_probs) if result.log_probs else None
        return scores
