"""QA checks for typical MT failures; each returns the reason of its flag, or "" (README "QA").

- ``repetition``: a word or n-gram (up to ``MAX_NGRAM`` words) repeated back to back in the
  English ("the the", "matriculados matriculados matriculados", "of the of the") and not in
  the French. Words are compared as translate-toolkit's ``doublewords`` compares them: split
  on white space, lower-cased, full stops removed.
- ``punctuation``: the French and the English end differently (".", "!", "?", ":", ";", "…"
  or none), looking through closing quotes and brackets.
- ``brackets-quotes``: brackets or quotes unbalanced in the English but not in the French,
  or fewer of them in the English than in the French (« » may become “ ” or ").
- ``inconsistent``: the same French (boilerplate aside) translated two ways in the dossier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .model import BOILERPLATE_FLAG, Segment

MAX_NGRAM = 4
END_MARKS = ".!?:;…"
_CLOSERS = "\"'»”’)]} \u00a0\u202f"
BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))


def repetition(source: str, target: str) -> str:
    """Why the English repeats a word or n-gram back to back that the French does not."""
    french = " " + " ".join(_words(source)) + " "
    words = _words(target)
    for n in range(1, MAX_NGRAM + 1):
        for i in range(len(words) - 2 * n + 1):
            gram = words[i : i + n]
            if gram != words[i + n : i + 2 * n] or not any(w.isalpha() for w in gram):
                continue
            phrase = " ".join(gram)
            if f" {phrase} {phrase} " in french:
                continue
            return f"“{phrase}” is repeated in the English, not in the French"
    return ""


def end_punctuation(source: str, target: str) -> str:
    """Why the end punctuation of the English differs from the French's."""
    french, english = _end_mark(source), _end_mark(target)
    if french == english:
        return ""
    return f"the French ends with {_name(french)}, the English with {_name(english)}"


def brackets_quotes(source: str, target: str) -> str:
    """Why the English's brackets or quotes are unbalanced or fewer than the French's."""
    for opening, closing in BRACKETS:
        reason = _compare(_brackets(source, opening, closing), _brackets(target, opening, closing),
                          f"{opening}…{closing}", f"{opening}…{closing} pair(s)")
        if reason:
            return reason
    return _compare(_quotes(source), _quotes(target), "quotation marks", "quotation(s)")


def consistency_key(seg: Segment) -> str | None:
    """The French by which ``seg`` is compared with the other segments for ``inconsistent``
    (spaces normalized); None when it is not compared (no English, or boilerplate)."""
    if seg.target and seg.target.strip() and BOILERPLATE_FLAG not in seg.flags:
        return same_french(seg.source)
    return None


def same_french(source: str) -> str:
    """The French ``source`` as :func:`consistency_key` compares it (spaces normalized)."""
    return " ".join(source.split())


def inconsistent_group(group: list[tuple[str, str]]) -> dict[str, str]:
    """{key: reason} among ``group``, the (key, English) of the segments of one French in
    dossier order, when they are not all translated the same."""
    if len({" ".join(target.split()) for _, target in group}) < 2:
        return {}
    reasons = {}
    for key, target in group:
        other_key, other = next((k, t) for k, t in group if t.split() != target.split())
        reasons[key] = f"the same French is translated differently in {other_key}: “{other.strip()}”"
    return reasons


def inconsistent(segments: Iterable[Segment]) -> dict[str, str]:
    """{segment key: reason} for the segments whose French is translated differently elsewhere."""
    by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for seg in segments:
        french = consistency_key(seg)
        if french is not None:
            by_source[french].append((seg.key, seg.target))
    reasons = {}
    for group in by_source.values():
        reasons.update(inconsistent_group(group))
    return reasons


def _words(text: str) -> list[str]:
    return text.replace(".", "").lower().split()


def _end_mark(text: str) -> str:
    text = text.rstrip(_CLOSERS).replace("...", "…")
    return text[-1] if text and text[-1] in END_MARKS else ""


def _name(mark: str) -> str:
    return f"“{mark}”" if mark else "no punctuation"


def _brackets(text: str, opening: str, closing: str) -> tuple[int, bool]:
    """(how many opened, whether balanced)."""
    return text.count(opening), text.count(opening) == text.count(closing)


def _quotes(text: str) -> tuple[int, bool]:
    """(quotations opened, whether balanced): « » and “ ” pairs, straight quotes by two."""
    opened = text.count("«") + text.count("“")
    straight = text.count('"')
    return opened + straight // 2, opened == text.count("»") + text.count("”") and straight % 2 == 0


def _compare(french: tuple[int, bool], english: tuple[int, bool], marks: str, units: str) -> str:
    if french[1] and not english[1]:
        return f"unbalanced {marks} in the English"
    if english[0] < french[0]:
        return f"the French has {french[0]} {units}, the English {english[0]}"
    return ""
