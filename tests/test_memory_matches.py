"""Fuzzy matches of the memory: the score, the index's candidates against a full scan, the
glossary's repairs, prefill (drafts, never reviews), and the upgrade of a schema-1 database."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import polib
import pytest
from conftest import copy_seeds
from click.testing import CliRunner
from support.memory import memory_entries
from support.stand_in_mt import StandInMt

from fr2en_dossier.cli import main
from fr2en_dossier.glossary import load_glossary
from fr2en_dossier.memory import ReviewMemory, contexts
from fr2en_dossier.memory.fuzzy import score, scored_texts
from fr2en_dossier.memory.prefill import prefill
from fr2en_dossier.memory.words import word_keys
from fr2en_dossier.model import DRAFT, MT, PARAGRAPH, REVIEW, TM, Segment, comparable
from fr2en_dossier.outputs import load_current
from fr2en_dossier.project import MemorySettings, Project
from fr2en_dossier.run import translate_dossier

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = load_glossary(ROOT / "glossary.tsv")
REVIEWED = "Le conseil d'administration d'OpenAI a renvoyé Sam Altman en novembre 2023."
ENGLISH = "OpenAI's board fired Sam Altman in November 2023."


def doc(name: str, *sources: str) -> list[Segment]:
    return [Segment(name, i, 0, PARAGRAPH, 0, len(s), s) for i, s in enumerate(sources)]


@pytest.fixture
def memory(tmp_path):
    with ReviewMemory(tmp_path / "memory.sqlite") as store:
        reviewed = doc("a", "Titre.", REVIEWED, "Fin.")
        store.record(reviewed[1], ENGLISH, contexts(reviewed)[1])
        yield store


def best(memory, *sources: str, at: int = 0, **kw):
    segments = doc("b", *sources)
    return memory.matches(segments[at], contexts(segments)[at], **kw)


def test_one_word_changed_offers_the_review_at_the_expected_score(memory):
    """13 words ("d'administration" is two), one replaced: 100 × (13 − 1) / 13, floored
    (OmegaT's formula) = 92."""
    changed = REVIEWED.replace("novembre", "décembre")
    found = best(memory, changed)
    assert [(m.score, m.english, m.origin, m.memory) for m in found] == [(92, ENGLISH, REVIEW, "")]
    match = found[0]
    assert [changed[s:e] for s, e in match.segment_spans] == ["décembre"]
    assert [match.french[s:e] for s, e in match.match_spans] == ["novembre"]
    assert match.time and match.entry is not None and match.repaired is None
    assert not match.complete  # an ordinary word: nothing to repair it with
    record = match.to_dict()
    assert record["score"] == 92 and record["segment_spans"] == [list(match.segment_spans[0])]
    one_added = best(memory, REVIEWED.replace("en novembre", "en fin novembre"))
    assert one_added[0].score == 92  # 14 words, one added: 100 × 13 / 14
    three = REVIEWED.replace("a renvoyé Sam Altman", "a salué Greg Brockman")
    assert best(memory, three)[0].score == 76 and best(memory, three, minimum=77) == []


def test_a_context_match_is_101_the_same_words_99_and_below_the_minimum_nothing(memory):
    in_context = doc("a", "Titre.", REVIEWED, "Fin.")
    assert memory.matches(in_context[1], contexts(in_context)[1])[0].score == 101
    assert best(memory, REVIEWED)[0].score == 100  # another document
    assert best(memory, REVIEWED.upper().replace(".", " !"))[0].score == 99
    assert best(memory, "Le conseil a renvoyé Altman.", minimum=50) == []
    assert score(["a", "b"], ["a", "c"], False) == 50
    assert score([], [], True) == 100


def test_the_glossary_repairs_a_differing_term_and_number_and_says_so(memory):
    """"PDG" for "conseil d'administration" (two glossary terms) and a year: the English gets
    "CEO" in place of "board" and 2024, every change listed."""
    changed = "Le PDG d'OpenAI a renvoyé Sam Altman en novembre 2024."
    match = best(memory, changed, glossary=GLOSSARY, minimum=50)[0]
    assert match.repaired == "OpenAI's CEO fired Sam Altman in November 2024."
    assert match.use == match.repaired and match.complete
    assert [(r.kind, r.english_was, r.english_now) for r in match.repairs] == [
        ("term", "board", "CEO"), ("number", "2023", "2024")]
    assert match.repairs[0].french_was == "conseil d'administration"
    assert "board → CEO" in match.repairs[0].note()
    assert [changed[s:e] for s, e in match.segment_spans] == ["PDG", "2024"]
    names = best(memory, REVIEWED.replace("Sam Altman", "Elon Musk"), glossary=GLOSSARY)[0]
    assert names.repaired == "OpenAI's board fired Elon Musk in November 2023."  # kept names
    assert names.repairs[0].kind == "keep"
    partly = best(memory, changed.replace("renvoyé", "réembauché"), glossary=GLOSSARY, minimum=50)
    assert partly[0].repaired == "OpenAI's CEO fired Sam Altman in November 2024."
    assert not partly[0].complete  # "réembauché" is no term: the English still says "fired"


def test_the_index_finds_exactly_what_scoring_every_text_finds(tmp_path):
    """The prefix filter loses nothing: against a memory of 400 sentences (seeds and
    variants of them), every lookup returns what a full scan returns, at several minimums."""
    from support.sample_dossier import seed_segments

    rng = random.Random(7)
    sentences = sorted({comparable(s.source) for s in seed_segments() if len(s.source) > 20})
    variants = []
    for sentence in sentences:
        words = sentence.split()
        for _ in range(2):
            copy = list(words)
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(copy))
                copy[at:at + 1] = rng.choice([[], [rng.choice(words)], ["mot", copy[at]]])
            variants.append(" ".join(copy) or "vide")
    texts = sentences + variants[::2]
    with ReviewMemory(tmp_path / "memory.sqlite") as store:
        segments = doc("m", *texts)
        for seg, context in zip(segments, contexts(segments), strict=True):
            store.add([{"source": comparable(seg.source), "target": "EN", "origin": REVIEW,
                        "doc": "m", "key": seg.key, "contextual": 0, "changedate": "20260101T000000Z",
                        "recorded": "20260101T000000.000000Z", "run": "", "via": "",
                        "author": ""}])
        queries = variants[1::2] + sentences[:20]
        for minimum in (50, 75, 90):
            for query in queries:
                words = word_keys(comparable(query))
                expected = sorted((t, s) for t in set(texts) if (s := score(
                    words, word_keys(t), t == comparable(query), minimum)) >= minimum)
                got = sorted(scored_texts(store, comparable(query), words, minimum))
                assert got == expected, query


