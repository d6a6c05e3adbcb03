"""`fr2en review serve` in a real browser: Playwright driving Debian's chromium against the
server started as a subprocess on a free port (its first stdout line is the URL)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support.interop import require_tool

from support.memory import memory_entries
from fr2en_dossier.model import REVIEW

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "Titre <b>gras</b>\nLe <script>alert(1)</script> et <img src=x onerror=alert(2)> & « ok ».\n"
# Two sentences one number apart: the second's memory match is the first's review, repaired.
NEAR = ("Le conseil d'administration d'OpenAI a renvoyé Sam Altman en novembre 2023.\n\n"
        "Le conseil d'administration d'OpenAI a renvoyé Sam Altman en novembre 2024.\n")
CLI = "from fr2en_dossier.cli import main; main()"


def fr2en(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.run([sys.executable, "-c", CLI, *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dossier")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "seeds" / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "seeds" / "zz_memory.txt").write_text(NEAR, encoding="utf-8")
    shutil.copy(ROOT / "glossary.tsv", root / "glossary.tsv")
    assert fr2en(root, "init", ".").returncode == 0
    result = fr2en(root, "translate", "--no-mt")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def server(project):
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, "review", "serve", "--port", "0", "--no-browser"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:") and "/?token=" in url, proc.stderr.read()
    yield proc, url
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    sys.stderr.write(proc.stderr.read())


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    page.goto(server[1])
    page.wait_for_selector("article.row")
    yield page
    context.close()
    assert errors == []


def row(page, key: str):
    return page.locator(f'article.row[data-key="{key}"]')


def open_doc(page, doc: str) -> None:
    page.select_option("#f-doc", doc)
    page.wait_for_function("d => document.querySelector('article.row').dataset.key.startsWith(d + ':')",
                           arg=doc)


def status(page, text: str) -> None:
    from playwright.sync_api import TimeoutError

    try:
        page.wait_for_function("t => document.getElementById('status').textContent.includes(t)",
                               arg=text)
    except TimeoutError:
        raise AssertionError(f"the page never said {text!r}; it says "
                             f"{page.text_content('#status')!r}") from None


def test_403_without_token_with_a_foreign_host_or_origin(server):
    url = server[1]
    base, token = url.split("/?token=")
    assert httpx.get(url).status_code == 200
    assert httpx.get(base + "/").status_code == 403
    assert httpx.get(base + "/api/documents").status_code == 403
    assert httpx.get(url, headers={"Host": "evil.example:80"}).status_code == 403
    write = {"key": "x", "target": "y"}
    cookie = {f"fr2en_token_{base.rsplit(':', 1)[1]}": token}
    assert httpx.post(base + "/api/draft", json=write, cookies=cookie).status_code == 403
    headers = {"X-Fr2en-Token": token, "Origin": "http://evil.example"}
    assert httpx.post(base + "/api/draft", json=write, headers=headers).status_code == 403
    headers["Origin"] = base
    answer = httpx.post(base + "/api/draft", json=write, headers=headers)
    assert answer.status_code == 400 and "no such segment" in answer.json()["error"]
    assert "script-src 'self'" in httpx.get(url).headers["content-security-policy"]


def test_confirm_goes_to_the_memory_and_the_next_translate(page, project):
    key = "000_f15bf9128c25df69:0:0"
    area = row(page, key).locator("textarea")
    area.fill("The recent legal case between Elon Musk and OpenAI revealed emails.")
    area.press("Control+Enter")
    status(page, f"confirmed {key}")
    page.wait_for_function("k => document.activeElement.closest('article.row')?.dataset.key === k",
                           arg="000_f15bf9128c25df69:1:0")  # moved to the next segment
    assert "reviewed" in row(page, key).locator(".origin").text_content()
    assert [(e.target, e.origin) for e in memory_entries(project)] == [
        ("The recent legal case between Elon Musk and OpenAI revealed emails.", REVIEW)]
    result = fr2en(project, "translate", "--no-mt")
    assert result.returncode == 0, result.stderr
    english = (project / "output" / "en" / "000_f15bf9128c25df69.txt").read_text(encoding="utf-8")
    assert english.startswith("The recent legal case between Elon Musk and OpenAI revealed emails.")


def test_esc_reverts_and_a_draft_survives_a_reload(page):
    key = "001_946c3e4662a31b01:1:0"
    open_doc(page, "001_946c3e4662a31b01")
    area = row(page, key).locator("textarea")
    area.fill("something to undo")
    area.press("Escape")
    assert area.input_value() == ""
    area.fill("A draft, not confirmed")
    status(page, f"draft saved: {key}")
    page.reload()
    page.wait_for_selector("article.row")
    open_doc(page, "001_946c3e4662a31b01")
    assert row(page, key).locator("textarea").input_value() == "A draft, not confirmed"
    assert row(page, key).locator(".origin").text_content() == "draft"


HOLD_LOCK = """
import sys
from fr2en_dossier.project import Project
with Project.find(sys.argv[1]).lock("fr2en translate"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_draft_typed_while_another_command_writes_is_stored_at_once(page, project):
    """The memory has its own locking: a draft typed during a `translate` is stored without
    waiting for it."""
    key = "002_902d186d48ac727e:1:0"
    open_doc(page, "002_902d186d48ac727e")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == "held\n"
        row(page, key).locator("textarea").fill("Typed during a translation run")
        status(page, f"draft saved: {key}")
        drafts = [e.target for e in memory_entries(project)
                  if e.key == key and e.origin == "draft"]
        assert drafts == ["Typed during a translation run"]
    finally:
        holder.communicate("\n", timeout=30)


def _select_french(page, key: str, text: str) -> None:
    """Select ``text`` in the French of segment ``key`` (as a mouse would)."""
    page.evaluate(
        """([key, text]) => {
          const box = document.querySelector(`article.row[data-key="${key}"] .fr-text`);
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          let node, done = 0;
          const range = document.createRange();
          const start = box.textContent.indexOf(text), end = start + text.length;
          while ((node = walker.nextNode())) {
            const n = node.textContent.length;
            if (start >= done && start <= done + n) range.setStart(node, start - done);
            if (end >= done && end <= done + n) { range.setEnd(node, end - done); break; }
            done += n;
          }
          const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""",
        [key, text],
    )


def test_glossary_entry_from_the_page_and_a_conflict_refused(page, project):
    key = "000_f15bf9128c25df69:0:0"
    _select_french(page, key, "acteurs importants")
    page.click("#add-term")
    assert page.input_value("#t-source") == "acteurs importants"
    page.fill("#t-target", "key players")
    page.fill("#t-comment", "added from the page")
    page.click("#term-panel button[type=submit]")
    page.wait_for_function("() => document.getElementById('t-message').textContent.includes('added')")
    assert "1 segment(s) hit" in page.text_content("#t-message")
    tsv = (project / "glossary.tsv").read_text(encoding="utf-8")
    assert "acteurs importants\tkey players\tadded from the page" in tsv
    page.wait_for_selector(f'article.row[data-key="{key}"] .fr-text mark[title*="key players"]')

    _select_french(page, key, "Elon Musk")
    page.click("#add-term")
    page.fill("#t-target", "Mr Musk")
    page.click("#term-panel button[type=submit]")
    page.wait_for_function("() => document.getElementById('t-message').textContent.includes('refused')")
    assert "conflicts with an entry" in page.text_content("#t-message")
    assert (project / "glossary.tsv").read_text(encoding="utf-8") == tsv


def test_merge_then_split(page, project):
    doc = "002_902d186d48ac727e"
    key, next_key = f"{doc}:5:0", f"{doc}:5:1"
    french = f'article.row[data-key="{key}"] .fr-text'
    open_doc(page, doc)
    first = page.text_content(french)
    second = row(page, next_key).locator(".fr-text").text_content()
    row(page, key).locator("button[data-act=merge]").click()
    status(page, "merge:")
    merged = page.text_content(french)
    assert merged == f"{first} {second}"
    overrides = (project / "segmentation.tsv").read_text(encoding="utf-8")
    assert overrides.splitlines()[-1].startswith(f"merge\t{doc}\t")
    _select_french(page, key, second)  # the caret where the second sentence starts
    row(page, key).locator("button[data-act=split]").click()
    status(page, "split:")
    assert page.text_content(french) == first
    assert row(page, next_key).locator(".fr-text").text_content() == second
    result = fr2en(project, "segment", "--format", "jsonl")
    assert result.stdout.count(f'"text": "{first}"') == 1  # `fr2en segment` applies them too


def test_hostile_article_text_is_shown_as_text(page):
    open_doc(page, "zz_hostile")
    text = row(page, "zz_hostile:1:0").locator(".fr-text").text_content()
    assert text == "Le <script>alert(1)</script> et <img src=x onerror=alert(2)> & « ok »."
    assert page.locator("main img, main script, .fr-text b").count() == 0
    assert "<b>gras</b>" in page.text_content("#doc-list")


SCREENSHOTS = ROOT / "build" / "screenshots"  # kept after the run, to look at (gitignored)


def test_screenshots_at_1400_and_390_pixels(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_doc(page, "002_902d186d48ac727e")
    wide = SCREENSHOTS / "serve-1400.png"
    page.screenshot(path=str(wide))
    page.set_viewport_size({"width": 390, "height": 844})
    narrow = SCREENSHOTS / "serve-390.png"
    page.screenshot(path=str(narrow))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    widths = page.evaluate(
        "[...document.querySelectorAll('article.row .fr-text')].slice(0, 5)"
        ".map(e => e.getBoundingClientRect().width)")
    assert min(widths) > 300  # French and English stacked, each the width of the screen
    page.fill("#f-search", "bruyant")
    page.wait_for_function("() => document.getElementById('count').textContent.startsWith('1 segment')")
    bar = page.evaluate("() => document.querySelector('.bar').getBoundingClientRect().top")
    page.mouse.wheel(0, 3000)
    assert page.evaluate("() => document.querySelector('.bar').getBoundingClientRect().top") <= bar
    for shot in (wide, narrow):
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def standing(project, key: str, origin: str) -> list[str]:
    """The English of the memory's standing events of ``origin`` for segment ``key``."""
    return [e.target for e in memory_entries(project) if e.key == key and e.origin == origin]


@pytest.fixture()
def tab(browser, server):
    """Open tabs of the workspace (one more per call); dialogs are accepted and recorded."""
    contexts, dialogs = [], []

    def open_tab():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.accept())
        page.goto(server[1])
        page.wait_for_selector("article.row")
        return page

    open_tab.dialogs = dialogs
    yield open_tab
    for context in contexts:
        context.close()


def test_the_token_leaves_the_address_bar(page):
    assert "token" not in page.url


def typed(page, key: str, text: str):
    """The English of ``key`` (its document opened) filled with ``text``; its text box."""
    open_doc(page, key.split(":")[0])
    area = row(page, key).locator("textarea")
    area.fill(text)
    return area


def reopened(page, doc: str) -> None:
    page.reload()
    page.wait_for_selector("article.row")
    open_doc(page, doc)


def test_esc_after_the_autosave_withdraws_its_draft(page, project):
    doc = "003_7314a9d8f0eef448"
    key = f"{doc}:1:0"
    area = typed(page, key, "A typo that stays?")
    status(page, f"draft saved: {key}")
    assert standing(project, key, "draft") == ["A typo that stays?"]
    area.press("Escape")
    status(page, "its draft withdrawn")
    assert row(page, key).locator("textarea").input_value() == ""  # the text it had: none
    assert [e.target for e in memory_entries(project, withdrawn=True) if e.key == key and e.withdrawn] == [
        "A typo that stays?"]  # in the history, withdrawn
    reopened(page, doc)
    assert row(page, key).locator("textarea").input_value() == ""
    assert row(page, key).locator(".origin").text_content() == "no English"


def test_esc_before_the_autosave_leaves_no_draft(page, project):
    doc = "003_7314a9d8f0eef448"
    key = f"{doc}:2:0"
    typed(page, key, "Gone at once").press("Escape")
    page.wait_for_timeout(1200)  # past the autosave delay
    reopened(page, doc)
    assert row(page, key).locator("textarea").input_value() == ""
    assert [e for e in memory_entries(project, withdrawn=True) if e.key == key] == []


def test_closing_the_tab_while_translate_holds_the_lock_loses_nothing(tab, project):
    doc = "004_b408afcd8089cbd7"
    confirmed, typed = f"{doc}:3:0", f"{doc}:6:0"
    page = tab()
    open_doc(page, doc)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == "held\n"
        area = row(page, confirmed).locator("textarea")
        area.fill("Confirmed during a translate.")
        area.press("Control+Enter")
        row(page, typed).locator("textarea").fill("Typed, then the tab closed.")
        page.close(run_before_unload=True)  # before the autosave: pagehide sends it
        deadline = time.monotonic() + 30  # a loaded machine can be slow; a lost text never comes
        while time.monotonic() < deadline and not (
                standing(project, typed, "draft") and standing(project, confirmed, "review")):
            time.sleep(0.2)
    finally:
        holder.communicate("\n", timeout=30)
    assert standing(project, confirmed, "review") == ["Confirmed during a translate."]
    assert standing(project, typed, "draft") == ["Typed, then the tab closed."]


def test_merge_joins_the_drafts_and_split_asks_before_it_discards_a_review(tab, project):
    doc = "004_b408afcd8089cbd7"
    first, second = f"{doc}:2:0", f"{doc}:2:1"
    page = tab()
    open_doc(page, doc)
    for key, text in ((first, "First half,"), (second, "second half.")):
        row(page, key).locator("textarea").fill(text)
        status(page, f"draft saved: {key}")
    row(page, first).locator("button[data-act=merge]").click()
    status(page, "merge:")
    merged = row(page, first)
    assert merged.locator("textarea").input_value() == "First half, second half."
    assert merged.locator(".origin").text_content() == "draft"
    assert tab.dialogs == []  # drafts only: nothing to ask

    merged.locator("textarea").press("Control+Enter")
    status(page, f"confirmed {first}")
    french = row(page, first).locator(".fr-text").text_content()
    cut = french.index("Mais")
    _select_french(page, first, french[cut:])
    row(page, first).locator("button[data-act=split]").click()
    status(page, "split:")
    assert len(tab.dialogs) == 1 and "discards the review" in tab.dialogs[0]
    assert row(page, first).locator("textarea").input_value() == "First half, second half."
    assert row(page, first).locator(".origin").text_content() == "draft"  # kept, as a draft
    assert standing(project, first, "review") == ["First half, second half."]  # never deleted


def test_two_tabs_on_one_segment_the_later_save_is_refused_with_the_other_text(tab, project):
    doc = "003_7314a9d8f0eef448"
    key = f"{doc}:3:0"
    one, two = tab(), tab()
    for page in (one, two):
        open_doc(page, doc)
    area = one.locator(f'article.row[data-key="{key}"] textarea')
    area.fill("From tab one.")
    area.press("Control+Enter")
    status(one, f"confirmed {key}")
    other = two.locator(f'article.row[data-key="{key}"] textarea')
    other.fill("From tab two.")
    other.press("Control+Enter")
    status(two, "saved meanwhile elsewhere")
    assert "From tab one." in two.locator(f'article.row[data-key="{key}"] .conflict').text_content()
    assert standing(project, key, "review") == ["From tab one."]
    other.press("Control+Enter")  # seen, and saved again: now it is meant
    status(two, f"confirmed {key}")
    assert standing(project, key, "review") == ["From tab one.", "From tab two."]


def test_the_filters_offer_every_flag_and_origin_of_the_model(page):
    from fr2en_dossier.model import FLAGS, ORIGIN_FILTERS

    flags = page.eval_on_selector_all("#f-flag option", "os => os.map(o => o.value)")
    assert flags == ["", "flagged", *FLAGS]
    origins = page.eval_on_selector_all("#f-origin option", "os => os.map(o => o.value)")
    assert origins == ["", *(value for value, _ in ORIGIN_FILTERS)]


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.closest('article.row').dataset.key")


def test_ctrl_enter_goes_to_the_next_segment_that_needs_work(tab):
    doc = "002_902d186d48ac727e"
    page = tab()
    open_doc(page, doc)
    reviewed = row(page, f"{doc}:5:0").locator("textarea")
    reviewed.fill("Reviewed before.")
    reviewed.press("Control+Enter")
    status(page, f"confirmed {doc}:5:0")
    area = row(page, f"{doc}:3:0").locator("textarea")
    area.fill("Reviewed now.")
    area.press("Control+Enter")
    status(page, f"confirmed {doc}:3:0")
    page.wait_for_function("k => document.activeElement.closest('article.row')?.dataset.key === k",
                           arg=f"{doc}:5:1")  # not 4:0 (boilerplate), not 5:0 (reviewed)
    assert row(page, f"{doc}:4:0").locator("textarea").get_attribute("readonly") is not None
    assert row(page, f"{doc}:4:0").locator("button[data-act=confirm]").count() == 0


def test_the_focus_stays_where_the_reviewer_went_while_the_next_segment_is_looked_for(tab):
    """Ctrl+Enter asks the server for the next segment to review; when the reviewer has
    clicked into another segment before the answer comes, the answer does not take the focus
    (and what they type) away from it."""
    doc = "004_b408afcd8089cbd7"
    page = tab()
    open_doc(page, doc)
    held = []
    page.route("**/api/next?*", lambda route: held.append(route))  # the answer, held back
    confirmed = row(page, f"{doc}:4:0").locator("textarea")
    confirmed.fill("Reviewed first.")
    confirmed.press("Control+Enter")
    status(page, f"confirmed {doc}:4:0")
    while not held:
        page.wait_for_timeout(20)
    elsewhere = row(page, f"{doc}:5:0").locator("textarea")
    elsewhere.click()
    with page.expect_response("**/api/next?*") as answer:
        held[0].continue_()
    assert answer.value.json()["key"] == f"{doc}:4:1"  # where Ctrl+Enter would have gone
    for _ in range(10):
        page.wait_for_timeout(50)
        assert focused(page) == f"{doc}:5:0"
    page.keyboard.type("Typed here.")
    assert elsewhere.input_value().endswith("Typed here.")
    assert "Typed here." not in row(page, f"{doc}:4:1").locator("textarea").input_value()


def test_next_flagged_and_the_help_overlay(tab):
    page = tab()
    open_doc(page, "001_946c3e4662a31b01")
    row(page, "001_946c3e4662a31b01:0:0").locator("textarea").focus()
    page.keyboard.press("Alt+f")
    page.wait_for_function("k => (document.activeElement.closest('article.row')?.dataset.key"
                           " ?? k) !== k", arg="001_946c3e4662a31b01:0:0")
    key = focused(page)
    assert key != "001_946c3e4662a31b01:0:0" and row(page, key).locator(".badge").count()
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert "copy the French into the English" in page.text_content("#help")


def test_a_dismissed_flag_survives_a_reload_and_comes_back_after_an_edit(tab):
    doc, key = "001_946c3e4662a31b01", "001_946c3e4662a31b01:7:0"
    page = tab()
    typed(page, key, "Without its number.").press("Control+Enter")
    status(page, f"confirmed {key}")
    row(page, key).locator("button.dismiss[data-flag=number-mismatch]").click()
    status(page, f"flag dismissed: {key}")
    assert row(page, key).locator(".flag.dismissed").count() == 1
    reopened(page, doc)
    assert row(page, key).locator(".flag.dismissed").count() == 1
    assert row(page, key).locator(".badge.flag-number-mismatch").count() == 0
    area = row(page, key).locator("textarea")
    area.fill("Still without its number, but other words.")
    area.press("Control+Enter")
    status(page, f"confirmed {key}")
    assert row(page, key).locator(".badge.flag-number-mismatch").count() == 1  # raised again


def test_a_glossary_term_is_inserted_with_a_click(tab):
    key = "001_946c3e4662a31b01:1:0"
    page = tab()
    area = typed(page, key, "Musk wanted ")
    row(page, key).locator(".terms [data-insert='AI']").click()
    assert area.input_value() == "Musk wanted AI"
    status(page, f"draft saved: {key}")


def test_the_document_finder_asks_the_server_and_pages_come_from_it(tab):
    """The list of documents is the server's answer a page at a time (an archive has
    thousands): the finder's words go to the server, a document found opens with its title."""
    page = tab()
    assert page.text_content("#doc-count") == "7 documents"
    page.fill("#doc-filter", "zz_memory")
    page.wait_for_function("() => document.getElementById('doc-count').textContent === '1 document'")
    assert page.eval_on_selector_all("#doc-list a", "as => as.map(a => a.dataset.doc)") == ["zz_memory"]
    page.click("#doc-list a")
    page.wait_for_function("() => document.querySelector('article.row').dataset.key.startsWith('zz_memory:')")
    assert page.text_content("#doc-title") == page.text_content("#doc-list a .t")
    second = page.evaluate("""() => fetch('/api/documents?offset=1&limit=2', {headers: {'X-Fr2en-Token':
        document.querySelector('meta[name="fr2en-token"]').content}}).then(r => r.json())""")
    assert second["total"] == 7 and second["offset"] == 1
    assert [d["doc"] for d in second["documents"]] == ["001_946c3e4662a31b01", "002_902d186d48ac727e"]


def test_search_finds_controle_for_controle_in_another_document(tab):
    page = tab()
    open_doc(page, "004_b408afcd8089cbd7")
    page.fill("#f-search", "controle")
    page.wait_for_function("() => document.querySelector('#rows mark.found') !== null")
    keys = page.eval_on_selector_all("article.row", "rs => rs.map(r => r.dataset.key)")
    assert "000_f15bf9128c25df69:5:0" in keys and all(not k.startswith("004") for k in keys)
    marks = page.eval_on_selector_all("#rows mark.found", "ms => ms.map(m => m.textContent.toLowerCase())")
    assert marks and all(m.startswith("contrôle") or m == "controle" for m in marks)


def test_glossary_candidates_are_accepted_or_declined_for_good(tab, project):
    page = tab()
    page.click("#terms-button")
    page.wait_for_selector("#c-list li.candidate")
    names = page.eval_on_selector_all("#c-list .c-head b", "bs => bs.map(b => b.textContent)")
    declined, accepted = names[0], names[1]
    page.locator("#c-list li.candidate").nth(0).locator(".c-decline").click()
    page.wait_for_function("t => document.getElementById('c-message').textContent.includes(t)",
                           arg="never proposed again")
    second = page.locator("#c-list li.candidate").nth(0)
    second.locator(".c-edit input").fill("the accepted English")
    second.locator(".c-accept").click()
    page.wait_for_function("() => document.getElementById('c-message').textContent.includes('added')")
    tsv = (project / "glossary.tsv").read_text(encoding="utf-8")
    assert f"{accepted}\tthe accepted English" in tsv
    page.click("#c-close")
    page.click("#terms-button")
    page.wait_for_selector("#c-list li.candidate")
    again = page.eval_on_selector_all("#c-list .c-head b", "bs => bs.map(b => b.textContent)")
    assert declined not in again and accepted not in again


def test_the_memory_panel_offers_a_repaired_match_used_with_ctrl_1_and_the_history(tab):
    first, second = "zz_memory:0:0", "zz_memory:1:0"
    page = tab()
    open_doc(page, "zz_memory")
    area = row(page, first).locator("textarea")
    area.fill("OpenAI's board fired Sam Altman in November 2023.")
    area.press("Control+Enter")
    status(page, f"confirmed {first}")
    page.wait_for_function("k => document.activeElement.closest('article.row')?.dataset.key === k",
                           arg=second)
    panel = row(page, second).locator(".tm-panel")
    panel.locator(".match").first.wait_for()
    assert panel.locator(".score").first.text_content() == "92%"  # 12 of 13 words
    assert panel.locator(".match-fr mark.differs").all_text_contents() == ["2023"]
    assert panel.locator(".match-en").first.text_content() == (
        "OpenAI's board fired Sam Altman in November 2024.")  # the number repaired
    assert "repaired number: 2023 → 2024" in panel.locator(".why").first.text_content()
    row(page, second).locator("textarea").press("Control+1")
    assert row(page, second).locator("textarea").input_value() == (
        "OpenAI's board fired Sam Altman in November 2024.")
    status(page, f"draft saved: {second}")
    row(page, first).locator("textarea").focus()  # its panel: the review in its history
    history = row(page, first).locator(".tm-panel .history")
    history.wait_for()
    assert history.locator("summary").text_content() == "History (1)"
    assert "review" in history.locator(".h-meta").first.text_content()


def test_concordance_finds_renvoye_in_the_memory_and_the_dossier(tab):
    page = tab()
    page.fill("#k-search", "renvoye sam")
    page.press("#k-search", "Enter")
    page.wait_for_selector("#concordance:not([hidden]) #k-list li")
    marks = page.eval_on_selector_all("#k-list mark.found", "ms => ms.map(m => m.textContent)")
    assert marks and all(m == "renvoyé Sam" for m in marks)
    wheres = page.eval_on_selector_all("#k-list .k-where", "ws => ws.map(w => w.textContent)")
    assert wheres and all(w.split(" · ")[0] in ("memory", "dossier") for w in wheres)
    page.fill("#k-search", "altman")
    page.press("#k-search", "Enter")
    page.wait_for_function("() => document.getElementById('k-message').textContent.includes('altman')")
    wheres = page.eval_on_selector_all("#k-list .k-where", "ws => ws.map(w => w.textContent)")
    assert any(w.startswith("dossier · 0") for w in wheres)  # seed segments nobody reviewed
    page.click("#k-close")
    assert page.locator("#concordance").is_hidden()


def test_the_memory_analysis_adds_up_to_the_dossier(tab):
    page = tab()
    page.click("#analysis summary")
    page.wait_for_selector("#a-rows tr")
    words = page.eval_on_selector_all("#a-rows td.n:nth-child(3)", "ts => ts.map(t => Number(t.textContent))")
    shown = page.text_content("#p-text")  # "… · 0/2345 words reviewed"
    assert sum(words) == int(shown.split("/")[-1].split()[0]) and len(words) >= 2


def test_ctrl_c_stops_the_server_cleanly(server):
    proc, _ = server
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    assert "review server stopped" in proc.stderr.read()
