"""Command-line interface (click). Thin: parse options, call the library, print.

Heavy modules (ctranslate2, sentencepiece, lxml, argostranslate) are imported inside the
commands so that ``fr2en --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import Fr2enError
from .model import ENTRY_KINDS, Document


class _Group(click.Group):
    """Turns a library ``Fr2enError`` into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Fr2enError as err:
            click.echo(f"fr2en: error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fr2en")
def main() -> None:
    """Offline French→English translation-and-glossary pipeline for press dossiers."""


# --- input articles: shared by `segment`, `glossary check/suggest`, `translate` -------------


def paths_argument(required: bool = True):
    """The ``PATH...`` argument: articles (.txt, .html, .md, .docx), or directories of them (not
    recursive)."""
    return click.argument(
        "paths",
        nargs=-1,
        required=required,
        metavar="PATH..." if required else "[PATH]...",
        type=click.Path(path_type=Path),
    )


def load_inputs(paths) -> list[Document]:
    """Load the articles at ``paths``; warn on stderr about skipped and empty files, and what
    the readers left out."""
    from .loader import load_documents

    result = load_documents(paths)
    for path in result.skipped:
        click.echo(f"fr2en: warning: {path}: skipped (not .txt, .html, .md, .docx, .odt or "
                   ".pptx)", err=True)
    for line in result.warnings:
        click.echo(f"fr2en: warning: {line}", err=True)
    for path in result.empty:
        click.echo(f"fr2en: warning: {path}: empty file, no segments", err=True)
    return result.documents


# --- the dossier project (README "Your dossier project") -------------------------------------


def no_wait_option():
    """``--no-wait``: for commands that write project state (they hold the project lock)."""
    return click.option("--no-wait", is_flag=True,
                        help="If another fr2en command is writing this project, stop (exit 2) "
                        "instead of waiting for it.")


def find_project(no_wait: bool = False):
    """The project around the current directory; a writer waits with a message, or not."""
    from .project import Project

    project = Project.find()
    project.wait = not no_wait
    project.on_wait = lambda holder: click.echo(
        f"fr2en: waiting for {holder} to finish with {project.root}", err=True
    )
    return project


