"""glossary.tsv reading, lint and `add` (the file side of the glossary)."""

from __future__ import annotations

import re

import pytest

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.glossary import add_entry, lint_glossary, load_glossary, read_glossary
from fr2en_dossier.glossary.entries import FILE_HEADER, Entry, format_row, parse_row


def write(tmp_path, text: str, name: str = "g.tsv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def messages(path) -> list[tuple[int, str, str]]:
    return [(p.line, p.severity, p.message) for p in lint_glossary(path)]


def test_columns_comments_and_defaults(tmp_path):
    path = write(
        tmp_path,
        "# comment\n\n"
        "assurance-chômage\tAGI\tUI → unemployment insurance\tfix\n"
        "IA\tAI\t\tterm\texact\n"
        "conseil d'administration\tboard\t\t\t\tplural, feminine\n"
        "PDG\tCEO\n",
    )
    entries = load_glossary(path).entries
    assert entries == [
        Entry("assurance-chômage", "AGI", "UI → unemployment insurance", "fix", False, (), 3),
        Entry("IA", "AI", "", "term", True, (), 4),
        Entry("conseil d'administration", "board", "", "term", False, ("plural", "feminine"), 5),
        Entry("PDG", "CEO", "", "term", False, (), 6),
    ]


def test_bom_crlf_and_surrounding_spaces_are_accepted(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes("\ufeff# h\r\n PDG \t CEO \r\n".encode())
    assert [(e.source, e.target, e.line) for e in load_glossary(path).entries] == [("PDG", "CEO", 2)]


@pytest.mark.parametrize(
    "row, message",
    [
        ("PDG", "missing target"),
        ("PDG\t\tcomment", "missing target"),
        ("\tCEO", "empty source"),
        ("PDG\tCEO\t\tsynonym", "unknown kind 'synonym'"),
        ("PDG\tCEO\t\tterm\tupper", "unknown case 'upper'"),
        ("PDG\tCEO\t\tterm\t\tdual", "unknown forms 'dual'"),
        ("« profit limité »\tcapped-profit", "must start and end with a letter or digit"),
        ("l'assurance-chômage\tAGI", "starts with the elision \"l'\""),
        ("OpenAI\tOpen AI\t\tkeep", "keep entry's target must be its source"),
        ("source\ttarget\tcomment", "column header"),
    ],
)
def test_malformed_row_is_reported_with_its_line(tmp_path, row, message):
    path = write(tmp_path, f"# header\nIA\tAI\n{row}\n")
    [(line, severity, text)] = messages(path)
    assert (line, severity) == (3, "error") and message in text
    with pytest.raises(Fr2enError) as err:
        load_glossary(path)
    assert str(err.value).startswith(f"{path}:3: ") and err.value.exit_code == 2


def test_conflicting_targets_are_an_error_and_duplicates_a_warning(tmp_path):
    path = write(tmp_path, "PDG\tCEO\nIA\tAI\npdg\tchief executive\nIA\tAI\tagain\n")
    assert messages(path) == [
        (3, "error",
         "conflicting targets: 'pdg' is already matched by line 1 (PDG → CEO), here → chief executive"),
        (4, "warning", "duplicate: 'IA' is already matched by line 2 (IA → AI)"),
    ]


def test_inflected_and_hyphen_forms_collide_with_other_entries(tmp_path):
    path = write(tmp_path, "e-mail\temail\t\tterm\t\tplural\nemails\tmails\n")
    [(line, severity, text)] = messages(path)
    assert (line, severity) == (2, "error") and "'emails' is already matched by line 1" in text


def test_case_sensitive_entries_differing_in_case_do_not_collide(tmp_path):
    path = write(tmp_path, "IA\tAI\t\tterm\texact\nIa\tIa\t\tkeep\texact\n")
    assert messages(path) == []


def test_extra_columns_are_a_warning(tmp_path):
    path = write(tmp_path, "PDG\tCEO\t\tterm\t\t\t\t\textra\n")
    assert messages(path) == [(1, "warning", "columns after 'avoid' are ignored")]
    assert load_glossary(path).entries[0].target == "CEO"


def test_repair_and_avoid_columns(tmp_path):
    path = write(tmp_path, "procès\tlawsuit\t\tterm\t\t\t\ttrial | court case\n"
                           "Trading Insider\tBusiness Insider\t\tfix\t\t\tBusiness Insider\n"
                           "profit limité\tcapped-profit\t\tfix\n"
                           "PDG\tCEO\t\tterm\t\t\tDG\n"
                           "IA\tAI\t\tterm\t\t\t\tAI|A.I.\n")
    assert messages(path) == [
        (3, "warning", "fix entry without a repair: the engine reads the French as it is"),
        (4, "error", "only a fix entry has a repair (the French the engine reads)"),
        (5, "error", "the target is among the renderings to avoid"),
    ]
    entries = read_glossary(path)[0].entries
    assert [(e.repair, e.avoid) for e in entries] == [
        ("", ("trial", "court case")), ("Business Insider", ()), ("", ())
    ]
    assert [format_row(e) for e in entries][:2] == [
        "procès\tlawsuit\t\tterm\t\t\t\ttrial|court case",
        "Trading Insider\tBusiness Insider\t\tfix\t\t\tBusiness Insider",
    ]


def test_load_names_the_first_error_and_counts_the_rest(tmp_path):
    path = write(tmp_path, "PDG\n\tx\nIA\tAI\n")
    with pytest.raises(Fr2enError, match=r":1: missing target .* \(and 1 more: run `fr2en glossary lint`\)"):
        load_glossary(path)


def test_unreadable_files_are_user_errors(tmp_path):
    with pytest.raises(Fr2enError, match="no such glossary file"):
        load_glossary(tmp_path / "missing.tsv")
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes("IA\tAI\nchômage\tunemployment\n".encode("latin-1"))
    with pytest.raises(Fr2enError, match=r"latin1.tsv:2: not UTF-8"):
        load_glossary(latin1)


def test_format_row_round_trips_through_parse_row():
    entry = Entry("bénéfice plafonné", "capped-profit", "calque", "fix", True, ("plural",), 7)
    assert format_row(entry) == "bénéfice plafonné\tcapped-profit\tcalque\tfix\texact\tplural"
    assert parse_row(format_row(entry).split("\t"), 7)[0] == entry
    assert format_row(Entry("PDG", "CEO")) == "PDG\tCEO\t\tterm"


# --- add -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "existing, expected_prefix",
    [
        (b"# h\nIA\tAI\n", b"# h\nIA\tAI\n"),
        (b"# h\nIA\tAI", b"# h\nIA\tAI\n"),  # a missing final line break is added, nothing changed
        (b"# h\r\nIA\tAI\r\n", b"# h\r\nIA\tAI\r\n"),
        (b"\xef\xbb\xbf# h\nIA\tAI\t\t \n\n", b"\xef\xbb\xbf# h\nIA\tAI\t\t \n\n"),
    ],
)
def test_add_keeps_existing_bytes(tmp_path, existing, expected_prefix):
    path = tmp_path / "g.tsv"
    path.write_bytes(existing)
    entry = add_entry(path, Entry("PDG", "CEO", "title", "term", exact_case=True))
    newline = b"\r\n" if b"\r\n" in existing else b"\n"
    assert path.read_bytes() == expected_prefix + b"PDG\tCEO\ttitle\tterm\texact" + newline
    assert entry.line == expected_prefix.count(newline) + 1
    assert [e.source for e in load_glossary(path).entries] == ["IA", "PDG"]


def test_add_then_lint_round_trip(tmp_path):
    path = tmp_path / "new.tsv"
    add_entry(path, Entry("assurance-chômage", "AGI", "UI → unemployment insurance", "fix",
                          forms=("plural",), repair="AGI"))
    add_entry(path, Entry("OpenAI", "OpenAI", kind="keep"))
    add_entry(path, Entry("procès", "lawsuit", avoid=("trial", "court case")))
    assert path.read_text(encoding="utf-8").startswith(FILE_HEADER)
    assert lint_glossary(path) == []
    entries = load_glossary(path).entries
    assert [(e.source, e.target, e.kind, e.forms, e.line, e.repair, e.avoid) for e in entries] == [
        ("assurance-chômage", "AGI", "fix", ("plural",), 3, "AGI", ()),
        ("OpenAI", "OpenAI", "keep", (), 4, "", ()),
        ("procès", "lawsuit", "term", (), 5, "", ("trial", "court case")),
    ]


@pytest.mark.parametrize(
    "source, target, message",
    [
        ("IA", "AI", "'IA' already in the glossary (IA → AI)"),
        ("ia", "intelligence", "'ia' conflicts with an entry of the glossary (IA → AI)"),
        ("assurances chômage", "AGI", "already in the glossary (assurance-chômage → AGI)"),
    ],
)
def test_add_refuses_duplicates_and_conflicts(tmp_path, source, target, message):
    path = write(tmp_path, "IA\tAI\nassurance-chômage\tAGI\t\tfix\t\tplural\n")
    before = path.read_bytes()
    with pytest.raises(Fr2enError, match=re.escape(message)):
        add_entry(path, Entry(source, target))
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "fields, message",
    [
        (("PDG", ""), "missing target"),
        (("PDG", "CEO\tchief"), "tab or a line break"),
        (("PDG", "CEO", "line\nbreak"), "tab or a line break"),
        (("OpenAI", "Open AI", "", "keep"), "keep entry's target"),
    ],
)
def test_add_refuses_invalid_entries(tmp_path, fields, message):
    path = write(tmp_path, "IA\tAI\n")
    with pytest.raises(Fr2enError, match=message):
        add_entry(path, Entry(*fields))
    assert path.read_bytes() == b"IA\tAI\n"


