"""GNU gettext's ``msgfmt -c --check-format`` accepts every PO file we write."""

from __future__ import annotations

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.interop import require_tool
from support.sample_dossier import seed_segments

from fr2en_dossier.formats.po import write_po
from fr2en_dossier.model import PARAGRAPH, Segment, by_document


def msgfmt_check(msgfmt: str, path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [msgfmt, "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_msgfmt_accepts_the_dossier_po_files(tmp_path):
    msgfmt = require_tool("msgfmt")
    for doc, segments in by_document(seed_segments()).items():
        path = tmp_path / f"{doc}.po"
        write_po(segments, path)
        result = msgfmt_check(msgfmt, path)
        assert result.returncode == 0, result.stderr
        assert "warning" not in result.stderr, result.stderr  # complete header too


_text = st.text(st.characters(exclude_categories=()), max_size=20)  # controls, surrogates too


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_text, st.none() | _text, st.sampled_from(["mt", "review"])),
                max_size=5))  # fmt: skip
def test_msgfmt_accepts_po_files_of_any_text(tmp_path, rows):
    """Newlines at the edges, duplicates, empty strings, control characters, printf-like text."""
    msgfmt = require_tool("msgfmt")
    segments = [
        Segment("doc", n, 0, PARAGRAPH, 0, len(source), source, target=target, origin=origin)
        for n, (source, target, origin) in enumerate(rows)
    ]
    path = tmp_path / "doc.po"
    write_po(segments, path)
    result = msgfmt_check(msgfmt, path)
    assert result.returncode == 0, result.stderr + path.read_text(encoding="utf-8")