def run(project_dir: Path, **settings) -> list[Segment]:
    project = Project.find(project_dir)
    if settings:
        project.memory_settings = MemorySettings(**{"fuzzy_min": 75, "prefill": 85, **settings})
    translate_dossier(project, mt=StandInMt())
    return load_current(project.output).segments


@pytest.fixture
def dossier(tmp_path, monkeypatch) -> Path:
    """The seeds as a project, translated once (stand-in MT), one sentence reviewed through its
    PO file, then that sentence changed by one word in the article."""
    monkeypatch.chdir(tmp_path)
    copy_seeds(tmp_path)
    assert CliRunner().invoke(main, ["init", "."]).exit_code == 0
    run(tmp_path)
    po = polib.pofile(str(next((tmp_path / "output" / "po").glob("000_*.po"))))
    entry = next(e for e in po if e.msgid.startswith("La récente affaire juridique"))
    entry.msgstr, entry.flags = "The recent legal case between Elon Musk and OpenAI.", []
    po.save()
    article = next((tmp_path / "seeds").glob("000_*.txt"))
    article.write_text(article.read_text(encoding="utf-8").replace(
        "La récente affaire", "La nouvelle affaire"), encoding="utf-8")
    return tmp_path


def prefilled(segments: list[Segment]) -> list[Segment]:
    return [s for s in segments if s.origin == TM]


def test_prefill_makes_a_draft_never_a_review_and_mt_still_runs(dossier):
    segments = run(dossier)
    (seg,) = prefilled(segments)
    assert seg.source.startswith("La nouvelle affaire juridique")
    assert seg.target == "The recent legal case between Elon Musk and OpenAI."
    assert seg.mt == f"EN {seg.mt_input}"  # the machine translation, kept beside it
    assert (seg.tm_score, seg.tm_source) == (96, REVIEW)
    assert seg.tm_french.startswith("La récente affaire juridique")
    assert [e.origin for e in memory_entries(dossier)] == [REVIEW]  # nothing recorded
    report = load_current(dossier / "output")
    assert report.segments[segments.index(seg)].tm_score == 96  # round-trips report.json
    entry = next(e for e in polib.pofile(str(next((dossier / "output/po").glob("000_*.po"))))
                 if e.msgctxt == seg.key)
    assert entry.fuzzy and entry.msgstr == seg.target
    assert "memory match 96% (review)" in entry.comment
    assert entry.previous_msgid.startswith("La récente affaire")
    tmx = (dossier / "output" / "dossier.tmx").read_text(encoding="utf-8")
    assert '<prop type="x-origin">tm</prop>' in tmx and '<prop type="x-tm-score">96</prop>' in tmx
    html = (dossier / "output" / "review.html").read_text(encoding="utf-8")
    assert "memory match 96% (review)" in html
    again = run(dossier)  # the PO as written is taken back as nothing
    assert [s.key for s in prefilled(again)] == [seg.key]
    assert [e.origin for e in memory_entries(dossier)] == [REVIEW]


