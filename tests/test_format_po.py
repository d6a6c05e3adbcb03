"""po/<stem>.po: PO writer (fuzzy MT, reviewed non-fuzzy, comments, header) and reader."""

from __future__ import annotations

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.po import read_po, write_po
from fr2en_dossier.model import (
    FIX, HEADING, PARAGRAPH, REPETITION, TERM_MISSING, UNTRANSLATED, Hit, Segment,
)


def sample_segments() -> list[Segment]:
    fix = Hit(0, 21, "interface utilisateur", "AI", FIX, "", "interface utilisateur")
    return [
        Segment("000_a", 0, 0, HEADING, 0, 14, "Musk v. OpenAI", target="Musk v. OpenAI",
                origin="mt"),
        Segment("000_a", 1, 0, PARAGRAPH, 0, 40, "L’interface utilisateur « 100 % » \"dit\" \\o/",
                target="AI \"says\" \\o/", hits=[fix], flags=[TERM_MISSING], origin="mt"),
        Segment("000_a", 1, 1, PARAGRAPH, 41, 57, "Rien à signaler.", flags=[UNTRANSLATED]),
        Segment("000_a", 2, 0, PARAGRAPH, 0, 16, "Rien à signaler.", target="Nothing to report.",
                origin="review"),
    ]  # fmt: skip


def test_header_says_english_utf8_and_names_the_document(tmp_path):
    path = tmp_path / "000_a.po"
    write_po(sample_segments(), path)
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == "en"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Content-Transfer-Encoding"] == "8bit"
    assert po.metadata["Project-Id-Version"] == "000_a"
    assert po.metadata["PO-Revision-Date"] and po.metadata["Last-Translator"]
    assert "fr2en review import" in po.header


def test_one_entry_per_segment_fuzzy_until_reviewed(tmp_path):
    path = tmp_path / "000_a.po"
    segments = sample_segments()
    write_po(segments, path)
    units = read_po(path)
    assert [u.context for u in units] == [s.key for s in segments]
    assert [u.source for u in units] == [s.source for s in segments]
    targets = ["Musk v. OpenAI", 'AI "says" \\o/', "", "Nothing to report."]
    assert [u.target for u in units] == targets
    # MT: fuzzy; no English: nothing to be fuzzy about; reviewed: not fuzzy.
    assert [u.fuzzy for u in units] == [True, True, False, False]


def test_equal_french_sentences_stay_distinct_entries(tmp_path):
    path = tmp_path / "000_a.po"
    write_po(sample_segments(), path)
    entries = [e for e in polib.pofile(str(path)) if e.msgid == "Rien à signaler."]
    assert [e.msgctxt for e in entries] == ["000_a:1:1", "000_a:2:0"]


def test_hits_flags_and_kind_are_extracted_comments(tmp_path):
    path = tmp_path / "000_a.po"
    segments = sample_segments()
    segments[1].hits[0].en_start, segments[1].hits[0].en_end = 0, 2  # what QA aligns
    segments[1].flags.append(REPETITION)
    segments[1].reasons[REPETITION] = "“no” is repeated in the English, not in the French"
    write_po(segments, path)
    units = read_po(path)
    assert units[1].notes == [
        "kind: paragraph",
        "glossary fix: interface utilisateur → AI [English 0-2: AI]",
        "flag term-missing",
        "flag repetition: “no” is repeated in the English, not in the French",
    ]
    assert units[0].notes == ["kind: heading"]
    assert units[2].notes == ["kind: paragraph", "flag untranslated"]
    text = path.read_text(encoding="utf-8")
    assert "#. glossary fix: interface utilisateur → AI [English 0-2: AI]\n" in text
    assert "\n# " not in text.split('msgid ""', 1)[1]  # translator comments are left to people


def test_reviewed_entry_with_mismatched_edge_newlines_stays_fuzzy(tmp_path):
    path = tmp_path / "x.po"
    seg = Segment("x", 0, 0, PARAGRAPH, 0, 5, "\nLigne", target="Line", origin="review")
    write_po([seg], path)
    assert read_po(path)[0].fuzzy


_text = st.text(st.characters(exclude_categories=()), max_size=30)  # controls, surrogates too


def _keep(text: str) -> str:
    """What a PO file can carry: XML 1.0's Char production, gettext's needs being a subset."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD
        or ord(c) >= 0x10000
    )  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            _text.filter(lambda s: _keep(s) != ""),
            st.none() | _text,
            st.sampled_from(["", "mt", "cache", "review"]),
        ),
        max_size=6,
    )
)
def test_any_text_round_trips(tmp_path, rows):
    segments = [
        Segment("doc", n, 0, PARAGRAPH, 0, len(source), source, target=target, origin=origin)
        for n, (source, target, origin) in enumerate(rows)
    ]
    path = tmp_path / "doc.po"
    dropped = write_po(segments, path)
    units = read_po(path)
    assert [u.context for u in units] == [s.key for s in segments]
    assert [u.source for u in units] == [_keep(s.source) for s in segments]
    assert [u.target for u in units] == [_keep(s.target or "") for s in segments]
    for unit, seg in zip(units, segments, strict=True):
        if unit.target and seg.origin != "review":
            assert unit.fuzzy
    texts = [s.source for s in segments] + [s.target or "" for s in segments]
    assert dropped == sum(len(t) - len(_keep(t)) for t in texts)


def test_obsolete_entries_are_not_read(tmp_path):
    path = tmp_path / "x.po"
    write_po(sample_segments()[:1], path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('\n#~ msgctxt "old:0:0"\n#~ msgid "Vieux"\n#~ msgstr "Old"\n')
    assert [u.context for u in read_po(path)] == ["000_a:0:0"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('msgid "a"\nmsgstr "b"\nbogus line\n', r"bad\.po:3: PO syntax error"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr ""\n', r"bad\.po:4: PO syntax error"),
        ('msgid "a"\r\nmsgstr "b" junk\r\n', r"bad\.po:2: PO syntax error"),
        ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', r"bad\.po:3: PO syntax error"),
        ('msgid "a "quoted" b"\nmsgstr ""\n', r"bad\.po:1: PO syntax error"),
    ],
)
def test_a_bad_po_is_one_error_naming_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.po"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Fr2enError, match=message) as err:
        read_po(path)
    assert "\n" not in str(err.value)


def test_a_po_not_in_its_encoding_is_a_user_error(tmp_path):
    path = tmp_path / "latin.po"
    path.write_bytes('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                     'msgid "é"\nmsgstr ""\n'.encode("latin-1"))  # fmt: skip
    with pytest.raises(Fr2enError, match=r"latin\.po: not in its declared encoding"):
        read_po(path)


def test_a_missing_po_is_a_user_error_not_po_text(tmp_path):
    """polib parses a string that is no existing path as PO content: never let it."""
    with pytest.raises(Fr2enError, match=r"gone\.po: cannot read: No such file"):
        read_po(tmp_path / "gone.po")
