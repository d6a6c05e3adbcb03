"""Validation of TMX files against the TMX 1.4b DTD (tests/data/tmx14.dtd, as ../shared/spec)."""

from __future__ import annotations

from pathlib import Path

DTD_FILE = Path(__file__).resolve().parent.parent / "data" / "tmx14.dtd"


def assert_valid_tmx(path: str | Path) -> None:
    """Fail with the DTD's error log unless the file at ``path`` is valid TMX 1.4b."""
    from lxml import etree

    dtd = etree.DTD(str(DTD_FILE))
    assert dtd.validate(etree.parse(str(path))), dtd.error_log.filter_from_errors()
