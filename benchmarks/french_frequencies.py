"""Build ``src/fr2en_dossier/data/fr_general.tsv``: general French lemma frequencies.

Read from the UD French GSD treebank's dev part (``../shared/bench/fr_gsd-ud-dev.conllu``,
CC BY-SA 4.0, https://universaldependencies.org/treebanks/fr_gsd/): one row per lemma of a
common word (names, numbers, punctuation and symbols left out), with its most frequent
universal part of speech and its count. `fr2en glossary suggest` weighs a candidate by how
much more often the dossier uses its words than general French does, and the pattern
pipeline takes a word's part of speech from this list.

    python benchmarks/french_frequencies.py [--conllu PATH]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONLLU = ROOT.parent / "shared" / "bench" / "fr_gsd-ud-dev.conllu"
OUT = ROOT / "src" / "fr2en_dossier" / "data" / "fr_general.tsv"
SKIPPED = {"PROPN", "NUM", "PUNCT", "SYM", "X"}
HEADER = """\
# General French lemma frequencies: lemma<TAB>most frequent UPOS<TAB>count.
# Derived from the UD French GSD treebank, dev part (McDonald et al. 2013; Guillaume et al.
# 2019), https://universaldependencies.org/treebanks/fr_gsd/, by benchmarks/french_frequencies.py.
# Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), as the treebank.
# tokens\t{tokens}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conllu", type=Path, default=CONLLU)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    tokens = 0
    for line in args.conllu.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if line.startswith("#") or len(columns) != 10 or not columns[0].isdigit():
            continue  # comments, multiword token ranges ("du" = de + le) and empty nodes
        tokens += 1
        lemma, upos = columns[2].casefold(), columns[3]
        if upos not in SKIPPED and lemma.replace("-", "").replace("'", "").isalpha():
            counts[lemma] += 1
            tags[lemma][upos] += 1
    rows = [f"{lemma}\t{tags[lemma].most_common(1)[0][0]}\t{n}"
            for lemma, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    OUT.write_text(HEADER.format(tokens=tokens) + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} lemmas from {tokens} tokens")


if __name__ == "__main__":
    main()
