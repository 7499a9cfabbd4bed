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

# the command modules register their commands on ``app`` / ``rules_app`` when imported
from cleaner.cli import clean as _clean  # noqa: F401
from cleaner.cli import report as _report  # noqa: F401
from cleaner.cli import rules as _rules  # noqa: F401
from cleaner.cli import run as _run  # noqa: F401
from cleaner.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_RULES,
    EXIT_USAGE,
    app,
    rules_app,
)

__all__ = [
    "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_REJECTED", "EXIT_RULES", "EXIT_USAGE", "app", "main",
    "rules_app",
]  # fmt: skip


def main() -> None:
    app()
