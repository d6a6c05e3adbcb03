"""The review memory (memory.sqlite): reviews and drafts by French text and context, its
exchange file (memory.tmx) and the migration of a memory of the format before the database."""

from __future__ import annotations

import os
import sqlite3

import pytest
from support.tmx_dtd import assert_valid_tmx

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.tmx import read_tmx
from fr2en_dossier.memory import Context, ReviewMemory, contexts
from fr2en_dossier.memory.exchange import export_tmx, import_tmx
from fr2en_dossier.model import DRAFT, MT, PARAGRAPH, REVIEW, TRUNCATED, UNTRANSLATED, Segment


def doc(name: str, *sources: str) -> list[Segment]:
    """One document: a segment per French sentence, keys name:i:0."""
    return [Segment(name, i, 0, PARAGRAPH, 0, len(s), s) for i, s in enumerate(sources)]


def record(memory: ReviewMemory, segments: list[Segment], i: int, target: str, **kw):
    return memory.record(segments[i], target, contexts(segments)[i], **kw)


def applied(memory: ReviewMemory, segments: list[Segment]) -> list[tuple[str | None, str]]:
    memory.apply(segments)
    return [(s.target, s.origin) for s in segments]


@pytest.fixture
def memory(tmp_path):
    with ReviewMemory(tmp_path / "memory.sqlite") as store:
        yield store


def test_contexts_are_the_neighbours_within_a_document():
    segments = doc("a", "Un.", "Deux.") + doc("b", "Trois.")
    assert contexts(segments) == [
        Context("a", None, "Deux."),
        Context("a", "Un.", None),
        Context("b", None, None),
    ]


def test_a_new_memory_is_empty_and_every_record_is_committed_at_once(tmp_path, memory):
    assert len(memory) == 0 and memory.apply(doc("a", "Bonjour.")) == 0
    assert record(memory, doc("a", "Bonjour."), 0, "Hello.") is not None
    with ReviewMemory(tmp_path / "memory.sqlite") as other:  # another process, say
        assert [(e.target, e.origin) for e in other.entries()] == [("Hello.", REVIEW)]
    assert not (tmp_path / "memory.tmx").exists()  # written by runs, not by recording


def test_apply_replaces_the_machine_translation_and_gives_it_back_when_a_draft_goes(memory):
    segments = doc("a", "Le chat dort.", "Il pleut.")
    entry = record(memory, segments, 0, "The cat sl", draft=True)
    segments[0].target, segments[0].origin, segments[0].score = "Cat sleep.", MT, -1.5
    segments[0].mt = "Cat sleep."
    segments[0].flags = [TRUNCATED, UNTRANSLATED]
    assert memory.apply(segments) == 1
    assert (segments[0].target, segments[0].origin, segments[0].score) == ("The cat sl", DRAFT, None)
    assert segments[0].flags == [UNTRANSLATED]  # the MT's truncation no longer describes it
    assert segments[1].target is None
    assert memory.withdraw(segments[0], contexts(segments)[0], after=entry.id - 1) == 1
    assert applied(memory, segments)[0] == ("Cat sleep.", MT)  # the Esc of the draft
    assert [e.withdrawn != "" for e in memory.entries(withdrawn=True)] == [True]  # kept, withdrawn


def test_a_review_follows_its_sentence_when_lines_move_around_it(memory):
    original = doc("a", "Titre.", "Phrase A.", "Phrase B.")
    record(memory, original, 1, "Sentence A.")
    inserted = doc("a", "Nouveau chapeau.", "Titre.", "Phrase A.", "Phrase B.")
    assert applied(memory, inserted)[2] == ("Sentence A.", REVIEW)  # key a:2:0 now
    moved = doc("a", "Phrase B.", "Phrase A.")
    assert applied(memory, moved)[1] == ("Sentence A.", REVIEW)
    other_doc = doc("b", "Autre.", "Phrase A.")
    assert applied(memory, other_doc)[1] == ("Sentence A.", REVIEW)  # same French elsewhere