@pytest.mark.parametrize(
    "fields, code",
    [
        (("PDG", "CEO", "a\0b"), "U+0000"),
        (("PD\x01G", "CEO"), "U+0001"),
        (("PDG", "CEO\x7f"), "U+007F"),
        (("PDG", "CEO", "next line \x85"), "U+0085"),
        (("PDG\u2028", "CEO"), "U+2028"),
        (("PDG", "CEO\ufffe"), "U+FFFE"),
        (("PDG", "CEO", "", "term", False, (), 0, "", ("\ud800",)), "U+D800"),
    ],
)
def test_add_refuses_characters_a_glossary_cannot_hold_before_writing(tmp_path, fields, code):
    """Refused before anything is written (the file stays readable by every command)."""
    path = write(tmp_path, "IA\tAI\n")
    with pytest.raises(Fr2enError, match=f"contains {re.escape(code)} .*no control character"):
        add_entry(path, Entry(*fields))
    assert path.read_bytes() == b"IA\tAI\n"
    assert load_glossary(path).entries[0].source == "IA"


def test_a_control_character_in_the_file_is_a_lint_error_on_its_line(tmp_path):
    path = write(tmp_path, "IA\tAI\nPDG\tCEO\tbell\x07\nX\tX\t\tkeep\n")
    assert messages(path) == [(2, "error", "the comment contains U+0007 (a control character or "
                                           "noncharacter): a glossary field holds no control "
                                           "character, tab or line break")]


def test_add_refuses_to_extend_a_broken_glossary(tmp_path):
    path = write(tmp_path, "IA\n")
    with pytest.raises(Fr2enError, match=":1: missing target"):
        add_entry(path, Entry("PDG", "CEO"))
    assert path.read_bytes() == b"IA\n"
