"""OmegaT 3.6 (Debian ``omegat``) translates our XLIFF 1.2 files, and what it writes back imports.

OmegaT 3.6's XLIFF filter translates the *content of* ``<target>`` (the Okapi convention of a
target prefilled from the source), leaving ``<source>`` and everything else as it was: in
OmegaT, a reviewer sees our English and types the English they want. So a unit without
English is not offered, and OmegaT changes no ``state``: what it writes back is the file with
new target texts. Units marked ``translate="no"`` (boilerplate) are not offered either. We
run it in console mode with a TM (``tm/auto``) holding a reviewer's corrections of two units,
one machine-translated and one reviewed, and import its file: the machine translation corrected comes back as a draft (its state still says not reviewed), the
review corrected as a review.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree
from support.omegat import omegat_project, run_omegat
from support.sample_dossier import seed_segments

from fr2en_dossier.cli import main
from fr2en_dossier.formats.report import RunInfo, read_report
from fr2en_dossier.formats.tmx import TmxUnit, write_units
from fr2en_dossier.formats.xliff_review import review_units
from fr2en_dossier.model import BOILERPLATE_FLAG, DRAFT, REVIEW
from fr2en_dossier.model import parts_of
from fr2en_dossier.outputs import write_generation

X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def units_of(path: Path) -> list[tuple]:
    """(id, source, target, state, notes) of every trans-unit."""
    tree = etree.parse(str(path))
    return [
        (
            u.get("id"),
            u.findtext("x:source", namespaces=X12),
            u.findtext("x:target", namespaces=X12),
            u.xpath("string(x:target/@state)", namespaces=X12),
            [n.text for n in u.iterfind("x:note", X12)],
        )
        for u in tree.iterfind(".//x:trans-unit", X12)
    ]


def test_omegat_translates_our_xliff12_and_its_file_imports(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    segments = seed_segments()
    write_generation(parts_of(segments), Path("output"), RunInfo(xliff=["1.2"]))
    doc = segments[0].doc
    ours = [s for s in segments if s.doc == doc]
    mt = next(s for s in ours if s.origin == "mt")
    reviewed = next(s for s in ours if s.origin == REVIEW)
    fixes = {
        mt.key: "A reviewer's English, typed in OmegaT.",
        reviewed.key: "A reviewed sentence, corrected in OmegaT.",
    }
    by_key = {s.key: s for s in ours}
    project = omegat_project(tmp_path)
    xlf = project / "source" / f"{doc}.xlf"
    xlf.write_bytes((tmp_path / "output" / "xliff" / f"{doc}.xlf").read_bytes())
    write_units(
        [TmxUnit("", "", None, None, by_key[k].target, english) for k, english in fixes.items()],
        project / "tm" / "auto" / "reviewer.tmx",
    )
    log = run_omegat(tmp_path, project)
    assert "TF_LOADERROR" not in log and "Exception" not in log, log
    back = project / "target" / f"{doc}.xlf"
    before, after = units_of(xlf), units_of(back)
    assert [u[:2] + u[3:] for u in after] == [u[:2] + u[3:] for u in before]  # all else kept
    assert [u[2] for u in after] == [fixes.get(u[0], u[2]) for u in before]
    # OmegaT offered only the units that have English (its segments: our targets), and
    # none marked translate="no" (boilerplate)
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8").splitlines()
    unique = next(line for line in stats if line.startswith("Unique:")).split("\t")[1]
    offered = {s.target for s in ours if s.target and BOILERPLATE_FLAG not in s.flags}
    assert int(unique) == len(offered) and len(offered) < len([s for s in ours if s.target])

    result = CliRunner().invoke(main, ["review", "import", str(back)])
    assert result.exit_code == 0, result.output
    assert "imported 1 review(s) and 1 draft(s)" in result.output
    now = {s.key: s for s in read_report(tmp_path / "output" / "report.json")}
    assert (now[mt.key].target, now[mt.key].origin) == (fixes[mt.key], DRAFT)
    assert (now[reviewed.key].target, now[reviewed.key].origin) == (fixes[reviewed.key], REVIEW)
    assert review_units(tmp_path / "output" / "xliff" / f"{doc}.xlf")[0] != ""  # rebuilt, run id
