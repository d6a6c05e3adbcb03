"""TMX and PO writing/reading speed: fr2en's formats against translate-toolkit's, same data.

One Segment per line of a French corpus (by default ``../shared/bench/newstest2013.fr``
relative to the project root), its English a stand-in of the same length, so that the files
have the size of a translated corpus. Arms, in one process, best of ``--repeat`` passes each:

  ours  ``formats.tmx.write_tmx`` / ``read_tmx``, ``formats.po.write_po`` / ``read_po`` (our
        TMX units also carry the x-document/x-block/x-index/x-kind/x-origin props, and our PO
        entries their comments, which the peer's do not);
  peer  translate-toolkit 3 (``translate.storage.tmx`` / ``translate.storage.po``): units with
        source, target and id/context (PO: fuzzy), serialized with ``savefile``; read with
        ``parsefile``, then each unit's id/context, source, target (and fuzzy flag) fetched.

Our writes are atomic (temp file, fsync, rename); the peer's ``savefile`` does not fsync.

Prints segments/s per arm and operation, file sizes, and ours/peer speed ratios (>1: faster).

    pip install -e '.[test]'
    python benchmarks/formats.py [--corpus PATH] [--limit N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fr2en_dossier.formats.po import read_po, write_po
from fr2en_dossier.formats.tmx import read_tmx, write_tmx
from fr2en_dossier.model import PARAGRAPH, Segment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "newstest2013.fr"


def corpus_segments(path: Path, limit: int) -> list[Segment]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line][: limit or None]
    return [
        Segment("newstest", n, 0, PARAGRAPH, 0, len(text), text, target=text[::-1], origin="mt")
        for n, text in enumerate(lines)
    ]


def peer_write_tmx(segments: list[Segment], path: Path) -> None:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="fr", targetlanguage="en")
    for seg in segments:
        unit = store.addsourceunit(seg.source)
        unit.target = seg.target
        unit.setid(seg.key)
    store.savefile(str(path))


def peer_read_tmx(path: Path) -> int:
    """Parse, and get every unit's id, source and target (as read_tmx does)."""
    from translate.storage.tmx import tmxfile

    return len([(u.getid(), u.source, u.target) for u in tmxfile.parsefile(str(path)).units])


def peer_write_po(segments: list[Segment], path: Path) -> None:
    from translate.storage.po import pofile

    store = pofile()
    store.updateheader(add=True, Language="en")
    for seg in segments:
        unit = store.addsourceunit(seg.source)
        unit.setcontext(seg.key)
        unit.target = seg.target
        unit.markfuzzy(True)
    store.savefile(str(path))


def peer_read_po(path: Path) -> int:
    """Parse, and get every entry's context, source, target and fuzzy flag (as read_po does)."""
    from translate.storage.po import pofile

    units = [u for u in pofile.parsefile(str(path)).units if not u.isheader()]
    return len([(u.getcontext(), u.source, u.target, u.isfuzzy()) for u in units])


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="first N lines only (0: all)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    segments = corpus_segments(args.corpus, args.limit)
    n = len(segments)
    work = Path(tempfile.mkdtemp(prefix="fr2en-formats-"))
    files = {name: work / name for name in ("ours.tmx", "peer.tmx", "ours.po", "peer.po")}
    arms = {
        ("TMX", "write"): (
            lambda: write_tmx(segments, files["ours.tmx"]),
            lambda: peer_write_tmx(segments, files["peer.tmx"]),
        ),
        ("TMX", "read"): (
            lambda: read_tmx(files["ours.tmx"]),
            lambda: peer_read_tmx(files["peer.tmx"]),
        ),
        ("PO", "write"): (
            lambda: write_po(segments, files["ours.po"]),
            lambda: peer_write_po(segments, files["peer.po"]),
        ),
        ("PO", "read"): (
            lambda: read_po(files["ours.po"]),
            lambda: peer_read_po(files["peer.po"]),
        ),
    }
    print(f"{n} segments from {args.corpus.name}, best of {args.repeat}")
    print(f"{'format':6} {'op':5} {'ours seg/s':>12} {'peer seg/s':>12} {'ours/peer':>10}")
    for (fmt, op), (ours, peer) in arms.items():
        t_ours, t_peer = best_of(args.repeat, ours), best_of(args.repeat, peer)
        print(f"{fmt:6} {op:5} {n / t_ours:12,.0f} {n / t_peer:12,.0f} {t_peer / t_ours:10.2f}")
    assert len(read_tmx(files["ours.tmx"])) == n == peer_read_tmx(files["ours.tmx"])
    assert len(read_po(files["ours.po"])) == n == peer_read_po(files["ours.po"])
    sizes = ", ".join(f"{name} {path.stat().st_size / 1e6:.2f} MB" for name, path in files.items())
    print(f"sizes: {sizes}")


if __name__ == "__main__":
    main()
