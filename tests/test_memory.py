"""The review memory (memory.tmx): a TM of reviews and drafts by French text and context."""

from __future__ import annotations

import pytest
from support.tmx_dtd import assert_valid_tmx

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.tmx import read_tmx
from fr2en_dossier.memory import Context, ReviewMemory, contexts
from fr2en_dossier.model import DRAFT, PARAGRAPH, REVIEW, TRUNCATED, UNTRANSLATED, Segment


def doc(name: str, *sources: str) -> list[Segment]:
    """One document: a segment per French sentence, keys name:i:0."""
    return [Segment(name, i, 0, PARAGRAPH, 0, len(s), s) for i, s in enumerate(sources)]


def record(memory: ReviewMemory, segments: list[Segment], i: int, target: str, **kw) -> bool:
    return memory.record(segments[i], target, contexts(segments)[i], **kw)


def applied(memory: ReviewMemory, segments: list[Segment]) -> list[tuple[str | None, str]]:
    memory.apply(segments)
    return [(s.target, s.origin) for s in segments]


def test_contexts_are_the_neighbours_within_a_document():
    segments = doc("a", "Un.", "Deux.") + doc("b", "Trois.")
    assert contexts(segments) == [
        Context("a", None, "Deux."),
        Context("a", "Un.", None),
        Context("b", None, None),
    ]


def test_a_missing_file_is_an_empty_memory(tmp_path):
    memory = ReviewMemory.load(tmp_path / "memory.tmx")
    assert len(memory) == 0
    assert memory.apply(doc("a", "Bonjour.")) == 0
    assert not (tmp_path / "memory.tmx").exists()


def test_reviews_and_drafts_survive_save_and_load_as_valid_tmx(tmp_path):
    path = tmp_path / "memory.tmx"
    memory = ReviewMemory.load(path)
    segments = doc("a", "Premier.", "Deuxième.")
    assert record(memory, segments, 1, "Second.")
    assert record(memory, segments, 0, "First (draft)", draft=True)
    memory.save()
    assert_valid_tmx(path)
    units = read_tmx(path)
    assert [(u.tuid, u.source, u.target, u.prop("x-origin")) for u in units] == [
        ("a:1:0", "Deuxième.", "Second.", [REVIEW]),  # in the order they were recorded
        ("a:0:0", "Premier.", "First (draft)", [DRAFT]),
    ]
    assert units[0].prop("x-prev") == ["Premier."] and units[0].prop("x-next") == [""]
    assert all(len(u.changedate) == 16 for u in units)
    fresh = doc("a", "Premier.", "Deuxième.")
    assert applied(ReviewMemory.load(path), fresh) == [
        ("First (draft)", DRAFT),
        ("Second.", REVIEW),
    ]