def test_a_context_match_wins_over_a_text_match(memory):
    first = doc("a", "Intro.", "Oui.", "Fin.")
    second = doc("a", "Question ?", "Oui.", "Suite.")
    record(memory, first, 1, "Yes.")
    record(memory, second, 1, "Indeed.")  # newer, but another context
    both = doc("a", "Intro.", "Oui.", "Fin.", "Question ?", "Oui.", "Suite.")
    result = applied(memory, both)
    assert result[1] == ("Yes.", REVIEW) and result[4] == ("Indeed.", REVIEW)
    assert applied(memory, doc("a", "Oui."))[0] == ("Indeed.", REVIEW)  # equal: the newest


def test_no_review_deletes_another(memory):
    segments = doc("a", "Oui.")
    assert record(memory, segments, 0, "Yes.")
    assert record(memory, segments, 0, "Yes.") is None  # already what applies
    assert record(memory, segments, 0, "Yes!")  # a correction: the newest wins
    assert [e.target for e in memory.entries()] == ["Yes.", "Yes!"]
    assert applied(memory, doc("a", "Oui."))[0] == ("Yes!", REVIEW)


def test_a_newer_draft_shadows_an_older_one_and_drafts_stay_in_their_document(tmp_path, memory):
    segments = doc("a", "Oui.")
    record(memory, segments, 0, "Yes.")
    record(memory, segments, 0, "Ye", draft=True)
    record(memory, segments, 0, "Yes indeed", draft=True)  # autosave: shadows "Ye"
    assert applied(memory, doc("a", "Oui."))[0] == ("Yes indeed", DRAFT)
    assert applied(memory, doc("b", "Oui."))[0] == ("Yes.", REVIEW)  # drafts stay home
    export_tmx(memory, tmp_path / "memory.tmx")
    assert [(u.target, u.prop("x-origin")) for u in read_tmx(tmp_path / "memory.tmx")] == [
        ("Yes.", [REVIEW]), ("Yes indeed", [DRAFT])]  # the exchange file: the standing draft


def test_the_exchange_file_is_valid_tmx_and_imports_back_whole(tmp_path, memory):
    segments = doc("a", "Premier.", "Deuxième.")
    record(memory, segments, 1, "Second.")
    record(memory, segments, 0, "First (draft)", draft=True)
    path = tmp_path / "memory.tmx"
    assert export_tmx(memory, path) == 2
    assert_valid_tmx(path)
    units = read_tmx(path)
    assert [(u.tuid, u.source, u.target, u.prop("x-origin")) for u in units] == [
        ("a:1:0", "Deuxième.", "Second.", [REVIEW]),  # in the order they were recorded
        ("a:0:0", "Premier.", "First (draft)", [DRAFT]),
    ]
    assert units[0].prop("x-prev") == ["Premier."] and units[0].prop("x-next") == [""]
    assert all(len(u.changedate) == 16 for u in units)
    with ReviewMemory(tmp_path / "other.sqlite") as other:
        assert import_tmx(other, path) == 2
        assert import_tmx(other, path) == 0  # nothing twice
        assert applied(other, doc("a", "Premier.", "Deuxième.")) == [
            ("First (draft)", DRAFT), ("Second.", REVIEW)]


