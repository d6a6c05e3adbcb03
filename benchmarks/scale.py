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
          the second), which first takes back the edits left in the outputs;
  serve   the review workspace (``fr2en review serve``'s, without the web server) on the
          outputs of ``fr2en translate --no-mt``: the time to open them, then to answer the
          page's questions (the first page of documents, a document's segments, a search and
          a flag filter over all documents, the next segment to review, a review saved, a second
          opening that copies the rows kept by the first), and
          the peak RSS of the process. ``--replicate K`` also opens a report K times larger,
          made of the run's records repeated under new document names (a run of that size
          takes hours here).

Per article, the time and the memory are printed too, so the growth reads directly: flat per
article is linear time; constant peak memory would be bounded.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--arms no-mt mt rerun serve]
                               [--mt-limit 1000] [--replicate 10]
"""

from __future__ import annotations

import argparse
import json
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
                        choices=["no-mt", "mt", "rerun", "serve"])
    parser.add_argument("--replicate", type=int, default=0)
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
            if arm == "serve":
                seconds, rss = measure(project, ["--no-mt"], env)
                print(f"no-mt  {size:>9,} {sentences:>9,} {seconds:>9.1f} (the outputs served), "
                      f"peak RSS {rss / 2**20:.0f} MB", flush=True)
                serve(project, size, env)
                if args.replicate > 1:
                    serve(replicate(project, args.replicate), size * args.replicate, env)
                shutil.rmtree(project.parent / f"{project.name}-x{args.replicate}", ignore_errors=True)
                shutil.rmtree(project, ignore_errors=True)
                continue
            if arm == "rerun":
                measure(project, ["--no-mt"], env)
            seconds, rss = measure(project, ["--no-cache"] if arm == "mt" else ["--no-mt"], env)
            out = folder_size(project / "output")
            print(f"{arm:6} {size:>9,} {sentences:>9,} {seconds:>9.1f} {1000 * seconds / size:>11.1f} "
                  f"{rss / 2**20:>8.0f} MB {rss / 1024 / size:>11.1f} {out / 2**20:>7.0f} MB",
                  flush=True)
            shutil.rmtree(project, ignore_errors=True)


SERVE = """
import json, resource, time
from fr2en_dossier.project import Project
from fr2en_dossier.workspace import Workspace
started = time.perf_counter()
ws = Workspace(Project.find())
times = {"open": time.perf_counter() - started}
def timed(name, ask):
    started = time.perf_counter()
    answer = ask()
    times[name] = time.perf_counter() - started
    return answer
docs = timed("documents", lambda: ws.documents())
middle = ws.index.name(len(ws.index) // 2)
page = timed("a document", lambda: ws.query(doc=middle))
timed("search all", lambda: ws.query(text="président"))
timed("flag filter", lambda: ws.query(flag="untranslated", offset=1000))
key = page["segments"][1]["key"]
timed("next to review", lambda: ws.next_key(key, "unconfirmed"))
timed("save a review", lambda: ws.save(key, "A reviewed sentence.", draft=False))
ws.close()
started = time.perf_counter()
Workspace(Project.find()).close()  # the rows kept at the first opening, copied
times["reopen"] = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({**times, "rss": rss}))
"""


def serve(project: Path, size: int, env: dict) -> None:
    """Open the workspace on ``project``'s outputs in a fresh process; print its timings."""
    env = {**env, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", SERVE], cwd=project, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the workspace failed:\n{done.stdout}\n{done.stderr}")
    values = json.loads(done.stdout.splitlines()[-1])
    report = next(project.glob("output*/report.json"), None) or project / "output" / "report.json"
    rss = int(values.pop("rss"))
    print(f"serve  {size:>9,} articles, report {report.stat().st_size / 2**20:,.0f} MB: "
          f"peak RSS {rss / 2**20:.0f} MB; seconds: " +
          ", ".join(f"{k} {v:.2f}" for k, v in values.items()), flush=True)


def replicate(project: Path, times: int) -> Path:
    """A project beside ``project`` whose outputs are a report of its records ``times`` over,
    each time under new document names (the report alone: what the workspace opens)."""
    from fr2en_dossier.outputs import current_dir

    bigger = project.parent / f"{project.name}-x{times}"
    shutil.rmtree(bigger, ignore_errors=True)
    (bigger / "output").mkdir(parents=True)
    source = current_dir(project / "output") / "report.json"
    with open(source, "rb") as fh:
        lines = fh.readlines()
    head = [n for n, line in enumerate(lines) if line.startswith((b' "segments"', b' "documents"'))]
    ends = [next(n for n in range(at, len(lines)) if lines[n].startswith(b" ]")) for at in head]
    with open(bigger / "output" / "report.json", "wb") as out:
        out.writelines(lines[: head[0] + 1])
        for array, (at, end) in enumerate(zip(head, ends)):
            for k in range(times):
                for n in range(at + 1, end):
                    line = lines[n].replace(b'"article_', b'"r%d_article_' % k)
                    last = k == times - 1 and n == end - 1
                    out.write(line.rstrip().removesuffix(b",") + (b"\n" if last else b",\n"))
            out.writelines(lines[end : head[1] + 1] if array == 0 else lines[end:])
    return bigger


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
