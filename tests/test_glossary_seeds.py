"""Acceptance (issue 3): the shipped glossary.tsv on the five seed articles, and its readers.

Every glossary-relevant occurrence in the seeds is listed with its expected target; the test
checks each is hit and that nothing else is (so the known non-hits below are hits nowhere).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from support.interop import REQUIRE_ENV, require_tool

from fr2en_dossier.glossary import apply_glossary, lint_glossary, load_glossary
from fr2en_dossier.loader import load_documents
from fr2en_dossier.segmenter import segment_documents

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary.tsv"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

# (document, block, text as written, target) for every fix and term occurrence.
FIXES_AND_TERMS = [
    ("000", 0, "emails", "email"),
    ("000", 1, "à but non lucratif", "nonprofit"),
    ("000", 1, "emails", "email"),
    ("000", 6, "directeur scientifique", "chief scientist"),
    ("000", 6, "intelligence artificielle générale", "artificial general intelligence"),
    ("000", 8, "emails", "email"),
    ("000", 10, "emails", "email"),
    ("000", 10, "fabricant de puces", "chipmaker"),
    ("000", 10, "puissance de calcul", "computing power"),
    ("001", 0, "e-mails", "email"),
    ("001", 1, "IA", "AI"),
    ("001", 2, "PDG", "CEO"),
    ("001", 2, "action en justice", "lawsuit"),
    ("001", 2, "bailleurs de fonds", "backer"),
    ("001", 2, "à but lucratif", "for-profit"),
    ("001", 2, "à but non lucratif", "nonprofit"),
    ("001", 4, "e-mails", "email"),
    ("001", 4, "à but lucratif", "for-profit"),
    ("001", 4, "e-mail", "email"),
    ("001", 5, "billet de blog", "blog post"),
    ("001", 5, "co-fondateurs", "co-founder"),
    ("001", 6, "à but lucratif", "for-profit"),
    ("001", 7, "intelligence générale artificielle", "artificial general intelligence"),
    ("001", 7, "IA", "AI"),
    ("001", 8, "à but non lucratif", "nonprofit"),
    ("001", 9, "e-mails", "email"),
    ("001", 9, "procès", "lawsuit"),
    ("001", 10, "cofondateurs", "co-founder"),
    ("001", 10, "procès", "lawsuit"),
    ("001", 10, "procès", "lawsuit"),
    ("002", 2, "Musk contre. OpenAi", "Musk v. OpenAI"),
    ("002", 5, "bailleur de fonds", "backer"),
    ("002", 6, "assurance-chômage", "AGI"),
    ("002", 8, "interface utilisateur", "AI"),
    ("002", 9, "à but non lucratif", "nonprofit"),
    ("002", 11, "puissance de calcul", "computing power"),
    ("002", 11, "IA", "AI"),
    ("002", 12, "courriels", "email"),
    ("002", 13, "Musk contre. Altman", "Musk vs. Altman"),
    ("002", 14, "cofondateurs", "co-founder"),
    ("002", 14, "conseil d'administration", "board"),
    ("002", 15, "à but non lucratif", "nonprofit"),
    ("002", 15, "profit limité", "capped-profit"),
    ("002", 17, "interface utilisateur", "AI"),
    ("002", 20, "assurance-chômage", "AGI"),
    ("003", 4, "entité lucrative", "for-profit entity"),
    ("003", 4, "branche lucrative", "for-profit arm"),
    ("003", 4, "modèle lucratif", "for-profit model"),
    ("003", 4, "IA", "AI"),
    ("004", 3, "e-mails", "email"),
    ("004", 4, "e-mails", "email"),
    ("004", 4, "article de blog", "blog post"),
    ("004", 4, "procès", "lawsuit"),
    ("004", 5, "IA", "AI"),
    ("004", 5, "procès", "lawsuit"),
    ("004", 5, "bénéfice plafonné", "capped-profit"),
    ("004", 5, "à but non lucratif", "nonprofit"),
    ("004", 6, "procès", "lawsuit"),
    ("004", 8, "PDG", "CEO"),
    ("004", 9, "IA", "AI"),
    ("004", 11, "IA", "AI"),
    ("004", 12, "IA", "AI"),
    ("004", 13, "procès", "lawsuit"),
    ("004", 18, "IA", "AI"),
    ("004", 18, "IA", "AI"),
    ("004", 19, "Trading Insider", "Business Insider"),
]

# Names and words kept as they are: occurrences per document (a name inside a longer hit, such
# as "Musk" in "Elon Musk" or in "Musk contre. OpenAi", is not counted again).
KEPT = {
    "000": {"AGI": 4, "Altman": 3, "Azure": 1, "Bluesky": 1, "CEO": 1, "Cerebras": 1, "Elon Musk": 2,
            "Ilya Sutskever": 2, "Microsoft": 3, "Musk": 6, "OpenAI": 11, "Sam Altman": 2,
            "Sutskever": 3, "Tesla": 1},
    "001": {"AGI": 1, "ChatGPT": 1, "DeepMind": 1, "Elon": 4, "Elon Musk": 3, "Google": 2,
            "Greg Brockman": 1, "Ilya Sutskever": 1, "John Schulman": 1, "Microsoft": 1, "Musk": 9,
            "OpenAI": 16, "Sam Altman": 1, "Tesla": 4, "Wojciech Zaremba": 1, "open source": 3},
    "002": {"Altman": 2, "DeepMind": 2, "Elon Musk": 6, "Google": 2, "Microsoft": 7, "Musk": 11,
            "OpenAI": 15, "Sam Altman": 1, "xAI": 1},
    "003": {"Altman": 5, "ChatGPT": 1, "Elon Musk": 2, "Grok": 1, "Microsoft": 1, "Musk": 8,
            "OpenAI": 9, "Sam Altman": 1, "Tesla": 1, "The Free Press": 1, "Trump": 1, "bully": 2,
            "xAI": 1},
    "004": {"Altman": 13, "ChatGPT": 1, "Elon": 3, "Elon Musk": 5, "Greg Brockman": 1,
            "Ilya Sutskever": 1, "Journal": 2, "Kara Swisher": 1, "Lex Fridman": 1, "Microsoft": 2,
            "Musk": 18, "OpenAI": 12, "Sam Altman": 3, "Tesla": 1, "Twitter": 1,
            "Wall Street Journal": 1, "X": 1},
}

# Known non-hits: (document, block, text) that no hit may overlap.
NOT_HITS = [
    ("002", 1, "contre OpenAI"),  # "Elon Musk contre OpenAI": a heading, not the defect "contre."
    ("002", 23, "x.ai"),  # a domain name, not xAI
    ("004", 4, "contre OpenAI"),  # "procès intenté par Musk contre OpenAI": against
    ("004", 12, "partenariat lucratif"),  # really lucrative, not for-profit
    ("001", 9, "dans le profit"),  # not capped-profit
    ("001", 10, "les fondateurs"),  # founders, not co-founders
    ("002", 12, "cofondée"),  # a verb
    ("000", 1, "initialement"),  # "ia" inside a word
    ("004", 11, "journaliste"),  # not the Journal
]


@pytest.fixture(scope="module")
def segments():
    segments = segment_documents(load_documents([ROOT / "seeds"]).documents)
    apply_glossary(segments, load_glossary(GLOSSARY))
    return segments


def test_shipped_glossary_is_clean():
    assert lint_glossary(GLOSSARY) == []


def test_every_fix_and_term_occurrence_is_hit_and_nothing_else(segments):
    hits = [(s.doc[:3], s.block, h.source, h.target) for s in segments for h in s.hits if h.kind != "keep"]
    assert Counter(hits) == Counter(FIXES_AND_TERMS)


def test_every_kept_name_is_hit(segments):
    kept = {doc: Counter() for doc in KEPT}
    for s in segments:
        for h in s.hits:
            if h.kind == "keep":
                assert h.target == h.source
                kept[s.doc[:3]][h.source] += 1
    assert {doc: dict(c) for doc, c in kept.items()} == KEPT


def test_known_non_hits(segments):
    for doc, block, text in NOT_HITS:
        [seg] = [s for s in segments if (s.doc[:3], s.block) == (doc, block) and text in s.source]
        start = seg.start + seg.source.index(text)
        end = start + len(text)
        overlapping = [h for h in seg.hits if h.start < end and start < h.end]
        assert all(h.kind == "keep" and h.source in text for h in overlapping), (doc, block, text)
        assert text != "x.ai" or not overlapping


def test_engine_input_of_the_source_fixes(segments):
    """Fixes repair the French into French; term and keep hits leave the engine input alone."""
    inputs = {s.key[:3] + s.key[20:]: s.engine_input for s in segments if s.engine_input}
    assert inputs["002:2:0"] == "Bataille juridique – Musk contre OpenAI"
    assert "« parrain de l’AGI »" in inputs["002:6:2"]
    assert "que l’IA soit développée" in inputs["002:8:1"]
    assert "un modèle à but non lucratif à un modèle à « profit plafonné »" in inputs["002:15:0"]
    assert "une entité à but lucratif sous son contrôle" in inputs["003:4:3"]
    assert "demande de commentaires de Business Insider" in inputs["004:19:0"]
    fixed = [s for s in segments if any(h.kind == "fix" for h in s.hits)]
    assert len(inputs) == len(fixed)
    for seg in segments:
        if seg.hits and all(h.kind != "fix" for h in seg.hits):
            assert seg.engine_input is None and seg.mt_input == seg.source


def test_fix_hits_carry_their_repair_and_terms_their_renderings_to_avoid(segments):
    hits = [h for s in segments for h in s.hits]
    assert {h.repair for h in hits if h.source == "interface utilisateur"} == {"IA"}
    assert all(h.repair == "" for h in hits if h.kind != "fix")
    assert {tuple(h.avoid) for h in hits if h.source == "procès"} == {("trial",)}


# --- the file as other tools read it -----------------------------------------------------------


def entry_rows() -> list[tuple[str, str, str]]:
    return [(e.source, e.target, e.comment) for e in load_glossary(GLOSSARY).entries]


def test_translate_toolkit_reads_the_glossary():
    """translate-toolkit's OmegaT reader has no comment syntax: '#' lines come back as units
    whose source starts with '#' (OmegaT itself skips them); every entry reads identically."""
    from translate.storage.omegat import OmegaTFile

    store = OmegaTFile(GLOSSARY.read_bytes())
    units = [(u.source, u.target, u.getnotes()) for u in store.units if not u.source.startswith("#")]
    assert units == entry_rows()


def omegat_java() -> str:
    """``java``, when OmegaT's jar is there to run with it (else skip, or fail in CI)."""
    java = require_tool("java")
    if not OMEGAT_JAR.exists():
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{OMEGAT_JAR} is missing ({REQUIRE_ENV}=1)")
        pytest.skip("OmegaT is not installed")
    return java