def test_a_memory_of_the_format_before_the_database_is_migrated_whole(tmp_path):
    """memory.tmx as earlier versions kept the memory: with contexts, and from before them
    (tuid = key, no x-prev/x-next): read once, when the database is created."""
    legacy = tmp_path / "memory.tmx"
    legacy.write_text(
        """<?xml version="1.0"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="fr" datatype="plaintext"/>
<body>
<tu tuid="a:0:0"><tuv xml:lang="fr"><seg>Sans anglais.</seg></tuv></tu>
<tu tuid="a:0:1" changedate="20250101T000000Z"><prop type="x-origin">review</prop>
<tuv xml:lang="fr"><seg>Avec.</seg></tuv><tuv xml:lang="en"><seg>With.</seg></tuv></tu>
<tu tuid="a:1:0" changedate="20250101T000000Z"><prop type="x-origin">draft</prop>
<prop type="x-prev">Avec.</prop><prop type="x-next"></prop>
<tuv xml:lang="fr"><seg>Fin.</seg></tuv><tuv xml:lang="en"><seg>The e</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    before = legacy.read_bytes()
    with ReviewMemory(tmp_path / "memory.sqlite", legacy_tmx=legacy) as memory:
        assert len(memory) == 2  # a unit without English is no review
        assert applied(memory, doc("a", "Nouveau.", "Avec.", "Fin.")) == [
            (None, ""), ("With.", REVIEW), ("The e", DRAFT)]
    assert legacy.read_bytes() == before  # read, never touched
    legacy.write_text("<tmx>changed</tmx>", encoding="utf-8")
    with ReviewMemory(tmp_path / "memory.sqlite", legacy_tmx=legacy) as memory:
        assert len(memory) == 2  # read on first use only: the database is the memory now


def test_french_is_compared_as_storage_keeps_it(memory):
    """A control character (PO/TMX drop it) or a decomposed accent still matches its review."""
    record(memory, doc("a", "Cafe\u0301\x01 ouvert.\ufffe"), 0, "Open cafe.")
    assert applied(memory, doc("a", "Cafe\u0301\x01 ouvert.\ufffe"))[0] == ("Open cafe.", REVIEW)


def test_bad_memories_are_one_line_and_never_overwritten(tmp_path):
    corrupt = tmp_path / "memory.sqlite"
    corrupt.write_bytes(b"not a database at all" * 100)
    with pytest.raises(Fr2enError, match=r"memory\.sqlite: not a usable review memory"):
        ReviewMemory(corrupt)
    assert corrupt.read_bytes() == b"not a database at all" * 100
    legacy = tmp_path / "old.tmx"
    legacy.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"old\.tmx:1: not well-formed XML"):
        ReviewMemory(tmp_path / "new.sqlite", legacy_tmx=legacy)
    assert not (tmp_path / "new.sqlite").exists() and not list(tmp_path.glob(".new.sqlite.*"))


def test_a_memory_behind_a_link_is_used_only_when_the_link_leads_to_a_memory(tmp_path):
    shared = tmp_path / "shared.sqlite"
    ReviewMemory(shared).close()
    (tmp_path / "linked.sqlite").symlink_to(shared)
    with ReviewMemory(tmp_path / "linked.sqlite") as memory:
        record(memory, doc("a", "Oui."), 0, "Yes.")
    with ReviewMemory(shared) as memory:
        assert len(memory) == 1  # written through the link
    (tmp_path / "dangling.sqlite").symlink_to(tmp_path / "x" / ".ssh" / "authorized_keys")
    with pytest.raises(Fr2enError, match="never created through a link"):
        ReviewMemory(tmp_path / "dangling.sqlite")
    assert not (tmp_path / "x").exists()
    (tmp_path / "notes.txt").write_text("my notes", encoding="utf-8")
    (tmp_path / "wrong.sqlite").symlink_to(tmp_path / "notes.txt")
    with pytest.raises(Fr2enError, match="not a SQLite database"):
        ReviewMemory(tmp_path / "wrong.sqlite")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "my notes"


def test_a_failed_write_is_an_error_and_the_same_record_succeeds_after(tmp_path, memory):
    """A full disk at a confirm: refused, nothing kept in a cache, and the retry is stored."""
    segments = doc("a", "Oui.")
    real = memory._db
    memory._db = _FailingCommit(real)
    with pytest.raises(Fr2enError, match="cannot write the review memory"):
        record(memory, segments, 0, "Yes.")
    memory._db = real
    assert record(memory, segments, 0, "Yes.") is not None
    with ReviewMemory(tmp_path / "memory.sqlite") as other:
        assert [e.target for e in other.entries()] == ["Yes."]


class _FailingCommit:
    """A connection whose COMMIT fails as on a full disk."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def executemany(self, sql, rows):
        return self.db.executemany(sql, rows)

    @property
    def in_transaction(self):
        return self.db.in_transaction


def test_a_database_file_is_created_with_the_projects_permissions(tmp_path):
    ReviewMemory(tmp_path / "memory.sqlite").close()
    mode = (tmp_path / "memory.sqlite").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
