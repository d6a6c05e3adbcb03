"""The CommonMark spec examples (commonmark/commonmark-spec 0.31.2, tests/data/commonmark/)
read and written back in place, with the French as its own English.

Every example is read by the Markdown reader and written by the in-place writer twice: with
the units as read (the file must come back byte for byte), and with every unit written again
(a format span Markdown does not draw added to each, so that nothing is left as it was); the
HTML markdown-it renders for that file must be the HTML of the example (white space runs read
as one space, as a browser does), except for the examples listed in EXCEPTIONS.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from fr2en_dossier.formats.markdown import write_markdown
from fr2en_dossier.model import FORMAT, Span
from fr2en_dossier.readers import read_document

EXAMPLES = json.loads(
    (Path(__file__).parent / "data" / "commonmark" / "spec-examples.json").read_text("utf-8")
)
SAME_KIND = "emphasis nested in emphasis of the same kind: one span (a block's text has a set " \
    "of styles per character)"
NO_DESTINATION = "a link with an empty destination is kept as its text"
SCHEME = "autolinks of other schemes than http(s), mailto and relative lose their link (by " \
    "design: the English pages never carry them)"
SPACE_CODE = "a code span of white space only is folded away with the markup white space"
NBSP_CODE = "a code span that starts and ends with no-break spaces: its span covers the word " \
    "only, and markdown-it-py strips no-break spaces at a paragraph's ends (str.strip)"
EXCEPTIONS = {
    **dict.fromkeys([371, 375, 391, 409, 410, 411, 419, 420, 421, 427, 428, 429, 434, 463,
                     465, 466, 467, 468, 470], SAME_KIND),
    **dict.fromkeys([202, 487, 488, 569], NO_DESTINATION),
    **dict.fromkeys([598, 600, 601, 603], SCHEME),
    138: SPACE_CODE,
    335: NBSP_CODE,
}


def _html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", rendered)).strip()


def _written_back(tmp_path: Path, markdown: str) -> tuple[bytes, str]:
    """(the file written with the units as read, the file with every unit written again)."""
    path = tmp_path / "example.md"
    path.write_bytes(markdown.encode("utf-8"))
    french = read_document(path)
    write_markdown(french, french, tmp_path / "same.md")
    again = [replace(b, spans=[*b.spans, Span(0, 0, FORMAT, "again")]) for b in french.blocks]
    write_markdown(replace(french, blocks=again), french, tmp_path / "again.md")
    return (tmp_path / "same.md").read_bytes(), (tmp_path / "again.md").read_text("utf-8")


def test_every_spec_example_comes_back(tmp_path):
    differ = {}
    for example in EXAMPLES:
        same, again = _written_back(tmp_path, example["markdown"])
        assert same == example["markdown"].encode("utf-8"), example["example"]
        if _html(again) != _html(example["markdown"]):
            differ[example["example"]] = again
    assert len(EXAMPLES) == 655
    assert set(differ) == set(EXCEPTIONS), {n: differ.get(n) for n in set(differ) ^ set(EXCEPTIONS)}


@pytest.mark.parametrize(("markdown", "english"), [
    ("**L'*Express* a révélé**\n", "**L'*Express* a révélé**\n"),
    ("> # Foo\n> bar\n", "> # Foo\n> bar\n"),
    ("- - foo\n", "- - foo\n"),
    ("3. trois\n4. quatre\n", "3. trois\n4. quatre\n"),
    ("https://example.org/\n", "https://example.org/\n"),
    ("Un [lien][ref] ici.\n\n[ref]: https://a.example \"Titre\"\n",
     "Un [lien](https://a.example \"Titre\") ici.\n\n[ref]: https://a.example \"Titre\"\n"),
])  # fmt: skip
def test_issue_cases_keep_their_structure(tmp_path, markdown, english):
    """The structures a rebuilt file lost (issue 16): written again, exactly as expected."""
    assert _written_back(tmp_path, markdown)[1] == english
