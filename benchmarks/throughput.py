"""MT throughput: this pipeline against argostranslate's own translate() and raw CTranslate2.

A synthetic Argos package with the real translate-fr_en package's shape (Transformer base:
6+6 layers, d_model 512, 8 heads, FFN 2048, 32,000-token shared vocabulary, int8; SentencePiece
trained on the seeds and the corpus) translates one sentence per line of the corpus, by default
``../shared/bench/newstest2013.fr`` relative to the project root. Its weights make every arm
decode to the source length and stop (tests/support/synthetic_argos.py), so all arms do the
same work: beam 4, length penalty 0.2, decoding cap 256 (CTranslate2's default, which
argostranslate uses), the same CPU threads (arms a and c split them into translation workers as
the engine does; argostranslate translates one sentence at a time, so b gives them all to its
one worker, its ``ARGOS_INTRA_THREADS``). Arms, each in its own process (separate peak RSS):

  a  this pipeline: ``translate_segments`` over one Segment per line (SentencePiece, length-
     sorted batches, detokenization, a fresh on-disk translation cache);
  b  argostranslate's ``translate()`` once per sentence, sentence splitting off. (argostranslate
     1.12 skips every package when ARGOS_CHUNK_TYPE=NONE, whose splitter is unimplemented, so
     the package's splitter is replaced by one returning the input whole);
  c  one raw ``Translator.translate_batch`` call on pre-tokenized input, one one-thread
     worker per thread (``inter_threads`` = threads, ``intra_threads`` = 1): the floor;
  d  the same raw call on one worker with all the threads (``inter_threads`` = 1), the
     engine's configuration before it used every core;
  t  arm a with the shipped glossary.tsv applied to the segments: the terminology passes. The
     synthetic model never writes an English term by itself, so every segment with a hit needs
     them (the worst case); their counts and time are printed apart;
  r  arm a on the Ray backend (``backend="ray"``): an embedded one-machine cluster, one
     one-thread actor per thread, the batches formed by the driver as in arm a;
  s  arm r with a single actor: the per-actor throughput a cluster multiplies.

Timing starts after the model is loaded and has translated one warm-up sentence; the start-up
(loading; for r and s also ``ray.init`` and the actors) is printed apart. Prints segments/s,
peak RSS (VmHWM; the driver's only for r and s) and output/input word ratio per arm, how many
translations of arms b, c and r are identical to arm a's (they should all be: same work), and
the ratios a/b, a/c and r/a. ``--repeat N`` runs arms a, c and r N times, interleaved, and
keeps the best of each (b runs once: it is slow). With a GPU visible to CTranslate2, arms a and c also run with
device=cuda. The package is built once per corpus under ``--workdir``.

    python benchmarks/throughput.py [--corpus PATH] [--limit N] [--repeat N] [--threads N]

Arms r and s need the Ray extra (``pip install -e '.[bench,ray]'``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "newstest2013.fr"
sys.path.insert(0, str(ROOT / "tests" / "support"))

BEAM = 4
DECODING_CAP = 256
WARM_UP = "Bonjour à tous."
ARMS = ("a", "b", "c", "d", "t", "r", "s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="first N lines only (0: all)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: all cores)")
    parser.add_argument("--max-batch-tokens", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of arms a and c (best kept; b runs once: it is slow)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "fr2en-throughput")
    parser.add_argument("--arm", help=argparse.SUPPRESS)  # internal: run one arm, print JSON
    parser.add_argument("--device", default="cpu", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.arm:
        print(json.dumps(run_arm(args)))
        return

    from fr2en_dossier.engine import EngineOptions
    from fr2en_dossier.engine.options import cpu_workers

    lines = read_lines(args.corpus, args.limit)
    if args.max_batch_tokens is None:
        args.max_batch_tokens = EngineOptions().batch_tokens("cpu")
    env = prepare(args)
    devices = ["cpu"]
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        devices.append("cuda")
    workers, threads = cpu_workers(args.threads)
    print(f"{len(lines)} segments from {args.corpus}; beam {BEAM}, decoding cap {DECODING_CAP}, "
          f"max batch tokens {args.max_batch_tokens}; {workers * threads} threads of "
          f"{os.cpu_count()} cores: a, c {workers} worker(s) x {threads}, b 1 x {workers * threads}")
    results: dict[tuple[str, str], dict] = {}
    for device in devices:
        for round_ in range(args.repeat):
            first = device == "cpu" and round_ == 0
            for arm in ARMS if first else ("a", "c", "r"):
                r = measure(arm, device, args, env)
                best = results.get((arm, device))
                if best is None or r["seconds"] < best["seconds"]:
                    results[arm, device] = r
    print(f"{'arm':<34}{'device':<8}{'segments/s':>12}{'start-up s':>12}{'peak RSS MB':>13}"
          f"{'out/in':>8}")
    names = {"a": "a fr2en translate_segments", "b": "b argostranslate translate()",
             "c": "c raw translate_batch (floor)", "d": "d raw, 1 worker x all threads",
             "t": "t a + glossary (terms passes)", "r": f"r a on Ray, {workers} actors",
             "s": "s a on Ray, 1 actor"}
    for (arm, device), r in results.items():
        print(f"{names[arm]:<34}{device:<8}{r['segments'] / r['seconds']:>12.1f}"
              f"{r['startup']:>12.1f}{r['peak_rss_kb'] / 1024:>13.0f}"
              f"{r['out_words'] / r['in_words']:>8.2f}")
    terms = results["t", "cpu"]["terms"]
    print(f"terms (arm t): {terms['with_hits']} segments with glossary hits, "
          f"{terms['term_missing']} inputs missing a term after the first decoding: "
          f"{terms['term_nbest']} n-best, {terms['term_prefix']} re-decoded with a prefix, "
          f"{terms['term_forced']} forced; terminology passes {terms['term_seconds']:.2f} s "
          f"of {results['t', 'cpu']['seconds']:.2f} s")
    for arm in ("b", "c", "r", "s"):
        same = sum(x == y for x, y in zip(results["a", "cpu"]["outputs"], results[arm, "cpu"]["outputs"]))
        print(f"identical translations a/{arm}: {same}/{len(lines)}")
    rate = {key: r["segments"] / r["seconds"] for key, r in results.items()}
    for device in devices:
        if device == "cpu":
            print(f"a/b ({device}) = {rate['a', device] / rate['b', device]:.2f}")
        print(f"a/c ({device}) = {rate['a', device] / rate['c', device]:.2f}")
    print(f"r/a (cpu) = {rate['r', 'cpu'] / rate['a', 'cpu']:.2f}; one actor: "
          f"{rate['s', 'cpu']:.1f} segments/s")


def read_lines(path: Path, limit: int) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit] if limit else lines


def prepare(args) -> dict:
    """Build (once per corpus) and install the package; return the arms' environment."""
    from synthetic_argos import BASE, build_package

    corpus_lines = read_lines(args.corpus, 0)
    seeds = [line for p in sorted((ROOT / "seeds").glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    digest = hashlib.sha256("\n".join(seeds + corpus_lines).encode() + repr(BASE).encode())
    build_dir = args.workdir / f"package-{digest.hexdigest()[:12]}"
    archives = list(build_dir.glob("*.argosmodel"))
    if not archives:
        print("building the synthetic Transformer-base package (once)...", file=sys.stderr)
        archives = [build_package(build_dir, seeds + corpus_lines, shape=BASE)]
    home = args.workdir / "home"
    shutil.rmtree(home, ignore_errors=True)
    env = dict(
        os.environ,
        XDG_DATA_HOME=str(home / "share"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(home / "packages"),
    )
    subprocess.run(
        [sys.executable, "-c", "import sys; from fr2en_dossier.cli import main; main()",
         "model", "install", "--file", str(archives[0])],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )
    return env


def measure(arm: str, device: str, args, env: dict) -> dict:
    cmd = [sys.executable, __file__, "--arm", arm, "--device", device, "--corpus", str(args.corpus),
           "--limit", str(args.limit), "--threads", str(args.threads),
           "--max-batch-tokens", str(args.max_batch_tokens)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"arm {arm} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_arm(args) -> dict:
    lines = read_lines(args.corpus, args.limit)
    arms = {"a": arm_pipeline, "b": arm_argostranslate, "c": arm_raw, "d": arm_raw,
            "t": arm_pipeline, "r": arm_pipeline, "s": arm_pipeline}
    started = time.perf_counter()
    outputs, seconds, extra = arms[args.arm](lines, args)
    return {
        **extra,
        "startup": time.perf_counter() - started - seconds,
        "segments": len(lines),
        "seconds": seconds,
        "peak_rss_kb": peak_rss_kb(),
        "in_words": sum(len(line.split()) for line in lines),
        "out_words": sum(len(text.split()) for text in outputs),
        "outputs": outputs,
    }


def peak_rss_kb() -> int:
    """This process's peak RSS. (Not getrusage: its ru_maxrss survives exec, so a child would
    report its parent's peak.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def arm_pipeline(lines: list[str], args):
    from fr2en_dossier.engine import EngineOptions, TranslationCache, load_engine, translate_segments
    from fr2en_dossier.model import Segment

    backend = {}
    if args.arm in ("r", "s"):  # one-thread actors: one per thread, or one
        from fr2en_dossier.engine.options import cpu_workers

        backend = dict(backend="ray", threads=1, workers=1 if args.arm == "s" else cpu_workers(args.threads)[0])
    engine = load_engine(EngineOptions(beam_size=BEAM, device=args.device,
                                       threads=backend.pop("threads", args.threads),
                                       max_batch_tokens=args.max_batch_tokens,
                                       max_decoding_length=DECODING_CAP, **backend))
    engine.translate([WARM_UP])
    segments = [Segment("bench", i, 0, "paragraph", 0, len(line), line) for i, line in enumerate(lines)]
    if args.arm == "t":
        from fr2en_dossier.glossary import apply_glossary, load_glossary

        apply_glossary(segments, load_glossary(ROOT / "glossary.tsv"))
    with tempfile.TemporaryDirectory() as empty, TranslationCache(Path(empty) / "c.sqlite3") as cache:
        start = time.perf_counter()
        stats = translate_segments(segments, engine, cache=cache)
        seconds = time.perf_counter() - start
    engine.close()
    terms = {k: v for k, v in vars(stats).items() if k.startswith("term_")}
    terms["with_hits"] = sum(1 for seg in segments if seg.hits)
    return [seg.target for seg in segments], seconds, {"terms": terms}


def arm_argostranslate(lines: list[str], args):
    from fr2en_dossier.engine.options import cpu_workers

    workers, threads = cpu_workers(args.threads)
    os.environ.update(ARGOS_DEVICE_TYPE=args.device, ARGOS_COMPUTE_TYPE="int8",
                      ARGOS_BEAM_SIZE=str(BEAM), ARGOS_INTRA_THREADS=str(workers * threads))
    from argostranslate import translate

    class WholeInput:
        """Sentence splitting off: the input is one sentence."""

        def split_sentences(self, text: str) -> list[str]:
            return [text]

    translate.get_translation_from_codes("fr", "en").underlying.sentencizer = WholeInput()
    translate.translate(WARM_UP, "fr", "en")
    start = time.perf_counter()
    outputs = [translate.translate(line, "fr", "en") for line in lines]
    return outputs, time.perf_counter() - start, {}


def arm_raw(lines: list[str], args):
    import ctranslate2
    import sentencepiece
    from fr2en_dossier.engine.options import cpu_workers
    from fr2en_dossier.engine.packages import find_fr_en

    path = find_fr_en().path
    sp = sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    workers, threads = cpu_workers(args.threads) if args.device == "cpu" else (1, 0)
    if args.arm == "d":
        workers, threads = 1, workers * threads
    translator = ctranslate2.Translator(str(path / "model"), device=args.device,
                                        compute_type="int8" if args.device == "cpu" else "float16",
                                        inter_threads=workers, intra_threads=threads)
    options = dict(max_batch_size=args.max_batch_tokens, batch_type="tokens", beam_size=BEAM,
                   length_penalty=0.2, max_decoding_length=DECODING_CAP, replace_unknowns=True,
                   return_scores=True)
    translator.translate_batch([sp.encode(WARM_UP, out_type=str)], **options)
    tokens = sp.encode(lines, out_type=str)
    start = time.perf_counter()
    results = translator.translate_batch(tokens, **options)
    seconds = time.perf_counter() - start
    return sp.decode([r.hypotheses[0] for r in results]), seconds, {}


if __name__ == "__main__":
    main()
