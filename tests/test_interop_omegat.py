"""OmegaT 3.6 (Debian ``omegat``) loads dossier.tmx and memory.tmx as project TMs.

A minimal OmegaT project gets the French of every unit as its source file (one paragraph per
segment, OmegaT's sentence segmentation off, so OmegaT's segments are ours) and our TMX in
``tm/auto/``, whose exact matches OmegaT inserts as translations. ``--mode=console-translate``
then writes the target file: every unit with English must come out translated, and a unit
without English must stay untranslated (French), not become an empty line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.omegat import omegat_project, run_omegat
from support.sample_dossier import seed_segments

from fr2en_dossier.formats.tmx import read_tmx, write_tmx
from fr2en_dossier.memory import ReviewMemory, contexts
from fr2en_dossier.model import PARAGRAPH, Segment

def omegat_translate(tmp_path: Path, tmx: Path, sources: list[str]) -> tuple[list[str], str]:
    """Run OmegaT's console translation of ``sources`` with ``tmx`` as an auto TM.

    Returns the target paragraphs and OmegaT's log.
    """
    project = omegat_project(tmp_path)
    (project / "tm" / "auto" / tmx.name).write_bytes(tmx.read_bytes())
    (project / "source" / "dossier.txt").write_text("\n\n".join(sources) + "\n", encoding="utf-8")
    log = run_omegat(tmp_path, project)
    target = (project / "target" / "dossier.txt").read_text(encoding="utf-8")
    return target.rstrip("\n").split("\n\n"), log


def test_omegat_translates_the_dossier_from_dossier_tmx(tmp_path):
    tmx = tmp_path / "dossier.tmx"
    write_tmx(seed_segments(), tmx)
    units = read_tmx(tmx)  # what the TMX says, forbidden characters dropped
    target, _ = omegat_translate(tmp_path, tmx, [u.source for u in units])
    assert len(target) == len(units)
    expected = [u.target if u.target is not None else u.source for u in units]
    assert target == expected
    assert sum(u.target is None for u in units) >= 10  # source-only units stayed French


def test_omegat_uses_the_review_memory(tmp_path):
    """memory.tmx, the memory's exchange file, is a TM OmegaT applies."""
    from fr2en_dossier.memory.exchange import export_tmx

    segments = [Segment("a", 0, i, PARAGRAPH, 0, len(s), s)
                for i, s in enumerate(["Le chat dort.", "Musk poursuit OpenAI en justice."])]
    with ReviewMemory(tmp_path / "memory.sqlite") as memory:
        memory.record(segments[0], "The cat is asleep.", contexts(segments)[0])
        memory.record(segments[1], "Musk sues OpenAI.", contexts(segments)[1])
        memory.record(segments[1], "Musk is suing OpenAI.", contexts(segments)[1])  # newer: wins
        export_tmx(memory, tmp_path / "memory.tmx")
    target, _ = omegat_translate(
        tmp_path, tmp_path / "memory.tmx", ["Le chat dort.", "Musk poursuit OpenAI en justice.", "Inconnu."]
    )
    assert target[0] == "The cat is asleep." and target[2] == "Inconnu."
    assert target[1] in ("Musk sues OpenAI.", "Musk is suing OpenAI.")  # OmegaT picks one


@pytest.fixture(autouse=True)
def _no_display(monkeypatch):
    """Console mode must not need a screen."""
    monkeypatch.delenv("DISPLAY", raising=False)
