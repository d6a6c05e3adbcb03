"""Load French articles: UTF-8 ``.txt`` files → :class:`Document` of typed blocks.

Every non-empty line is a block (its text is the line without its newline, untouched).
Blocks get a kind — heading, paragraph, list item, caption or boilerplate — from layout
rules and the site-boilerplate patterns of ``data/boilerplate.json``. Boilerplate is kept
and marked, never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import Fr2enError
from .model import BOILERPLATE, CAPTION, HEADING, LIST_ITEM, PARAGRAPH, Block, Document
from .segmenter import final_punctuation, split_sentences

BOILERPLATE_FILE = Path(__file__).parent / "data" / "boilerplate.json"
SUFFIX = ".txt"

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
    skipped: list[Path] = field(default_factory=list)  # non-.txt entries of directories
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
    """Load the ``.txt`` files among ``paths`` (files, or directories read non-recursively).

    Raises :class:`Fr2enError` (exit code 2) for a missing path, a file that is not UTF-8
    text, or two files with the same stem (their segment ids would clash).
    """
    result = LoadResult()
    files: dict[Path, Path] = {}  # resolved → as given
    for path in map(Path, paths):
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.is_file() and entry.suffix.lower() == SUFFIX:
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


def read_document(path: Path) -> Document:
    """One file → a Document whose blocks are its non-blank lines, typed."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read ({err.strerror or err})") from None
    text = decode(data, path)
    lines = [(n, line) for n, line in enumerate(_NEWLINE.split(text), 1) if line.strip()]
    kinds = classify([line for _, line in lines])
    blocks = [
        Block(path.stem, i, n, line, kind)
        for i, ((n, line), kind) in enumerate(zip(lines, kinds, strict=True))
    ]
    return Document(path.stem, path, blocks)


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is dropped); anything else is an error naming the file and line."""
    if b"\0" in data:
        line = _line_at(data, data.index(b"\0"))
        raise Fr2enError(f"{path}:{line}: binary file (NUL byte), not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = _line_at(data, err.start)
        raise Fr2enError(f"{path}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x})") from None


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
    rules = boilerplate_rules()
    stripped = [line.strip() for line in lines]
    kinds = [
        _layout_kind(text, stripped[i + 1] if i + 1 < len(stripped) else None)
        for i, text in enumerate(stripped)
    ]
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
