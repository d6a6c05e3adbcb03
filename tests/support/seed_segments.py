"""The seeds as segments, one per non-blank line, with the shipped glossary applied (the
synthetic model never writes an English term, so every hit goes through the terminology
passes). Importable by a test's subprocess: it sets nothing up."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def seed_segments(limit: int = 0):
    from fr2en_dossier.glossary import apply_glossary, load_glossary
    from fr2en_dossier.model import Segment

    lines = [line for path in sorted((ROOT / "seeds").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    segs = [Segment("d", i, 0, "paragraph", 0, len(t), t) for i, t in enumerate(lines[: limit or None])]
    apply_glossary(segs, load_glossary(ROOT / "glossary.tsv"))
    return segs
