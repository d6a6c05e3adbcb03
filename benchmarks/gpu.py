"""MT on a GPU host: target tokens/s on CPU against GPU, same package, batch-size sweep.

Meant for a machine with an NVIDIA GPU (never run by CI). The package is the synthetic one with
the real translate-fr_en package's shape (Transformer base, int8 weights; see
benchmarks/throughput.py, which builds and installs it the same way), the corpus one sentence
per line (default ``../shared/bench/newstest2013.fr``). Each configuration runs in its own
process through this pipeline's engine (``load_engine`` + ``Engine.translate``: the same
batching as ``fr2en translate``) after one warm-up sentence, and prints segments/s, target
tokens/s (SentencePiece pieces of the English), and the wall time:

  cpu   int8, one one-thread worker per core, at the CPU's default budget (2048 tokens);
  cuda  float16 (the GPU default) and int8_float16, at --sizes tokens per batch (default
        1024 ... 16384; the GPU default is 8192), on every GPU of the host (CTranslate2
        spreads the batches over them) unless --device-index says otherwise.

Also prints how many translations differ between the float16 run at the default budget and the
CPU run (float16 and int8 round differently, so a few may). Needs ``pip install ctranslate2``
with its CUDA libraries (README "Machine translation": cuBLAS 12 from nvidia-cublas-cu12).

    python benchmarks/gpu.py [--corpus PATH] [--limit N] [--sizes 1024,4096] [--device-index 0,1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput  # noqa: E402  (builds and installs the Transformer-base package)

SIZES = (1024, 2048, 4096, 8192, 16384)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=throughput.DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=3000, help="first N lines (0: all)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="tokens per batch to sweep on the GPU")
    parser.add_argument("--device-index", default="", help="GPUs to use (default: all)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "fr2en-throughput")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one configuration, JSON
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_one(args, **json.loads(args.run))))
        return
    import ctranslate2

    if not ctranslate2.get_cuda_device_count():
        sys.exit("gpu.py: CTranslate2 sees no CUDA GPU here: nothing to measure "
                 "(see README 'Machine translation' for what a GPU host needs)")
    env = throughput.prepare(argparse.Namespace(corpus=args.corpus, workdir=args.workdir))
    configs = [dict(device="cpu", compute_type="int8", max_batch_tokens=0)]
    for compute in ("float16", "int8_float16"):
        configs += [dict(device="cuda", compute_type=compute, max_batch_tokens=int(size))
                    for size in args.sizes.split(",")]
    print(f"{'device':<7}{'compute':<14}{'batch tokens':>13}{'segments/s':>12}{'tokens/s':>11}"
          f"{'seconds':>9}")
    outputs = {}
    for config in configs:
        cmd = [sys.executable, __file__, "--corpus", str(args.corpus), "--limit", str(args.limit),
               "--device-index", args.device_index, "--run", json.dumps(config)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f"{config} failed:\n{proc.stderr}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        outputs[config["device"], config["compute_type"], r["batch_tokens"]] = r["outputs"]
        print(f"{config['device']:<7}{config['compute_type']:<14}{r['batch_tokens']:>13}"
              f"{r['segments'] / r['seconds']:>12.1f}{r['tokens'] / r['seconds']:>11.0f}"
              f"{r['seconds']:>9.1f}")
    cpu = next(v for k, v in outputs.items() if k[0] == "cpu")
    gpu = outputs.get(("cuda", "float16", 8192)) or next(v for k, v in outputs.items() if k[0] == "cuda")
    print(f"translations differing cpu int8 / cuda float16: {sum(a != b for a, b in zip(cpu, gpu))}"
          f"/{len(cpu)}")


def run_one(args, device: str, compute_type: str, max_batch_tokens: int) -> dict:
    from fr2en_dossier.engine import EngineOptions, load_engine

    lines = throughput.read_lines(args.corpus, args.limit)
    index = tuple(int(i) for i in args.device_index.split(",") if i.strip())
    options = EngineOptions(beam_size=throughput.BEAM, device=device, compute_type=compute_type,
                            device_index=index, max_batch_tokens=max_batch_tokens,
                            max_decoding_length=throughput.DECODING_CAP)
    with load_engine(options) as engine:
        engine.translate([throughput.WARM_UP])
        start = time.perf_counter()
        results = engine.translate(lines)
        seconds = time.perf_counter() - start
        tokens = sum(len(engine.tokenize(t.text)) for t in results)
    return dict(segments=len(lines), seconds=seconds, tokens=tokens,
                batch_tokens=options.batch_tokens(device), outputs=[t.text for t in results])


if __name__ == "__main__":
    main()
