"""segmentation.tsv: reviewers' merge/split overrides, found by their French, applied by
`fr2en segment` and `fr2en translate`; bad lines are one-line errors with file and line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.loader import load_documents
from fr2en_dossier.overrides import (
    HEADER,
    KEEP_OUT,
    MERGE,
    SPLIT,
    TRANSLATE,
    append_override,
    boundary,
    kind,
    read_overrides,
)
from fr2en_dossier.segmenter import segment_documents

GLUED = "OpenAI encore contesté Les affirmations d'Elon Musk sont rejetées. Il attend la suite."


def _segments(folder, overrides=()):
    return [s.source for s in segment_documents(load_documents([folder]).documents, overrides)]


@pytest.fixture()
def article(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Titre\n{GLUED}\n", encoding="utf-8")
    return folder


def test_split_then_merge_in_file_order(article, tmp_path):
    tsv = tmp_path / "segmentation.tsv"
    before = _segments(article)
    assert "OpenAI encore contesté Les affirmations d'Elon Musk sont rejetées." in before
    append_override(tsv, boundary(SPLIT, "a", "OpenAI encore contesté ", " Les affirmations"))
    split = _segments(article, read_overrides(tsv))
    assert split == ["Titre", "OpenAI encore contesté", "Les affirmations d'Elon Musk sont "
                     "rejetées.", "Il attend la suite."]
    append_override(tsv, boundary(MERGE, "a", "sont rejetées.", "Il attend"))
    merged = _segments(article, read_overrides(tsv))
    assert merged[-1] == "Les affirmations d'Elon Musk sont rejetées. Il attend la suite."
    assert tsv.read_text(encoding="utf-8").startswith(HEADER)


def test_an_override_follows_its_french_when_lines_move(article, tmp_path):
    tsv = tmp_path / "segmentation.tsv"
    append_override(tsv, boundary(SPLIT, "a", "contesté", "Les affirmations"))
    (article / "a.txt").write_text(f"Nouvelle ligne.\nTitre\nAutre.\n{GLUED}\n", encoding="utf-8")
    segs = segment_documents(load_documents([article]).documents, read_overrides(tsv))
    assert [(s.block, s.source) for s in segs][3:5] == [
        (3, "OpenAI encore contesté"), (3, "Les affirmations d'Elon Musk sont rejetées.")]


def test_other_documents_and_missing_french_are_untouched(article, tmp_path):
    tsv = tmp_path / "segmentation.tsv"
    append_override(tsv, boundary(SPLIT, "b", "contesté", "Les"))
    append_override(tsv, boundary(MERGE, "a", "nulle part", "ailleurs"))
    assert _segments(article, read_overrides(tsv)) == _segments(article)


def test_tabs_and_backslashes_round_trip(tmp_path):
    tsv = tmp_path / "segmentation.tsv"
    append_override(tsv, boundary(SPLIT, "d", "a\tb\\", "c"))
    assert [(o.before, o.after, o.line) for o in read_overrides(tsv)] == [("a\tb\\", "c", 5)]


def test_long_anchors_are_shortened_at_word_starts():
    o = boundary(SPLIT, "d", "mot " * 30 + "fin", "Début " + "suite " * 30)
    assert o.before.endswith("fin") and len(o.before) <= 40 and o.before.startswith("mot")
    assert o.after.startswith("Début") and len(o.after) <= 40 and not o.after.endswith(" ")


@pytest.mark.parametrize(
    "line, message",
    [
        ("split\ta\tx", "4 fields"),
        ("join\ta\tx\ty", "unknown action 'join'"),
        ("merge\t\tx\ty", "required"),
        ("merge\ta\t \ty", "required"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path, line, message):
    tsv = tmp_path / "segmentation.tsv"
    tsv.write_text(f"# comment\n\n{line}\n", encoding="utf-8")
    with pytest.raises(Fr2enError, match=rf"segmentation.tsv:3: .*{message}"):
        read_overrides(tsv)


def test_line_numbers_and_encoding_errors_as_every_text_file_of_the_project(tmp_path):
    """Only real line breaks count (U+2028 pasted from a web page is text); a file that is
    not UTF-8 names its line."""
    tsv = tmp_path / "segmentation.tsv"
    tsv.write_text("split\ta\tfin\u2028de ligne\tDébut\n", encoding="utf-8")
    (override,) = read_overrides(tsv)
    assert (override.line, override.before) == (1, "fin\u2028de ligne")
    tsv.write_bytes("# ok\nsplit\ta\tfin\tD\xe9but\n".encode("latin-1"))
    with pytest.raises(Fr2enError, match=r"segmentation.tsv:2: not UTF-8 text"):
        read_overrides(tsv)


def test_fr2en_segment_applies_the_project_overrides(article, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    append_override(tmp_path / "segmentation.tsv", boundary(SPLIT, "a", "contesté", "Les"))
    result = CliRunner().invoke(main, ["segment", str(article)])
    assert result.exit_code == 0, result.output
    assert "a:1:0\tparagraph\t-\tOpenAI encore contesté\n" in result.stdout
    (tmp_path / "segmentation.tsv").write_text("split\ta\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["segment", str(article)])
    assert result.exit_code == 2
    assert result.stderr.startswith("fr2en: error: ") and "segmentation.tsv:1:" in result.stderr


def test_a_sentence_taken_for_boilerplate_can_be_translated_and_the_reverse(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Titre\nLire aussi :\nUne phrase du texte.\n", encoding="utf-8")
    tsv = tmp_path / "segmentation.tsv"
    flagged = [s.source for s in segment_documents(load_documents([folder]).documents)
               if "boilerplate" in s.flags]
    assert flagged == ["Lire aussi :"]
    append_override(tsv, kind(TRANSLATE, "a", "Lire aussi :"))
    append_override(tsv, kind(KEEP_OUT, "a", "Une phrase du texte."))
    overrides = read_overrides(tsv)
    assert [(o.action, o.before, o.after) for o in overrides] == [
        (TRANSLATE, "Lire aussi :", ""), (KEEP_OUT, "Une phrase du texte.", "")]
    flagged = [s.source for s in segment_documents(load_documents([folder]).documents, overrides)
               if "boilerplate" in s.flags]
    assert flagged == ["Une phrase du texte."]
    tsv.write_text(tsv.read_text(encoding="utf-8") + "translate\ta\n", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"segmentation\.tsv:7: expected translate<TAB>DOCUMENT"):
        read_overrides(tsv)
