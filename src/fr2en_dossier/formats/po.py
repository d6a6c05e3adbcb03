"""PO review files (``output/po/<stem>.po``): writer and reader.

One entry per segment: ``msgctxt`` the segment key "doc:block:index" (so equal French sentences
stay distinct entries), ``msgid`` the original French, ``msgstr`` the English. Machine
translations are ``fuzzy`` until a reviewer accepts or corrects them (removing the flag);
reviewed translations from the memory are written non-fuzzy; a segment without English has an
empty ``msgstr``; an entry whose English and French disagree on a leading or trailing newline
stays fuzzy (``msgfmt -c`` rejects such a pair otherwise). Glossary hits, QA flags and the block
kind go in extracted comments (``#.``), leaving translator comments (``#``) to the reviewer. A
draft prefilled from a memory match is fuzzy, with the match's score, source and repairs in
extracted comments and its French as the previous ``msgid`` (``#|``, as ``msgmerge`` writes
for a fuzzy match), so PO editors show what changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..atomic import atomic_write_text
from ..errors import Fr2enError
from ..model import REVIEW, ReviewUnit, Segment, comparable
from .notes import engine_notes, flag_notes, hit_note, match_notes
from .safe_text import CharDropper

_POLIB_LINE = re.compile(r"\(line (\d+)\):?\s*(.*)")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # as Python's universal newlines, which polib reads with
_PO_STRING = r'"(?:[^"\\]|\\.)*"'
# Blank, a comment (obsolete "#~" entries included), a keyword and its string, or a string.
_PO_LINE = re.compile(
    rf"\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*{_PO_STRING}|{_PO_STRING})?\s*"
)


@dataclass
class PoUnit:
    """One PO entry as read back: its key, French, English and review state."""

    context: str  # msgctxt: the segment key "doc:block:index" ("" when absent)
    source: str  # msgid
    target: str  # msgstr ("" when untranslated)
    fuzzy: bool
    line: int  # line of the entry in the file, for messages
    notes: list[str] = field(default_factory=list)  # extracted comments, one per line


def write_po(segments: Iterable[Segment], path: str | Path, run_id: str = "") -> int:
    """Write one document's ``segments`` as a PO file at ``path`` (atomically).

    ``run_id`` (the run that made it) goes into the header field ``X-Fr2en-Run-Id``.

    Returns the number of characters dropped because gettext cannot carry them (``safe_text``).
    """
    import polib

    path = Path(path)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M%z")
    po = polib.POFile(wrapwidth=78)
    po.header = (
        f"{path.stem}: French source (msgid), English machine translation (msgstr).\n"
        "Review: correct the msgstr and remove the fuzzy flag, then run `fr2en review import`."
    )
    po.metadata = {
        "Project-Id-Version": path.stem,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": f"fr2en-dossier {__version__} (machine translation)",
        "Language-Team": "English",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": f"fr2en-dossier {__version__}",
        "X-Source-Language": "fr",
    }
    if run_id:
        po.metadata["X-Fr2en-Run-Id"] = run_id
    clean = CharDropper()
    for seg in segments:
        source, target = clean(seg.source), clean(seg.target or "")
        entry = polib.POEntry(
            msgctxt=clean(seg.key),
            msgid=source,
            msgstr=target,
            comment=clean("\n".join(_segment_notes(seg))),
        )
        if written_fuzzy(seg):
            entry.flags.append("fuzzy")
        if match_notes(seg) and seg.tm_french != comparable(seg.source):
            entry.previous_msgid = clean(seg.tm_french)
        po.append(entry)
    atomic_write_text(path, str(po))
    return clean.dropped


def review_units(path: str | Path) -> tuple[str, list[ReviewUnit]]:
    """The run id a PO file was written by (``X-Fr2en-Run-Id``, "" if none) and its entries as
    review units: a fuzzy entry is not reviewed, a non-fuzzy one is confirmed."""
    metadata, units = read_po_file(path)
    return metadata.get("X-Fr2en-Run-Id", ""), [
        ReviewUnit(u.line, u.context, u.source, u.target, u.fuzzy, not u.fuzzy) for u in units
    ]


def read_po(path: str | Path) -> list[PoUnit]:
    """The entries of the PO file at ``path`` (obsolete ``#~`` entries left out), in file order.

    Raises :class:`Fr2enError` naming the file (and line) when it is missing or not valid PO.
    """
    return read_po_file(path)[1]


def read_po_file(path: str | Path) -> tuple[dict[str, str], list[PoUnit]]:
    """The header fields and entries of a PO file (see :func:`read_po`)."""
    import polib

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise Fr2enError(f"{path}: cannot read: {err.strerror or err}") from None
    _check_lines(path, data.decode("utf-8", errors="replace"))
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except UnicodeDecodeError as err:
        raise Fr2enError(f"{path}: not in its declared encoding: {err.reason}") from None
    except OSError as err:
        match = _POLIB_LINE.search(str(err))
        if match is None:
            raise Fr2enError(f"{path}: cannot read PO: {err}") from None
        line, detail = match.groups()
        detail = f": {detail}" if detail else ""
        raise Fr2enError(f"{path}:{line}: PO syntax error{detail}") from None
    return dict(po.metadata), [
        PoUnit(
            entry.msgctxt or "",
            entry.msgid,
            entry.msgstr,
            entry.fuzzy,
            entry.linenum,
            entry.comment.split("\n") if entry.comment else [],
        )
        for entry in po
        if not entry.obsolete
    ]


def _check_lines(path: Path, text: str) -> None:
    """Reject lines polib would silently mangle (an unterminated string, text after a string)."""
    for number, line in enumerate(_NEWLINE.split(text.removeprefix("\ufeff")), 1):
        if not _PO_LINE.fullmatch(line):
            raise Fr2enError(f"{path}:{number}: PO syntax error: {line.strip()[:60]!r}")


def _segment_notes(seg: Segment) -> list[str]:
    notes = [f"kind: {seg.kind}"]
    notes += [hit_note(hit, seg.target or "") for hit in seg.hits]
    notes += [f"flag {note}" for note in flag_notes(seg)]
    return notes + engine_notes(seg) + match_notes(seg)


def written_fuzzy(seg: Segment) -> bool:
    """Whether :func:`write_po` marks ``seg`` fuzzy: English that is not a review (machine
    translation, a draft), or that ``msgfmt -c`` would reject as a confirmed entry."""
    source, target = comparable(seg.source), comparable(seg.target or "")
    return bool(target) and (seg.origin != REVIEW or _edge_newlines_differ(source, target))


def _edge_newlines_differ(source: str, target: str) -> bool:
    """True when ``msgfmt -c`` would reject the pair: only one starts (or ends) with "\\n"."""
    return any(
        edge(source, "\n") != edge(target, "\n") for edge in (str.startswith, str.endswith)
    )
