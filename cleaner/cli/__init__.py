"""The `cleaner` command line (typer). Heavy imports live inside the commands.

Exit codes (also in the README):
  0  every record was cleaned and written
  1  the run finished, but some records were rejected (see the rejects file)
  2  usage error: a bad option, or an input file that cannot be read
  3  the rule files are invalid (each problem is printed with file, rule id and field)
  130  interrupted (Ctrl-C, SIGTERM): nothing half-written is left
  141  stdout was closed early (``cleaner clean ... | head``), as a shell reports SIGPIPE
"""

from __future__ import annotations

import typer

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_RULES, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="cleaner",
    help="Turn scraped web and news text into clean text, with a record of every edit.",
    epilog="Exit codes: 0 all records written; 1 finished, some records rejected (see the "
    "rejects file) or a rule check failed; 2 usage error, unreadable input or unwritable "
    "output; 3 invalid rule files; 130 interrupted. Start with: cleaner clean FILE, "
    "cleaner explain FILE, cleaner rules list.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="List, check and document cleaning rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

from cleaner.cli import clean as _clean  # noqa: E402,F401  (registers commands)
from cleaner.cli import report as _report  # noqa: E402,F401
from cleaner.cli import rules as _rules  # noqa: E402,F401
from cleaner.cli import run as _run  # noqa: E402,F401


def main() -> None:
    app()
