"""The `cleaner` command line (typer). Heavy imports live inside the commands.

Exit codes (also in the README):
  0  every record was cleaned and written
  1  the run finished, but some records were rejected (see the rejects file)
  2  usage error: a bad option, or an input file that cannot be read
  3  the rule files are invalid (each problem is printed with file, rule id and field)
"""

from __future__ import annotations

import typer

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_RULES = 0, 1, 2, 3

app = typer.Typer(
    name="cleaner",
    help="Turn scraped web and news text into clean text, with a record of every edit.",
    epilog="Exit codes: 0 all records written; 1 finished, some records rejected (see the "
    "rejects file) or a rule check failed; 2 usage error or unreadable input; 3 invalid rule "
    "files. Start with: cleaner clean FILE, cleaner explain FILE, cleaner rules list.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from cleaner import __version__
        from cleaner.model import DISTRIBUTION

        typer.echo(f"cleaner {__version__} ({DISTRIBUTION})")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn scraped web and news text into clean text, with a record of every edit."""


rules_app = typer.Typer(help="List, check and document cleaning rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

from cleaner.cli import clean as _clean  # noqa: E402,F401  (registers commands)
from cleaner.cli import report as _report  # noqa: E402,F401
from cleaner.cli import rules as _rules  # noqa: E402,F401
from cleaner.cli import run as _run  # noqa: E402,F401


def main() -> None:
    app()