def test_apply_replaces_the_machine_translation(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    segments = doc("a", "Le chat dort.", "Il pleut.")
    record(memory, segments, 0, "The cat sleeps.")
    segments[0].target, segments[0].origin, segments[0].score = "Cat sleep.", "mt", -1.5
    segments[0].flags = [TRUNCATED, UNTRANSLATED]
    assert memory.apply(segments) == 1
    assert (segments[0].target, segments[0].origin, segments[0].score) == (
        "The cat sleeps.", REVIEW, None)  # fmt: skip
    assert segments[0].flags == [UNTRANSLATED]  # the MT's truncation no longer describes it
    assert segments[1].target is None


def test_a_review_follows_its_sentence_when_lines_move_around_it(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    original = doc("a", "Titre.", "Phrase A.", "Phrase B.")
    record(memory, original, 1, "Sentence A.")
    inserted = doc("a", "Nouveau chapeau.", "Titre.", "Phrase A.", "Phrase B.")
    assert applied(memory, inserted)[2] == ("Sentence A.", REVIEW)  # key a:2:0 now
    moved = doc("a", "Phrase B.", "Phrase A.")
    assert applied(memory, moved)[1] == ("Sentence A.", REVIEW)
    other_doc = doc("b", "Autre.", "Phrase A.")
    assert applied(memory, other_doc)[1] == ("Sentence A.", REVIEW)  # same French elsewhere


def test_a_context_match_wins_over_a_text_match(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    first = doc("a", "Intro.", "Oui.", "Fin.")
    second = doc("a", "Question ?", "Oui.", "Suite.")
    record(memory, first, 1, "Yes.")
    record(memory, second, 1, "Indeed.")  # newer, but another context
    both = doc("a", "Intro.", "Oui.", "Fin.", "Question ?", "Oui.", "Suite.")
    result = applied(memory, both)
    assert result[1] == ("Yes.", REVIEW) and result[4] == ("Indeed.", REVIEW)
    assert applied(memory, doc("a", "Oui."))[0] == ("Indeed.", REVIEW)  # equal: the newest


def test_no_review_deletes_another(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    segments = doc("a", "Oui.")
    assert record(memory, segments, 0, "Yes.")
    assert not record(memory, segments, 0, "Yes.")  # already what applies
    assert record(memory, segments, 0, "Yes!")  # a correction: the newest wins
    assert [e.target for e in memory.entries] == ["Yes.", "Yes!"]
    assert applied(memory, doc("a", "Oui."))[0] == ("Yes!", REVIEW)


def test_a_draft_replaces_only_an_earlier_draft_and_stays_in_its_document(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    segments = doc("a", "Oui.")
    record(memory, segments, 0, "Yes.")
    record(memory, segments, 0, "Ye", draft=True)
    record(memory, segments, 0, "Yes indeed", draft=True)  # autosave: replaces "Ye"
    assert [(e.target, e.origin) for e in memory.entries] == [
        ("Yes.", REVIEW), ("Yes indeed", DRAFT)]  # fmt: skip
    assert applied(memory, doc("a", "Oui."))[0] == ("Yes indeed", DRAFT)
    assert applied(memory, doc("b", "Oui."))[0] == ("Yes.", REVIEW)  # drafts stay home


def test_french_is_compared_as_storage_keeps_it(tmp_path):
    """A control character (PO/TMX drop it) or a decomposed accent still matches its review."""
    path = tmp_path / "memory.tmx"
    memory = ReviewMemory(path)
    segments = doc("a", "Cafe\u0301\x01 ouvert.\ufffe")
    record(memory, segments, 0, "Open cafe.")
    memory.save()
    assert applied(ReviewMemory.load(path), doc("a", "Cafe\u0301\x01 ouvert.\ufffe"))[0] == (
        "Open cafe.", REVIEW)  # fmt: skip


def test_a_memory_without_contexts_still_applies(tmp_path):
    """memory.tmx as written before contexts existed: tuid = key, no x-prev/x-next."""
    path = tmp_path / "memory.tmx"
    path.write_text(
        """<?xml version="1.0"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="fr" datatype="plaintext"/>
<body>
<tu tuid="a:0:0"><tuv xml:lang="fr"><seg>Sans anglais.</seg></tuv></tu>
<tu tuid="a:0:1" changedate="20250101T000000Z"><prop type="x-origin">review</prop>
<tuv xml:lang="fr"><seg>Avec.</seg></tuv><tuv xml:lang="en"><seg>With.</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    memory = ReviewMemory.load(path)
    assert len(memory) == 1  # a unit without English is no review
    assert applied(memory, doc("a", "Nouveau.", "Avec."))[1] == ("With.", REVIEW)
    record(memory, doc("a", "Avec."), 0, "With it.")
    memory.save()
    assert [u.target for u in read_tmx(path)] == ["With.", "With it."]


def test_a_corrupt_memory_is_one_error_and_is_not_overwritten(tmp_path):
    path = tmp_path / "memory.tmx"
    path.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"memory\.tmx:1: not well-formed XML"):
        ReviewMemory.load(path)
    assert path.read_text(encoding="utf-8") == "<tmx><body><tu>"
