"""XLIFF 1.2 and 2.1: valid against the OASIS schemas, read whole by translate-toolkit, states
and inline markup as written, and reviews made in them (as a CAT tool edits the file) back in
the English of the next run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from support.sample_dossier import seed_segments
from support.schemas import assert_valid_xliff12, assert_valid_xliff21
from support.xliff_edit import X2, X12, set_state

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.report import RunInfo, read_report
from fr2en_dossier.formats.safe_text import CharDropper
from fr2en_dossier.formats.xliff_review import review_units
from fr2en_dossier.formats.xliff12 import write_xliff12
from fr2en_dossier.formats.xliff21 import write_xliff21
from fr2en_dossier.markup import inline_markup
from fr2en_dossier.model import (
    BOLD,
    DRAFT,
    ITALIC,
    LINK,
    PARAGRAPH,
    REVIEW,
    Block,
    Document,
    Segment,
    Span,
    by_document,
)
from fr2en_dossier.model import parts_of
from fr2en_dossier.outputs import write_generation

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def segments():
    return seed_segments()


def write_all_12(segments, folder: Path) -> list[Path]:
    paths = []
    for doc, doc_segments in by_document(segments).items():
        paths.append(folder / f"{doc}.xlf")
        write_xliff12(doc_segments, paths[-1], run_id="run-1")
    return paths


def test_xliff12_is_valid_transitional_xliff(tmp_path, segments):
    for path in write_all_12(segments, tmp_path):
        assert_valid_xliff12(path)


def test_xliff21_is_valid_against_the_core_and_module_schemas(tmp_path, segments):
    path = tmp_path / "dossier.xlf"
    assert write_xliff21(parts_of(segments), path, run_id="run-1") == 6  # \x01, \x0b, \ufffe in fr and en
    assert_valid_xliff21(path)
    assert_valid_xliff21(marked_up(tmp_path)[0])


def test_translate_toolkit_reads_every_xliff12_unit_state_and_note(tmp_path, segments):
    xliff = pytest.importorskip("translate.storage.xliff")
    clean = CharDropper()
    for path, (doc, doc_segments) in zip(
        write_all_12(segments, tmp_path), by_document(segments).items(), strict=True
    ):
        store = xliff.xlifffile.parsefile(str(path))
        units = store.getunits()
        assert [u.getid().rpartition("\x04")[2] for u in units] == [s.key for s in doc_segments]
        assert [u.source for u in units] == [clean(s.source) for s in doc_segments]
        assert [u.target or None for u in units] == [clean(s.target) if s.target else None
                                                     for s in doc_segments]  # fmt: skip
        # tt: reviewed = approved; a target not approved is fuzzy (as our PO files say)
        assert [u.isapproved() for u in units] == [s.origin == REVIEW and bool(s.target)
                                                   for s in doc_segments]  # fmt: skip
        assert [u.isfuzzy() for u in units] == [bool(s.target) and s.origin != REVIEW
                                                for s in doc_segments]  # fmt: skip
        for unit, seg in zip(units, doc_segments, strict=True):
            notes = unit.getnotes()
            assert all(flag in notes for flag in seg.flags)
            assert all(f"{hit.source} → {hit.target}" in notes for hit in seg.hits)
        assert store.getsourcelanguage() == "fr" and store.gettargetlanguage() == "en"


@pytest.mark.parametrize("origin, state12, state2, confirmed", [
    ("mt", "needs-review-translation", "initial", False),
    ("cache", "needs-review-translation", "initial", False),
    (DRAFT, "translated", "translated", False),
    (REVIEW, "final", "reviewed", True),
])  # fmt: skip
def test_states_by_origin_and_read_back(tmp_path, origin, state12, state2, confirmed):
    segs = [
        Segment("a", 0, 0, PARAGRAPH, 0, 9, "Le chat.", target="The cat.", origin=origin),
        Segment("a", 0, 1, PARAGRAPH, 10, 20, "Sans rien."),
    ]
    write_xliff12(segs, tmp_path / "a.xlf", run_id="r12")
    write_xliff21(parts_of(segs), tmp_path / "d.xlf", run_id="r2")
    one = etree.parse(str(tmp_path / "a.xlf"))
    assert one.xpath("//x:target/@state", namespaces=X12) == [state12]
    qualifier = "mt-suggestion" if origin in ("mt", "cache") else "leveraged-tm"
    assert one.xpath("//x:target/@state-qualifier", namespaces=X12) == [qualifier]
    two = etree.parse(str(tmp_path / "d.xlf"))
    assert two.xpath("//x:segment/@state", namespaces=X2) == [state2]
    assert two.xpath("//x:segment/@subState", namespaces=X2) == [f"fr2en:{origin}"]
    for path, run in ((tmp_path / "a.xlf", "r12"), (tmp_path / "d.xlf", "r2")):
        run_id, units = review_units(path)
        assert run_id == run
        assert [(u.key, u.source, u.target, u.confirmed, u.fuzzy) for u in units] == [
            ("a:0:0", "Le chat.", "The cat.", confirmed, not confirmed),
            ("a:0:1", "Sans rien.", "", False, True),
        ]


def test_states_a_cat_tool_sets_are_reviews_drafts_or_nothing(tmp_path):
    segs = [
        Segment("a", 0, n, PARAGRAPH, 0, 5, f"Mot {n}.", target=f"Word {n}.", origin="mt")
        for n in range(4)
    ]
    write_xliff12(segs, tmp_path / "a.xlf")
    write_xliff21(parts_of(segs), tmp_path / "d.xlf")
    for path, (final, translated, new) in (
        (tmp_path / "a.xlf", ("final", "translated", "new")),
        (tmp_path / "d.xlf", ("final", "translated", "initial")),
    ):
        set_state(path, "a:0:0", final)  # accepted as it is
        set_state(path, "a:0:1", translated, "Word one, drafted.")
        set_state(path, "a:0:2", new)
        units = review_units(path)[1]
        assert [(u.target, u.confirmed) for u in units] == [
            ("Word 0.", True),
            ("Word one, drafted.", False),
            ("" if path.name == "a.xlf" else "Word 2.", False),  # 1.2 new: a prepared target
            ("Word 3.", False),
        ]


def test_bad_xliff_is_one_line_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.xlf"
    bad.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n')
    with pytest.raises(Fr2enError, match=r"bad.xlf:4: not well-formed XML"):
        review_units(bad)
    bad.write_text('<tmx version="1.4"><body/></tmx>')
    with pytest.raises(Fr2enError, match=r"bad.xlf:1: not an XLIFF 1.2 or 2.x file"):
        review_units(bad)
    bad.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        '<file original="a" source-language="fr" datatype="plaintext"><body>\n'
        '<trans-unit id="a:0:0"><target>x</target></trans-unit></body></file></xliff>'
    )
    with pytest.raises(Fr2enError, match=r"bad.xlf:3: <trans-unit> without a <source>"):
        review_units(bad)


def marked_up(tmp_path: Path) -> tuple[Path, list[Segment]]:
    """A dossier.xlf of one block with bold, italic crossing it, and a link, on MT English."""
    text = "Le PDG de OpenAI a parlé. Lire la suite ici."
    spans = [
        Span(3, 6, BOLD),
        Span(4, 15, ITALIC),
        Span(10, 16, LINK, "https://example.org/x?a=1&b"),
        Span(26, 44, BOLD),
    ]
    doc = Document(
        "web", Path("web.html"), [Block("web", 0, 3, text, PARAGRAPH, spans=spans)], "html"
    )
    segs = [
        Segment(
            "web", 0, 0, PARAGRAPH, 0, 25, text[:25], target="The CEO of OpenAI spoke.", origin="mt"
        ),
        Segment("web", 0, 1, PARAGRAPH, 26, 44, text[26:], target="Read more here.", origin=REVIEW),
    ]
    markup = {seg.key: inline_markup(doc.blocks[0], seg) for seg in segs}
    path = tmp_path / "marked.xlf"
    write_xliff21(parts_of(segs, [doc]), path, markup, "run-1")
    return path, segs


def test_inline_markup_is_pc_in_source_and_target_and_the_text_reads_back(tmp_path):
    path, segs = marked_up(tmp_path)
    tree = etree.parse(str(path))
    first, second = tree.xpath("//x:segment", namespaces=X2)
    source = etree.tostring(first.find("x:source", X2), encoding="unicode")
    # bold and the link are elements; italic crosses both: a start and an end code
    assert (
        '<pc id="1" type="fmt" subType="xlf:b">P<sc id="2" type="fmt" subType="xlf:i"/>DG</pc>'
        in source
    )
    assert (
        '<pc id="3" type="link" dataRefStart="d3" dataRefEnd="e3">OpenA<ec startRef="2"/>I</pc>'
        in source
    )
    assert tree.xpath("//x:data[@id='d3']/text()", namespaces=X2) == [
        '<a href="https://example.org/x?a=1&b">'
    ]
    target = etree.tostring(first.find("x:target", X2), encoding="unicode")
    assert '<pc id="3" type="link" dataRefStart="d3" dataRefEnd="e3">OpenAI</pc>' in target
    # a span over the whole sentence covers the whole English sentence
    assert second.xpath("x:target/x:pc/text()", namespaces=X2) == ["Read more here"]
    units = review_units(path)[1]
    assert [(u.source, u.target) for u in units] == [(s.source, s.target) for s in segs]


# --- round trips through the CLI: translate, edit as a CAT tool does, import, translate ------


@pytest.fixture
def dossier(tmp_path, monkeypatch, installed_package) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "tests" / "data" / "article.html", tmp_path / "seeds" / "web.html")
    shutil.copy(ROOT / "glossary.tsv", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "output/xliff/*.xlf (6), output/dossier.xlf" in result.output
    return tmp_path


def test_the_xliff_outputs_of_a_run_are_valid(dossier):
    """The seeds and a web page (links, bold, italic) with the synthetic engine's English."""
    out = dossier / "output"
    assert_valid_xliff21(out / "dossier.xlf")
    assert b"<pc " in (out / "dossier.xlf").read_bytes()
    for path in sorted((out / "xliff").glob("*.xlf")):
        assert_valid_xliff12(path)


