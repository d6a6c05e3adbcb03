"""Glossary matching benchmark: fr2en's word trie against the usual ways of finding terms.

Text: the sentences of ``../shared/bench/newstest2013.fr`` (3,000 news sentences) plus the
seed segments. Glossaries: the shipped ``glossary.tsv`` (62 entries) and the same plus N
synthetic term entries (word bigrams of the corpus drawn with a fixed seed, default 2,000).

Arms, each finding every entry in every sentence (one process, one thread; best of
``--repeat`` passes):

- fr2en: ``Glossary.find`` (one trie walk per sentence; gaps, elisions, inflected forms,
  longest match across positions, URLs skipped);
- regex loop: one compiled regular expression per entry, ``finditer`` on each sentence;
- alternation: one compiled regex, all entries longest first (``(?i:…)`` per entry);
- flashtext: ``KeywordProcessor.extract_keywords`` (a character trie; case-insensitive only).

The peers match each entry's source as written (no inflected, hyphen-less or apostrophe
variants), so they do less work and find fewer hits; hits on the seeds are printed too.

    pip install -e '.[bench]'
    python benchmarks/glossary_matching.py [--synthetic 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from fr2en_dossier.glossary import Glossary, load_glossary
from fr2en_dossier.glossary.entries import Entry
from fr2en_dossier.glossary.french import STOPWORDS
from fr2en_dossier.loader import load_documents
from fr2en_dossier.segmenter import segment_documents

ROOT = Path(__file__).resolve().parent.parent
NEWSTEST = ROOT.parent / "shared" / "bench" / "newstest2013.fr"
SEED = 20240301


def corpus() -> tuple[list[str], list[str]]:
    """(all sentences, the seed segments among them)."""
    seeds = [s.source for s in segment_documents(load_documents([ROOT / "seeds"]).documents)]
    news = NEWSTEST.read_text(encoding="utf-8").splitlines() if NEWSTEST.exists() else []
    return news + seeds, seeds


def synthetic_entries(sentences: list[str], count: int) -> list[Entry]:
    """``count`` distinct bigrams of content words of the corpus, as term entries."""
    bigrams = sorted(
        {
            f"{a} {b}"
            for sentence in sentences
            for a, b in zip(sentence.split(), sentence.split()[1:])
            if a.isalpha() and b.isalpha() and a.lower() not in STOPWORDS and b.lower() not in STOPWORDS
        }
    )
    return [Entry(source, f"t{i}") for i, source in enumerate(random.Random(SEED).sample(bigrams, count))]


def regex_source(entry: Entry) -> str:
    body = re.escape(entry.source).replace(r"\ ", r"\s+").replace("'", "['’]")
    return body if entry.exact_case else f"(?i:{body})"


def regex_loop(entries: list[Entry]):
    patterns = [re.compile(rf"(?<!\w){regex_source(e)}(?!\w)") for e in entries]
    return lambda text: [m.span() for p in patterns for m in p.finditer(text)]


def alternation(entries: list[Entry]):
    ordered = sorted(entries, key=lambda e: -len(e.source))
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(regex_source(e) for e in ordered)})(?!\w)")
    return lambda text: [m.span() for m in pattern.finditer(text)]


def flashtext(entries: list[Entry]):
    from flashtext import KeywordProcessor

    processor = KeywordProcessor(case_sensitive=False)
    for entry in entries:
        processor.add_keyword(entry.source, entry.target)
    return lambda text: processor.extract_keywords(text, span_info=True)


def fr2en(entries: list[Entry]):
    return Glossary(entries).find


def best_rate(find, sentences: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for sentence in sentences:
            find(sentence)
        best = min(best, time.perf_counter() - start)
    return len(sentences) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=2000, help="synthetic entries added")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sentences, seeds = corpus()
    shipped = load_glossary(ROOT / "glossary.tsv").entries
    glossaries = {
        f"shipped ({len(shipped)} entries)": shipped,
        f"shipped + {args.synthetic} synthetic": shipped + synthetic_entries(sentences, args.synthetic),
    }
    arms = {"fr2en": fr2en, "regex loop": regex_loop, "alternation": alternation, "flashtext": flashtext}
    print(f"{len(sentences)} sentences ({len(seeds)} from the seeds); best of {args.repeat} passes\n")
    for name, entries in glossaries.items():
        print(f"glossary: {name}")
        print(f"  {'arm':<12} {'sentences/s':>12} {'hits on seeds':>14} {'fr2en speed-up':>15}")
        rates = {}
        for arm, build in arms.items():
            find = build(entries)
            rates[arm] = best_rate(find, sentences, args.repeat)
            hits = sum(len(find(s)) for s in seeds)
            ratio = rates["fr2en"] / rates[arm]
            print(f"  {arm:<12} {rates[arm]:>12,.0f} {hits:>14} {ratio:>14.2f}x")
        print()


if __name__ == "__main__":
    main()
