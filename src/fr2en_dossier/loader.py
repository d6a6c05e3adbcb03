"""Load French articles: files → :class:`Document` of typed blocks, one reader per format.

Readers (``readers/``) are chosen by extension: ``.txt``, ``.html``/``.htm``, ``.md``,
``.docx``. In a ``.txt`` file every non-empty line is a block (its text is the line without
its newline, untouched), typed — heading, paragraph, list item, caption — by layout rules;
the other formats say what each block is. In every format, the site-boilerplate patterns of
``data/boilerplate.json`` then mark boilerplate, which is kept and marked, never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import Fr2enError
from .model import BOILERPLATE, CAPTION, HEADING, LIST_ITEM, PARAGRAPH, Document
from .segmenter import final_punctuation, split_sentences

BOILERPLATE_FILE = Path(__file__).parent / "data" / "boilerplate.json"

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")
_BULLET = re.compile(r"[-–—•*·▪►]\s|\(?(?:\d{1,3}|[a-z])\)\s")  # "- ", "• ", "1) ", "a) "
_NUMBERED = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6})\.\s")  # "3. Choc des egos"
HEADING_MAX_WORDS = 25
QUESTION_HEADING_MAX_WORDS = 12
CAPTION_MAX_WORDS = 25


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)  # sorted by path
    skipped: list[Path] = field(default_factory=list)  # entries of directories no reader takes
    empty: list[Path] = field(default_factory=list)  # files without any non-blank line


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


def load_documents(paths) -> LoadResult:
    """Load the articles among ``paths`` (files, or directories read non-recursively).

    Raises :class:`Fr2enError` (exit code 2) for a missing path, a file of a format no reader
    takes (named explicitly), a file that does not parse (a .txt that is not UTF-8 text), or
    two files with the same stem (their segment ids would clash).
    """
    from .readers import read_document, readable

    result = LoadResult()
    files: dict[Path, Path] = {}  # resolved → as given
    for path in map(Path, paths):
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.is_file() and readable(entry):
                    files.setdefault(entry.resolve(), entry)
                else:
                    result.skipped.append(entry)
        elif path.is_file():
            files.setdefault(path.resolve(), path)
        else:
            raise Fr2enError(f"{path}: no such file or directory")
    stems: dict[str, Path] = {}
    for path in sorted(files.values()):
        if path.stem in stems:
            raise Fr2enError(
                f"{path}: same name as {stems[path.stem]} (document names must be unique)"
            )
        stems[path.stem] = path
        doc = read_document(path)
        result.documents.append(doc)
        if not doc.blocks:
            result.empty.append(path)
    return result


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is dropped); anything else is an error naming the file and line."""
    if b"\0" in data:
        line = _line_at(data, data.index(b"\0"))
        raise Fr2enError(f"{path}:{line}: binary file (NUL byte), not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = _line_at(data, err.start)
        raise Fr2enError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x}); if it is Latin-1, "
            f"convert it first: iconv -f latin1 -t utf-8 {path.name} > {path.stem}.utf8{path.suffix}"
        ) from None


def _line_at(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset (newlines as in :data:`_NEWLINE`)."""
    return len(_NEWLINE_BYTES.findall(data, 0, offset)) + 1


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
