"""The seed dossier as the pipeline sees it before writing outputs, without running MT.

Segments come from the real loader, segmenter and glossary; the English is set by hand (a
fake engine), with the cases output formats must handle: machine translations, reviewed ones,
segments without English, and a few hostile texts appended.
"""

from __future__ import annotations

from pathlib import Path

from fr2en_dossier.model import PARAGRAPH, Segment

ROOT = Path(__file__).resolve().parents[2]


def english(source: str) -> str:
    """A deterministic stand-in translation, distinct for distinct sources."""
    return f"EN {source.upper()}"


def seed_segments() -> list[Segment]:
    from fr2en_dossier.glossary import apply_glossary, load_glossary
    from fr2en_dossier.loader import load_documents
    from fr2en_dossier.qa import check_dossier
    from fr2en_dossier.segmenter import segment_documents

    segments = segment_documents(load_documents([ROOT / "seeds"]).documents)
    apply_glossary(segments, load_glossary(ROOT / "glossary.tsv"))
    for n, seg in enumerate(segments):
        if n % 10 == 9:
            continue  # no English: MT failed, or --no-mt
        seg.target, seg.origin = english(seg.source), "review" if n % 7 == 6 else "mt"
    hostile = [
        "<script>alert('x')</script> & « guillemets » \"quotes\" \\ %s %d {0}",
        "Contrôle\x01\x0b interdit\ufffe en XML",
        "Tab\tet espace insécable\u00a0; l’apostrophe",
    ]
    segments += [
        Segment("zz", 0, n, PARAGRAPH, 0, len(text), text, target=english(text), origin="mt")
        for n, text in enumerate(hostile)
    ]
    check_dossier(segments)
    return segments
