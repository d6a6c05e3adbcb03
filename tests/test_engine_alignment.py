"""Word alignment from attention (engine.alignment), on hand-made hypotheses."""

from __future__ import annotations

from fr2en_dossier.engine.alignment import word_alignment
from fr2en_dossier.engine.translator import Hypothesis

SOURCE = "Le conseil poursuit."
SPANS = [(0, 2), (2, 10), (10, 19), (19, 20)]  # "Le", " conseil", " poursuit", "." (surfaces)


def hyp(pieces, attention, text=None):
    text = text if text is not None else "".join(pieces).replace("\u2581", " ").strip()
    return Hypothesis(tuple(pieces), 0.0, text, tuple(map(tuple, attention)))


def test_each_english_word_gets_the_french_word_it_attends_to_most():
    h = hyp(["▁The", "▁b", "oard", "▁sues", "."],
            [[.9, .1, 0, 0, 0], [.1, .8, .1, 0, 0], [0, .9, .1, 0, 0], [0, 0, .9, .1, 0],
             [0, 0, .2, .8, 0]])  # fmt: skip
    assert word_alignment(SOURCE, SPANS, h) == [(0, 2, 0, 3), (3, 10, 4, 9), (11, 20, 10, 15)]


def test_the_pieces_of_a_word_vote_together():
    """'b' leans to 'Le', 'oard' strongly to 'conseil': the word 'board' goes to 'conseil'."""
    h = hyp(["▁The", "▁b", "oard"], [[.9, .1, 0, 0, 0], [.6, .4, 0, 0, 0], [0, 1, 0, 0, 0]])
    assert word_alignment(SOURCE, SPANS, h)[1] == (3, 10, 4, 9)


def test_no_alignment_without_one_attention_row_per_piece_or_a_matching_text():
    rows = [[1, 0, 0, 0, 0]] * 2
    assert word_alignment(SOURCE, SPANS, hyp(["▁The", "▁board"], rows[:1])) == []
    assert word_alignment(SOURCE, SPANS, hyp(["▁The", "▁board"], rows, text="The boards")) == []
    assert word_alignment(SOURCE, [], hyp(["▁The", "▁board"], rows)) == []
