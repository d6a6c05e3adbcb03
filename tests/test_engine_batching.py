"""Pure batching logic of the engine: splitting long inputs, length-sorted token batches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fr2en_dossier.engine.translator import WORD_START, length_batches, split_pieces

pieces = st.lists(st.sampled_from([f"{WORD_START}le", "s", f"{WORD_START}chat", "ons", ","]))


@given(pieces, st.integers(min_value=1, max_value=12))
def test_split_pieces_loses_nothing_and_respects_the_limit(seq, limit):
    chunks = split_pieces(seq, limit)
    assert [p for chunk in chunks for p in chunk] == seq
    assert all(1 <= len(chunk) <= limit for chunk in chunks)


@given(pieces, st.integers(min_value=1, max_value=12))
def test_split_pieces_cuts_at_word_starts_when_a_chunk_has_one(seq, limit):
    chunks = split_pieces(seq, limit)
    for before, chunk in zip(chunks, chunks[1:]):
        window = (before + chunk)[1 : limit + 1]
        if any(p.startswith(WORD_START) for p in window):
            assert chunk[0].startswith(WORD_START)


def test_split_pieces_keeps_short_input_whole():
    assert split_pieces(["a", "b"], 2) == [["a", "b"]]
    assert split_pieces([], 3) == []


@given(st.lists(st.integers(min_value=1, max_value=50)), st.integers(min_value=1, max_value=200))
def test_length_batches_cover_every_index_once_within_the_budget(lengths, budget):
    batches = length_batches(lengths, budget)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths, reverse=True)  # longest first
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert padded <= budget or len(batch) == 1


def test_length_batches_fill_batches_greedily():
    assert length_batches([3, 1, 2, 1], 6) == [[0, 2], [1, 3]]  # 2 x 3 fits, 3 x 3 does not
