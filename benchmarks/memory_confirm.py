"""The cost of one confirm (Ctrl+Enter) against the size of the review memory.

A memory of N reviews (sentences of ``../shared/bench/newstest2013.fr``, numbered so that
repeats are new text) in ``memory.sqlite``; then ``--confirms`` new reviews recorded one by
one, as the review server records a confirm (``ReviewMemory.record``: the lookup of what
applies to the segment, then one committed transaction, WAL, ``synchronous=FULL``). Printed:
median and 95th percentile per confirm at each N, and the peer measured in the same run: what a
confirm cost when the memory was one TMX file rewritten whole at every save (here
``export_tmx`` of the same N entries, the same writer and the same atomic write).

    python benchmarks/memory_confirm.py [--sizes 100 10000 100000] [--confirms 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fr2en_dossier.memory import ReviewMemory, contexts, now_stamp
from fr2en_dossier.memory.exchange import export_tmx
from fr2en_dossier.model import PARAGRAPH, Segment, comparable

ROOT = Path(__file__).resolve().parent.parent
NEWSTEST = ROOT.parent / "shared" / "bench" / "newstest2013.fr"


def sentences(count: int, offset: int = 0) -> list[Segment]:
    lines = NEWSTEST.read_text(encoding="utf-8").splitlines()
    out = []
    for n in range(offset, offset + count):
        text = f"{lines[n % len(lines)]} ({n // len(lines)})"
        out.append(Segment(f"art_{n // 10}", n % 10, 0, PARAGRAPH, 0, len(text), text))
    return out


def filled(path: Path, size: int) -> ReviewMemory:
    """A memory of ``size`` reviews, inserted in bulk."""
    memory = ReviewMemory(path)
    segments = sentences(size)
    rows = []
    for seg, context in zip(segments, contexts(segments)):
        stamp = now_stamp()
        rows.append({"source": comparable(seg.source), "target": f"EN {seg.source}",
                     "origin": "review", "doc": seg.doc, "key": seg.key, "contextual": 1,
                     "prev": context.prev, "next": context.next, "changedate": stamp[:15] + "Z",
                     "recorded": stamp, "run": "", "via": "benchmark", "author": "",
                     "withdrawn": None})
    for start in range(0, len(rows), 10_000):
        memory.add(rows[start : start + 10_000])
    return memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--confirms", type=int, default=200)
    args = parser.parse_args()
    print(f"{'entries':>8}  {'confirm median':>15}  {'p95':>9}  {'TMX rewrite':>12}  ratio")
    baseline = None
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            memory = filled(Path(tmp) / "memory.sqlite", size)
            new = sentences(args.confirms, offset=size)
            where = contexts(new)
            times = []
            for seg, context in zip(new, where):
                started = time.perf_counter()
                memory.record(seg, f"Reviewed: {seg.source}", context, via="browser")
                times.append(time.perf_counter() - started)
            started = time.perf_counter()
            export_tmx(memory, Path(tmp) / "memory.tmx")
            rewrite = time.perf_counter() - started
            memory.close()
        median = statistics.median(times)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        baseline = baseline or median
        print(f"{size:>8}  {median * 1000:>12.2f} ms  {p95 * 1000:>6.2f} ms  "
              f"{rewrite * 1000:>9.0f} ms  ×{median / baseline:.2f} of the smallest")


if __name__ == "__main__":
    main()