def shown(path: Path) -> str:
    """``path`` as a user typing commands here would write it: relative when below here."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def project_line(project) -> str:
    """One line naming the project root and where its settings come from."""
    source = project.config.name if project.config else "no fr2en.toml: defaults"
    return f"project {project.root} ({source})"


@main.command()
@click.argument("directory", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--inputs", "inputs", multiple=True,
              help="Article files or folders (repeatable). Default: seeds/ if present, else "
              "articles/ (created).")
def init(directory: Path, inputs) -> None:
    """Make DIRECTORY (default: here) a dossier project: write its fr2en.toml."""
    from .project import init_project

    config = init_project(directory, list(inputs))
    click.echo(f"wrote {config}")


@main.command()
@paths_argument(required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: DOC:BLOCK:INDEX<tab>KIND<tab>FLAGS (- if none)<tab>SENTENCE; "
    'jsonl: {"doc","block","kind","index","start","end","text"} per line.',
)
def segment(paths, fmt: str) -> None:
    """Split articles (PATH: .txt, .html, .md, .docx files or directories; default: the project's inputs) into
    blocks and sentences."""
    import json

    from .overrides import read_overrides
    from .segmenter import segment_documents, segment_line, segment_record

    project = find_project()
    segments = segment_documents(load_inputs(paths or project.inputs),
                                 read_overrides(project.overrides))
    if fmt == "jsonl":
        lines = [json.dumps(segment_record(seg), ensure_ascii=False) for seg in segments]
    else:
        lines = [segment_line(seg) for seg in segments]
    if lines:
        click.echo("\n".join(lines))


# --- review memory and `review import` (README "PO review files") ---------------------------


def memory_option():
    """``-m/--memory PATH``: the review memory, shared by `translate` and `review import`."""
    return click.option(
        "-m",
        "--memory",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Review memory (TMX): reviews and drafts, applied before MT, never deleted. "
        "Default: the project's (memory.tmx).",
    )


def output_option():
    """``-o/--output DIR``: the output folder (default: the project's, output/)."""
    return click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
                        help="Output folder. Default: the project's (output/).")


def overridden(project, *, outdir=None, memory=None):
    """``project`` with the paths given on the command line (relative to the current folder)."""
    if outdir is not None:
        project.output = outdir.absolute()
    if memory is not None:
        project.memory = memory.absolute()
    return project


@main.group()
def review() -> None:
    """Bring reviewed translations back into the dossier."""


@review.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option()
@memory_option()
@no_wait_option()
def review_import(files, outdir: Path | None, memory: Path | None, no_wait: bool) -> None:
    """Import reviewed PO files (non-fuzzy msgstr; edited fuzzy ones become drafts) or an
    edited dossier.tmx, and the edits left in the current outputs.

    Reviews go into the memory, then en/*.txt, dossier.tmx, review.html, po/*.po and
    report.json are rebuilt with them.
    """
    from .review import import_reviews

    project = overridden(find_project(no_wait), outdir=outdir, memory=memory)
    result = import_reviews(project, files)
    for skip in result.skipped:
        click.echo(f"fr2en: skipped {skip.where}: {skip.key or '-'}: {skip.reason}", err=True)
    click.echo(project_line(project))
    click.echo(
        f"imported {len(result.imported)} review(s) and {len(result.drafts)} draft(s) into "
        f"{project.memory}; {result.unchanged} unchanged, {result.pending} fuzzy or empty, "
        f"{len(result.skipped)} skipped"
    )
    if result.orphans:
        click.echo(f"{len(result.orphans)} review(s) kept in the memory for French no longer "
                   "in the dossier")
    state = "rebuilt" if result.outputs is not None else "already up to date"
    click.echo(f"{project.output}: {state}, {result.applied} reviewed or drafted segment(s)")


@review.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Another than 127.0.0.1 lets other machines in "
              "(with the token): a warning is printed.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
def review_serve(host: str, port: int, no_browser: bool) -> None:
    """Review in the browser: edit the English, add glossary terms, merge or split sentences.

    The first line printed is the URL to open (it carries a secret token). Ctrl+C stops it.
    """
    from .server import serve

    try:
        # A write that meets another writer (a running translate) is refused, not queued.
        serve(find_project(no_wait=True), host, port, open_browser=not no_browser)
    except KeyboardInterrupt:
        pass
    click.echo("fr2en: review server stopped", err=True)


# --- machine translation: engine options, `model install/list` (README "Machine translation") -


def engine_options(command):
    """Add the MT engine options (--beam-size, --device, --compute-type, --threads,
    --max-batch-tokens, --no-cache, --quiet) to ``command``, which then receives
    ``engine_given`` (the options given on the command line, for
    ``Project.engine_options``), ``no_cache`` and ``quiet``: give them to :func:`run_mt`.
    Unset options take the project's [engine] settings, else the defaults shown."""
    import functools

    from .engine.options import DEVICES, EngineOptions

    defaults = EngineOptions()

    @functools.wraps(command)
    def wrapper(*args, beam_size, device, compute_type, threads, max_batch_tokens, **kwargs):
        kwargs["engine_given"] = dict(
            beam_size=beam_size,
            device=device,
            compute_type=compute_type,
            threads=threads,
            max_batch_tokens=max_batch_tokens,
        )
        return command(*args, **kwargs)

    def default(name: str) -> str:
        return f" [default: {getattr(defaults, name)}, or the project's [engine] {name}]"

    for option in reversed(
        [
            click.option("--beam-size", type=click.IntRange(min=1),
                         help="Beam search width." + default("beam_size")),
            click.option("--device", type=click.Choice(DEVICES),
                         help="auto: cuda when CTranslate2 sees a GPU." + default("device")),
            click.option("--compute-type",
                         help="CTranslate2 compute type; default: int8 on CPU, float16 on CUDA."
                         + default("compute_type")),
            click.option("--threads", type=click.IntRange(min=0),
                         help="CPU threads in all (0: all cores): one one-thread worker each."
                         + default("threads")),
            click.option("--max-batch-tokens", type=click.IntRange(min=1),
                         help="Padded source tokens per CTranslate2 batch."
                         + default("max_batch_tokens")),
            click.option("--no-cache", is_flag=True,
                         help="Neither read nor write the translation cache."),
            click.option("--quiet", is_flag=True, help="No progress bar."),
        ]
    ):
        wrapper = option(wrapper)
    return wrapper


DOWNLOADING = "fr2en: downloading the French→English model…"


def progress_bar(stack, label: str, quiet: bool, note: str = ""):
    """A ``progress(done, total)`` drawing a bar on stderr when it is a terminal and not
    ``quiet`` (closed with ``stack``); otherwise silent, or ``note`` said once on stderr."""
    import sys

    show = not quiet and sys.stderr.isatty()
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if show:
                bar = stack.enter_context(
                    click.progressbar(length=total or None, label=label, file=sys.stderr))
            else:
                if note:
                    click.echo(note, err=True)
                bar = False
        if bar:
            bar.update(done - bar.pos)

    return progress


def run_mt(segments, align=None, *, engine_options, no_cache: bool, quiet: bool,
           download: bool = False):
    """Translate ``segments`` in place (``engine.translate_segments``, word alignments for
    those ``align`` names) through the translation cache, with a progress bar on stderr when
    it is a terminal; return the ``MtStats``. With ``download`` and no fr→en package
    installed, it is first installed from the index."""
    from contextlib import ExitStack

    from .engine import TranslationCache, load_engine, translate_segments
    from .engine.packages import ensure_fr_en

    with ExitStack() as stack:
        ensure_fr_en(download, progress_bar(stack, "downloading the model", quiet,
                                            note=DOWNLOADING))
    engine = load_engine(engine_options)
    with ExitStack() as stack:
        cache = None if no_cache else stack.enter_context(TranslationCache())
        return translate_segments(segments, engine, cache=cache, align=align,
                                  progress=progress_bar(stack, "translating", quiet))


@main.group("model")
def model_group() -> None:
    """Install and list Argos Translate packages (the MT model)."""


@model_group.command("install")
@click.option("--file", "archive", type=click.Path(dir_okay=False, path_type=Path),
              help="Install this .argosmodel file instead of downloading one.")
def model_install(archive: Path | None) -> None:
    """Install the French→English package from the Argos package index (ARGOS_PACKAGE_INDEX)
    or from a file, into argostranslate's package directory (ARGOS_PACKAGES_DIR)."""
    from contextlib import ExitStack

    from .engine.packages import install_file, install_from_index

    with ExitStack() as stack:
        progress = progress_bar(stack, "downloading the model", quiet=False, note=DOWNLOADING)
        pkg = install_file(archive) if archive else install_from_index(progress)
    click.echo(f"installed {pkg.id} ({pkg.from_name} → {pkg.to_name}) in {pkg.path}")


@model_group.command("list")
def model_list() -> None:
    """List installed Argos packages; * marks the one `fr2en translate` uses."""
    from .engine.packages import find_fr_en, installed_packages, packages_dir

    packages = installed_packages()
    if not packages:
        click.echo(f"no Argos packages in {packages_dir()}")
        return
    used = find_fr_en(packages)
    for pkg in packages:
        mark = "*" if pkg == used else " "
        click.echo(f"{mark} {pkg.name} {pkg.version}\t{pkg.from_name} → {pkg.to_name}\t{pkg.path}")


# --- glossary: lint, list, add, check, suggest (README "Glossary") -------------------------


def _format_option():
    return click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
                        show_default=True, help="Output format.")


