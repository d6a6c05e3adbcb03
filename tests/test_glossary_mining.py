"""Glossary suggestions with their English: mined from review edits, from the MT, with the
segments as evidence; end to end with the synthetic engine, a PO review and `review import`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from fr2en_dossier.cli import main
from fr2en_dossier.glossary import Glossary, suggest_terms
from fr2en_dossier.glossary.mining import SegmentRecord
from fr2en_dossier.model import DRAFT, PARAGRAPH, REVIEW, Segment

ROOT = Path(__file__).resolve().parent.parent
DOC = "002_902d186d48ac727e"


def segments(*texts: str) -> list[Segment]:
    return [Segment("d", i, 0, PARAGRAPH, 0, len(t), t) for i, t in enumerate(texts)]


def by_source(candidates):
    return {c.text: c for c in candidates}


FRENCH = (
    "Le bénéfice plafonné de la société a été annoncé.",
    "Les investisseurs aiment le bénéfice plafonné.",
    "Le profit limité rassure les investisseurs.",
    "Un profit limité pour toujours.",
    "La société parle de bénéfice plafonné.",
)
MT_ENGLISH = (
    "The company's capped benefit was announced.",
    "Investors like the capped benefit.",
    "The limited profit reassures investors.",
    "A limited profit forever.",
    "The company talks about capped benefit.",
)
REVIEWED = (
    "The company's capped-profit was announced.",
    "Investors like the capped-profit.",
    "The capped-profit reassures investors.",
    "A capped-profit forever.",
    None,  # not reviewed: the MT stands
)


def records(segs, reviewed=REVIEWED, origin=REVIEW):
    return [SegmentRecord(s.key, s.source, mt, (), review, origin if review else "mt")
            for s, mt, review in zip(segs, MT_ENGLISH, reviewed)]


def test_variants_the_reviewers_render_alike_are_one_entry_with_evidence():
    segs = segments(*FRENCH)
    found = suggest_terms(segs, Glossary([]), records=records(segs), pipeline="patterns")
    first = found[0]
    assert first.mined and first.target == "capped-profit" and first.kind == "term"
    assert {first.text, *first.also} == {"bénéfice plafonné", "profit limité"}
    assert first.renderings().startswith("capped-profit (2 reviews)")
    keys = {link.key for link in first.evidence if link.changed}
    assert keys in ({"d:0:0", "d:1:0"}, {"d:2:0", "d:3:0"})
    unreviewed = [link for link in first.evidence if link.key == "d:4:0"]
    assert [(link.origin, link.changed) for link in unreviewed] in ([], [("mt", False)])
    assert "bénéfice plafonné" not in [c.text for c in found[1:]]  # folded, not listed again


def test_one_review_is_not_enough_to_mine():
    segs = segments(*FRENCH)
    one = (REVIEWED[0], None, None, None, None)
    found = by_source(suggest_terms(segs, Glossary([]), records=records(segs, one),
                                    pipeline="patterns"))  # fmt: skip
    assert not any(c.mined for c in found.values())
    assert found["bénéfice plafonné"].target != "capped-profit"


def test_drafts_count_as_drafts():
    segs = segments(*FRENCH)
    found = suggest_terms(segs, Glossary([]), records=records(segs, origin=DRAFT),
                          pipeline="patterns")
    assert found[0].mined and "capped-profit (2 drafts" in found[0].renderings()


def test_reviewers_english_that_no_reading_of_the_french_gives_is_a_fix():
    """The MT reads the French literally ("user interface"); the reviewers write something
    that shares nothing with it or the French: the French is what is wrong."""
    texts = ("L'interface utilisateur change le monde.", "Il parle de l'interface utilisateur.",
             "Une interface utilisateur sûre.")
    mt = ("The user interface changes the world.", "He talks about the user interface.",
          "A safe user interface.")
    reviews = ("AI changes the world.", "He talks about AI.", None)
    segs = segments(*texts)
    recs = [SegmentRecord(s.key, s.source, m, (), r, REVIEW if r else "mt")
            for s, m, r in zip(segs, mt, reviews)]
    [candidate] = [c for c in suggest_terms(segs, Glossary([]), records=recs, pipeline="patterns")
                   if c.mined]  # fmt: skip
    assert (candidate.text, candidate.target, candidate.kind) == ("interface utilisateur", "AI", "fix")
    assert candidate.renderings() == "AI (2 reviews), user interface (1 MT)"


def test_the_engine_alignment_and_the_word_diff_give_the_reviewed_span():
    text = "Le procès commence."
    seg = segments(text, text)
    mt = "The trial begins."
    alignment = ((3, 9, 4, 9),)  # procès ↔ trial
    recs = [SegmentRecord(s.key, s.source, mt, alignment, "The lawsuit begins.", REVIEW)
            for s in seg]
    found = by_source(suggest_terms(seg, Glossary([]), records=recs, pipeline="patterns"))
    proces = found["procès"]
    assert proces.mined and proces.target == "lawsuit" and proces.kind == "term"
    assert [(link.french, link.english, link.changed) for link in proces.evidence] == [
        ("procès", "lawsuit", True), ("procès", "lawsuit", True)]


def test_json_record_carries_the_evidence():
    segs = segments(*FRENCH)
    record = suggest_terms(segs, Glossary([]), records=records(segs), pipeline="patterns")[0].to_dict()
    assert json.loads(json.dumps(record)) == record
    assert record["english"][0] == {"text": "capped-profit", "reviews": 2, "drafts": 0, "mt": 0}
    assert {"key", "french", "english", "origin", "changed"} <= set(record["evidence"][0])


# --- end to end: synthetic engine, PO review, review import, suggest ---------------------------


@pytest.fixture
def reviewed_project(tmp_path, monkeypatch, installed_package):
    """Document 002 translated with an empty glossary; the two segments with "interface
    utilisateur" reviewed in the PO file as "AI", imported."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / "seeds" / f"{DOC}.txt", tmp_path / "seeds")
    (tmp_path / "glossary.tsv").write_text("# source\ttarget\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "--no-download"])
    assert result.exit_code == 0, result.output
    po_path = tmp_path / "output" / "po" / f"{DOC}.po"
    po = polib.pofile(str(po_path))
    reviews = {
        "la réponse était non": "When he realized the answer was no, he decided it was better "
                                "for AI to be developed by someone with good intentions.",
        "mettre l’interface": "Like OpenAI years ago, it aims to put AI at the service of "
                              "humanity.",
    }  # fmt: skip
    keys = []
    for entry in po:
        for french, english in reviews.items():
            if french in entry.msgid and "interface utilisateur" in entry.msgid:
                entry.msgstr, entry.fuzzy = english, False
                keys.append(entry.msgctxt)
    po.save()
    assert len(keys) == 2
    result = CliRunner().invoke(main, ["review", "import", str(po_path)])
    assert result.exit_code == 0 and "imported 2" in result.output, result.output
    return keys


def test_suggest_proposes_the_reviewers_rendering_with_its_segments(reviewed_project):
    result = CliRunner().invoke(main, ["glossary", "suggest", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    candidates = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    [mined] = [c for c in candidates if c["source"] == "interface utilisateur"]
    assert mined["mined"] and mined["target"] == "AI" and mined["kind"] in ("fix", "term")
    changed = [e for e in mined["evidence"] if e["changed"]]
    assert sorted(e["key"] for e in changed) == sorted(reviewed_project)
    assert {e["english"] for e in changed} == {"AI"} and {e["origin"] for e in changed} == {"review"}
    assert candidates[0]["source"] == "interface utilisateur"  # reviewers' edits come first
    text = CliRunner().invoke(main, ["glossary", "suggest", "--top", "1"]).output
    assert text.split("\t")[2:4] == ["interface utilisateur", "AI (2 reviews)"]


def test_the_workspace_function_gives_the_cli_records(reviewed_project):
    from fr2en_dossier.glossary.history import project_candidates
    from fr2en_dossier.loader import load_documents
    from fr2en_dossier.project import Project
    from fr2en_dossier.segmenter import segment_documents

    project = Project.find()
    segs = segment_documents(load_documents(project.inputs).documents)
    records = project_candidates(project, segs, Glossary([]), top=5)
    cli = CliRunner().invoke(main, ["glossary", "suggest", "--format", "jsonl", "--top", "5"])
    assert [json.loads(line) for line in cli.stdout.splitlines()] == records
    assert records[0]["source"] == "interface utilisateur"
