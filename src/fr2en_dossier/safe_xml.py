"""Reading XML safely, for every XML fr2en reads (TMX, XLIFF, TBX files, the parts of Word,
OpenDocument and PowerPoint packages): entities never expanded, no DTD loaded, nothing
fetched (no XXE), deep nesting and long texts read (``huge_tree``), never cut."""

from __future__ import annotations

from pathlib import Path

from .errors import Fr2enError


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=True, remove_blank_text=False)


def parse_xml(path: Path):
    """The root element of the XML file at ``path``; Fr2enError naming the file (and line)
    when it is unreadable or not well-formed."""
    from lxml import etree

    try:
        with open(path, "rb") as fh:
            return etree.parse(fh, _parser()).getroot()
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    except etree.XMLSyntaxError as err:
        raise Fr2enError(f"{path}:{err.lineno}: not well-formed XML: {err.msg}") from None


def parse_xml_bytes(data: bytes, where: str):
    """The root element of XML ``data`` (a part of a package); Fr2enError naming ``where``."""
    from lxml import etree

    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise Fr2enError(f"{where}: not well-formed XML ({err})") from None