@main.group("glossary")
@click.option("-g", "--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The glossary file (OmegaT tab-separated). Default: the project's "
              "(glossary.tsv).")
@click.pass_context
def glossary_group(ctx: click.Context, glossary_path: Path | None) -> None:
    """Check, list, extend and apply the domain glossary."""
    ctx.obj = glossary_path or find_project().glossary


@glossary_group.command("lint")
@click.pass_obj
def glossary_lint(glossary_path: Path) -> None:
    """Report malformed rows, duplicates and conflicting targets; exit 1 on any error."""
    from .glossary import read_glossary

    glossary, problems = read_glossary(glossary_path)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{glossary_path}: {len(glossary.entries)} entries, {errors} errors, "
               f"{len(problems) - errors} warnings")
    if errors:
        click.get_current_context().exit(1)


@glossary_group.command("list")
@click.option("--kind", type=click.Choice(ENTRY_KINDS), help="Only entries of this kind.")
@_format_option()
@click.pass_obj
def glossary_list(glossary_path: Path, kind: str | None, fmt: str) -> None:
    """List the entries: kind, source → target, options, comment."""
    import dataclasses
    import json

    from .glossary import load_glossary

    for entry in load_glossary(glossary_path).entries:
        if kind and entry.kind != kind:
            continue
        if fmt == "jsonl":
            click.echo(json.dumps(dataclasses.asdict(entry), ensure_ascii=False))
            continue
        options = ", ".join((["exact case"] if entry.exact_case else []) + list(entry.forms))
        line = f"{entry.kind:<4}  {entry.source} → {entry.target}"
        line += f"  (engine reads: {entry.repair})" if entry.repair else ""
        line += f"  [{options}]" if options else ""
        line += f"  avoid: {' | '.join(entry.avoid)}" if entry.avoid else ""
        click.echo(line + (f"  # {entry.comment}" if entry.comment else ""))


