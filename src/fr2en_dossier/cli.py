"""Command-line interface (click). Thin: parse options, call the library, print.

Heavy modules (ctranslate2, sentencepiece, lxml, argostranslate) are imported inside the
commands so that ``fr2en --help`` stays instant.
"""

from __future__ import annotations

import click

from . import __version__
from .errors import Fr2enError


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