def test_reviews_made_in_either_xliff_come_back_in_the_english(dossier, tmp_path_factory):
    out = dossier / "output"
    written = [s for s in read_report(out / "report.json") if s.origin == "mt"]
    away = tmp_path_factory.mktemp("cat-tool")  # the files as a reviewer sends them back
    two, one = away / "dossier.xlf", away / f"{written[2].doc}.xlf"
    shutil.copy(out / "dossier.xlf", two)
    shutil.copy(out / "xliff" / f"{written[2].doc}.xlf", one)
    set_state(two, written[0].key, "reviewed", "First sentence, reviewed in XLIFF 2.1.")
    set_state(two, written[1].key, "translated", "Second sentence, a draft.")
    set_state(one, written[2].key, "final", "Third sentence, reviewed in XLIFF 1.2.")
    set_state(one, written[3].key, "signed-off")  # the machine translation accepted
    result = CliRunner().invoke(main, ["review", "import", str(two), str(one)])
    assert result.exit_code == 0, result.output
    assert "imported 3 review(s) and 1 draft(s)" in result.output
    again = CliRunner().invoke(main, ["translate", "--quiet"])
    assert again.exit_code == 0, again.output
    by_key = {s.key: s for s in read_report(out / "report.json")}
    expected = [
        ("First sentence, reviewed in XLIFF 2.1.", REVIEW),
        ("Second sentence, a draft.", DRAFT),
        ("Third sentence, reviewed in XLIFF 1.2.", REVIEW),
        (written[3].target, REVIEW),
    ]
    assert [(by_key[s.key].target, by_key[s.key].origin) for s in written[:4]] == expected
    for seg, (english, _) in zip(written, expected, strict=False):
        assert english in (out / "en" / f"{seg.doc}.txt").read_text(encoding="utf-8")
    # the new outputs say so: reviewed and draft states
    units = {u.key: u for u in review_units(out / "dossier.xlf")[1]}
    assert [units[s.key].confirmed for s in written[:4]] == [True, False, True, True]


