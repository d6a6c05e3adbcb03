"""Warnings of `glossary lint` and `glossary add`: shadowed entries, entries that never hit the
dossier, conflicting forms (glossary/checks.py)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import copy_seeds

from fr2en_dossier.cli import main
from fr2en_dossier.glossary import load_glossary
from fr2en_dossier.glossary.checks import entry_warnings, glossary_warnings
from fr2en_dossier.model import BOILERPLATE_FLAG, PARAGRAPH, Segment

ROOT = Path(__file__).resolve().parent.parent

TEXTS = (
    "Une organisation à but non lucratif.",
    "OpenAI, à but non lucratif, puis à but lucratif.",
    "Suivez-nous sur Bluesky.",
)


def segments() -> list[Segment]:
    segs = [Segment("d", i, 0, PARAGRAPH, 0, len(t), t) for i, t in enumerate(TEXTS)]
    segs[2].flags.append(BOILERPLATE_FLAG)
    return segs


def glossary(tmp_path, rows: str):
    path = tmp_path / "g.tsv"
    path.write_text(rows, encoding="utf-8")
    return load_glossary(path)


ROWS = ("à but non lucratif\tnonprofit\n"       # 1
        "but non lucratif\tnonprofit\n"         # 2: inside 1, never alone
        "but lucratif\tfor-profit\n"            # 3: inside 4, never alone in the dossier
        "à but lucratif\tfor-profit\n"          # 4
        "Bluesky\tBluesky\t\tkeep\n"            # 5: only in boilerplate
        "procès\tlawsuit\n"                     # 6: never
        "actions en justice\tlawsuits\n"        # 7
        "action en justice\tlawsuit\n"          # 8: a form of 7
        "bailleurs de fonds\tbacker\n"          # 9
        "bailleur de fonds\tbacker\n")  # fmt: skip  # 10: a form of 9, same target


def messages(problems) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems]


def test_shadowed_never_hit_and_conflicting_forms_with_the_dossier(tmp_path):
    found = messages(glossary_warnings(glossary(tmp_path, ROWS), segments()))
    assert (2, "shadowed: all 2 occurrences of 'but non lucratif' in the dossier are inside "
               "'à but non lucratif' (line 1), which wins: it never applies on its own") in found
    assert (3, "shadowed: all 1 occurrences of 'but lucratif' in the dossier are inside "
               "'à but lucratif' (line 4), which wins: it never applies on its own") in found
    assert (5, "'Bluesky' never hits the dossier outside boilerplate (1 hit(s) there, not "
               "translated) (3 segments)") in found
    assert (6, "'procès' never hits the dossier (3 segments)") in found
    assert (8, "conflicting forms: 'action en justice' is a form of 'actions en justice' "
               "(line 7); there → lawsuits, here → lawsuit") in found
    assert (10, "conflicting forms: 'bailleur de fonds' is a form of 'bailleurs de fonds' "
                "(line 9); same target: give line 9 the forms option instead "
                "(--plural/--feminine)") in found
    assert not [line for line, _ in found if line in (1, 4)]  # they hit, shadow nothing wrong


def test_without_the_dossier_only_same_target_nesting_and_forms(tmp_path):
    found = messages(glossary_warnings(glossary(tmp_path, ROWS)))
    assert [line for line, _ in found] == [2, 3, 8, 10]
    assert found[0][1] == ("shadowed: 'but non lucratif' is inside 'à but non lucratif' (line 1) "
                           "with the same target, and the longer entry wins wherever both match")


def test_entry_warnings_are_those_about_or_caused_by_the_entry(tmp_path):
    g = glossary(tmp_path, ROWS)
    first = g.entries[0]  # "à but non lucratif": shadows line 2
    assert [p.line for p in entry_warnings(g, first, segments())] == [2]
    assert [p.line for p in entry_warnings(g, g.entries[5], segments())] == [6]


def test_the_shipped_glossary_nests_without_shadowing():
    """"Musk" inside "Elon Musk", "IA" inside nothing…: the seeds use every nested entry on
    its own, so nothing is shadowed."""
    from fr2en_dossier.loader import load_documents
    from fr2en_dossier.segmenter import segment_documents

    seeds = segment_documents(load_documents([ROOT / "seeds"]).documents)
    found = glossary_warnings(load_glossary(ROOT / "glossary.tsv"), seeds)
    assert not [p for p in found if "shadowed" in p.message or "forms" in p.message]


def test_add_prints_the_warnings_of_the_new_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_seeds(tmp_path)
    result = CliRunner().invoke(main, ["glossary", "add", "but non lucratif", "nonprofit"])
    assert result.exit_code == 0, result.output
    assert "added term but non lucratif → nonprofit" in result.stdout
    assert result.stderr == (
        f"fr2en: {tmp_path / 'glossary.tsv'}:79: warning: shadowed: all 6 occurrences of 'but "
        "non lucratif' in the dossier are inside 'à but non lucratif' (line 27), which wins: it "
        "never applies on its own\n")
    result = CliRunner().invoke(main, ["glossary", "add", "bailleurs de fonds", "backers"])
    assert result.exit_code == 2 and "conflicts with an entry of the glossary" in result.stderr
