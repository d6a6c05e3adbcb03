"""A generated archive of articles: benchmarks/scale.py measures runs on it, the tests check
that a run's memory does not grow with it."""

from __future__ import annotations

import random
from pathlib import Path


def write_archive(folder: Path, count: int, lines: list[str], seed: int = 0) -> int:
    """``count`` articles in ``folder`` made of ``lines`` (French sentences): each a title and
    paragraphs of 18 to 30 sentences (numbered, so that articles differ), one ``.txt`` file
    each, about the size of the seeds' articles. Returns the number of sentences written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    total = 0
    for n in range(count):
        size = rng.randint(18, 30)
        start = rng.randrange(len(lines))
        picked = [f"{lines[(start + k) % len(lines)]} ({n})" for k in range(size)]
        paragraphs = [" ".join(picked[k:k + 3]) for k in range(1, size, 3)]
        (folder / f"article_{n:06d}.txt").write_text(
            f"Article {n} : {lines[start][:60]}\n\n" + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8")
        total += size
    return total