def test_xliff_outputs_follow_the_project_setting(tmp_path, monkeypatch):
    from fr2en_dossier.project import Project

    (tmp_path / "fr2en.toml").write_text('[outputs]\nxliff = ["2.1"]\n')
    assert Project.find(tmp_path).xliff == ["2.1"]
    (tmp_path / "fr2en.toml").write_text("[outputs]\nxliff = [1.2]\n")
    with pytest.raises(Fr2enError, match=r'\[outputs\] xliff: must be a list of "1.2" and "2.1"'):
        Project.find(tmp_path)
    (tmp_path / "fr2en.toml").write_text("[outputs]\nxlif = []\n")
    with pytest.raises(Fr2enError, match=r"\[outputs\]: unknown key 'xlif'"):
        Project.find(tmp_path)
    segs = [Segment("a", 0, 0, PARAGRAPH, 0, 9, "Le chat.", target="The cat.", origin="mt")]
    summary = write_generation(parts_of(segs), tmp_path / "out", RunInfo(xliff=["1.2"]))
    assert {p.relative_to(tmp_path).as_posix(): n for p, n in summary.outputs.items()
            if "xlf" in p.name} == {"out/xliff/*.xlf": 1}
    assert (tmp_path / "out" / "xliff" / "a.xlf").is_file()
    assert not (tmp_path / "out" / "dossier.xlf").exists()


