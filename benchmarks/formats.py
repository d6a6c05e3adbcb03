"""Formats against their peers, two benchmarks (``tmx-po`` and ``documents``).

``documents``: fr2en against argos-translate-files (PyPI, 1.4.4) on the same .txt, .html and
.docx files (the project's seeds, the test pages of tests/data/webpages/ and the sample
article, the Word test files of tests/data/docx/ and the sample article), both translating with
the same synthetic Argos package (tests/support/synthetic_argos.py) installed in a sandbox, each
arm a whole process (``fr2en translate --no-cache`` on the folders; a script calling
``argostranslatefiles.translate_file`` on each file, argostranslate splitting sentences with
fr2en's segmenter, since its own, minisbd, downloads a model; beam 4, int8 on the CPU for
both). Printed per format: wall time, MT inputs
(the texts handed to the engine: how many, and how many of the article's French sentences —
fr2en's segmentation of the units that are not boilerplate — reached MT whole, inside one
input), and structure kept in → out: .txt the non-blank lines; .html the count of each of
p, li, h1–h6, a, img, table, td, ul, ol, blockquote, script, style and the scripts' and
styles' text; .docx the count of w:p, w:numPr, w:tbl, w:hyperlink, w:drawing, w:pict,
w:txbxContent, w:sdt, w:smartTag and w:fldChar in every part. fr2en also writes TMX, PO,
review pages and the report, which argos-translate-files does not.

    pip install -e '.[test,bench]'
    python benchmarks/formats.py documents

``tmx-po``: TMX and PO writing/reading speed: fr2en's formats against translate-toolkit's,
same data. One Segment per line of a French corpus (by default ``../shared/bench/newstest2013.fr``
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
    python benchmarks/formats.py tmx-po [--corpus PATH] [--limit N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
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


def tmx_po(args) -> None:
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


# --- documents: fr2en against argos-translate-files --------------------------------------------

PEER = """
import json, sys
from pathlib import Path
from argostranslate import translate
from argostranslatefiles import argostranslatefiles

from fr2en_dossier.segmenter import split_sentences


class Sentences:  # fr2en's sentence splitting (argostranslate's own downloads a model)
    def split_sentences(self, text):
        return [text[a:b] for a, b in split_sentences(text)] or [text]


inner = translate.get_translation_from_codes("fr", "en")
inner.underlying.sentencizer = Sentences()
inputs = []


class Recorded(translate.ITranslation):
    def hypotheses(self, input_text, num_hypotheses=4):
        inputs.append(input_text)
        return inner.hypotheses(input_text, num_hypotheses)


out = Path(sys.argv[1])
for name in sys.argv[2:]:
    path = Path(name)
    target = out / path.parent.name / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    argostranslatefiles.translate_file(Recorded(), str(path), lambda _t, _p: str(target))
(out / "mt-inputs.json").write_text(json.dumps(inputs))
"""
HTML_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "table", "td", "ul",
             "ol", "blockquote", "script", "style")
DOCX_TAGS = ("p", "numPr", "tbl", "hyperlink", "drawing", "pict", "txbxContent", "sdt",
             "smartTag", "fldChar")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FR2EN = [sys.executable, "-c", "from fr2en_dossier.cli import main; main()"]


def inputs(work: Path) -> dict[str, list[Path]]:
    """The benchmark's files, by format, copied under ``work``."""
    sys.path.insert(0, str(ROOT / "tests" / "support"))
    from sample_docx import write_article_docx

    folders = {fmt: work / "inputs" / fmt for fmt in ("txt", "html", "docx")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(path, folders["txt"] / path.name)
    for path in sorted((ROOT / "tests" / "data" / "webpages").glob("*.html.gz")):
        if ".expected." not in path.name:
            (folders["html"] / path.name[:-3]).write_bytes(gzip.decompress(path.read_bytes()))
    shutil.copy(ROOT / "tests" / "data" / "article.html", folders["html"] / "article.html")
    for path in sorted((ROOT / "tests" / "data" / "docx").glob("*.docx")):
        shutil.copy(path, folders["docx"] / path.name)
    write_article_docx(folders["docx"] / "article.docx")
    return {fmt: sorted(folder.iterdir()) for fmt, folder in folders.items()}


def sandbox(work: Path) -> dict[str, str]:
    """An environment whose argostranslate sees only the synthetic package (installed)."""
    sys.path.insert(0, str(ROOT / "tests" / "support"))
    from synthetic_argos import build_package

    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(work / "argos"), XDG_DATA_HOME=str(
        work / "share"), XDG_CONFIG_HOME=str(work / "config"), XDG_CACHE_HOME=str(work / "cache"),
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/", FR2EN_CACHE_DIR=str(work / "fr2en-cache"),
        ARGOS_BEAM_SIZE="4", ARGOS_COMPUTE_TYPE="int8", ARGOS_DEVICE_TYPE="cpu")
    seeds = [line for path in sorted((ROOT / "seeds").glob("*.txt"))
             for line in path.read_text("utf-8").splitlines()]
    package = build_package(work / "package", seeds)
    subprocess.run([*FR2EN, "model", "install", "--file",
                    str(package)], env=env, check=True, capture_output=True)
    return env


