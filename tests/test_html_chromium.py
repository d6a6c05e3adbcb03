"""review.html in a real browser: Debian's headless Chromium renders it, runs its filter script
without a console message, and takes a screenshot."""

from __future__ import annotations

import re

import struct
import subprocess
from pathlib import Path

import pytest
from support.interop import require_tool

from fr2en_dossier.formats.html import write_review_html
from fr2en_dossier.formats.report import RunInfo
from fr2en_dossier.model import (
    BOILERPLATE,
    BOILERPLATE_FLAG,
    FIX,
    HEADING,
    KEEP,
    NUMBER_MISMATCH,
    PARAGRAPH,
    TERM,
    TERM_MISSING,
    Hit,
    Segment,
)

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_tool("chromium")


def _browse(chromium: str, profile: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``url`` with its console written to stderr."""
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def _console(stderr: str) -> list[str]:
    """The page's console messages and uncaught errors among Chromium's log lines."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def _dossier() -> list[Segment]:
    b0 = "Musk contre OpenAI : la dictature de l'assurance-chômage"
    b1 = f"OpenAI a levé 60 millions de dollars en 2019. Le conseil d'administration cite {SCRIPT}."
    fix, s1 = b0.index("assurance"), b1.index("Le conseil")
    return [
        Segment(
            "000_article",
            0,
            0,
            HEADING,
            0,
            len(b0),
            b0,
            engine_input="Musk contre OpenAI : la dictature de l'AGI",
            target="Musk vs OpenAI: the dictatorship of unemployment insurance",
            origin="mt",
            hits=[
                Hit(0, 4, "Musk", "Musk", KEEP),
                Hit(12, 18, "OpenAI", "OpenAI", KEEP),
                Hit(fix, fix + 17, "assurance-chômage", "AGI", FIX, "UI → AGI"),
            ],
            flags=[TERM_MISSING],
        ),
        Segment(
            "000_article",
            1,
            0,
            PARAGRAPH,
            0,
            s1 - 1,
            b1[: s1 - 1],
            target="OpenAI raised $16 million in 2019.",
            origin="mt",
            hits=[Hit(0, 6, "OpenAI", "OpenAI", KEEP)],
            flags=[NUMBER_MISMATCH],
        ),
        Segment(
            "000_article",
            1,
            1,
            PARAGRAPH,
            s1,
            len(b1),
            b1[s1:],
            target=f"The board quotes {SCRIPT}.",
            origin="review",
            hits=[Hit(s1 + 3, s1 + 27, "conseil d'administration", "board", TERM)],
        ),
        Segment("000_article", 2, 0, BOILERPLATE, 0, 12, "Lire aussi :", flags=[BOILERPLATE_FLAG]),
    ]


@pytest.fixture()
def page(tmp_path) -> Path:
    return write_review_html(
        _dossier(), tmp_path / "review.html", RunInfo(engine="translate-fr_en 1.9")
    )


def test_the_filter_runs_and_the_console_stays_silent(chromium, page, tmp_path):
    result = _browse(
        chromium, tmp_path / "profile", f"{page.as_uri()}#filter=number-mismatch", "--dump-dom"
    )
    assert _console(result.stderr) == []
    dom = result.stdout
    assert "Showing 1 of 4 segments" in dom  # written by the page's script
    assert 'id="seg-000_article:1:0" data-flags="number-mismatch" data-risk="' in dom
    assert re.search(r'id="seg-000_article:0:0" data-flags="term-missing" data-risk="[\d.]+" hidden=""', dom)
    assert dom.count("<script") == 1 and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_only_flagged_hides_unflagged_and_boilerplate_rows(chromium, page, tmp_path):
    result = _browse(
        chromium, tmp_path / "profile", f"{page.as_uri()}#filter=flagged", "--dump-dom"
    )
    assert _console(result.stderr) == []
    assert "Showing 2 of 4 segments" in result.stdout


def test_a_script_error_would_be_caught(chromium, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><p>x</p><script>undefinedFunction();</script>", encoding="utf-8"
    )
    result = _browse(chromium, tmp_path / "profile", broken.as_uri(), "--dump-dom")
    assert any("undefinedFunction" in line for line in _console(result.stderr))


def test_screenshot_of_the_seed_dossier(chromium, tmp_path):
    from support.sample_dossier import seed_segments

    segments = seed_segments()
    page = write_review_html(segments, tmp_path / "review.html", RunInfo(glossary="glossary.tsv"))
    shot = tmp_path / "review.png"
    result = _browse(
        chromium,
        tmp_path / "profile",
        page.as_uri(),
        f"--screenshot={shot}",
        "--window-size=1400,1000",
        "--hide-scrollbars",
    )
    assert _console(result.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1400, 1000)
    assert len(data) > 50_000  # a rendered page of text, not a blank one
    dom = _browse(chromium, tmp_path / "profile", page.as_uri(), "--dump-dom").stdout
    assert f"Showing {len(segments)} of {len(segments)} segments" in dom
    assert dom.count("<script") == 1


def test_phone_width_stacks_french_and_english_and_keeps_the_toolbar(tmp_path):
    """At 390 px (Playwright driving chromium): no sideways scrolling, French and English each
    the width of the screen, the filter bar still on screen after scrolling."""
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright
    from support.sample_dossier import seed_segments

    page_path = write_review_html(seed_segments(), tmp_path / "review.html", RunInfo())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width, height in ((1400, 1000), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_path.as_uri())
            page.mouse.wheel(0, 4000)
            page.wait_for_timeout(200)
            page.screenshot(path=str(tmp_path / f"review-{width}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.evaluate("document.querySelector('.bar').getBoundingClientRect().top") == 0
            fr = page.evaluate("document.querySelector('td.fr').getBoundingClientRect().width")
            assert fr > (300 if width == 390 else 400)
            page.close()
        browser.close()
    assert (tmp_path / "review-390.png").stat().st_size > 20_000
