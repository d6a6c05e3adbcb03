"""LibreOffice headless conversions and package comparisons, for the office formats' tests."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from lxml import etree
from support.interop import require_tool

_LABEL = re.compile(r"^(?:\d+[.)]|[a-zA-Z][.)]|[ivxlcIVXLC]+[.)]|[•◦▪·–-])\s+")
_NOTE_MARK = re.compile(r"(?<=[.\w])(?:\d+|[ivx]+)(?=\s|$)")


def words(text: str) -> str:
    return " ".join(text.split())


def convert(files: list[Path], to: str, outdir: Path, profile: Path) -> list[Path]:
    """``files`` converted by LibreOffice (``soffice --convert-to to``, one process for all);
    the files it wrote, failing the test for any it could not open."""
    soffice = require_tool("soffice")
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", to,
         "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    written = [outdir / f"{path.stem}.{to.split(':')[0]}" for path in files]
    for path, out in zip(files, written):
        assert out.is_file(), f"LibreOffice did not open {path.name}"
    return written


def text_lines(files: list[Path], outdir: Path, profile: Path) -> dict[str, list[str]]:
    """LibreOffice's text export of each file: its non-blank lines, white space folded."""
    texts = {}
    for path, out in zip(files, convert(files, "txt:Text (encoded):UTF8", outdir, profile)):
        lines = out.read_text("utf-8").lstrip("\ufeff").splitlines()
        texts[path.name] = [words(line) for line in lines if line.strip()]
    return texts


def is_a_unit(line: str, units: set[str]) -> bool:
    """Whether a line of LibreOffice's text export is one of ``units`` (as text), once the
    list label or note mark LibreOffice writes as text is left aside."""
    readings = {line, _LABEL.sub("", line)}
    readings |= {_NOTE_MARK.sub("", reading) for reading in readings}
    return bool(readings & units)


def entries(path: Path) -> dict[str, bytes]:
    """A zip package's entries, in order."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def counts(parts: dict[str, bytes], names, tags: list[str]) -> dict[str, int]:
    """How many elements of each (Clark-notation) tag the XML entries ``names`` hold."""
    found = dict.fromkeys(tags, 0)
    for name, data in parts.items():
        if names(name):
            root = etree.fromstring(data)
            for tag in tags:
                found[tag] += sum(1 for _ in root.iter(tag))
    return found
