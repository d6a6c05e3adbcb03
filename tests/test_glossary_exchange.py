"""Glossary exchange: add_entries (one write, duplicates and conflicts skipped), TBX export read
by translate-toolkit and OmegaT 3.6, export → import the identity on the shipped glossary,
TBX v3 and CSV imports, and the CLI."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.interop import require_tool
from support.schemas import assert_valid_tbx

from fr2en_dossier.cli import main
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.glossary import Entry, add_entries, load_glossary
from fr2en_dossier.glossary.exchange import export_tbx, import_entries, read_entries

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary.tsv"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


def rows(entries) -> list[Entry]:
    return [replace(e, line=0) for e in entries]


def test_add_entries_writes_once_and_skips_duplicates_and_conflicts(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(b"# h\r\nIA\tAI\r\nPDG\tCEO")
    result = add_entries(
        path,
        [
            Entry("co-fondateur", "co-founder", forms=("plural",)),
            Entry("ia", "AI"),  # the same text matched: a duplicate
            Entry("PDG", "chief executive"),  # a conflict
            Entry("cofondateurs", "cofounder"),  # conflicts with the first
            Entry("courriel", "email"),
        ],
    )
    assert [(e.source, e.line) for e in result.added] == [("co-fondateur", 4), ("courriel", 5)]
    assert [(e.source, o.source) for e, o in result.duplicates] == [("ia", "IA")]
    assert [(e.source, o.line) for e, o in result.conflicts] == [("PDG", 3), ("cofondateurs", 0)]
    assert path.read_bytes() == (
        b"# h\r\nIA\tAI\r\nPDG\tCEO\r\n"
        b"co-fondateur\tco-founder\t\tterm\t\tplural\r\ncourriel\temail\tterm\r\n".replace(
            b"email\tterm", b"email\t\tterm"
        )
    )


def test_add_entries_writes_nothing_when_one_is_invalid(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(b"IA\tAI\n")
    with pytest.raises(Fr2enError, match="cannot add 'OpenAI': a keep entry's target"):
        add_entries(path, [Entry("PDG", "CEO"), Entry("OpenAI", "Open AI", kind="keep")])
    with pytest.raises(Fr2enError, match="tab or a line break"):
        add_entries(path, [Entry("PDG", "CEO"), Entry("x", "y\tz")])
    assert path.read_bytes() == b"IA\tAI\n"


def test_export_then_import_is_the_identity_on_the_shipped_glossary(tmp_path):
    tbx = tmp_path / "glossary.tbx"
    assert export_tbx(GLOSSARY, tbx) == len(load_glossary(GLOSSARY).entries) == 62
    result = import_entries(tmp_path / "new.tsv", tbx)
    assert not (result.duplicates or result.conflicts or result.skipped)
    assert rows(load_glossary(tmp_path / "new.tsv").entries) == rows(
        load_glossary(GLOSSARY).entries
    )
    again = import_entries(tmp_path / "new.tsv", tbx)  # merging it again adds nothing
    assert (len(again.added), len(again.duplicates)) == (0, 62)


def test_the_exported_tbx_is_valid_tbx_basic_structure(tmp_path):
    export_tbx(GLOSSARY, tmp_path / "g.tbx")
    assert_valid_tbx(tmp_path / "g.tbx")


def test_translate_toolkit_reads_every_exported_entry(tmp_path):
    tbx = pytest.importorskip("translate.storage.tbx")
    export_tbx(GLOSSARY, tmp_path / "g.tbx")
    store = tbx.tbxfile.parsefile(str(tmp_path / "g.tbx"))
    entries = load_glossary(GLOSSARY).entries
    assert [(u.source, u.target) for u in store.units] == [(e.source, e.target) for e in entries]


def test_omegat_reads_the_exported_tbx(tmp_path):
    """OmegaT 3.6's own TBX reader (``GlossaryReaderTBX``, what its glossary pane loads from a
    project's glossary/ folder) run by ``java`` on the exported file: every entry, with its
    comment. OmegaT ignores ``administrativeStatus``: an avoided rendering (a deprecated term)
    is listed as one more translation, the statuses shown in the comment."""
    java = require_tool("java")
    if not OMEGAT_JAR.is_file():
        require_tool("omegat")
        pytest.skip(f"{OMEGAT_JAR} not found")
    export_tbx(GLOSSARY, tmp_path / "g.tbx")
    probe = tmp_path / "ReadTbx.java"
    probe.write_text(
        "import java.io.File;\n"
        "import java.lang.reflect.Proxy;\n"
        "import org.omegat.core.Core;\n"
        "import org.omegat.core.data.IProject;\n"
        "import org.omegat.core.data.ProjectProperties;\n"
        "import org.omegat.gui.glossary.GlossaryEntry;\n"
        "import org.omegat.gui.glossary.GlossaryReaderTBX;\n"
        "public class ReadTbx {\n"
        "  public static void main(String[] args) throws Exception {\n"
        "    ProjectProperties props = new ProjectProperties(new File(args[1]));\n"
        '    props.setSourceLanguage("fr");\n'
        '    props.setTargetLanguage("en");\n'
        "    Core.setProject((IProject) Proxy.newProxyInstance(IProject.class.getClassLoader(),\n"
        "        new Class<?>[] {IProject.class},\n"
        '        (proxy, method, a) -> method.getName().equals("getProjectProperties") ? props : null));\n'
        "    for (GlossaryEntry e : GlossaryReaderTBX.read(new File(args[0]), false))\n"
        '      System.out.println(e.getSrcText() + "\\t" + e.getLocText() + "\\t"\n'
        '          + e.getCommentText().replace("\\n", " | "));\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [java, "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
         f"-Duser.home={tmp_path}", "-cp", str(OMEGAT_JAR), str(probe), str(tmp_path / "g.tbx"),
         str(tmp_path)],
        capture_output=True, check=True, timeout=120,
    ).stdout.decode("utf-8")  # fmt: skip
    read = [line.split("\t") for line in out.splitlines()]
    entries = load_glossary(GLOSSARY).entries
    assert [(s, t) for s, t, _ in read] == [
        (e.source, t) for e in entries for t in (e.target, *e.avoid)
    ]
    comments = iter(c for _, _, c in read)
    for entry in entries:
        for _ in (entry.target, *entry.avoid):
            comment = next(comments)
            assert entry.comment in comment and (
                not entry.repair or f"repair: {entry.repair}" in comment
            )


TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>from a terminology tool</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="definition">A court action.</descrip>
      <langSec xml:lang="fr-FR">
        <termSec><term>poursuite judiciaire</term></termSec>
        <termSec><term>action judiciaire</term></termSec>
        <termSec><term>procès-verbal</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="en-GB">
        <termSec><term>trial</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>lawsuit</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="fr"><termSec><term>Bluesky</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Bluesky</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c3">
      <langSec xml:lang="de"><termSec><term>Klage</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_a_tbx_v3_of_another_tool_imports_term_by_term(tmp_path):
    path = tmp_path / "other.tbx"
    path.write_text(TBX3, encoding="utf-8")
    entries, skipped = read_entries(path)
    assert [(e.source, e.target, e.kind, e.avoid, e.comment) for e in entries] == [
        ("poursuite judiciaire", "lawsuit", "term", ("trial",), "A court action."),
        ("action judiciaire", "lawsuit", "term", ("trial",), "A court action."),
        ("Bluesky", "Bluesky", "keep", (), ""),
    ]  # a deprecated French term is not an entry
    assert skipped == [f"{path}:24"]


def test_csv_import_with_a_header_and_errors_with_their_line(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(
        'target,source,comment\nlawsuit,procès,"Musk\'s lawsuit, not ""trial"""\n'
        "\nchipmaker,fabricant de puces,\n",
        encoding="utf-8",
    )
    entries, _ = read_entries(path)
    assert [(e.source, e.target, e.comment) for e in entries] == [
        ("procès", "lawsuit", 'Musk\'s lawsuit, not "trial"'),
        ("fabricant de puces", "chipmaker", ""),
    ]
    path.write_text("IA,AI\nPDG,\n", encoding="utf-8")
    with pytest.raises(Fr2enError, match=r"terms.csv:2: missing target"):
        read_entries(path)
    with pytest.raises(Fr2enError, match=r"expected a .tbx or a .csv file"):
        read_entries(tmp_path / "terms.xlsx")


def test_cli_export_and_import_report_conflicts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(GLOSSARY, tmp_path / "glossary.tsv")
    result = CliRunner().invoke(main, ["glossary", "export", "--format", "tbx"])
    assert result.exit_code == 0, result.output
    assert result.output == "glossary.tbx: 62 entries\n"
    (tmp_path / "more.csv").write_text(
        "procès,trial\nco-fondateur,co-founder\nxAI,xAI,,keep\nAnthropic,Anthropic,,keep\n",
        encoding="utf-8",
    )
    before = (tmp_path / "glossary.tsv").read_bytes()
    result = CliRunner().invoke(main, ["glossary", "import", "more.csv"])
    assert result.exit_code == 0, result.output
    assert (
        "conflict: procès → trial (more.csv:1); the glossary has procès → lawsuit" in result.output
    )
    assert (
        "glossary.tsv: added 1 entries from more.csv; 2 already there, 1 conflicts, 0 skipped"
    ) in result.output
    assert (tmp_path / "glossary.tsv").read_bytes() == before + b"Anthropic\tAnthropic\t\tkeep\n"
