"""One run, composed once: lock → take back → memory → MT → QA → write a generation.

Every write of the outputs goes through :class:`Run`: ``fr2en translate``
(:func:`translate_dossier`), ``fr2en review import`` (:func:`import_reviews`) and every write of
the review workspace (glossary entry, re-translation, merge, split). A run holds the project
lock from start to end; on entry it removes what killed runs left, checks that everything it
will write can be written, opens the review memory and takes back the edits left in the current
outputs (and the review files it was given, :func:`review.take_back`); :meth:`Run.finish` then
runs the stages over the segments (:func:`compose`: glossary → MT → memory → QA) and writes a
new generation with :meth:`Run.write`, the only place outputs are written.

The stages are plain functions over :class:`~fr2en_dossier.model.Segment`: load
(:mod:`loader`) → segment (:func:`project_segments`: the rules and the reviewers' boundary
corrections) → glossary (:func:`glossary.apply_glossary`) → MT (:class:`engine.stage.MtStage`)
→ memory (:meth:`memory.ReviewMemory.apply`: reviews and drafts over the MT) → QA
(:func:`qa.check_dossier`) → write (:mod:`outputs`). The workspace runs the same stages on its
segments, so it shows what a run would write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import Fr2enError
from .formats.report import RunInfo
from .model import Document, Segment

DEFAULT = object()  # translate_dossier: the project's glossary, or an MT stage of its own


@dataclass
class TranslateResult:
    summary: object  # outputs.OutputSummary: what was written
    taken: object  # review.ImportResult: edits taken back first, leftovers removed
    mt: object = None  # engine.MtStats, or None without MT
    segments: list[Segment] = field(default_factory=list)  # as written


def project_segments(project, documents: list[Document]) -> list[Segment]:
    """The segments of ``documents`` with the project's boundary corrections
    (``segmentation.tsv``): what every command that segments works on, so keys agree."""
    from .overrides import read_overrides
    from .segmenter import segment_documents

    return segment_documents(documents, read_overrides(project.overrides))


def compose(segments: list[Segment], documents: list[Document], *, memory, glossary=None,
            mt=None, translate: list[Segment] | None = None):
    """The stages between segmentation and writing, in place: the ``glossary``'s hits and
    repairs (None: the hits as they are), MT of the segments that need it among ``translate``
    (None: all; ``mt`` None: none), the memory's reviews and drafts, QA over the whole dossier
    (less the flags a reviewer dismissed for that English), then the risk of each segment.
    Returns the MT stage's stats (None without MT)."""
    from .glossary import apply_glossary
    from .markup import partial_markup
    from .qa import check_dossier
    from .risk import rank_risks

    if glossary is not None:
        apply_glossary(segments, glossary)
    stats = None
    if mt is not None:
        stats = mt(segments if translate is None else translate, partial_markup(documents))
    memory.apply(segments)
    check_dossier(segments, documents)
    memory.apply_marks(segments)  # flags dismissed by a reviewer, English rejected
    rank_risks(segments)
    return stats


