"""`fr2en glossary suggest` scaling: time against dossier size, and against the pairwise check.

Articles: the sentences of ``../shared/bench/newstest2013.fr`` cut into articles of 10
sentences, cycled to reach 300 and 600 articles (sentences numbered so that repeats are new
text). Arms, one process, best of ``--repeat``:

- fr2en: ``suggest_terms`` as shipped (a phrase is dropped for a longer one as frequent,
  found through each phrase's inner word runs: linear in the number of phrases);
- pairwise: the same with the earlier check that compared every phrase with every other one.

Linear scaling shows as a 600/300 time ratio near 2; the pairwise check's grows towards 4.

    python benchmarks/suggest_scaling.py [--sizes 300 600] [--repeat 3]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from unittest import mock

from formats import best_of  # benchmarks/formats.py: best of N timed passes

from fr2en_dossier.glossary import load_glossary, suggest_terms
from fr2en_dossier.model import PARAGRAPH, Segment

ROOT = Path(__file__).resolve().parent.parent
NEWSTEST = ROOT.parent / "shared" / "bench" / "newstest2013.fr"


def articles(count: int) -> list[Segment]:
    sentences = NEWSTEST.read_text(encoding="utf-8").splitlines()
    segments = []
    for n in range(count * 10):
        text = f"{sentences[n % len(sentences)]} ({n // len(sentences)})"
        segments.append(Segment(f"art_{n // 10}", n % 10, 0, PARAGRAPH, 0, len(text), text))
    return segments


def pairwise_longer_counts(phrases: dict[str, int]) -> dict[str, int]:
    """The earlier definition: for each phrase, the best count of a longer phrase holding it."""
    return {
        norm: max((n for other, n in phrases.items() if other != norm and f" {norm} " in f" {other} "),
                  default=0)
        for norm in phrases
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 600])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    glossary = load_glossary(ROOT / "glossary.tsv")
    results = {}
    for size in args.sizes:
        segments = articles(size)
        ours = best_of(args.repeat, lambda: suggest_terms(segments, glossary))
        with mock.patch("fr2en_dossier.glossary.suggest._longer_counts", pairwise_longer_counts):
            peer = best_of(args.repeat, lambda: suggest_terms(segments, glossary))
        results[size] = (ours, peer)
        print(f"{size:>5} articles: fr2en {ours:7.2f} s   pairwise {peer:7.2f} s   "
              f"pairwise/fr2en {peer / ours:5.1f}")
    first, last = args.sizes[0], args.sizes[-1]
    print(f"growth {first}→{last} articles: fr2en ×{results[last][0] / results[first][0]:.2f}, "
          f"pairwise ×{results[last][1] / results[first][1]:.2f}")


if __name__ == "__main__":
    main()
