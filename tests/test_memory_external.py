"""External memories (TMX files written by OmegaT and by translate-toolkit's po2tmx, imported
read-only by name), the concordance search, and their commands."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import copy_seeds
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner
from support.interop import require_tool
from support.memory import memory_entries

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.tmx import TmxUnit, write_units
from fr2en_dossier.memory import ReviewMemory, contexts
from fr2en_dossier.memory.concordance import DOSSIER, EXTERNAL, MEMORY
from fr2en_dossier.memory.external import import_file, remove, sources
from fr2en_dossier.memory.fuzzy import EXTERNAL as EXTERNAL_ORIGIN
from fr2en_dossier.memory.prefill import prefill
from fr2en_dossier.model import MT, PARAGRAPH, REVIEW, TM, Segment
from fr2en_dossier.project import MemorySettings

PAIRS = [
    ("Le contrôle des prix est levé le 3 mars.", "Price control is lifted on 3 March."),
    ("Musk poursuit OpenAI en justice pour rupture de contrat.",
     "Musk is suing OpenAI for breach of contract."),
]


def doc(name: str, *sources: str) -> list[Segment]:
    return [Segment(name, i, 0, PARAGRAPH, 0, len(s), s) for i, s in enumerate(sources)]


def fr2en(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def po2tmx_file(tmp_path) -> Path:
    """A TMX written by translate-toolkit's po2tmx from a PO file (fr-FR → en-GB codes)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for french, english in PAIRS:
        po.append(polib.POEntry(msgid=french, msgstr=english))
    po.save(str(tmp_path / "client.po"))
    tmx = tmp_path / "client.tmx"
    subprocess.run([require_tool("po2tmx"), "-l", "en-GB", "--source-language", "fr-FR",
                    str(tmp_path / "client.po"), str(tmx)], check=True, capture_output=True)
    assert 'xml:lang="fr-FR"' in tmx.read_text(encoding="utf-8")
    return tmx


@pytest.fixture
def omegat_files(tmp_path, monkeypatch) -> list[Path]:
    """The TMX files OmegaT 3.6 writes for a project (console mode): TMX 1.1 with ``lang``
    (project-level1.tmx) and TMX 1.4 with ``xml:lang`` (project-level2.tmx)."""
    from test_interop_omegat import omegat_translate

    monkeypatch.delenv("DISPLAY", raising=False)
    given = tmp_path / "given.tmx"
    write_units([TmxUnit(f"x:{i}:0", "x", i, 0, fr, en) for i, (fr, en) in enumerate(PAIRS)], given)
    omegat_translate(tmp_path, given, [fr for fr, _ in PAIRS])
    files = [tmp_path / "project" / f"project-level{n}.tmx" for n in (1, 2)]
    for path in files:
        assert 'creationtool="OmegaT"' in path.read_text(encoding="utf-8")
    return files


def test_a_po2tmx_memory_imports_and_matches_after_the_projects_reviews(tmp_path, po2tmx_file):
    with ReviewMemory(tmp_path / "memory.sqlite") as memory:
        done = import_file(memory, po2tmx_file, "client")
        assert (done.added, done.source.name, done.source.units) == (2, "client", 2)
        assert done.source.tool.startswith("Translate Toolkit")
        assert len(memory) == 0  # the project's own entries: none
        segments = doc("a", "Le contrôle des prix est levé le 4 mars.")
        (match,) = memory.matches(segments[0], contexts(segments)[0])
        assert (match.origin, match.memory, match.source) == (EXTERNAL_ORIGIN, "client", "client")
        assert match.score == 88 and match.use == "Price control is lifted on 4 March."
        own = doc("b", "Le contrôle des prix est levé le 3 mars.")
        memory.record(own[0], "Price controls end on 3 March.", contexts(own)[0])
        found = memory.matches(segments[0], contexts(segments)[0])
        assert [m.source for m in found] == ["review", "client"]  # the project's first
        assert memory.lookup(own[0], contexts(own)[0]).target == "Price controls end on 3 March."
        assert [s.name for s in sources(memory)] == ["client"]
        assert remove(memory, "client") == 2 and sources(memory) == []
        assert [m.source for m in memory.matches(segments[0], contexts(segments)[0])] == ["review"]
        assert memory.rows("SELECT COUNT(*) FROM units") == [(0,)]
        assert memory.rows("SELECT COUNT(*) FROM texts") == [(1,)]  # the review's French stays


def test_an_exact_external_match_prefills_a_draft_the_own_review_stays_exact(tmp_path, po2tmx_file):
    with ReviewMemory(tmp_path / "memory.sqlite") as memory:
        import_file(memory, po2tmx_file, "client")
        segments = doc("a", *(fr for fr, _ in PAIRS))
        memory.record(segments[1], "Musk takes OpenAI to court.", contexts(segments)[1])
        for seg in segments:
            seg.target, seg.origin, seg.mt = "MT", MT, "MT"
        memory.apply(segments)
        assert prefill(segments, memory, MemorySettings()) == 1
    assert (segments[0].origin, segments[0].target, segments[0].tm_score) == (
        TM, "Price control is lifted on 3 March.", 100)
    assert (segments[1].origin, segments[1].target) == (REVIEW, "Musk takes OpenAI to court.")


