"""Sentence-boundary benchmark: fr2en's segmenter against pysbd and spaCy's sentencizer.

Paragraphs are built from the gold sentences (``# text =`` lines) of a UD CoNLL-U file,
by default ``../shared/bench/fr_gsd-ud-dev.conllu`` relative to the project root: runs of 2–8
consecutive sentences (lengths drawn with a fixed seed) joined with one space, except that a
sentence without terminal punctuation (title, caption, list item ending in ';' or ':') or
starting with a lowercase letter stands on its own line, as in a real document. Every system
splits every line; a boundary is the offset of the first character of a sentence after the
first. Prints boundary precision/recall/F1 and gold sentences per second (best of
``--repeat`` passes, one process, one thread) for each system, then our ratios to each peer.

    pip install -e '.[bench]'
    python benchmarks/segmentation.py [CONLLU] [--repeat 5] [--show-errors 20]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core for every system

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONLLU = ROOT.parent / "shared" / "bench" / "fr_gsd-ud-dev.conllu"
SEED = 20240301
TERMINAL = ".!?…"
CLOSERS = '"»”’)] \u00a0'


def gold_sentences(path: Path) -> list[str]:
    prefix = "# text = "
    with path.open(encoding="utf-8") as fh:
        return [line[len(prefix) :].rstrip("\n") for line in fh if line.startswith(prefix)]


def stands_alone(sentence: str) -> bool:
    """A title, caption or list item (no terminal punctuation), or a lowercase start."""
    core = sentence.rstrip(CLOSERS)
    return not core or core[-1] not in TERMINAL or sentence[:1].islower()


def build_lines(sentences: list[str], seed: int = SEED) -> list[tuple[str, set[int]]]:
    """Lines of text with their gold boundaries."""
    rng = random.Random(seed)
    lines: list[tuple[str, set[int]]] = []
    run: list[str] = []
    size = rng.randint(2, 8)

    def flush() -> None:
        nonlocal run, size
        if run:
            starts = set()
            offset = 0
            for sentence in run[:-1]:
                offset += len(sentence) + 1
                starts.add(offset)
            lines.append((" ".join(run), starts))
            run, size = [], rng.randint(2, 8)

    for sentence in sentences:
        if stands_alone(sentence):
            flush()
            lines.append((sentence, set()))
            continue
        run.append(sentence)
        if len(run) == size:
            flush()
    flush()
    return lines


def boundaries_from_pieces(text: str, pieces) -> set[int]:
    """Sentence starts (first non-space character) of consecutive pieces of ``text``."""
    starts, offset = set(), 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        offset = text.index(piece, offset)
        starts.add(offset)
        offset += len(piece)
    starts.discard(min(starts, default=0))
    return starts


def ours():
    from fr2en_dossier.segmenter import split_sentences

    def run(text: str) -> set[int]:
        return {start for start, _ in split_sentences(text)[1:]}

    return run


def pysbd_peer():
    import pysbd

    segmenter = pysbd.Segmenter(language="fr", clean=False)
    return lambda text: boundaries_from_pieces(text, segmenter.segment(text))


def spacy_peer():
    import spacy

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    return lambda text: {sent.start_char for sent in nlp(text).sents} - {0}


SYSTEMS = {"fr2en": ours, "pysbd (fr)": pysbd_peer, "spaCy sentencizer (blank fr)": spacy_peer}


def evaluate(run, lines, repeat: int):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        predicted = [run(text) for text, _ in lines]
        best = min(best, time.perf_counter() - t0)
    tp = fp = fn = 0
    errors = []
    for (text, gold), pred in zip(lines, predicted, strict=True):
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if pred != gold:
            errors.append((text, sorted(pred - gold), sorted(gold - pred)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, best, errors


def show(text: str, spurious: list[int], missed: list[int]) -> str:
    marks = sorted([(i, "⟂") for i in spurious] + [(i, "‸") for i in missed], reverse=True)
    for i, mark in marks:
        text = text[:i] + mark + text[i:]
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("conllu", nargs="?", type=Path, default=DEFAULT_CONLLU)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per system (best kept)")
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print N lines where fr2en errs (⟂ spurious, ‸ missed boundary)",
    )
    args = parser.parse_args(argv)
    if not args.conllu.is_file():
        print(f"segmentation.py: {args.conllu}: no such file", file=sys.stderr)
        return 2
    sentences = gold_sentences(args.conllu)
    lines = build_lines(sentences)
    n_gold = sum(len(gold) for _, gold in lines)
    print(
        f"{args.conllu.name}: {len(sentences)} sentences → {len(lines)} lines, "
        f"{n_gold} gold boundaries (seed {SEED}, best of {args.repeat})\n"
    )
    print(f"{'system':30} {'P':>7} {'R':>7} {'F1':>7} {'sent/s':>10}")
    results = {}
    for name, make in SYSTEMS.items():
        try:
            run = make()
        except ImportError as err:
            print(f"segmentation.py: {name}: {err} (pip install -e '.[bench]')", file=sys.stderr)
            return 2
        p, r, f1, seconds, errors = evaluate(run, lines, args.repeat)
        results[name] = (f1, len(sentences) / seconds, errors)
        print(f"{name:30} {p:7.4f} {r:7.4f} {f1:7.4f} {len(sentences) / seconds:10,.0f}")
    f1, speed, errors = results["fr2en"]
    print()
    for name, (peer_f1, peer_speed, _) in results.items():
        if name != "fr2en":
            print(f"fr2en vs {name}: F1 {f1 - peer_f1:+.4f}, speed ×{speed / peer_speed:.1f}")
    for text, spurious, missed in errors[: args.show_errors]:
        print("\n" + show(text, spurious, missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
