"""report.json: writer, reader, round trip of every Segment field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.formats.report import RunInfo, load_report, read_report, write_report
from fr2en_dossier.model import parts_of
from fr2en_dossier.model import (
    BLOCK_KINDS,
    ENTRY_KINDS,
    FIX,
    FLAGS,
    NUMBER_MISMATCH,
    PARAGRAPH,
    TERM_MISSING,
    Hit,
    Segment,
)

_text = st.text(max_size=40)
_hits = st.builds(
    Hit,
    start=st.integers(0, 500),
    end=st.integers(0, 500),
    source=_text,
    target=_text,
    kind=st.sampled_from(ENTRY_KINDS),
    comment=_text,
    entry=_text,
    repair=_text,
    avoid=st.lists(_text, max_size=2),
    en_start=st.none() | st.integers(0, 500),
    en_end=st.none() | st.integers(0, 500),
)
_segments = st.builds(
    Segment,
    doc=st.text(min_size=1, max_size=12),
    block=st.integers(0, 10**4),
    index=st.integers(0, 100),
    kind=st.sampled_from(BLOCK_KINDS),
    start=st.integers(0, 10**4),
    end=st.integers(0, 10**4),
    source=_text,
    engine_input=st.none() | _text,
    target=st.none() | _text,
    hits=st.lists(_hits, max_size=3),
    flags=st.lists(st.sampled_from(FLAGS), max_size=3, unique=True),
    score=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    origin=st.sampled_from(["", "mt", "cache", "review"]),
    term_method=st.sampled_from(["", "n-best", "prefix", "forced"]),
    reasons=st.dictionaries(st.sampled_from(FLAGS), _text, max_size=2),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(_segments, max_size=6))
def test_every_segment_field_round_trips(tmp_path, segments):
    path = tmp_path / "report.json"
    parts = parts_of(segments)  # grouped by document, in the order each first appears
    write_report(parts, path, RunInfo())
    assert read_report(path) == [seg for part in parts for seg in part.segments]


def _two_segments():
    source = "L'assurance-chômage coûte 60 millions."
    return [
        Segment(
            "doc",
            0,
            0,
            PARAGRAPH,
            0,
            len(source),
            source,
            engine_input="L'AGI coûte 60 millions.",
            target="AGI costs 16 million.",
            hits=[Hit(2, 19, "assurance-chômage", "AGI", FIX, "UI", repair="AGI", en_start=0, en_end=3)],
            flags=[NUMBER_MISMATCH, TERM_MISSING],
            reasons={NUMBER_MISMATCH: "number(s) of the French missing from the English: 60 millions"},
            score=-0.25,
            origin="mt",
        ),
        Segment("doc", 1, 0, PARAGRAPH, 0, 3, "Fin", target=None, flags=[TERM_MISSING]),
    ]


def test_report_layout_totals_and_run_info(tmp_path):
    run = RunInfo(
        engine="translate-fr_en 1.9",
        engine_options={"beam_size": 4},
        glossary="glossary.tsv",
        memory="memory.tmx",
        include_boilerplate=True,
        xml_chars_dropped=3,
    )
    path = write_report(parts_of(_two_segments()), tmp_path / "out" / "report.json", run)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["totals"]["segments"] == 2
    assert data["totals"]["translated"] == 1
    assert data["totals"]["origins"] == {"mt": 1}
    assert data["totals"]["flags"] == {
        **dict.fromkeys(FLAGS, 0),
        NUMBER_MISMATCH: 1,
        TERM_MISSING: 2,
    }
    first = data["segments"][0]
    assert first["key"] == "doc:0:0"
    assert (first["doc"], first["block"], first["index"], first["kind"]) == ("doc", 0, 0, PARAGRAPH)
    assert first["engine_input"] == "L'AGI coûte 60 millions."
    assert first["hits"][0] == {
        "start": 2,
        "end": 19,
        "source": "assurance-chômage",
        "target": "AGI",
        "kind": FIX,
        "comment": "UI",
        "entry": "",
        "repair": "AGI",
        "avoid": [],
        "en_start": 0,
        "en_end": 3,
    }
    assert first["reasons"] == {
        NUMBER_MISMATCH: "number(s) of the French missing from the English: 60 millions"
    }
    assert first["score"] == -0.25
    assert load_report(path).run == run


def test_non_finite_scores_are_written_as_null(tmp_path):
    seg = _two_segments()[0]
    seg.score = float("-inf")
    path = write_report(parts_of([seg]), tmp_path / "report.json", RunInfo())
    assert json.loads(path.read_text(encoding="utf-8"))["segments"][0]["score"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not a readable report"),
        (b"\xff\xfe", "not a readable report"),
        (b"[]", "not a fr2en report"),
        (b'{"format": 1, "segments": [{"doc": "d"}]}', "segment 1:"),
        (
            b'{"format": 1, "segments": [{"doc": "d", "block": "x", "index": 0,'
            b' "kind": "paragraph",'
            b' "start": 0, "end": 1, "source": "a"}]}',
            "segment 1: block must be an integer",
        ),
        (b'{"format": 1, "segments": [7]}', "segment 1:"),
        (
            b'{"format": 1, "run": {"mt": true}, "segments": [{"doc": "d", "block": 0, "index": 0,'
            b' "kind": "paragraph", "start": 0, "end": 1, "source": "a", "hits": [{"start": 0}]}]}',
            "segment 1:",
        ),
    ],
)
def test_a_bad_report_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "report.json"
    path.write_bytes(content)
    with pytest.raises(Fr2enError) as err:
        read_report(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_a_missing_report_says_what_to_do(tmp_path):
    with pytest.raises(Fr2enError, match="run `fr2en translate` first"):
        read_report(tmp_path / "report.json")


def test_unknown_keys_from_a_newer_report_are_ignored(tmp_path):
    path = write_report(parts_of(_two_segments()), tmp_path / "report.json", RunInfo())
    data = json.loads(path.read_text(encoding="utf-8"))
    data["run"]["future"] = 1
    data["segments"][0]["future"] = 2
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_report(path) == _two_segments()


def test_a_report_is_read_a_line_at_a_time_or_whole_and_by_document(tmp_path):
    """As written, the report is read line by line; re-laid out by another tool (indented),
    it is read whole; both give the same, and ``docs`` keeps those documents only."""
    from fr2en_dossier.model import Document, Segment

    segments = [Segment(doc, i, 0, "paragraph", 0, 5, f"Phrase {doc}{i}.", target="En.")
                for doc in ("a", "b", "c") for i in range(2)]
    documents = [Document(doc, Path(f"{doc}.txt")) for doc in ("a", "b", "c")]
    path = write_report(parts_of(segments, documents), tmp_path / "report.json",
                        RunInfo(id="run-1", documents=documents))
    indented = tmp_path / "indented.json"
    indented.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2),
                        encoding="utf-8")
    for file in (path, indented):
        assert load_report(file).segments == segments
        some = load_report(file, {"b"})
        assert some.segments == segments[2:4] and some.run.id == "run-1"
        assert [d.stem for d in some.run.documents] == ["b"]
    broken = tmp_path / "broken.json"
    broken.write_text(path.read_text(encoding="utf-8").replace('"doc": "b"', '"doc": b', 1),
                      encoding="utf-8")
    with pytest.raises(Fr2enError, match="broken.json: not a readable report"):
        load_report(broken)
