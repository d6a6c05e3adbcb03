"""English texts: en/<stem>.txt, one line per block."""

from __future__ import annotations

from fr2en_dossier.formats.text import render_texts, write_texts
from fr2en_dossier.model import BOILERPLATE, BOILERPLATE_FLAG, HEADING, PARAGRAPH, Segment


def _seg(doc, block, index, source, target, kind=PARAGRAPH, flags=()):
    return Segment(
        doc, block, index, kind, 0, len(source), source, target=target, flags=list(flags)
    )


def _dossier():
    return [
        _seg("a", 0, 0, "Titre", "Title", HEADING),
        _seg("a", 1, 0, "Première phrase.", "First sentence."),
        _seg("a", 1, 1, "Deuxième phrase.", "Second\nsentence. "),
        _seg("a", 2, 0, "Lire aussi :", None, BOILERPLATE, [BOILERPLATE_FLAG]),
        _seg("a", 3, 0, "Fin.", "End."),
        _seg("b", 0, 0, "fbpx", None, BOILERPLATE, [BOILERPLATE_FLAG]),
    ]


def test_one_line_per_block_in_order_without_boilerplate():
    texts = render_texts(_dossier())
    assert texts == {"a": "Title\nFirst sentence. Second sentence.\nEnd.\n", "b": ""}


def test_boilerplate_kept_on_request_in_french():
    texts = render_texts(_dossier(), include_boilerplate=True)
    assert texts["a"].splitlines()[2] == "Lire aussi :"
    assert texts["b"] == "fbpx\n"


def test_a_segment_without_english_keeps_its_french():
    segs = [
        _seg("a", 0, 0, "Une phrase.", "A sentence."),
        _seg("a", 0, 1, "Une autre.", ""),
        _seg("a", 1, 0, "Encore une.", None),
    ]
    assert render_texts(segs)["a"] == "A sentence. Une autre.\nEncore une.\n"


def test_line_breaks_become_spaces_and_no_break_spaces_stay():
    segs = [_seg("a", 0, 0, "60\u00a0millions", " 60\u00a0million\u2028dollars\r\n")]
    assert render_texts(segs)["a"] == "60\u00a0million dollars\n"


def test_order_follows_block_and_index_not_input_order():
    segs = _dossier()[:5]
    assert render_texts(list(reversed(segs))) == render_texts(segs)


def test_a_boilerplate_segment_inside_a_paragraph_is_left_out():
    segs = [
        _seg("a", 0, 0, "Texte.", "Text."),
        _seg("a", 0, 1, "fbpx", None, flags=[BOILERPLATE_FLAG]),
    ]
    assert render_texts(segs)["a"] == "Text.\n"


def test_write_texts_writes_one_file_per_document(tmp_path):
    paths = write_texts(_dossier(), tmp_path / "en")
    assert paths == [tmp_path / "en" / "a.txt", tmp_path / "en" / "b.txt"]
    assert (tmp_path / "en" / "a.txt").read_text(encoding="utf-8").count("\n") == 3
    assert (tmp_path / "en" / "b.txt").read_bytes() == b""
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == ["a.txt", "b.txt"]  # no temp left
