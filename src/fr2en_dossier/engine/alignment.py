"""Word alignment from the engine's attention: which French words each English word comes from.

CTranslate2 returns the last decoder layer's cross-attention (``return_attention``): one row
per output piece, one column per source piece. Each English word (its pieces, from one starting
with the word-boundary mark to the next) is aligned to the source word holding the piece it
attends to most, summed over its pieces — the usual attention-argmax alignment (Garg et al.
2019, "Jointly Learning to Align and Translate with Transformer Models", use it as their
baseline; it is noisy, so callers use it only where nothing exacter says where a span goes).
"""

from __future__ import annotations

from collections.abc import Sequence

from .translator import WORD_START, Hypothesis

WordLink = tuple[int, int, int, int]  # French word [start, end) → English word [start, end)


def word_alignment(
    source: str, source_spans: Sequence[tuple[int, int]], hyp: Hypothesis
) -> list[WordLink]:
    """Each English word of ``hyp`` with the French word of ``source`` it attends to most.

    ``source_spans`` are the character spans of the source pieces (``Engine.piece_spans``).
    Empty when ``hyp`` has no attention row per piece or its pieces do not spell its text.
    """
    words = _target_words(hyp)
    if len(hyp.attention) != len(hyp.pieces) or not words or not source_spans:
        return []
    links = []
    for start, end, first, last in words:
        weights = [0.0] * len(source_spans)
        for row in hyp.attention[first:last]:
            for k in range(min(len(row), len(source_spans))):  # the last column is </s>
                weights[k] += row[k]
        piece = max(range(len(weights)), key=weights.__getitem__)
        french = _word_around(source, *source_spans[piece])
        if french is not None:
            links.append((*french, start, end))
    return links


def _target_words(hyp: Hypothesis) -> list[tuple[int, int, int, int]]:
    """(start, end) in ``hyp.text`` and (first, last) piece indices of each English word;
    empty when the pieces do not spell ``hyp.text`` exactly (then offsets would be wrong)."""
    pieces = hyp.pieces
    full = "".join(pieces).replace(WORD_START, " ")
    if full.strip() != hyp.text:
        return []
    lead = len(full) - len(full.lstrip())
    bounds = sorted({0, len(pieces), *(i for i, p in enumerate(pieces) if p.startswith(WORD_START))})
    words, pos = [], 0
    for first, last in zip(bounds, bounds[1:]):
        chunk = "".join(pieces[first:last]).replace(WORD_START, " ")
        start, end = pos + len(chunk) - len(chunk.lstrip()), pos + len(chunk.rstrip())
        pos += len(chunk)
        if end > start:
            words.append((start - lead, end - lead, first, last))
    return words


def _word_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whitespace-delimited word of ``text`` holding the character span [start, end)."""
    while start < end and text[start].isspace():
        start += 1
    if start >= end:
        return None
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end
