"""Property: no sequence of edits, translations, reviews and imports loses a reviewer's text.

Hypothesis draws sequences of: edit an article (insert, delete, move lines); edit PO entries of
the current outputs (confirmed reviews or fuzzy drafts); save in the browser workspace (a
review or a draft); an Esc after an autosaved draft; merge or split in the workspace;
``review import``; ``translate``. A reference model records every text the reviewer typed
with the French and the context it was typed in, and when it reached the memory; after each
step that writes the outputs:
- every review ever typed is in the memory (nothing is deleted);
- every segment shows, in en/*.txt and in its PO entry, the text the model says applies: the
  one typed for the same French in the closest context (same neighbours, one neighbour, same
  document, anywhere), the newest of equals — so a review follows its sentence wherever lines
  move, a draft comes back in its PO still fuzzy, an Esc brings back what was there, a merge
  or split keeps the English as a draft of the new segment, and a PO edit made on outputs older
  than a browser review never overrides that review (it is kept as an older draft).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.memory import memory_entries

from fr2en_dossier.loader import load_documents
from fr2en_dossier.memory import Context, contexts
from fr2en_dossier.model import REVIEW
from fr2en_dossier.outputs import load_current
from fr2en_dossier.project import Project
from fr2en_dossier.run import import_reviews, translate_dossier
from fr2en_dossier.workspace import Workspace

DOCS = ("a", "b")


@dataclass
class Typed:
    french: str
    context: Context
    text: str
    draft: bool
    seq: float  # when it reached the memory (a conflict's draft: as of its outputs)

    def rank(self, context: Context) -> tuple[int, float] | None:
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
        self.lines = {doc: [f"Phrase {doc} numéro {i} du dossier." + (
            f" Suite {doc} {i} du texte." if i % 2 == 0 else "") for i in range(4)] for doc in DOCS}
        self.fresh = 100
        self.seq = 0
        self.typed: list[Typed] = []
        self.pending: dict[str, Typed] = {}  # PO edits not taken back yet, by segment key
        self.generation = ("", 0.0)  # the current outputs' run id, and when they were written
        self.save_articles()

    # --- what the reviewer and the commands do -------------------------------------------

    def save_articles(self) -> None:
        folder = self.root / "articles"
        folder.mkdir(exist_ok=True)
        for doc, lines in self.lines.items():
            (folder / f"{doc}.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")

    def translate(self) -> None:
        self.take_back()
        translate_dossier(self.project, load_documents(self.project.inputs).documents, mt=None)
        self.written()

    def import_(self) -> None:
        self.take_back()
        import_reviews(self.project, sorted((self.root / "output" / "po").glob("*.po")))
        self.written()

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
        seg, context = self.pick(pick)
        text = self.text()
        path = self.root / "output" / "po" / f"{seg.doc}.po"
        po = polib.pofile(str(path))
        entry = next(e for e in po if e.msgctxt == seg.key)
        entry.msgstr, entry.fuzzy = text, draft
        po.save()
        self.pending[seg.key] = Typed(seg.source, context, text, draft, -1)  # a text overwritten
        # before it was taken back was never seen by anyone but its author: it is gone

    def browser(self, pick: int, draft: bool) -> None:
        seg, context = self.pick(pick)
        text = self.text()
        with self.workspace() as workspace:
            workspace.save(seg.key, text, draft=draft)
        self.typed.append(Typed(seg.source, context, text, draft, self.tick()))

    def esc(self, pick: int) -> None:
        """Typing, the autosave of a draft, then Esc: the segment shows what it had."""
        seg, _ = self.pick(pick)
        with self.workspace() as workspace:
            before = workspace.view(workspace.segment(seg.key))["version"]
            workspace.save(seg.key, self.text(), draft=True)
            workspace.undo(seg.key, before)

    def merge(self, pick: int) -> None:
        segments = load_current(self.root / "output").segments
        i = pick % len(segments)
        if i + 1 == len(segments) or (segments[i + 1].doc, segments[i + 1].block) != (
                segments[i].doc, segments[i].block):
            return
        self.resegment(segments, [i, i + 1], lambda w: w.merge(segments[i].key, discard=True))

    def split(self, pick: int) -> None:
        segments = load_current(self.root / "output").segments
        i = pick % len(segments)
        cut = segments[i].source.find(" ", 5)
        if cut < 0:
            return
        self.resegment(segments, [i], lambda w: w.split(segments[i].key, cut + 1, discard=True))

    def resegment(self, segments, old: list[int], change) -> None:
        """A merge or split in the workspace: edits left in the PO files are taken back first,
        then what the old segments showed becomes a draft of the first new one."""
        first = segments[old[0]]
        self.take_back()
        shown = [self.expected(segments[i].source, contexts(segments)[i]) for i in old]
        with self.workspace() as workspace:
            change(workspace)
        if any(shown):
            now = load_current(self.root / "output").segments
            j = next(n for n, s in enumerate(now)
                     if (s.doc, s.block, s.index) == (first.doc, first.block, first.index))
            text = " ".join(t.text for t in shown if t)
            self.typed.append(Typed(now[j].source, contexts(now)[j], text, True, self.tick()))
        self.written()

    # --- the model -----------------------------------------------------------------------

    def take_back(self) -> None:
        """What every write of the outputs does first with the PO edits nobody imported."""
        for key, edit in sorted(self.pending.items(), key=lambda item: self.order(item[0])):
            current = self.expected(edit.french, edit.context)
            if (not edit.draft and current and not current.draft
                    and current.seq > self.generation[1] and current.text != edit.text):
                edit.draft, edit.seq = True, self.generation[1] - 0.5  # made on older outputs
            else:
                edit.seq = self.tick()
            self.typed.append(edit)
        self.pending.clear()

    def written(self) -> None:
        run = load_current(self.root / "output").run.id
        if run != self.generation[0]:
            self.generation = (run, self.tick())
        self.check()

    def order(self, key: str) -> tuple:
        """Where take-back meets a PO entry: files by name, entries in file order."""
        doc, block, index = key.rsplit(":", 2)
        return doc, int(block), int(index)

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
            lines: dict[int, list[str]] = {}
            for seg, context in zip(segments, contexts(segments), strict=True):
                if seg.doc != doc:
                    continue
                want = self.expected(seg.source, context)
                lines.setdefault(seg.block, []).append(want.text if want else seg.source)
                entry = po[seg.key]
                assert entry.msgstr == (want.text if want else "")
                assert entry.fuzzy == bool(want and want.draft)
            assert english.splitlines() == [" ".join(parts) for _, parts in sorted(lines.items())]

    # --- helpers -------------------------------------------------------------------------

    def pick(self, pick: int):
        segments = load_current(self.root / "output").segments
        i = pick % len(segments)
        return segments[i], contexts(segments)[i]

    def text(self) -> str:
        self.seq += 1
        return f"English typed as number {self.seq}."

    def tick(self) -> int:
        self.seq += 1
        return self.seq

    def workspace(self):
        from contextlib import closing

        return closing(Workspace(self.project))


STEP = st.one_of(
    st.tuples(st.sampled_from(["insert", "delete", "move"]), st.sampled_from(DOCS),
              st.integers(0, 20), st.integers(0, 20)),  # fmt: skip
    st.tuples(st.sampled_from(["po", "browser"]), st.integers(0, 50), st.booleans()),
    st.tuples(st.sampled_from(["esc", "merge", "split"]), st.integers(0, 50)),
    st.tuples(st.sampled_from(["translate", "import"])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_no_sequence_of_steps_loses_a_reviewers_text(steps):
    with tempfile.TemporaryDirectory() as tmp:
        dossier = Dossier(Path(tmp))
        dossier.translate()
        for step in steps:
            name, *args = step
            if name in ("insert", "delete", "move"):
                dossier.edit_article(name, *args)
            elif name == "import":
                dossier.import_()
            else:
                getattr(dossier, {"po": "edit_po"}.get(name, name))(*args)
        dossier.translate()  # the re-run: takes back every edit still in the PO files
