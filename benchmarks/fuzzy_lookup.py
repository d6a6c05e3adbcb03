"""Fuzzy lookups against the size of the memory, and the peers on the same data, same run.

A memory of N reviews (sentences of ``../shared/bench/newstest2013.fr``, numbered so that
repeats are new text: :func:`memory_confirm.sentences`), built with ``ReviewMemory.add``
(which indexes them); then ``--queries`` segments, each a sentence of the file with one word
replaced (a new text whose best match is one of the memory's), looked up with
``ReviewMemory.matches`` (index candidates, scoring, the entries, the differing words; best 3
at 75 or more). Peers, with the same words and the same minimum:

- rapidfuzz brute force: ``process.extract`` of each segment's words over the words of all N
  units, ``Levenshtein.normalized_similarity``, limit 3 (the scan OmegaT's ``FindMatches``
  also does, in C++);
- translate-toolkit's ``translate.search.match.matcher`` (what ``pretranslate`` and
  ``tmserver`` use: character Levenshtein over the units of a fitting length), best match
  only (with more, equal scores make its heap compare units and fail: TypeError), on
  ``--tt-queries`` of the segments (it is slow; the time per 1,000 is extrapolated, and says so).

Printed per N: build time and database size, seconds for all queries and per query, and
whether fr2en's best score agrees with the brute force's on every query.

    python benchmarks/fuzzy_lookup.py [--sizes 10000 100000] [--queries 1000] [--tt-queries 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from memory_confirm import NEWSTEST, filled, sentences

from fr2en_dossier.memory import contexts
from fr2en_dossier.memory.words import word_keys
from fr2en_dossier.model import PARAGRAPH, Segment, comparable


def queries(count: int) -> list[Segment]:
    """Sentences of the file with their middle word replaced (and the number of a repeat)."""
    lines = NEWSTEST.read_text(encoding="utf-8").splitlines()
    out = []
    for n in range(count):
        words = lines[n % len(lines)].split()
        words[len(words) // 2] = "remplacé"
        text = f"{' '.join(words)} (0)"
        out.append(Segment(f"q_{n // 10}", n % 10, 0, PARAGRAPH, 0, len(text), text))
    return out


def timed(body) -> tuple[float, object]:
    start = time.perf_counter()
    result = body()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--tt-queries", type=int, default=50)
    args = parser.parse_args()
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    asked = queries(args.queries)
    places = contexts(asked)
    asked_words = [word_keys(comparable(seg.source)) for seg in asked]
    print(f"{args.queries} segments; best 3 matches scoring 75 or more")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "memory.sqlite"
            build, memory = timed(lambda: filled(path, size))
            megabytes = path.stat().st_size / 1e6
            with memory:
                ours, found = timed(lambda: [memory.matches(s, c, n=3, minimum=75)
                                             for s, c in zip(asked, places, strict=True)])
            units = [comparable(seg.source) for seg in sentences(size)]
            choices = [word_keys(text) for text in units]
            brute, peer = timed(lambda: [process.extract(
                words, choices, scorer=Levenshtein.normalized_similarity, limit=3,
                score_cutoff=0.75) for words in asked_words])
            agree = sum(
                (m[0].score if m else None) == (int(100 * p[0][1] + 1e-9) if p else None)
                for m, p in zip(found, peer, strict=True))
            tt = translate_toolkit(units, [s.source for s in asked[: args.tt_queries]])
            print(f"N={size:>7}: memory built in {build:6.1f} s, {megabytes:6.1f} MB; "
                  f"fr2en {ours:6.2f} s ({1000 * ours / len(asked):5.2f} ms/segment); "
                  f"rapidfuzz brute force {brute:7.2f} s (×{brute / ours:5.1f}); "
                  f"translate-toolkit {tt * 1000:7.1f} s per 1,000 (extrapolated from "
                  f"{args.tt_queries}, ×{tt * len(asked) / ours:6.1f}); best score agrees on "
                  f"{agree}/{len(asked)}")


def translate_toolkit(units: list[str], texts: list[str]) -> float:
    """Seconds per query of translate-toolkit's matcher over ``units`` (built beforehand)."""
    from translate.search.match import matcher
    from translate.storage.pypo import pofile

    store = pofile()
    for text in units:
        unit = store.addsourceunit(text)
        unit.target = f"EN {text}"
    found = matcher(store, max_candidates=1, min_similarity=75, max_length=1000)
    spent, _ = timed(lambda: [found.matches(text) for text in texts])
    return spent / len(texts)


if __name__ == "__main__":
    main()