def timed(args: list[str], env: dict, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{args[:3]} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def sentences(paths: list[Path]) -> list[str]:
    """The French sentences of the files' article text (fr2en's segmentation, boilerplate
    left out), white space folded."""
    from fr2en_dossier.loader import load_documents
    from fr2en_dossier.model import BOILERPLATE_FLAG
    from fr2en_dossier.segmenter import segment_documents

    segments = segment_documents(load_documents(paths).documents)
    return [" ".join(s.source.split()) for s in segments if BOILERPLATE_FLAG not in s.flags]


def whole(wanted: list[str], sent: list[str]) -> int:
    """How many of ``wanted`` sentences are inside one of the ``sent`` MT inputs."""
    joined = "\n".join(" ".join(text.split()) for text in sent)
    return sum(sentence in joined for sentence in wanted)


def kept(fmt: str, french: Path, english: Path) -> bool:
    """Whether ``english`` has the structure of ``french`` (see the module docstring)."""
    if not english.is_file():
        return False
    if fmt == "txt":
        def lines(path: Path) -> int:
            return sum(1 for line in path.read_text("utf-8").splitlines() if line.strip())
        return lines(french) == lines(english)
    if fmt == "html":
        import lxml.html

        def shape(path: Path):
            page = lxml.html.fromstring(path.read_bytes())
            code = [e.text_content() for e in page.iter("script", "style")]
            return Counter(e.tag for e in page.iter(*HTML_TAGS)), code
        return shape(french) == shape(english)
    from lxml import etree

    def parts(path: Path) -> Counter:
        found = Counter()
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    root = etree.fromstring(archive.read(name))
                    found.update(e.tag[len(W):] for e in root.iter(*(W + t for t in DOCX_TAGS)))
        return found
    return parts(french) == parts(english)


def documents() -> None:
    work = Path(tempfile.mkdtemp(prefix="fr2en-documents-"))
    files = inputs(work)
    env = sandbox(work)
    ours_time, ours_inputs = {}, {}
    for fmt, paths in files.items():
        project = work / f"ours-{fmt}"
        project.mkdir()
        keep = ["--include-boilerplate"] if fmt == "txt" else []  # en/*.txt: every line
        ours_time[fmt] = timed([*FR2EN, "translate", "--quiet", "--no-cache", *keep,
                                str(paths[0].parent)], env, project)
        report = json.loads((project / "output" / "report.json").read_text("utf-8"))
        ours_inputs[fmt] = [s["engine_input"] or s["source"] for s in report["segments"]
                            if s["origin"] == "mt"]
    script = work / "peer.py"
    script.write_text(PEER)
    peer_time, peer_inputs = {}, {}
    for fmt, paths in files.items():
        out = work / f"peer-{fmt}"
        peer_time[fmt] = timed([sys.executable, str(script), str(out), *map(str, paths)], env,
                               work)
        peer_inputs[fmt] = json.loads((out / "mt-inputs.json").read_text("utf-8"))
    print(f"{'format':6} {'files':>5} {'arm':5} {'seconds':>8} {'MT inputs':>9} "
          f"{'whole sentences':>16} {'structure kept':>15}")
    for fmt, paths in files.items():
        wanted = sentences(paths)
        for arm, seconds, sent, english in (
            ("fr2en", ours_time[fmt], ours_inputs[fmt],
             lambda p: work / f"ours-{fmt}" / "output" / "en" / ("pages" if fmt == "html"
                                                                  else "") / p.name),
            ("peer", peer_time[fmt], peer_inputs[fmt], lambda p: work / f"peer-{fmt}" / fmt / p.name),
        ):
            same = sum(kept(fmt, path, english(path)) for path in paths)
            print(f"{fmt:6} {len(paths):5} {arm:5} {seconds:8.1f} {len(sent):9} "
                  f"{whole(wanted, sent):>7} of {len(wanted):<6} {same:>6} of {len(paths):<6}")
        print(f"{'':6} {'':5} {'ratio':5} {peer_time[fmt] / ours_time[fmt]:8.2f}  (peer/fr2en time)")
    if os.environ.get("FR2EN_KEEP_BENCH"):
        print(f"files kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    storage = commands.add_parser("tmx-po", help="TMX and PO speed against translate-toolkit")
    storage.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    storage.add_argument("--limit", type=int, default=0, help="first N lines only (0: all)")
    storage.add_argument("--repeat", type=int, default=3)
    commands.add_parser("documents", help="documents against argos-translate-files")
    args = parser.parse_args()
    if args.command == "tmx-po":
        tmx_po(args)
    else:
        documents()


if __name__ == "__main__":
    main()
