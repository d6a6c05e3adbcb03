"""Reading the XML files fr2en exchanges (TMX, XLIFF, TBX) safely."""

from __future__ import annotations

from pathlib import Path

from ..errors import Fr2enError


def parse_xml(path: Path):
    """The root element of the XML file at ``path``, entities never expanded and nothing
    fetched (no XXE); Fr2enError naming the file (and line) when it is unreadable or not
    well-formed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with open(path, "rb") as fh:
            return etree.parse(fh, parser).getroot()
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    except etree.XMLSyntaxError as err:
        raise Fr2enError(f"{path}:{err.lineno}: not well-formed XML: {err.msg}") from None
