"""dossier.tmx: TMX 1.4b writer (DTD-valid, lossless but for XML-forbidden characters), reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from support.tmx_dtd import DTD_FILE, assert_valid_tmx

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.tmx import read_tmx, write_tmx
from fr2en_dossier.model import make_key, parse_key
from fr2en_dossier.model import FIX, FLAGS, HEADING, KEEP, PARAGRAPH, TERM_MISSING, Hit, Segment

SHARED_DTD = Path(__file__).resolve().parents[2] / "shared" / "spec" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml_allowed(char: str) -> bool:
    """XML 1.0 production [2] Char, written out independently of the module under test."""
    code = ord(char)
    return (
        char in "\t\n\r"
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def sample_segments() -> list[Segment]:
    fix = Hit(12, 35, "interface utilisateur", "AI", FIX, "MT garbage", "interface utilisateur")
    keep = Hit(0, 9, "Elon Musk", "Elon Musk", KEEP)
    return [
        Segment("000_a", 0, 0, HEADING, 0, 14, "Musk v. OpenAI", target="Musk v. OpenAI"),
        Segment(
            "000_a", 1, 0, PARAGRAPH, 0, 52,
            "Elon Musk et l’interface utilisateur « générale » <b>&</b>.",
            target="Elon Musk and general AI <b>&</b>.",
            hits=[keep, fix], flags=[TERM_MISSING], score=-0.4, origin="mt",
        ),
        Segment("000_a", 1, 1, PARAGRAPH, 53, 70, "Rien à signaler."),
        Segment(
            "001_b", 0, 0, PARAGRAPH, 0, 16, "Rien à signaler.",
            target="Nothing to report.", origin="review",
        ),
    ]  # fmt: skip


def test_output_is_valid_tmx_14b_with_the_header_of_the_issue(tmp_path):
    path = tmp_path / "dossier.tmx"
    assert write_tmx(sample_segments(), path) == 0
    assert_valid_tmx(path)
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("srclang") == "fr"
    assert header.get("segtype") == "sentence"
    assert header.get("creationtool") == "fr2en-dossier"
    assert header.get("datatype") == "plaintext"
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx")


def test_one_tu_per_segment_with_key_props_notes_and_languages(tmp_path):
    path = tmp_path / "dossier.tmx"
    segments = sample_segments()
    write_tmx(segments, path)
    tus = etree.parse(str(path)).getroot().find("body").findall("tu")
    assert [tu.get("tuid") for tu in tus] == [s.key for s in segments]

    tu = tus[1]
    props = [(p.get("type"), p.text) for p in tu.findall("prop")]
    assert props == [
        ("x-document", "000_a"),
        ("x-block", "1"),
        ("x-index", "0"),
        ("x-kind", PARAGRAPH),
        ("x-origin", "mt"),
        ("x-flag", TERM_MISSING),
    ]
    notes = [n.text for n in tu.findall("note")]
    assert notes == [
        "glossary keep: Elon Musk → Elon Musk",
        "glossary fix: interface utilisateur → AI — MT garbage",
    ]
    tuvs = tu.findall("tuv")
    assert [t.get(XML_LANG) for t in tuvs] == ["fr", "en"]
    assert tuvs[0].findtext("seg") == segments[1].source
    assert tuvs[1].findtext("seg") == segments[1].target


def test_a_segment_without_english_has_no_english_variant(tmp_path):
    """OmegaT would insert an empty <seg> as an empty translation: leave the variant out."""
    path = tmp_path / "dossier.tmx"
    write_tmx(sample_segments(), path)
    tu = etree.parse(str(path)).getroot().find("body").findall("tu")[2]
    assert [t.get(XML_LANG) for t in tu.findall("tuv")] == ["fr"]
    assert read_tmx(path)[2].target is None


def test_reader_gives_back_what_the_writer_wrote(tmp_path):
    path = tmp_path / "dossier.tmx"
    segments = sample_segments()
    write_tmx(segments, path)
    units = read_tmx(path)
    assert [(u.tuid, u.doc, u.block, u.index) for u in units] == [
        (s.key, s.doc, s.block, s.index) for s in segments
    ]
    assert [u.source for u in units] == [s.source for s in segments]
    assert [u.target for u in units] == [s.target or None for s in segments]
    assert units[1].prop("x-flag") == [TERM_MISSING]
    assert units[3].prop("x-origin") == ["review"]
    assert units[1].notes[1].startswith("glossary fix")
    assert units[0].line > 0 and units[0].line < units[1].line


_any_text = st.text(st.characters(exclude_categories=()), max_size=30)  # controls, surrogates too


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=8),
            _any_text,
            st.none() | _any_text,
            st.lists(st.sampled_from(FLAGS), max_size=2, unique=True),
        ),
        max_size=6,
    )
)
def test_any_text_round_trips_minus_the_characters_xml_forbids(tmp_path, rows):
    segments = [
        Segment(doc, n, 0, PARAGRAPH, 0, len(source), source, target=target, flags=flags)
        for n, (doc, source, target, flags) in enumerate(rows)
    ]
    path = tmp_path / "dossier.tmx"
    dropped = write_tmx(segments, path)

    def keep(text: str) -> str:
        return "".join(c for c in text if xml_allowed(c))

    texts = [s.key for s in segments] + [s.source for s in segments]
    texts += [s.target for s in segments if s.target]
    texts += [flag for s in segments for flag in s.flags] + [s.doc for s in segments]
    assert dropped == sum(len(t) - len(keep(t)) for t in texts)
    assert_valid_tmx(path)
    units = read_tmx(path)
    assert len(units) == len(segments)
    assert [u.tuid for u in units] == [keep(s.key) for s in segments]
    assert [u.source for u in units] == [keep(s.source) for s in segments]
    assert [u.target for u in units] == [keep(s.target) if s.target else None for s in segments]
    assert [u.block for u in units] == [s.block for s in segments]


def test_foreign_tmx_languages_inline_codes_and_missing_props(tmp_path):
    """An edited TMX from another tool: region subtags, deprecated lang, <ph>/<hi>, no props."""
    path = tmp_path / "edited.tmx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="fr-FR" datatype="plaintext"/>
<body>
<tu tuid="doc:3:1"><tuv xml:lang="FR-fr"><seg>Le <ph>&lt;b&gt;</ph>chat</seg></tuv>
<tuv lang="en-GB"><seg>The <hi type="x">black</hi> <bpt i="1">{</bpt>cat<ept i="1">}</ept></seg>
</tuv></tu>
<tu><tuv xml:lang="fr"><seg>Sans clé</seg></tuv></tu>
</body></tmx>
""",
        encoding="utf-8",
    )
    first, second = read_tmx(path)
    assert (first.doc, first.block, first.index) == ("doc", 3, 1)
    assert (first.source, first.target) == ("Le chat", "The black cat")
    assert (second.tuid, second.block, second.target) == ("", None, None)