def test_a_plain_folder_of_earlier_outputs_with_xliff_is_still_ours(tmp_path):
    from fr2en_dossier.outputs import check_output_path

    segs = [Segment("a", 0, 0, PARAGRAPH, 0, 9, "Le chat.", target="The cat.", origin="mt")]
    write_generation(parts_of(segs), tmp_path / "out", RunInfo(xliff=["1.2", "2.1"]))
    plain = tmp_path / "plain"
    shutil.copytree(tmp_path / "out", plain)  # as an earlier version wrote it: a folder
    assert (plain / "dossier.xlf").is_file() and (plain / "xliff" / "a.xlf").is_file()
    check_output_path(plain)  # not refused as a folder of the user's


def test_xliff21_streamed_file_by_file_is_the_whole_tree_serialized(tmp_path, segments):
    """Written one <file> at a time (one document's tree in memory), the file is what the
    whole tree would give: parsed and serialized again, the same bytes; the namespaces are
    declared once, on the root; a dossier without segments is an empty <xliff/>."""
    path = tmp_path / "dossier.xlf"
    write_xliff21(parts_of(segments), path, run_id="run-1")
    data = path.read_bytes()
    tree = etree.parse(str(path))
    assert etree.tostring(tree, encoding="UTF-8", xml_declaration=True) == data.rstrip(b"\n")
    files = tree.getroot().findall("x:file", X2)
    assert len(files) == len(by_document(segments)) > 1
    assert data.count(b"xmlns=") == 1 and data.count(b"xmlns:gls=") == 1
    assert [f.get("id") for f in files] == [f"f{n}" for n in range(1, len(files) + 1)]
    write_xliff21([], tmp_path / "empty.xlf")
    empty = etree.parse(str(tmp_path / "empty.xlf")).getroot()
    assert empty.tag == f"{{{X2['x']}}}xliff" and len(empty) == 0