@glossary_group.command("add")
@click.argument("source")
@click.argument("target")
@click.option("--comment", default="", help="Why / where (OmegaT's comment column).")
@click.option("--kind", type=click.Choice(ENTRY_KINDS), default="term", show_default=True,
              help="fix: repair the French; term: preferred English; keep: do not translate.")
@click.option("--exact-case", is_flag=True, help="Match case-sensitively.")
@click.option("--plural", is_flag=True, help="Also match the plural forms.")
@click.option("--feminine", is_flag=True, help="Also match the feminine forms.")
@click.option("--repair", default="", help="fix: the French the engine reads instead of SOURCE.")
@click.option("--avoid", multiple=True, help="A known wrong English rendering (repeatable).")
@no_wait_option()
@click.pass_obj
def glossary_add(glossary_path: Path, source: str, target: str, comment: str, kind: str,
                 exact_case: bool, plural: bool, feminine: bool, repair: str,
                 avoid: tuple[str, ...], no_wait: bool) -> None:
    """Append SOURCE → TARGET to the glossary (refuses duplicates and conflicts)."""
    from .glossary import add_entry
    from .glossary.entries import AVOID_SEPARATOR

    forms = ",".join(name for name, on in (("plural", plural), ("feminine", feminine)) if on)
    with find_project(no_wait).lock("fr2en glossary add"):
        entry = add_entry(glossary_path, source, target, comment, kind,
                          "exact" if exact_case else "", forms, repair, AVOID_SEPARATOR.join(avoid))
    click.echo(f"{glossary_path}:{entry.line}: added {entry.kind} {entry.source} → {entry.target}")


@glossary_group.command("check")
@paths_argument(required=False)
@_format_option()
@click.pass_obj
def glossary_check(glossary_path: Path, paths, fmt: str) -> None:
    """Show the glossary hits of articles (PATH: .txt, .html, .md, .docx files or directories; default: the
    project's inputs).

    text: KEY<tab>START-END<tab>KIND<tab>SOURCE → TARGET per hit (block offsets);
    jsonl: the `fr2en segment` records plus "hits" and "engine_input".
    """
    import json

    from .glossary import apply_glossary, load_glossary
    from .segmenter import segment_documents, segment_record

    glossary = load_glossary(glossary_path)
    segments = segment_documents(load_inputs(paths or find_project().inputs))
    apply_glossary(segments, glossary)
    lines = []
    for seg in segments:
        if fmt == "jsonl":
            hits = [{"start": h.start, "end": h.end, "source": h.source, "target": h.target,
                     "kind": h.kind} for h in seg.hits]
            record = segment_record(seg) | {"hits": hits, "engine_input": seg.mt_input}
            lines.append(json.dumps(record, ensure_ascii=False))
        else:
            lines += [f"{seg.key}\t{h.start}-{h.end}\t{h.kind}\t{h.source} → {h.target}"
                      for h in seg.hits]
    if lines:
        click.echo("\n".join(lines))
    hits = [h.kind for seg in segments for h in seg.hits]
    counts = ", ".join(f"{hits.count(k)} {k}" for k in ENTRY_KINDS)
    click.echo(f"{len(hits)} hits in {sum(bool(s.hits) for s in segments)} segments ({counts})",
               err=True)


@glossary_group.command("suggest")
@paths_argument(required=False)
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True,
              help="Occurrences needed to be suggested.")
@_format_option()
@click.pass_obj
def glossary_suggest(glossary_path: Path, paths, min_count: int, fmt: str) -> None:
    """Suggest terms not yet in the glossary: recurring names, acronyms, noun phrases.

    text: COUNT<tab>KIND<tab>TERM<tab>KEY<tab>CONTEXT, most frequent first.
    """
    import dataclasses
    import json

    from .glossary import Glossary, load_glossary, suggest_terms
    from .segmenter import segment_documents

    if glossary_path.exists():
        glossary = load_glossary(glossary_path)
    else:
        click.echo(f"fr2en: warning: {glossary_path}: no such file, suggesting from scratch", err=True)
        glossary = Glossary([])
    segments = segment_documents(load_inputs(paths or find_project().inputs))
    for c in suggest_terms(segments, glossary, min_count):
        if fmt == "jsonl":
            click.echo(json.dumps(dataclasses.asdict(c), ensure_ascii=False))
        else:
            click.echo(f"{c.count}\t{c.kind}\t{c.text}\t{c.key}\t{c.context}")