def test_entities_are_not_expanded(tmp_path):
    """No XXE: an external entity in an edited TMX is never read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "evil.tmx"
    path.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="fr" datatype="plaintext"/>
<body><tu tuid="d:0:0"><tuv xml:lang="fr"><seg>a&x;b</seg></tuv></tu></body></tmx>
""",
        encoding="utf-8",
    )
    assert "SECRET" not in read_tmx(path)[0].source


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"bad\.tmx:1: not well-formed XML"),
        ("<tmx>\n<body>\n<tu><tuv xml:lang='fr'><seg>x</tuv>", r"bad\.tmx:3: not well-formed"),
        ("<?xml version='1.0'?>\n<xliff/>", r"bad\.tmx:2: not a TMX file"),
        ("<tmx><body>\n<tu tuid='a:0:0'><tuv xml:lang='en'><seg>x</seg></tuv></tu></body></tmx>",
         r"bad\.tmx:2: <tu> without a French"),
    ],
)
def test_bad_tmx_is_one_error_naming_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Fr2enError, match=message) as err:
        read_tmx(path)
    assert "\n" not in str(err.value)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(Fr2enError, match=r"nowhere\.tmx: cannot read"):
        read_tmx(tmp_path / "nowhere.tmx")


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    path = tmp_path / "dossier.tmx"
    write_tmx(sample_segments(), path)
    before = path.read_bytes()
    broken = sample_segments()
    broken[0].source = None  # not text: the writer fails before replacing the file
    with pytest.raises(TypeError):
        write_tmx(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.tmx"]


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("000_a:12:3", ("000_a", 12, 3)),
        ("a:b:1:2", ("a:b", 1, 2)),
        ("plain", None),
        ("doc:x:1", None),
        (":1:2", None),
    ],
)
def test_parse_key_inverts_make_key(key, parts):
    if parts is None:
        with pytest.raises(ValueError, match="not a segment key"):
            parse_key(key)
    else:
        assert parse_key(key) == parts and make_key(*parts) == key


def test_the_dtd_used_here_is_the_shared_spec():
    if not SHARED_DTD.exists():
        pytest.skip("no ../shared/spec in this checkout")
    assert DTD_FILE.read_bytes() == SHARED_DTD.read_bytes()
