"""The review memory (memory.tmx): load, add, save, apply by key AND French source."""

from __future__ import annotations

import pytest
from support.tmx_dtd import assert_valid_tmx

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.tmx import read_tmx
from fr2en_dossier.memory import ReviewMemory
from fr2en_dossier.model import PARAGRAPH, TRUNCATED, UNTRANSLATED, Segment


def seg(key: str, source: str, target: str | None = None, **fields) -> Segment:
    doc, block, index = key.rsplit(":", 2)
    return Segment(doc, int(block), int(index), PARAGRAPH, 0, len(source), source, target=target,
                   **fields)  # fmt: skip


def test_a_missing_file_is_an_empty_memory(tmp_path):
    memory = ReviewMemory.load(tmp_path / "memory.tmx")
    assert len(memory) == 0
    assert memory.apply([seg("a:0:0", "Bonjour.")]) == 0
    assert not (tmp_path / "memory.tmx").exists()


def test_reviews_survive_save_and_load_as_valid_tmx(tmp_path):
    path = tmp_path / "memory.tmx"
    memory = ReviewMemory.load(path)
    assert memory.add("b:2:0", "Deuxième.", "Second.")
    assert memory.add("a:10:1", "Premier.", "First.")
    memory.save()
    assert_valid_tmx(path)
    units = read_tmx(path)
    assert [(u.tuid, u.source, u.target) for u in units] == [
        ("a:10:1", "Premier.", "First."),  # document order, whatever the order of review
        ("b:2:0", "Deuxième.", "Second."),
    ]
    assert all(u.prop("x-origin") == ["review"] and len(u.changedate) == 16 for u in units)
    again = ReviewMemory.load(path)
    assert again.lookup("a:10:1", "Premier.") == "First."
    assert again.lookup("b:2:0", "Deuxième.") == "Second."


def test_apply_matches_key_and_french_source(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    memory.add("a:0:0", "Le chat dort.", "The cat sleeps.")
    memory.add("a:0:1", "Il pleut.", "It is raining.")
    same = seg("a:0:0", "Le chat dort.", "The cat is sleeping.", origin="mt", score=-1.5,
               flags=[TRUNCATED, UNTRANSLATED])  # fmt: skip
    changed_french = seg("a:0:1", "Il neige.", "It snows.", origin="mt")
    other_key = seg("b:0:0", "Le chat dort.", "Cat sleeps.", origin="mt")
    assert memory.apply([same, changed_french, other_key]) == 1
    assert (same.target, same.origin, same.score) == ("The cat sleeps.", "review", None)
    assert same.flags == [UNTRANSLATED]  # the MT's truncation no longer describes the English
    assert (changed_french.target, changed_french.origin) == ("It snows.", "mt")
    assert (other_key.target, other_key.origin) == ("Cat sleeps.", "mt")


def test_adding_the_same_review_twice_changes_nothing(tmp_path):
    memory = ReviewMemory(tmp_path / "memory.tmx")
    assert memory.add("a:0:0", "Oui.", "Yes.")
    assert not memory.add("a:0:0", "Oui.", "Yes.")
    assert memory.add("a:0:0", "Oui.", "Yes!")  # a correction replaces the review
    assert memory.add("a:0:0", "Oui !", "Yes!")  # so does a review of the new French
    assert memory.lookup("a:0:0", "Oui.") is None
    assert len(memory) == 1


def test_units_without_english_are_no_reviews(tmp_path):
    path = tmp_path / "memory.tmx"
    path.write_text(
        """<?xml version="1.0"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="fr" datatype="plaintext"/>
<body>
<tu tuid="a:0:0"><tuv xml:lang="fr"><seg>Sans anglais.</seg></tuv></tu>
<tu tuid="a:0:1"><tuv xml:lang="fr"><seg>Avec.</seg></tuv>
<tuv xml:lang="en"><seg>With.</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    memory = ReviewMemory.load(path)
    assert len(memory) == 1 and memory.lookup("a:0:1", "Avec.") == "With."


def test_a_corrupt_memory_is_one_error_and_is_not_overwritten(tmp_path):
    path = tmp_path / "memory.tmx"
    path.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"memory\.tmx:1: not well-formed XML"):
        ReviewMemory.load(path)
    assert path.read_text(encoding="utf-8") == "<tmx><body><tu>"