def test_omegat_reads_the_glossary(tmp_path):
    """OmegaT's own TSV glossary reader (OmegaT.jar, Debian's omegat) returns every entry.

    OmegaT 3.6 reads glossaries named *.txt, *.utf8 or *.tab, not *.tsv (test below)."""
    java = omegat_java()
    shutil.copy(GLOSSARY, tmp_path / "glossary.utf8")
    probe = tmp_path / "ReadGlossary.java"
    probe.write_text(
        "import java.io.File;\n"
        "import org.omegat.gui.glossary.GlossaryEntry;\n"
        "import org.omegat.gui.glossary.GlossaryReaderTSV;\n"
        "public class ReadGlossary {\n"
        "  public static void main(String[] args) throws Exception {\n"
        "    for (GlossaryEntry e : GlossaryReaderTSV.read(new File(args[0]), false))\n"
        '      System.out.println(e.getSrcText() + "\\t" + e.getLocText() + "\\t" + e.getCommentText());\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [java, "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-cp", str(OMEGAT_JAR),
         str(probe), str(tmp_path / "glossary.utf8")],
        capture_output=True, check=True, timeout=120,
    ).stdout.decode("utf-8")
    assert [tuple(line.split("\t")) for line in out.splitlines()] == entry_rows()


def test_omegat_loads_the_glossary_named_as_it_reads_glossaries(tmp_path):
    """OmegaT 3.6's own choice by file name (``GlossaryManager.loadGlossaryFile``, the method
    its glossary folder watcher calls): ``glossary.txt`` (its default glossary file), ``.utf8``
    and ``.tab`` are read, ``glossary.tsv`` is not; the UTF-8 accents survive a Latin-1
    platform default (``.txt``/``.tab`` are decoded by its encoding detector)."""
    java = omegat_java()
    names = ["glossary.tsv", "glossary.txt", "glossary.utf8", "glossary.tab"]
    for name in names:
        shutil.copy(GLOSSARY, tmp_path / name)
    probe = tmp_path / "LoadGlossary.java"
    probe.write_text(
        "import java.io.File;\n"
        "import java.lang.reflect.Field;\n"
        "import java.lang.reflect.Method;\n"
        "import java.util.List;\n"
        "import org.omegat.gui.glossary.GlossaryEntry;\n"
        "import org.omegat.gui.glossary.GlossaryManager;\n"
        "public class LoadGlossary {\n"
        "  public static void main(String[] args) throws Exception {\n"
        "    GlossaryManager manager = new GlossaryManager(null);\n"
        '    Field priority = GlossaryManager.class.getDeclaredField("priorityGlossary");\n'
        "    priority.setAccessible(true);\n"
        '    priority.set(manager, new File("glossary/glossary.txt"));\n'
        '    Method load = GlossaryManager.class.getDeclaredMethod("loadGlossaryFile", File.class);\n'
        "    load.setAccessible(true);\n"
        "    for (String name : args) {\n"
        "      List<?> entries = (List<?>) load.invoke(manager, new File(name));\n"
        '      String first = entries == null ? "" : ((GlossaryEntry) entries.get(0)).getSrcText();\n'
        '      System.out.println(new File(name).getName() + "\\t" + (entries == null ? "-"\n'
        '          : entries.size() + "\\t" + first.equals("assurance-ch\\u00f4mage")));\n'
        "    }\n"
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [java, "-Dfile.encoding=ISO-8859-1", "-cp", str(OMEGAT_JAR), str(probe),
         *(str(tmp_path / name) for name in names)],
        capture_output=True, check=True, timeout=120,
    ).stdout.decode("ascii")
    assert out.splitlines() == [
        "glossary.tsv\t-", "glossary.txt\t62\ttrue", "glossary.utf8\t62\ttrue",
        "glossary.tab\t62\ttrue",
    ]
