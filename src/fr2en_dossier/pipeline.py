"""The ``fr2en translate`` run: segment → glossary → review memory → MT → QA → outputs.

The whole run holds the project lock. Before anything else it removes what killed runs left,
checks that the outputs, the memory (and the MT cache) can be written, and takes back the
edits a reviewer made to the current PO/TMX outputs (:func:`review.harvest`); the outputs are
then written as a new generation (:mod:`outputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import Fr2enError
from .formats.report import RunInfo
from .model import Document, Segment
from .outputs import OutputSummary


@dataclass
class TranslateResult:
    summary: OutputSummary  # what was written
    harvested: object  # review.ImportResult: edits taken back first, leftovers removed


def translate_dossier(
    project,
    documents: list[Document],
    *,
    glossary_path: Path | None = None,
    mt: Callable[[list[Segment]], object] | None = None,
    engine_options=None,
    include_boilerplate: bool = False,
    translate_boilerplate: bool = False,
    writable: tuple[Path, ...] = (),
) -> TranslateResult:
    """Translate ``documents`` of ``project`` (a :class:`project.Project`) and write every output.

    ``glossary_path`` is the glossary to apply (None: none). ``mt`` is the MT stage: called
    once as ``mt(segments, align)``, it fills the targets of those that need MT
    (``engine.translate_segments``, as the CLI's ``run_mt`` does), with a word alignment for
    the segments ``align(seg)`` names (inline markup to carry over); None means ``--no-mt``:
    targets stay empty unless reviewed. ``engine_options`` (an ``EngineOptions``) is recorded
    in the report; ``writable`` lists more folders the run must be able to write (the MT cache).
    ``translate_boilerplate`` translates the boilerplate too (menus, footers…: the web page
    written in place is then English all over), code blocks excepted.
    """
    from .glossary import apply_glossary, load_glossary
    from .markup import partial_markup
    from .outputs import check_output_path, check_writable, generations_dir, write_generation
    from .overrides import read_overrides
    from .qa import run_qa
    from .review import take_back
    from .segmenter import segment_documents

    segments = segment_documents(documents, read_overrides(project.overrides))
    if translate_boilerplate:
        _unflag_boilerplate(documents, segments)
    if not segments:
        raise Fr2enError("nothing to translate: no article with text among the inputs")
    glossary = load_glossary(glossary_path) if glossary_path is not None else None
    with project.lock("fr2en translate"):
        check_output_path(project.output)
        check_writable(generations_dir(project.output), project.memory.parent, *writable)
        memory, _, harvested = take_back(project)
        if glossary is not None:
            apply_glossary(segments, glossary)
        memory.apply(segments)
        run = RunInfo(mt=mt is not None, glossary=str(glossary_path or ""),
                      memory=str(project.memory), project=str(project.root),
                      include_boilerplate=include_boilerplate, documents=documents)
        if mt is not None:
            from .engine import find_fr_en

            mt(segments, partial_markup(documents))
            package = find_fr_en()
            run.engine = package.id if package else ""
            run.engine_options = asdict(engine_options) if engine_options is not None else {}
        run_qa(segments, documents)
        summary = write_generation(segments, project.output, run)
    return TranslateResult(summary, harvested)


def _unflag_boilerplate(documents: list[Document], segments: list[Segment]) -> None:
    """Boilerplate segments become text to translate, but those of code and raw HTML."""
    from .model import BOILERPLATE_FLAG, VERBATIM_STYLES

    verbatim = {(d.stem, b.index) for d in documents for b in d.blocks if b.style in VERBATIM_STYLES}
    for seg in segments:
        if BOILERPLATE_FLAG in seg.flags and (seg.doc, seg.block) not in verbatim:
            seg.flags.remove(BOILERPLATE_FLAG)
