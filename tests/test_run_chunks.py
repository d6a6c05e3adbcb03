"""A run of an archive: documents through the stages a chunk at a time, kept on disk (spill.py),
the dossier-wide checks answered there, the writers fed one document at a time.

The chunked run must write what composing the whole dossier at once writes (every output,
the ``inconsistent`` flags and the analysis' repetitions included, which compare documents of
different chunks), and must never hold more than a chunk of the dossier.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from conftest import copy_seeds
from support.generation import outputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier import run as run_module
from fr2en_dossier import spill as spill_module
from fr2en_dossier.engine.stage import MtStage
from fr2en_dossier.formats import html
from fr2en_dossier.formats.report import RunInfo
from fr2en_dossier.glossary import load_glossary
from fr2en_dossier.loader import load_documents
from fr2en_dossier.model import INCONSISTENT, REVIEW, Segment, comparable, parts_of
from fr2en_dossier.mt_checks import inconsistent
from fr2en_dossier.outputs import current_dir, load_current
from fr2en_dossier.project import Project
from fr2en_dossier.run import Run, project_segments, translate_dossier
from fr2en_dossier.spill import Spill

COPY = "copy"  # a second copy of a seed article: every sentence repeats across chunks


@pytest.fixture
def project(tmp_path) -> Project:
    """The seeds and a copy of one (under another name, so last; a line added after its
    title), and two reviews of its first sentence, one in each document, in their contexts:
    that French then has two Englishes, in the first and the last document."""
    copy_seeds(tmp_path)
    first = sorted((tmp_path / "seeds").glob("*.txt"))[1].read_text(encoding="utf-8")
    title, rest = first.split("\n", 1)  # a line more after the title: another context
    (tmp_path / "seeds" / f"{COPY}.txt").write_text(f"{title}\nUne ligne de plus.\n{rest}",
                                                   encoding="utf-8")
    project = Project.defaults(tmp_path)
    documents = load_documents(project.inputs).documents
    segments = project_segments(project, documents)
    copied = [s for s in segments if s.doc == COPY][2]
    original = next(s for s in segments if s.source == copied.source)
    with project.open_memory() as memory:
        memory.add([{"source": comparable(seg.source), "target": english, "origin": REVIEW,
                     "doc": seg.doc, "key": seg.key, "contextual": 1,
                     "changedate": "20261201T000000Z", "recorded": "20261201T000000.000000Z",
                     "run": "", "via": "", "author": ""}
                    for seg, english in ((original, "One English."), (copied, "Another."))])
    return project


def at_once(project: Project, stage: MtStage) -> dict[str, str]:
    """The outputs of the whole dossier composed in memory (:meth:`Run.finish`)."""
    documents = load_documents(project.inputs).documents
    segments = project_segments(project, documents)
    with Run(project, "test") as run:
        run.finish(segments, documents, RunInfo(glossary=str(project.glossary)),
                   glossary=load_glossary(project.glossary), mt=stage)
    return outputs(project)


@pytest.mark.parametrize("chunk", [1, 2, 4])
def test_a_run_in_chunks_writes_what_the_whole_dossier_at_once_writes(
        project, installed_package, monkeypatch, chunk):
    with MtStage(project.engine_options(), cache=False) as stage:
        expected = at_once(project, stage)
        monkeypatch.setattr(run_module, "CHUNK_DOCUMENTS", chunk)
        result = translate_dossier(project, glossary=project.glossary, mt=stage)
    got = outputs(project)
    assert got.keys() == expected.keys()
    for name in got:
        assert got[name] == expected[name], name
    report = json.loads(got["report.json"])
    flagged = [s["key"] for s in report["segments"] if INCONSISTENT in s["flags"]]
    assert len(flagged) == 2 and flagged[1].startswith(f"{COPY}:")  # across chunks
    assert report["analysis"]["total"]["bands"]["repetitions"]["segments"] > 10
    written = json.loads((current_dir(project.output) / "report.json").read_text(encoding="utf-8"))
    assert result.riskiest and result.mt.segments == written["run"]["mt_stats"]["segments"] > 100


def test_a_run_never_holds_more_than_a_chunk(tmp_path, monkeypatch):
    """24 articles in chunks of 3: the documents are read as the chunks need them, and no
    more Segments are ever alive than a few chunks' worth, a third of the dossier (the review
    is split in pages, as it is above 3,000 segments)."""
    from conftest import seed_lines
    from support.synthetic_archive import write_archive

    write_archive(tmp_path / "seeds", 24, seed_lines())
    project = Project.defaults(tmp_path)
    monkeypatch.setattr(run_module, "CHUNK_DOCUMENTS", 3)
    monkeypatch.setattr(html, "SPLIT_SEGMENTS", 100)  # a page per document, as in an archive
    per_document = 30  # the archive's articles have at most 30 sentences and a title
    alive, read = [], []

    def sample() -> None:
        gc.collect()
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, Segment)))

    real_add, real_get = Spill.add, Spill.get

    def add(self, parts):
        parts = list(parts)
        sample()
        read.append((self.count, len(parts)))
        return real_add(self, parts)

    def get(self, n):
        part = real_get(self, n)
        sample()
        return part

    monkeypatch.setattr(Spill, "add", add)
    monkeypatch.setattr(Spill, "get", get)
    translate_dossier(project, glossary=None, mt=None)
    assert read == [(n, 3) for n in range(0, 24, 3)]
    whole = sum(len(part.segments) for part in parts_of(load_current(project.output).segments))
    assert whole > 500 and max(alive) <= 8 * (per_document + 1)  # a third of the dossier


_text = st.sampled_from(["Une phrase.", "Une  phrase.", "Autre chose.", "Encore."])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(_text, st.sampled_from(["", "One.", "One. ", "Two."])),
                         max_size=4), max_size=6))
def test_the_spill_finds_the_inconsistencies_of_the_whole_dossier(tmp_path, documents):
    """Split into parts (a document each), the spill flags exactly what the whole dossier
    compared in memory flags, with the same reasons."""
    segments = [Segment(f"d{n}", i, 0, "paragraph", 0, len(fr), fr, target=en or None)
                for n, doc in enumerate(documents) for i, (fr, en) in enumerate(doc)]
    parts = parts_of(segments)
    with Spill(tmp_path) as spill:
        spill.add(parts)
        found = {}
        for n in range(1, len(parts) + 1):
            found.update(spill.reasons(n))
        seen = spill.seen()
        assert "x" not in seen and (seen.add("x") or "x" in seen)
        assert [p.segments for p in spill] == [p.segments for p in parts]
    assert found == inconsistent(segments)
    assert not list(tmp_path.iterdir())  # the scratch folder goes with the spill


def test_a_spill_left_by_a_killed_run_is_removed_by_the_next(tmp_path, monkeypatch):
    copy_seeds(tmp_path)
    project = Project.defaults(tmp_path)
    translate_dossier(project, glossary=None, mt=None)
    generations = current_dir(project.output).parent
    killed = spill_module.Spill(generations)
    killed.db.close()  # and nothing more: as a kill -9 leaves it
    left = Path(killed.dir)
    assert left.name.startswith(".staging-")
    translate_dossier(project, glossary=None, mt=None)
    assert not left.exists()


def test_the_progress_of_the_chunks_adds_up(monkeypatch):
    """Each chunk's MT reports from 0 to its own total: the bar goes on from where the last
    chunk left it, and its length grows by the new chunk's total."""
    import io
    import sys
    from contextlib import ExitStack

    from fr2en_dossier.cli import progress_bars

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    with ExitStack() as stack:
        progress = progress_bars(stack, quiet=False)
        for done, total in ((0, 10), (10, 10), (0, 30), (15, 30)):
            progress("translate", done, total)
        assert sys.stderr.getvalue().rstrip().endswith("62%")  # 25 of 40
        progress("translate", 30, 30)
        assert sys.stderr.getvalue().rstrip().endswith("100%")


