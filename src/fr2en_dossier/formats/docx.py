"""``en/<stem>.docx``: the English article as a Word document, each paragraph in the input
paragraph's style (a style the default template lacks is added, based on Normal), runs bold,
italic or monospace as in the input, links as real hyperlinks."""

from __future__ import annotations

import io
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..model import BOLD, CODE, ITALIC, Document
from .runs import runs

CODE_FONT = "Courier New"
LINK_COLOR = "0563C1"  # Word's hyperlink blue


def write_docx(doc: Document, path: Path, run_id: str = "") -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = doc.title
    document.core_properties.author = doc.meta.get("author", "")
    document.core_properties.language = "en"
    document.core_properties.identifier = run_id
    for block in doc.blocks:
        paragraph = document.add_paragraph(style=_style(document, block.style or "Normal"))
        for text, styles, href in runs(block.text, block.spans):
            if href:
                add_hyperlink(paragraph, text, href, styles)
            else:
                _format(paragraph.add_run(text), styles)
    buffer = io.BytesIO()
    document.save(buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def _style(document, name: str):
    """The paragraph style ``name`` of ``document``, added (based on Normal) when missing."""
    from docx.enum.style import WD_STYLE_TYPE

    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        return style


def _format(run, styles) -> None:
    run.bold = True if BOLD in styles else None
    run.italic = True if ITALIC in styles else None
    if CODE in styles:
        run.font.name = CODE_FONT


def add_hyperlink(paragraph, text: str, url: str, styles=frozenset()):
    """Append a hyperlink to ``url`` showing ``text`` (python-docx has no API for it)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, True))
    run = paragraph.add_run(text)
    _format(run, styles)
    run.font.underline = True
    run.font.color.rgb = RGBColor.from_string(LINK_COLOR)
    link.append(run._r)  # moved from the paragraph into the hyperlink
    paragraph._p.append(link)
    return link