class Run:
    """One write of the outputs of ``project``, holding its lock (use it in a ``with``).

    ``files`` are review files to take back along with the edits left in the current outputs;
    ``writable`` more folders the run must be able to write (the MT cache). In the ``with``:
    ``memory`` (open), ``report`` (the current outputs, None when there are none) and
    ``taken`` (what was taken back).
    """

    def __init__(self, project, command: str, *, files: Iterable[str | Path] = (),
                 writable: Iterable[Path] = ()):
        self.project, self.command = project, command
        self.files, self.writable = list(files), list(writable)

    def __enter__(self) -> Run:
        from contextlib import ExitStack

        from .outputs import check_output_path, check_writable, current_dir, generations_dir
        from .outputs import load_current
        from .review import read_review_file, take_back

        project = self.project
        with ExitStack() as stack:
            stack.enter_context(project.lock(self.command))
            check_output_path(project.output)
            project.check_links()
            self.report = load_current(project.output) if current_dir(project.output) else None
            if self.files and self.report is None:
                load_current(project.output)  # raises: no outputs here, translate first
            given = [entry for path in self.files for entry in read_review_file(path)]
            check_writable(generations_dir(project.output), project.memory.parent, *self.writable)
            self.memory = stack.enter_context(project.open_memory())
            self.taken = take_back(project, self.memory, self.report, given)
            self._exported = False
            self._stack = stack.pop_all()
        return self

    def __exit__(self, kind, *exc) -> None:
        """Close the memory; when the run recorded edits but wrote no outputs, its exchange
        file (``memory.tmx``) is written all the same."""
        from .memory.exchange import export_tmx

        with self._stack:
            if kind is None and self.taken.recorded and not self._exported:
                export_tmx(self.memory, self.project.memory_tmx)

    def finish(self, segments: list[Segment], documents: list[Document], run: RunInfo, *,
               glossary=None, mt=None, translate: list[Segment] | None = None):
        """:func:`compose`, then :meth:`write`; returns (OutputSummary, MtStats or None)."""
        stats = compose(segments, documents, memory=self.memory, glossary=glossary, mt=mt,
                        translate=translate)
        if mt is not None:
            identity = mt.identity()
            run = replace(run, mt=True, engine=f"{identity['package']}@{identity['version']}",
                          engine_options=identity["options"], mt_stats=asdict(stats))
        return self.write(segments, replace(run, documents=documents)), stats

    def write(self, segments: list[Segment], run: RunInfo):
        """Write a new generation of the outputs of ``segments`` and the memory's exchange
        file (``memory.tmx``): the only place the outputs are written."""
        from .memory.exchange import export_tmx
        from .outputs import write_generation

        from .scoreboard import scoreboard

        project = self.project
        run = replace(run, memory=str(project.memory), project=str(project.root),
                      xliff=list(project.xliff), terms=scoreboard(segments))
        summary = write_generation(segments, project.output, run)
        export_tmx(self.memory, project.memory_tmx)
        self._exported = True
        return summary


def translate_dossier(project, documents: list[Document] | None = None, *, glossary=DEFAULT,
                      mt=DEFAULT, include_boilerplate: bool = False) -> TranslateResult:
    """Translate ``project``'s articles (``documents``; None: its inputs) and write every output.

    ``glossary``: a glossary path (None: none; default: the project's when it exists). ``mt``:
    an MT stage (:class:`engine.stage.MtStage`; None: no MT, the English stays empty unless
    reviewed; default: one built from the project's engine options, which never downloads).
    """
    from .glossary import load_glossary
    from .loader import load_documents

    if documents is None:
        documents = load_documents(project.inputs).documents
    if glossary is DEFAULT:
        glossary = project.glossary if project.glossary.exists() else None
    if mt is DEFAULT:
        from .engine.stage import MtStage

        mt = MtStage(project.engine_options())
    segments = project_segments(project, documents)
    if not segments:
        raise Fr2enError("nothing to translate: no article with text among the inputs")
    loaded = load_glossary(glossary) if glossary is not None else None
    writable = mt.writable if mt is not None else []
    with Run(project, "fr2en translate", writable=writable) as run:
        info = RunInfo(mt=mt is not None, glossary=str(glossary or ""),
                       include_boilerplate=include_boilerplate)
        summary, stats = run.finish(segments, documents, info, glossary=loaded, mt=mt)
    return TranslateResult(summary, run.taken, stats, segments)


def import_reviews(project, files: Iterable[str | Path]):
    """Record the reviews of ``files``, and the edits left in the current outputs, in the
    memory of ``project``; rebuild the outputs when that changes a segment (so running it
    again also repairs outputs an interrupted run left behind). All files are read before
    anything is recorded: a bad file changes nothing. Returns the ``review.ImportResult``."""
    from .outputs import load_current

    with Run(project, "fr2en review import", files=files) as run:
        if run.report is None:
            load_current(project.output)  # raises: no outputs here, translate first
        segments, result = run.report.segments, run.taken
        before = [(seg.target, seg.origin) for seg in segments]
        result.applied = run.memory.apply(segments)
        if [(seg.target, seg.origin) for seg in segments] != before:
            documents = run.report.run.documents
            result.outputs, _ = run.finish(segments, documents, run.report.run)
    return result
