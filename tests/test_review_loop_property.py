"""Property: no sequence of edits, translations, PO reviews and imports loses a reviewer's text.

Hypothesis draws sequences of: edit an article (insert, delete, move lines), edit PO entries of
the current outputs (confirmed reviews or fuzzy drafts), ``review import``, ``translate``.
A reference model records every text the reviewer typed with the French and the context it was
typed in; after each translate or import:
- every review ever typed is in the memory (nothing is deleted);
- every segment shows, in en/*.txt and in its PO entry, the text the model says applies: the
  one typed for the same French in the closest context (same neighbours, one neighbour, same
  document, anywhere), the newest of equals — so a review follows its sentence wherever lines
  move, and a draft comes back in its PO, still fuzzy.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier.loader import load_documents
from support.memory import memory_entries

from fr2en_dossier.memory import Context, contexts
from fr2en_dossier.model import REVIEW
from fr2en_dossier.outputs import load_current
from fr2en_dossier.run import import_reviews, translate_dossier
from fr2en_dossier.project import Project

DOCS = ("a", "b")


@dataclass
class Typed:
    french: str
    context: Context
    text: str
    draft: bool
    seq: int

    def rank(self, context: Context) -> tuple[int, int] | None:
        if self.context.doc != context.doc:
            rank = 0
        elif self.context == context:
            rank = 3
        elif self.context.prev == context.prev or self.context.next == context.next:
            rank = 2
        else:
            rank = 1
        return None if self.draft and rank == 0 else (rank, self.seq)


class Dossier:
    """A project on disk plus the reference model of what the reviewer typed."""

    def __init__(self, root: Path):
        self.root = root
        self.project = Project.defaults(root)
        self.project.inputs = [root / "articles"]
        self.lines = {doc: [f"Phrase {doc} numéro {i} du dossier." for i in range(4)] for doc in DOCS}
        self.fresh = 100
        self.seq = 0
        self.typed: list[Typed] = []
        self.pending: dict[str, Typed] = {}  # PO edits not taken back yet, by segment key
        self.save_articles()

    def save_articles(self) -> None:
        folder = self.root / "articles"
        folder.mkdir(exist_ok=True)
        for doc, lines in self.lines.items():
            (folder / f"{doc}.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")

    def translate(self) -> None:
        translate_dossier(self.project, load_documents(self.project.inputs).documents, mt=None)
        self.pending.clear()
        self.check()

    def import_(self) -> None:
        import_reviews(self.project, sorted((self.root / "output" / "po").glob("*.po")))
        self.pending.clear()
        self.check()

    def edit_article(self, op: str, doc: str, a: int, b: int) -> None:
        lines = self.lines[doc]
        if op == "insert":
            self.fresh += 1
            lines.insert(a % (len(lines) + 1), f"Phrase {doc} numéro {self.fresh} du dossier.")
        elif op == "delete" and len(lines) > 1:
            del lines[a % len(lines)]
        elif op == "move":
            lines.insert(b % len(lines), lines.pop(a % len(lines)))
        self.save_articles()

    def edit_po(self, pick: int, draft: bool) -> None:
        segments = load_current(self.root / "output").segments
        i = pick % len(segments)
        seg, context = segments[i], contexts(segments)[i]
        text = f"English typed as number {self.seq}."
        path = self.root / "output" / "po" / f"{seg.doc}.po"
        po = polib.pofile(str(path))
        entry = next(e for e in po if e.msgctxt == seg.key)
        entry.msgstr, entry.fuzzy = text, draft
        po.save()
        overwritten = self.pending.get(seg.key)  # the reviewer's own text, never taken back
        self.typed = [t for t in self.typed if t is not overwritten and not (
            draft and t.draft and (t.french, t.context) == (seg.source, context))]
        self.pending[seg.key] = Typed(seg.source, context, text, draft, self.seq)
        self.typed.append(self.pending[seg.key])
        self.seq += 1

    def expected(self, french: str, context: Context) -> Typed | None:
        ranked = [(t.rank(context), t) for t in self.typed if t.french == french]
        ranked = [(rank, t) for rank, t in ranked if rank is not None]
        return max(ranked, key=lambda pair: pair[0])[1] if ranked else None

    def check(self) -> None:
        kept = {(e.source, e.target) for e in memory_entries(self.project.memory)
                if e.origin == REVIEW}  # fmt: skip
        assert {(t.french, t.text) for t in self.typed if not t.draft} <= kept
        segments = load_current(self.root / "output").segments
        for doc in DOCS:
            english = (self.root / "output" / "en" / f"{doc}.txt").read_text(encoding="utf-8")
            po = {e.msgctxt: e for e in polib.pofile(str(self.root / "output" / "po" / f"{doc}.po"))}
            lines = english.splitlines()
            for seg, context in zip(segments, contexts(segments), strict=True):
                if seg.doc != doc:
                    continue
                want = self.expected(seg.source, context)
                assert lines[seg.block] == (want.text if want else seg.source)
                entry = po[seg.key]
                assert entry.msgstr == (want.text if want else "")
                assert entry.fuzzy == bool(want and want.draft)


STEP = st.one_of(
    st.tuples(st.sampled_from(["insert", "delete", "move"]), st.sampled_from(DOCS),
              st.integers(0, 20), st.integers(0, 20)),  # fmt: skip
    st.tuples(st.just("po"), st.integers(0, 50), st.booleans()),
    st.tuples(st.sampled_from(["translate", "import"])),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_no_sequence_of_steps_loses_a_reviewers_text(steps):
    with tempfile.TemporaryDirectory() as tmp:
        dossier = Dossier(Path(tmp))
        dossier.translate()
        for step in steps:
            if step[0] == "po":
                dossier.edit_po(step[1], step[2])
            elif step[0] == "translate":
                dossier.translate()
            elif step[0] == "import":
                dossier.import_()
            else:
                dossier.edit_article(*step)
        dossier.translate()  # the re-run: takes back every edit still in the PO files