def test_a_prefilled_draft_accepted_in_its_po_file_becomes_a_review(dossier):
    (seg,) = prefilled(run(dossier))
    path = next((dossier / "output/po").glob("000_*.po"))
    po = polib.pofile(str(path))
    next(e for e in po if e.msgctxt == seg.key).flags = []
    po.save()
    after = run(dossier)
    assert next(s for s in after if s.key == seg.key).origin == REVIEW
    assert [e.origin for e in memory_entries(dossier)] == [REVIEW, REVIEW]


def test_the_prefill_threshold_and_its_command_line_override(dossier):
    assert prefilled(run(dossier, prefill=97)) == []
    assert len(prefilled(run(dossier, prefill=96))) == 1
    assert prefilled(run(dossier, prefill=None)) == []
    fuzzy_only = run(dossier, prefill=None)
    seg = next(s for s in fuzzy_only if s.tm_score == 96)
    assert seg.origin == MT and seg.target == seg.mt  # the match recorded, MT shown
    result = CliRunner().invoke(main, ["translate", "--no-mt", "--prefill", "100"])
    assert result.exit_code == 0 and "0 prefilled" in result.output
    result = CliRunner().invoke(main, ["translate", "--no-mt"])
    assert "1 prefilled from its matches" in result.output
    result = CliRunner().invoke(main, ["translate", "--no-mt", "--no-prefill"])
    assert "0 prefilled" in result.output
    (dossier / "fr2en.toml").write_text("[memory]\nfuzzy_min = 90\nprefill = 85\n")
    result = CliRunner().invoke(main, ["translate", "--no-mt"])
    assert result.exit_code == 2
    assert "[memory]: prefill must be an integer from fuzzy_min (90) to 100" in result.output


def test_a_repaired_match_of_95_prefills_even_above_the_threshold(tmp_path):
    """With prefill = 100, a 95 match whose only difference the glossary repaired prefills
    (its English repaired); an unrepaired 95 does not. Drafts never prefill."""
    with ReviewMemory(tmp_path / "memory.sqlite") as store:
        base = ("Selon le billet de blog publié par OpenAI, les courriels échangés entre les "
                "fondateurs en 2015 montrent que le financement du projet posait déjà problème "
                "à Elon Musk.")
        source = doc("a", base)
        store.record(source[0], "According to OpenAI's blog post, the emails exchanged between "
                     "the founders in 2015 show that funding was already a problem for Elon "
                     "Musk.", contexts(source)[0])
        store.record(doc("c", "Autre chose.")[0], "Something else.", contexts(doc("c", "x"))[0],
                     draft=True)
        segments = doc("b", base.replace("2015", "2016"), base.replace("projet", "programme"),
                       "Autre chose.")
        segments[2].doc = "c"
        for seg in segments:
            seg.target, seg.origin, seg.mt = "MT", MT, "MT"
        settings = MemorySettings(75, 100)
        assert prefill(segments, store, settings, GLOSSARY) == 1
    assert [s.tm_score for s in segments] == [96, 96, 100]
    assert segments[0].origin == TM and "founders in 2016 show" in segments[0].target
    assert segments[0].tm_repairs == ["number: 2015 → 2016 (French 2015 → 2016)"]
    assert (segments[1].origin, segments[1].target) == (MT, "MT")
    assert segments[2].origin == MT and segments[2].tm_source == DRAFT  # offered, not copied


def test_a_schema_1_database_opens_upgraded_with_its_events_matched(tmp_path):
    path = tmp_path / "memory.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1)
    db.execute("INSERT INTO meta VALUES ('schema', '1')")
    db.execute("INSERT INTO events (source, target, origin, doc, key, contextual, prev, next, "
               "changedate, recorded) VALUES (?, ?, 'review', 'a', 'a:1:0', 1, 'Titre.', 'Fin.', "
               "'20250101T000000Z', '20250101T000000.000000Z')", (REVIEWED, ENGLISH))
    db.commit()
    db.close()
    with ReviewMemory(path) as store:
        assert store.rows("SELECT value FROM meta WHERE name = 'schema'") == [("2",)]
        exact = doc("a", "Titre.", REVIEWED, "Fin.")
        assert store.lookup(exact[1], contexts(exact)[1]).target == ENGLISH  # as before
        assert best(store, REVIEWED.replace("novembre", "mars"))[0].score == 92
    with ReviewMemory(path) as again:  # opened again: nothing to do, nothing doubled
        assert again.rows("SELECT COUNT(*) FROM texts") == [(1,)]


# The schema of memory.sqlite version 1 (fr2en-dossier before external memories), verbatim.
SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('review', 'draft')),
    doc TEXT NOT NULL,
    key TEXT NOT NULL,
    contextual INTEGER NOT NULL,
    prev TEXT,
    next TEXT,
    changedate TEXT NOT NULL,
    recorded TEXT NOT NULL,
    run TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    withdrawn TEXT
);
CREATE INDEX IF NOT EXISTS events_source ON events (source);
CREATE INDEX IF NOT EXISTS events_run ON events (run);
"""
