"""One run, composed once: lock → take back → memory → MT → QA → write a generation.

Every write of the outputs goes through :class:`Run`: ``fr2en translate``
(:func:`translate_dossier`), ``fr2en review import`` (:func:`import_reviews`) and every write of
the review workspace (glossary entry, re-translation, merge, split). A run holds the project
lock from start to end; on entry it removes what killed runs left, checks that everything it
will write can be written, opens the review memory and takes back the edits left in the current
outputs (and the review files it was given, :func:`review.take_back`); :meth:`Run.finish` then
runs the stages over the segments (:func:`compose`: glossary → MT → memory → memory matches →
QA) and writes a new generation with :meth:`Run.write`, the only place outputs are written.
``fr2en translate`` sends the documents through the stages :data:`CHUNK_DOCUMENTS` at a time
(:meth:`Run.finish_chunks`): each chunk's parts are kept on disk (:class:`spill.Spill`), what
compares segments across the dossier is answered there, and the writers read the parts back
one at a time, so a run's memory does not grow with the dossier.

The stages are plain functions over :class:`~fr2en_dossier.model.Segment`: load
(:mod:`loader`) → segment (:func:`project_segments`: the rules and the reviewers' boundary
corrections) → glossary (:func:`glossary.apply_glossary`) → MT (:class:`engine.stage.MtStage`)
→ memory (:meth:`memory.ReviewMemory.apply`: reviews and drafts over the MT) → memory matches
(:func:`memory.prefill.prefill`: each segment's best fuzzy match, and drafts prefilled from
good ones) → QA (:func:`qa.check_dossier`) → write (:mod:`outputs`). The workspace runs the same stages on its
segments, so it shows what a run would write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path

from .errors import Fr2enError
from .formats.report import RunInfo
from .model import Document, Part, Segment, parts_of, segments_of

DEFAULT = object()  # translate_dossier: the project's glossary, or an MT stage of its own
CHUNK_DOCUMENTS = 200  # documents sent through the stages at a time by translate_dossier
RISKIEST = 10  # segments a translation names to review first


@dataclass
class TranslateResult:
    summary: object  # outputs.OutputSummary: what was written
    taken: object  # review.ImportResult: edits taken back first, leftovers removed
    mt: object = None  # engine.MtStats, or None without MT
    riskiest: list[Segment] = field(default_factory=list)  # the RISKIEST to review first


def project_segments(project, documents: list[Document], *,
                     translate_boilerplate: bool = False) -> list[Segment]:
    """The segments of ``documents`` with the project's boundary corrections
    (``segmentation.tsv``): what every command that segments works on, so keys agree.
    ``translate_boilerplate``: boilerplate (menus, footers…) is text to translate too, but
    for code and raw HTML (a web page written in place is then English all over)."""
    from .model import BOILERPLATE_FLAG, VERBATIM_STYLES
    from .overrides import read_overrides
    from .segmenter import segment_documents

    segments = segment_documents(documents, read_overrides(project.overrides))
    if translate_boilerplate:
        verbatim = {(d.stem, b.index) for d in documents for b in d.blocks
                    if b.style in VERBATIM_STYLES}
        for seg in segments:
            if BOILERPLATE_FLAG in seg.flags and (seg.doc, seg.block) not in verbatim:
                seg.flags.remove(BOILERPLATE_FLAG)
    return segments


def compose(segments: list[Segment], documents: list[Document], *, memory, glossary=None,
            mt=None, translate: list[Segment] | None = None, matching=None, repair=None):
    """The stages between segmentation and writing, in place: :func:`compose_segments`, then
    :func:`compose_across` over ``segments``, the whole dossier. Returns the MT stage's stats
    (None without MT)."""
    stats = compose_segments(segments, documents, memory=memory, glossary=glossary, mt=mt,
                             translate=translate, matching=matching, repair=repair)
    compose_across(segments, memory)
    return stats


def compose_segments(segments: list[Segment], documents: list[Document], *, memory,
                     glossary=None, mt=None, translate: list[Segment] | None = None,
                     matching=None, repair=None):
    """The stages that take each segment on its own, in place (whole documents at a time):
    the ``glossary``'s hits and repairs (None: the hits as they are), MT of the segments that
    need it among ``translate`` (None: all; ``mt`` None: none), the memory's reviews and
    drafts, the memory's matches under ``matching`` (``project.MemorySettings``; None: none),
    repaired with the ``repair`` glossary (default: ``glossary``), and the QA of each segment
    (:func:`qa.check_segment`, with its block's inline markup). Returns the MT stage's stats
    (None without MT)."""
    from .glossary import apply_glossary
    from .markup import partial_markup
    from .memory.prefill import prefill
    from .qa import block_index, check_segment

    if glossary is not None:
        apply_glossary(segments, glossary)
    stats = None
    if mt is not None:
        stats = mt(segments if translate is None else translate, partial_markup(documents))
    memory.apply(segments)
    if matching is not None:
        prefill(segments, memory, matching, glossary if repair is None else repair)
    blocks = block_index(documents)
    for seg in segments:
        check_segment(seg, blocks.get((seg.doc, seg.block)))
    return stats


def compose_across(segments: list[Segment], memory, reasons: dict[str, str] | None = None) -> None:
    """The stages after every segment went through :func:`compose_segments`, in place: the QA
    that compares segments (:func:`qa.check_across`: over ``segments``, the whole dossier, or
    any part of it with the ``reasons`` found over the whole), less the flags a reviewer
    dismissed for that English, then the risk of each segment."""
    from .qa import check_across
    from .risk import rank_risks

    check_across(segments, reasons)
    memory.apply_marks(segments)  # flags dismissed by a reviewer, English rejected
    rank_risks(segments)


class Run:
    """One write of the outputs of ``project``, holding its lock (use it in a ``with``).

    ``files`` are review files to take back along with the edits left in the current outputs;
    ``writable`` more folders the run must be able to write (the MT cache). In the ``with``:
    ``memory`` (open) and ``taken`` (what was taken back).
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
            if self.files and current_dir(project.output) is None:
                load_current(project.output)  # raises: no outputs here, translate first
            given = [entry for path in self.files for entry in read_review_file(path)]
            check_writable(generations_dir(project.output), project.memory.parent, *self.writable)
            self.memory = stack.enter_context(project.open_memory())
            self.taken = take_back(project, self.memory, given)
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
        """:func:`compose` (with the project's [memory] settings) over a dossier held in
        memory, then :meth:`write`; returns (OutputSummary, MtStats or None)."""
        from .outputs import current_dir, find_originals

        stats = compose(segments, documents, memory=self.memory, glossary=glossary, mt=mt,
                        translate=translate, matching=self.project.memory_settings,
                        repair=glossary if glossary is not None else recorded_glossary(run))
        find_originals(documents, current_dir(self.project.output))
        run = replace(engine_info(run, mt, stats), documents=documents)
        return self.write(parts_of(segments, documents), run), stats

    def finish_chunks(self, chunks: Iterable[tuple[list[Segment], list[Document]]],
                      run: RunInfo, *, glossary=None, mt=None,
                      translate: Callable[[Segment], bool] | None = None):
        """:meth:`finish` for a dossier that comes a chunk of whole documents at a time, so
        that it is never whole in memory: each chunk through :func:`compose_segments` (MT
        for the segments ``translate`` says, None: all), kept in a :class:`spill.Spill`;
        then each document through :func:`compose_across` with what the spill found across
        the dossier; then :meth:`write` reading the spill. Each chunk is composed before the
        next is asked for (a generator of chunks sees, when resumed, the last one composed).
        Returns (OutputSummary, MtStats or None, the :data:`RISKIEST` segments)."""
        from .outputs import current_dir, find_originals, generations_dir
        from .risk import riskiest
        from .spill import Spill

        repair = glossary if glossary is not None else recorded_glossary(run)
        current, stats = current_dir(self.project.output), None
        with Spill(generations_dir(self.project.output)) as spill:
            for segments, documents in chunks:
                wanted = None if translate is None else [s for s in segments if translate(s)]
                done = compose_segments(segments, documents, memory=self.memory,
                                        glossary=glossary, mt=mt, translate=wanted,
                                        matching=self.project.memory_settings, repair=repair)
                stats = done if stats is None else stats + done
                find_originals(documents, current)
                spill.add(parts_of(segments, documents))
                del segments, documents  # the next chunk is read with this one gone
            if not spill.segments:
                raise Fr2enError("nothing to translate: no article with text among the inputs")
            worst: list[Segment] = []
            for n, part in enumerate(spill, 1):
                compose_across(part.segments, self.memory, spill.reasons(n))
                spill.put(n, part)
                worst = riskiest([*worst, *part.segments], RISKIEST)
            summary = self.write(spill, engine_info(run, mt, stats), seen=spill.seen())
        return summary, stats, worst

    def write(self, parts: Iterable[Part], run: RunInfo, *, seen=None):
        """Write a new generation of the outputs of ``parts`` (:func:`model.parts_of`, or a
        :class:`spill.Spill`) and the memory's exchange file (``memory.tmx``): the only place
        the outputs are written. ``seen``: the analysis' container of the French met."""
        from .memory.exchange import export_tmx
        from .outputs import write_generation

        from .scoreboard import scoreboard

        project = self.project
        run = replace(run, memory=str(project.memory), project=str(project.root),
                      xliff=list(project.xliff), terms=scoreboard(segments_of(parts)))
        summary = write_generation(parts, project.output, run, seen=seen)
        export_tmx(self.memory, project.memory_tmx)
        self._exported = True
        return summary


def engine_info(run: RunInfo, mt, stats) -> RunInfo:
    """``run`` with what the MT stage ``mt`` made its translations with (unchanged without)."""
    if mt is None:
        return run
    identity = mt.identity()
    return replace(run, mt=True, engine=f"{identity['package']}@{identity['version']}",
                   engine_options=identity["options"], mt_stats=asdict(stats),
                   engine_model=identity["model_hash"],
                   engine_device=f"{identity['device']}/{identity['compute_type']}",
                   round_trip=identity.get("round_trip", ""))


def recorded_glossary(run: RunInfo):
    """The glossary the outputs of ``run`` were made with, loaded (None when there was none,
    or it cannot be read now: the matches are then repaired for numbers only)."""
    from .glossary import load_glossary

    if not run.glossary or not Path(run.glossary).is_file():
        return None
    try:
        return load_glossary(run.glossary)
    except Fr2enError:
        return None


def translate_dossier(project, documents: Iterable[Document] | None = None, *,
                      glossary=DEFAULT, mt=DEFAULT, include_boilerplate: bool = False,
                      translate_boilerplate: bool = False, progress=None) -> TranslateResult:
    """Translate ``project``'s articles (``documents``, read as they are needed, e.g. a
    :class:`loader.Inputs`; None: its inputs) and write every output, :data:`CHUNK_DOCUMENTS`
    documents through the stages at a time (:meth:`Run.finish_chunks`).

    ``glossary``: a glossary path (None: none; default: the project's when it exists). ``mt``:
    an MT stage (:class:`engine.stage.MtStage`; None: no MT, the English stays empty unless
    reviewed; default: one built from the project's engine options, which never downloads).
    ``progress(phase, done, total)`` is told ``("documents", done, total)`` after each chunk
    (the total when ``documents`` has a length, as a :class:`loader.Inputs` has).
    """
    from .glossary import load_glossary
    from .loader import find_inputs

    if documents is None:
        documents = find_inputs(project.inputs)
    if glossary is DEFAULT:
        glossary = project.glossary if project.glossary.exists() else None
    if mt is DEFAULT:
        from .engine.stage import MtStage

        with MtStage(project.engine_options()) as stage:
            return translate_dossier(project, documents, glossary=glossary, mt=stage,
                                     include_boilerplate=include_boilerplate,
                                     translate_boilerplate=translate_boilerplate,
                                     progress=progress)
    loaded = load_glossary(glossary) if glossary is not None else None
    writable = mt.writable if mt is not None else []

    total = len(documents) if hasattr(documents, "__len__") else 0

    def chunks() -> Iterator[tuple[list[Segment], list[Document]]]:
        documents_left, done = iter(documents), 0
        while chunk := list(islice(documents_left, CHUNK_DOCUMENTS)):
            yield project_segments(project, chunk, translate_boilerplate=translate_boilerplate), chunk
            done += len(chunk)
            if progress is not None:
                progress("documents", done, max(total, done))

    with Run(project, "fr2en translate", writable=writable) as run:
        info = RunInfo(mt=mt is not None, glossary=str(glossary or ""),
                       include_boilerplate=include_boilerplate,
                       translate_boilerplate=translate_boilerplate)
        summary, stats, worst = run.finish_chunks(chunks(), info, glossary=loaded, mt=mt)
    return TranslateResult(summary, run.taken, stats, worst)


def analyse_dossier(project, documents: list[Document]) -> dict:
    """The analysis of ``documents`` against ``project``'s memory (:mod:`analysis`): the match
    stage alone, nothing prefilled, nothing written."""
    from .analysis import analyse
    from .memory.prefill import prefill

    segments = project_segments(project, documents)
    with project.open_memory() as memory:
        prefill(segments, memory, replace(project.memory_settings, prefill=None))
    return analyse(segments)


def import_reviews(project, files: Iterable[str | Path]):
    """Record the reviews of ``files``, and the edits left in the current outputs, in the
    memory of ``project``; rebuild the outputs when that changes a segment (so running it
    again also repairs outputs an interrupted run left behind). All files are read before
    anything is recorded: a bad file changes nothing. The report is read a document at a
    time, once to see what the memory changes, once more to rebuild (in chunks, as
    :func:`translate_dossier` runs). Returns the ``review.ImportResult``."""
    from .formats.report import report_parts
    from .outputs import REPORT_FILE, current_dir, load_current
    from .review import review_format

    files = list(files)
    for path in files:
        review_format(path)  # a file of another kind is refused before anything is locked
    with Run(project, "fr2en review import", files=files) as run:
        folder = current_dir(project.output)
        if folder is None:
            load_current(project.output)  # raises: no outputs here, translate first
        result, changed = run.taken, False
        info, parts = report_parts(folder / REPORT_FILE)
        for part in parts:
            before = [(seg.target, seg.origin) for seg in part.segments]
            result.applied += run.memory.apply(part.segments)
            changed = changed or [(seg.target, seg.origin) for seg in part.segments] != before
        if changed:
            result.outputs, _, _ = run.finish_chunks(report_chunks(folder), info)
    return result


def report_chunks(folder: Path) -> Iterator[tuple[list[Segment], list[Document]]]:
    """The dossier of the outputs in ``folder``, :data:`CHUNK_DOCUMENTS` documents at a time
    (the documents with their input files' copies), for :meth:`Run.finish_chunks`."""
    from .formats.report import report_parts
    from .outputs import REPORT_FILE, find_originals

    _, parts = report_parts(folder / REPORT_FILE)
    while chunk := list(islice(parts, CHUNK_DOCUMENTS)):
        documents = [part.document for part in chunk if part.document is not None]
        find_originals(documents, folder, inputs=False)
        yield [seg for part in chunk for seg in part.segments], documents
