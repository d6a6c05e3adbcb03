"""Real web pages from trafilatura's and readability's test sets (tests/data/webpages/).

- No unit holds the text of a script, style, JSON-LD, template or comment of the page.
- The article text (the units that are not boilerplate) holds at least as much of the main
  text as trafilatura's own extraction (same options: tables, no comments) on every page: the
  ``with`` snippets of trafilatura's evaluation data, the paragraphs of readability's
  expected output.
- Translated by the synthetic engine, the page written in place (en/pages/) keeps every
  element of the French page — scripts, styles, JSON-LD and comments as they were — says
  lang="en", and carries the English of the article.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from fr2en_dossier.cli import main
from fr2en_dossier.model import BOILERPLATE, BOILERPLATE_FLAG
from fr2en_dossier.outputs import load_current
from fr2en_dossier.readers import read_document

DATA = Path(__file__).resolve().parent / "data" / "webpages"
PAGES = sorted(p for p in DATA.glob("*.html.gz") if ".expected." not in p.name)
EVALDATA = json.loads((DATA / "trafilatura-evaldata.json").read_text("utf-8"))
CODE_TAGS = ("script", "style", "template", "noscript")


def _norm(text: str) -> str:
    return "".join(text.replace("\u00ad", "").split())


def _page(gz: Path, folder: Path) -> Path:
    path = folder / gz.name[: -len(".gz")]
    path.write_bytes(gzip.decompress(gz.read_bytes()))
    return path


def _main_text(gz: Path) -> list[str]:
    """What the page's main text must hold (normalized)."""
    import lxml.html

    name = gz.name[: -len(".gz")]
    if name.startswith("trafilatura-"):
        return [_norm(s) for s in EVALDATA[name[len("trafilatura-"):]]["with"]]
    expected = DATA / name.replace(".html", ".expected.html.gz")
    page = lxml.html.fromstring(gzip.decompress(expected.read_bytes()).decode("utf-8"))
    return [_norm(e.text_content()) for e in page.iter("p", "li", "td", "h1", "h2", "h3")
            if len(e.text_content().strip()) > 30]


def _code(path: Path) -> list[str]:
    """The texts of the page's scripts, styles, templates and comments (normalized)."""
    import lxml.html

    page = lxml.html.fromstring(path.read_bytes())
    texts = [_norm(e.text_content()) for e in page.iter(*CODE_TAGS)]
    texts += [_norm(c.text or "") for c in page.iter(etree.Comment)]
    return [t for t in texts if len(t) >= 24]


@pytest.mark.parametrize("gz", PAGES, ids=lambda p: p.name[: -len(".html.gz")])
def test_units_hold_no_code_and_as_much_main_text_as_trafilatura(gz, tmp_path):
    import trafilatura
    from trafilatura.utils import decode_file

    path = _page(gz, tmp_path)
    doc = read_document(path)
    units = [_norm(block.text) for block in doc.blocks]
    for code in _code(path):
        assert not any(code[:24] in unit for unit in units), code[:80]
    assert not any(unit.startswith(("{", "[{")) and '"@' in unit for unit in units)
    article = "".join(_norm(b.text) for b in doc.blocks if b.kind != BOILERPLATE)
    theirs = _norm(trafilatura.extract(decode_file(path.read_bytes()), include_comments=False,
                                       include_tables=True) or "")
    wanted = _main_text(gz)
    ours = sum(text in article for text in wanted)
    assert ours >= sum(text in theirs for text in wanted), (ours, len(wanted))
    assert ours >= 0.6 * len(wanted)


def test_pages_translated_in_place_keep_everything_else(tmp_path, monkeypatch, installed_package):
    import lxml.html

    (tmp_path / "articles").mkdir()
    pages = [_page(gz, tmp_path / "articles") for gz in PAGES]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", "--quiet", "articles"])
    assert result.exit_code == 0, result.output
    segments = load_current(tmp_path / "output").segments
    untranslated = {(s.doc, s.block) for s in segments if BOILERPLATE_FLAG in s.flags} - {
        (s.doc, s.block) for s in segments if BOILERPLATE_FLAG not in s.flags}
    for path in pages:
        english_path = tmp_path / "output" / "en" / "pages" / path.name
        french = lxml.html.fromstring(path.read_bytes())
        english = lxml.html.fromstring(english_path.read_bytes())
        assert english.get("lang") == "en"
        for tag in (*CODE_TAGS, "img", "table", "p", "li", "h1", "h2", "form", "iframe"):
            assert [lxml.html.tostring(e, with_tail=False) for e in english.iter(tag) if tag in CODE_TAGS] == [
                lxml.html.tostring(e, with_tail=False) for e in french.iter(tag) if tag in CODE_TAGS
            ], (path.name, tag)
            assert sum(1 for _ in english.iter(tag)) == sum(1 for _ in french.iter(tag)), tag
        comments = [c.text for c in french.iter(etree.Comment)]
        assert [c.text for c in english.iter(etree.Comment)] == comments
        before = read_document(path)
        after = Counter(b.text for b in read_document(english_path).blocks)
        content = [b for b in before.blocks if b.kind != BOILERPLATE]
        assert sum(b.text not in after for b in content) >= 0.8 * len(content)
        kept = Counter(b.text for b in before.blocks if (before.stem, b.index) in untranslated)
        assert kept - after == Counter(), path.name  # boilerplate: as it was
