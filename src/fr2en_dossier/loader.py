"""Load French articles: files → :class:`Document` of typed blocks, one reader per format.

Readers (``readers/``) are chosen by extension: ``.txt``, ``.html``/``.htm``, ``.md``,
``.docx``, ``.odt``, ``.pptx``. In a ``.txt`` file every non-empty line is a block (its text is the line without
its newline, untouched), typed — heading, paragraph, list item, caption — by layout rules
(``readers/layout.py``); the other formats say what each block is. In every format, the
site-boilerplate patterns of ``data/boilerplate.json`` then mark boilerplate, which is kept and
marked, never dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Fr2enError
from .model import Document


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)  # sorted by path
    skipped: list[Path] = field(default_factory=list)  # entries of directories no reader takes
    empty: list[Path] = field(default_factory=list)  # files without any non-blank line
    warnings: list[str] = field(default_factory=list)  # what readers left out, one line each


@dataclass
class Inputs:
    """The articles found among some paths, read one at a time as they are iterated (a run
    of an archive never holds them all). ``warn`` receives what the readers left out, one
    line each; ``empty`` lists the files read that had no non-blank line."""

    files: list[Path]  # sorted by path
    skipped: list[Path] = field(default_factory=list)  # entries of directories no reader takes
    warn: Callable[[str], None] = lambda line: None
    empty: list[Path] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Document]:
        from .readers import read_document

        for path in self.files:
            doc = read_document(path, self.warn)
            if not doc.blocks:
                self.empty.append(path)
            yield doc


def find_inputs(paths, warn: Callable[[str], None] | None = None) -> Inputs:
    """The articles among ``paths`` (files, or directories read non-recursively), to be read
    by iterating the :class:`Inputs`.

    Raises :class:`Fr2enError` (exit code 2) for a missing path, a file of a format no reader
    takes (named explicitly; when read), a file that does not parse (when read: a .txt that is
    not UTF-8 text), a file name with a control character (segment keys, PO and TMX cannot
    carry it), or two files with the same stem (their segment ids would clash).
    """
    from .readers import readable

    files: dict[Path, Path] = {}  # resolved → as given
    skipped = []
    for path in map(Path, paths):
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.is_file() and readable(entry):
                    files.setdefault(entry.resolve(), entry)
                else:
                    skipped.append(entry)
        elif path.is_file():
            files.setdefault(path.resolve(), path)
        else:
            raise Fr2enError(f"{path}: no such file or directory")
    stems: dict[str, Path] = {}
    for path in sorted(files.values()):
        control = next((c for c in path.stem if unicodedata.category(c) in ("Cc", "Cs")
                        or c in _BIDI_CONTROLS), None)
        if control is not None:
            raise Fr2enError(
                f"{ascii(str(path))[1:-1]}: a file name with a control character "
                f"(U+{ord(control):04X}); rename the file"
            )
        if path.stem in stems:
            raise Fr2enError(
                f"{path}: same name as {stems[path.stem]} (document names must be unique)"
            )
        stems[path.stem] = path
    return Inputs(sorted(files.values()), skipped, warn or (lambda line: None))


def load_documents(paths) -> LoadResult:
    """Load the articles among ``paths`` (:func:`find_inputs`), all of them read."""
    result = LoadResult()
    inputs = find_inputs(paths, result.warnings.append)
    result.documents, result.skipped, result.empty = list(inputs), inputs.skipped, inputs.empty
    return result