def test_tmx_files_written_by_omegat_import_and_match(tmp_path, omegat_files):
    with ReviewMemory(tmp_path / "memory.sqlite") as memory:
        for path in omegat_files:
            done = import_file(memory, path)  # no name: named after the file
            assert done.added == 2 and done.source.tool.startswith("OmegaT")
        assert [s.name for s in sources(memory)] == ["project-level1", "project-level2"]
        segments = doc("a", "Musk poursuit OpenAI en justice pour violation de contrat.")
        found = memory.matches(segments[0], contexts(segments)[0])
        assert [(m.memory, m.score) for m in found] == [("project-level1", 88)]  # same English once
        with pytest.raises(Fr2enError, match="exists already"):
            import_file(memory, omegat_files[0])


def test_a_memory_tmx_of_this_tool_still_merges_and_names_are_checked(tmp_path, po2tmx_file):
    from fr2en_dossier.memory.exchange import export_tmx

    source = tmp_path / "other.sqlite"
    with ReviewMemory(source) as other:
        segments = doc("a", PAIRS[0][0])
        other.record(segments[0], "Reviewed.", contexts(segments)[0])
        export_tmx(other, tmp_path / "memory-other.tmx")
    with ReviewMemory(tmp_path / "memory.sqlite") as memory:
        done = import_file(memory, tmp_path / "memory-other.tmx")
        assert done.source is None and done.added == 1
        assert [e.target for e in memory.entries()] == ["Reviewed."]
        for bad in ("review", "", "a\x01b", "x" * 101):
            with pytest.raises(Fr2enError):
                import_file(memory, po2tmx_file, bad)
        english_only = tmp_path / "de.tmx"
        english_only.write_text('<tmx version="1.4"><header srclang="en"/><body><tu>'
                                '<tuv xml:lang="en"><seg>Hi</seg></tuv><tuv xml:lang="de">'
                                '<seg>Hallo</seg></tuv></tu></body></tmx>', encoding="utf-8")
        with pytest.raises(Fr2enError, match="no unit with both a French and an English"):
            import_file(memory, english_only, "de")
        with pytest.raises(Fr2enError, match="no external memory named 'nope'"):
            remove(memory, "nope")


def test_concordance_finds_controle_accents_and_case_aside(tmp_path, po2tmx_file):
    with ReviewMemory(tmp_path / "memory.sqlite") as memory:
        import_file(memory, po2tmx_file, "client")
        own = doc("a", "Un CONTRÔLE fiscal a eu lieu.")
        memory.record(own[0], "A tax audit took place.", contexts(own)[0])
        dossier = doc("d", "Ils contrôlent tout.", "Rien ici.")
        dossier[0].target = "They control everything."
        found = memory.concordance("controle", segments=dossier)
        assert [(f.where, f.source) for f in found] == [
            (MEMORY, "review"), (EXTERNAL, "client"), (DOSSIER, "d:0:0")]
        assert [f.french[s:e] for f in found for s, e in f.french_spans] == [
            "CONTRÔLE", "contrôle", "contrôle"]
        english = memory.concordance("Price", limit=5)
        assert [(f.english_spans, f.french_spans) for f in english] == [([(0, 5)], [])]
        assert memory.concordance("contrôle", limit=1)[0].where == MEMORY
        assert memory.concordance("   ") == []
        assert json.dumps([f.to_dict() for f in found])  # JSON-ready


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    copy_seeds(tmp_path)
    fr2en("init", ".")
    return tmp_path


def test_the_memory_commands(project, po2tmx_file):
    out = fr2en("memory", "import", str(po2tmx_file), "--name", "client tm").output
    assert "imported 2 units" in out and "'client tm' (read-only)" in out
    listed = fr2en("memory", "list", "--format", "jsonl").output.splitlines()
    assert [json.loads(line)["name"] for line in listed] == ["client tm"]
    assert fr2en("memory", "import", str(po2tmx_file), "--name", "client tm", code=2)
    fr2en("translate", "--no-mt")
    found = fr2en("memory", "search", "controle", "--format", "jsonl").output.splitlines()
    places = [json.loads(line) for line in found]
    assert places[0]["where"] == "external" and any(p["where"] == "dossier" for p in places)
    assert "1 found" not in fr2en("memory", "search", "zzzz").output
    assert "removed the external memory 'client tm' (2 units)" in fr2en(
        "memory", "remove", "client tm").output
    assert "no external memory named" in fr2en("memory", "remove", "client tm", code=2).output
    assert memory_entries(project) == []


@given(st.text())
def test_folding_a_text_folds_each_character(text):
    from fr2en_dossier.folding import _fold_char, fold

    assert fold(text) == "".join(_fold_char(c) for c in text)
