"""Load French articles: files → :class:`Document` of typed blocks, one reader per format.

Readers (``readers/``) are chosen by extension: ``.txt``, ``.html``/``.htm``, ``.md``,
``.docx``. In a ``.txt`` file every non-empty line is a block (its text is the line without
its newline, untouched), typed — heading, paragraph, list item, caption — by layout rules
(``readers/layout.py``); the other formats say what each block is. In every format, the
site-boilerplate patterns of ``data/boilerplate.json`` then mark boilerplate, which is kept and
marked, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Fr2enError
from .model import Document


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)  # sorted by path
    skipped: list[Path] = field(default_factory=list)  # entries of directories no reader takes
    empty: list[Path] = field(default_factory=list)  # files without any non-blank line


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
