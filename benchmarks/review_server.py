"""Review in the browser at scale: ``fr2en review serve`` against the one-page ``review.html``.

A dossier of ``--articles`` synthetic articles (default 2,000): each a title and paragraphs of
sentences of ``../shared/bench/newstest2013.fr`` (12 segments per article on average, ~24,000
in all), run through ``fr2en translate --no-mt``, then given a stand-in English (the French
reversed) as machine translation, so that every segment has text on both sides. Then, in
Debian's chromium driven by Playwright, best and median of ``--repeat`` runs:

  serve first paint   from navigation start to the first segment rows on screen (the page's
                      ``window.fr2en.firstRows``), and the browser's first-contentful-paint;
  serve filter/search from a filter change (or the search's debounced request) to its rows
                      rendered (``window.fr2en.lastRender``: request, JSON, DOM), for the flag
                      filter, an origin filter and a text search over all documents;
  static one page     ``review.html`` of the whole dossier as one page (``write_review_html``):
                      load event, and a search keystroke (its filter over every row);
  static index        the index page that ``fr2en translate`` writes instead above 3,000
                      segments: load event.

    pip install -e '.[test]'
    python benchmarks/review_server.py [--articles 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "newstest2013.fr"
CLI = "from fr2en_dossier.cli import main; main()"


def build_project(folder: Path, articles: int, seed: int = 7) -> int:
    """A dossier of ``articles`` articles with stand-in English; returns its segment count."""
    from fr2en_dossier.formats.report import load_report
    from fr2en_dossier.model import parts_of
    from fr2en_dossier.outputs import REPORT_FILE, current_dir, write_generation

    sentences = [s.strip() for s in CORPUS.read_text(encoding="utf-8").splitlines() if s.strip()]
    rng = random.Random(seed)
    (folder / "articles").mkdir(parents=True)
    for n in range(articles):
        title = rng.choice(sentences).rstrip(".")[:70]
        sizes = [rng.randint(2, 4) for _ in range(3)] + [2]
        paragraphs = [" ".join(rng.sample(sentences, size)) for size in sizes]
        (folder / "articles" / f"art_{n + 1}.txt").write_text(
            "\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    (folder / "fr2en.toml").write_text('[project]\ninputs = ["articles"]\n', encoding="utf-8")
    run(folder, "translate", "--no-mt")
    report = load_report(current_dir(folder / "output") / REPORT_FILE)
    for seg in report.segments:
        seg.target, seg.origin = seg.source[::-1], "mt"
    from fr2en_dossier.qa import check_dossier

    check_dossier(report.segments)
    write_generation(parts_of(report.segments, report.run.documents), folder / "output", report.run)
    return len(report.segments)


def run(folder: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", CLI, *args], cwd=folder, env=env, check=True,
                   capture_output=True)


def timings(page, url: str, repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {k: [] for k in ("first rows", "first paint", "flag filter",
                                                    "origin filter", "search all documents")}
    for _ in range(repeat):
        page.goto(url)
        page.wait_for_function("() => window.fr2en && window.fr2en.firstRows !== null")
        out["first rows"].append(page.evaluate("() => window.fr2en.firstRows"))
        out["first paint"].append(page.evaluate(
            "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"))
        for name, action in (
            ("flag filter", lambda: page.select_option("#f-flag", "number-mismatch")),
            ("origin filter", lambda: page.select_option("#f-origin", "mt")),
        ):
            before = page.evaluate("() => window.fr2en.renders")
            action()
            page.wait_for_function("n => window.fr2en.renders > n", arg=before)
            out[name].append(page.evaluate("() => window.fr2en.lastRender"))
        page.select_option("#f-doc", "")
        page.select_option("#f-flag", "")
        page.wait_for_timeout(300)
        before = page.evaluate("() => window.fr2en.renders")
        page.fill("#f-search", "président")
        page.wait_for_function("n => window.fr2en.renders > n", arg=before)
        out["search all documents"].append(page.evaluate("() => window.fr2en.lastRender"))
    return out


def static_timings(page, path: Path, repeat: int, search: bool) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"load": [], "search keystroke": []}
    for _ in range(repeat):
        page.goto(path.as_uri(), timeout=120_000)
        out["load"].append(page.evaluate(
            "() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
        if search:
            out["search keystroke"].append(page.evaluate("""() => {
                const box = document.getElementById('search');
                box.value = 'président';
                const t = performance.now();
                box.dispatchEvent(new Event('input'));
                return new Promise(r => setTimeout(() => requestAnimationFrame(
                    () => r(performance.now() - t - 120)), 120));
            }"""))
    return {k: v for k, v in out.items() if v}


def report(arm: str, results: dict[str, list[float]]) -> None:
    for name, values in results.items():
        print(f"{arm:<18} {name:<22} best {min(values):8.1f} ms   median "
              f"{statistics.median(values):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from fr2en_dossier.formats.html import write_review_html
    from fr2en_dossier.formats.report import load_report
    from fr2en_dossier.outputs import REPORT_FILE, current_dir

    folder = Path(tempfile.mkdtemp(prefix="fr2en-serve-bench-"))
    try:
        started = time.perf_counter()
        n = build_project(folder, args.articles)
        print(f"{args.articles} articles, {n} segments (built in {time.perf_counter() - started:.0f} s)")
        outputs = current_dir(folder / "output")
        one_page = folder / "one-page.html"
        write_review_html(load_report(outputs / REPORT_FILE).segments, one_page)
        print(f"one-page review.html {one_page.stat().st_size / 1e6:.1f} MB; "
              f"index review.html {(outputs / 'review.html').stat().st_size / 1e3:.0f} KB")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        server = subprocess.Popen([sys.executable, "-c", CLI, "review", "serve", "--port", "0",
                                   "--no-browser"], cwd=folder, env=env, stdout=subprocess.PIPE,
                                  text=True)
        url = server.stdout.readline().strip()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                            args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                report("serve", timings(page, url, args.repeat))
                report("static one page", static_timings(page, one_page, max(2, args.repeat // 2), True))
                report("static index", static_timings(page, outputs / "review.html", args.repeat, False))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