# --- translate: the whole run (README "Outputs", "Reviewer workflow") ------------------------


@main.command()
@paths_argument(required=False)
@click.option("-g", "--glossary", "glossary_path",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Glossary (OmegaT TSV). Default: the project's (glossary.tsv), if it exists.")
@output_option()
@memory_option()
@click.option("--no-mt", is_flag=True,
              help="Run everything but MT: the English stays empty (a kit for translators).")
@click.option("--include-boilerplate", is_flag=True,
              help="Keep boilerplate lines (untranslated) in en/*.txt.")
@click.option("--translate-boilerplate", is_flag=True,
              help="Translate the boilerplate too (menus, footers: a web page written in "
              "place, en/pages/, is then English all over).")
@click.option("--no-download", is_flag=True,
              help="Without an installed model, stop instead of downloading it.")
@no_wait_option()
@engine_options
def translate(paths, glossary_path, outdir, memory, no_mt, include_boilerplate,
              translate_boilerplate, no_download, no_wait, engine_given, no_cache, quiet) -> None:
    """Translate articles (PATH...: .txt, .html, .md, .docx, .odt, .pptx files or
    directories; default: the project's inputs, seeds/) and write en/<stem>.* (each document
    in its format, written in place; web pages also en/pages/<stem>.html), dossier.tmx,
    review.html, po/<stem>.po and report.json in the output directory, as one new
    generation."""
    import functools
    from collections import Counter

    from .pipeline import translate_dossier

    project = overridden(find_project(no_wait), outdir=outdir, memory=memory)
    engine = project.engine_options(**engine_given)
    if glossary_path is None and project.glossary.exists():
        glossary_path = project.glossary
    elif glossary_path is None:
        click.echo(f"fr2en: warning: no {project.glossary}: no glossary used", err=True)
    inputs = paths or project.inputs
    documents = load_inputs(inputs)
    if not documents:
        where = ", ".join(str(p) for p in inputs)
        raise Fr2enError(f"{where}: nothing to translate: no article with text here")
    mt, writable = None, ()
    if not no_mt:
        from .engine.cache import default_cache_path

        mt = functools.partial(run_mt, engine_options=engine, no_cache=no_cache, quiet=quiet,
                               download=not no_download)
        writable = () if no_cache else (default_cache_path().parent,)
    result = translate_dossier(
        project, documents, glossary_path=glossary_path, mt=mt, engine_options=engine,
        include_boilerplate=include_boilerplate, translate_boilerplate=translate_boilerplate,
        writable=writable,
    )
    summary = result.summary
    totals, origins = summary.totals, summary.totals["origins"]
    click.echo(project_line(project))
    harvested = result.harvested
    if harvested.leftovers:
        click.echo(f"removed {harvested.leftovers} leftover(s) of interrupted runs")
    if harvested.recorded or harvested.skipped:
        click.echo(f"took back {len(harvested.imported)} review(s) and {len(harvested.drafts)} "
                   f"draft(s) edited in the previous outputs' PO/TMX files")
        for skip in harvested.skipped:
            click.echo(f"fr2en: skipped {skip.where}: {skip.key or '-'}: {skip.reason}", err=True)
    machine = "no MT"
    if summary.run.mt:
        machine = (f"{origins.get('mt', 0) + origins.get('cache', 0)} machine-translated "
                   f"({origins.get('cache', 0)} from cache)")
    click.echo(f"{totals['documents']} documents, {totals['segments']} segments: {machine}, "
               f"{origins.get('review', 0)} reviewed and {origins.get('draft', 0)} drafts from "
               f"the memory {project.memory}")
    click.echo("flags: " + ", ".join(f"{name} {n}" for name, n in totals["flags"].items()))
    outdir = project.output
    written = Counter(  # the files of a subdirectory on one entry: output/en/*.txt (5)
        shown(p if p.parent == outdir else p.parent / f"*{p.suffix}") for p in summary.outputs
    )
    click.echo(f"run {summary.run.id}: wrote " + ", ".join(
        f"{name} ({n})" if "*" in name else name for name, n in written.items()
    ))
