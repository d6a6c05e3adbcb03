"""Block kinds from layout: the rules that type the lines of a plain-text article, and the
site-boilerplate patterns (``data/boilerplate.json``) every reader applies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import BOILERPLATE, CAPTION, HEADING, LIST_ITEM, PARAGRAPH
from ..segmenter import final_punctuation, split_sentences

BOILERPLATE_FILE = Path(__file__).resolve().parent.parent / "data" / "boilerplate.json"
_BULLET = re.compile(r"[-–—•*·▪►]\s|\(?(?:\d{1,3}|[a-z])\)\s")  # "- ", "• ", "1) ", "a) "
_NUMBERED = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6})\.\s")  # "3. Choc des egos"
HEADING_MAX_WORDS = 25
QUESTION_HEADING_MAX_WORDS = 12
CAPTION_MAX_WORDS = 25


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled patterns of ``data/boilerplate.json`` (each matches a whole stripped line)."""

    line: re.Pattern[str]
    related: re.Pattern[str]
    tagline: re.Pattern[str]
    credit: re.Pattern[str]


@lru_cache(maxsize=1)
def boilerplate_rules() -> BoilerplateRules:
    """Load the boilerplate patterns once."""
    raw = json.loads(BOILERPLATE_FILE.read_text(encoding="utf-8"))

    def union(key: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in raw[key]), re.IGNORECASE)

    return BoilerplateRules(*(union(key) for key in ("line", "related", "tagline", "credit")))


def _words(text: str) -> int:
    return len(text.split())


def _layout_kind(text: str, next_text: str | None) -> str:
    """Kind from the line's shape alone."""
    stripped = text.strip()
    if _BULLET.match(stripped):
        return LIST_ITEM
    if len(split_sentences(stripped)) == 1:
        if not final_punctuation(stripped) and _words(stripped) <= HEADING_MAX_WORDS:
            return HEADING  # also "3. Choc des egos : Musk contre. Altman"
        if (
            final_punctuation(stripped) == "?"
            and _words(stripped) <= QUESTION_HEADING_MAX_WORDS
            and next_text is not None
            and _words(next_text) > _words(stripped)
        ):
            return HEADING  # "Microsoft entre dans le jeu : partenariat ou trahison ?"
    if _NUMBERED.match(stripped):
        return LIST_ITEM
    return PARAGRAPH


def classify(lines: list[str]) -> list[str]:
    """The kind of each line of a document (the lines being its non-blank lines, in order)."""
    stripped = [line.strip() for line in lines]
    kinds = [
        _layout_kind(text, stripped[i + 1] if i + 1 < len(stripped) else None)
        for i, text in enumerate(stripped)
    ]
    return mark_boilerplate(stripped, kinds)


def mark_boilerplate(texts: list[str], kinds: list[str]) -> list[str]:
    """``kinds`` with the site-boilerplate rules applied to the blocks' ``texts`` (every format)."""
    rules = boilerplate_rules()
    stripped = [text.strip() for text in texts]
    kinds = list(kinds)
    i = 0
    while i < len(stripped):
        text = stripped[i]
        if rules.credit.fullmatch(text):
            kinds[i] = BOILERPLATE
            if (
                i
                and kinds[i - 1] in (HEADING, PARAGRAPH)
                and _words(stripped[i - 1]) <= CAPTION_MAX_WORDS
            ):
                kinds[i - 1] = CAPTION  # the short line right above a picture credit
        elif rules.line.fullmatch(text):
            kinds[i] = BOILERPLATE
        elif rules.related.fullmatch(text):
            kinds[i] = BOILERPLATE  # "Lire aussi :" and its list of links
            while i + 1 < len(stripped) and kinds[i + 1] == LIST_ITEM:
                i += 1
                kinds[i] = BOILERPLATE
        elif rules.tagline.fullmatch(text):
            kinds[i] = BOILERPLATE  # "Avec vous depuis 2004" and the site's presentation
            if i + 1 < len(stripped):
                i += 1
                kinds[i] = BOILERPLATE
        i += 1
    return kinds