def test_a_rerun_reads_the_report_of_the_edited_documents_only(tmp_path, monkeypatch):
    """Take-back compares the review files that are no longer as their generation wrote them
    (its manifest of sha256) with that generation's report, of their documents only: nothing
    is read when nothing was edited, one document's records for an edited PO file, all for
    an edited dossier-wide TMX; the edit is recorded all the same."""
    import polib

    from fr2en_dossier import review
    from support.memory import memory_entries

    copy_seeds(tmp_path)
    project = Project.defaults(tmp_path)
    translate_dossier(project, glossary=None, mt=None)
    asked, real = [], review.load_report
    monkeypatch.setattr(review, "load_report",
                        lambda path, docs=None: asked.append(docs) or real(path, docs))
    translate_dossier(project, glossary=None, mt=None)
    assert asked == []
    po_path = sorted((project.output / "po").glob("*.po"))[2]
    po = polib.pofile(str(po_path))
    po[1].msgstr = "Edited in the PO file."
    po.save()
    translate_dossier(project, glossary=None, mt=None)
    assert asked == [{po_path.stem}]
    assert [e.target for e in memory_entries(tmp_path)] == ["Edited in the PO file."]
    tmx = project.output / "dossier.tmx"
    tmx.write_text(tmx.read_text(encoding="utf-8").replace("</body>", "</body>\n"),
                   encoding="utf-8")
    translate_dossier(project, glossary=None, mt=None)
    assert asked[1:] == [None]


def test_review_import_rebuilds_in_chunks_what_it_rebuilds_at_once(project, tmp_path,
                                                                   monkeypatch):
    """`fr2en review import` reads the report a document at a time and rebuilds in chunks:
    the same files with chunks of one document as with one chunk of all."""
    import shutil

    from fr2en_dossier.memory import contexts
    from fr2en_dossier.run import import_reviews

    translate_dossier(project, glossary=project.glossary, mt=None)
    segments = load_current(project.output).segments
    with project.open_memory() as memory:  # a review the outputs do not show yet
        memory.record(segments[5], "Reviewed since.", contexts(segments)[5])
    again = tmp_path.parent / f"{tmp_path.name}-again"
    shutil.copytree(project.root, again, symlinks=True)
    other = Project.defaults(again)
    whole = import_reviews(project, [])
    monkeypatch.setattr(run_module, "CHUNK_DOCUMENTS", 1)
    chunked = import_reviews(other, [])
    assert whole.outputs is not None and chunked.applied == whole.applied >= 3
    expected, got = outputs(project), outputs(other)
    assert got.keys() == expected.keys()
    for name in got:
        ours = got[name].replace(str(other.root), "ROOT").replace(str(project.root), "ROOT")
        assert ours == expected[name].replace(str(project.root), "ROOT"), name
    assert "Reviewed since." in got["report.json"]
