"""Time and peak memory of ``fr2en translate`` against the size of the dossier.

An archive of N articles is generated from ``../shared/bench/newstest2013.fr``: each article a
title and paragraphs of its sentences (18 to 30 sentences, numbered so that articles differ),
one ``.txt`` file each, about the size of the seeds' articles (27 segments). Each arm runs the
installed ``fr2en`` in a fresh process on a fresh project and reports the wall time and the
peak RSS of that process (``ru_maxrss`` of the child), and the size of the outputs:

  no-mt   ``fr2en translate --no-mt``: everything but MT (segmentation, glossary, memory,
          QA, every writer);
  mt      ``fr2en translate`` with the synthetic Argos package of the tests (real
          CTranslate2 decoding, gibberish English), with ``--mt-limit`` articles at most;
  rerun   ``fr2en translate --no-mt`` a second time on the outputs of a first (measured:
          the second), which first takes back the edits left in the outputs.

Per article, the time and the memory are printed too, so the growth reads directly: flat per
article is linear time; constant peak memory would be bounded.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--arms no-mt mt rerun] [--mt-limit 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSTEST = ROOT.parent / "shared" / "bench" / "newstest2013.fr"
sys.path.insert(0, str(ROOT / "tests"))

from support.synthetic_archive import write_archive  # noqa: E402


def measure(project: Path, args: list[str], env: dict) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of ``fr2en translate ARGS`` in ``project``."""
    code = ("import resource, sys; from fr2en_dossier.cli import main\n"
            "try:\n    main()\nfinally:\n"
            "    sys.stderr.write(f'\\nRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "translate", "--quiet", *args], cwd=project,
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"fr2en translate failed:\n{done.stdout}\n{done.stderr}")
    rss = int(done.stderr.rsplit("RSS ", 1)[1].split()[0]) * 1024
    return seconds, rss


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--arms", nargs="+", default=["no-mt", "mt"],
                        choices=["no-mt", "mt", "rerun"])
    parser.add_argument("--mt-limit", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="fr2en-scale-"))
    env = {**os.environ, "FR2EN_CACHE_DIR": str(work / "cache")}
    lines = NEWSTEST.read_text(encoding="utf-8").splitlines()
    if "mt" in args.arms:
        env.update(install_synthetic(work))
    print(f"{'arm':6} {'articles':>9} {'segments':>9} {'seconds':>9} {'ms/article':>11} "
          f"{'peak RSS':>10} {'KB/article':>11} {'outputs':>10}")
    for size in args.sizes:
        for arm in args.arms:
            if arm == "mt" and size > args.mt_limit:
                continue
            project = work / f"{arm}-{size}"
            shutil.rmtree(project, ignore_errors=True)
            sentences = write_archive(project / "seeds", size, lines)
            if arm == "rerun":
                measure(project, ["--no-mt"], env)
            seconds, rss = measure(project, ["--no-cache"] if arm == "mt" else ["--no-mt"], env)
            out = folder_size(project / "output")
            print(f"{arm:6} {size:>9,} {sentences:>9,} {seconds:>9.1f} {1000 * seconds / size:>11.1f} "
                  f"{rss / 2**20:>8.0f} MB {rss / 1024 / size:>11.1f} {out / 2**20:>7.0f} MB",
                  flush=True)
            shutil.rmtree(project, ignore_errors=True)


def install_synthetic(work: Path) -> dict:
    """The tests' synthetic fr→en package, built on newstest and installed in ``work``."""
    from support.synthetic_argos import build_package

    packages = work / "argos-packages"
    env = {"ARGOS_PACKAGES_DIR": str(packages)}
    os.environ.update(env)
    from argostranslate import settings

    settings.package_data_dir, settings.package_dirs = packages, [packages]
    from fr2en_dossier.engine import install_file

    lines = NEWSTEST.read_text(encoding="utf-8").splitlines()
    install_file(build_package(work / "package", lines))
    return env


if __name__ == "__main__":
    main()
