"""The typer apps, exit codes, options and helpers shared by the commands (the command modules
import this, never ``cleaner.cli`` itself, so the package has no import cycle)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_RULES, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: a worker process died (killed by a signal: the kernel's out-of-memory killer, say)
EXIT_WORKER_DIED = 4

app = typer.Typer(
    name="cleaner",
    help="Turn scraped web and news text into clean text, with a record of every edit.",
    epilog="Exit codes: 0 all records written; 1 finished, some records rejected (see the "
    "rejects file) or a rule check failed; 2 usage error, unreadable input or unwritable "
    "output; 3 invalid rule files; 4 a worker process died (out of memory?); 130 "
    "interrupted. Start with: cleaner clean FILE, "
    "cleaner explain FILE, cleaner rules list.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from cleaner import __version__
        from cleaner.extras import DISTRIBUTION

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

PresetOpt = Annotated[
    str, typer.Option("--preset", "-p", help="Rule preset: 'default' (safe on any corpus) or "
                      "'extended' (also bylines, datelines, copyright lines ...).")]  # fmt: skip
SelectOpt = Annotated[
    list[str] | None, typer.Option("--select", "-s", help="Run only rules whose id matches this "
                                   "glob (repeatable), e.g. '*hovercard*'.")]  # fmt: skip
RulesOpt = Annotated[
    list[Path] | None, typer.Option("--rules", help="Load rules from this file or folder "
                                    "instead of the bundled ones (repeatable).")]  # fmt: skip
AddRulesOpt = Annotated[
    list[Path] | None, typer.Option("--add-rules", help="Load rules from this file or folder "
                                    "on top of the bundled ones (or of --rules; "
                                    "repeatable).")]  # fmt: skip
PackOpt = Annotated[
    list[str] | None, typer.Option("--pack", help="Enable the installed rule pack NAME "
                                   "(repeatable; cleaner rules list shows them).")]  # fmt: skip
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Input format: auto (by extension; stdin is "
                      "sniffed: JSONL when its first lines are JSON objects), jsonl or "
                      "text.")]  # fmt: skip
TextFieldOpt = Annotated[str, typer.Option("--text-field", help="JSONL field that holds the text.")]


def note(message: str) -> None:
    """A one-line notice on stderr (not an error: the run goes on)."""
    typer.echo(f"cleaner: {message}", err=True)


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"cleaner: error: {message}", err=True)
    raise typer.Exit(code)


def make_cleaner(
    preset,
    select: list[str] | None = None,
    rules: list[Path] | None = None,
    add_rules: list[Path] | None = None,
    packs: list[str] | None = None,
    **kw,
):
    """A Cleaner (``preset`` may instead be a factory returning one), or a clean exit: every
    rule-file problem listed (exit 3); an unknown pack, preset or a --select glob that matches
    no rule (exit 2)."""
    from cleaner.api import Cleaner
    from cleaner.ruleset.load import RuleLoadError

    try:
        if callable(preset):
            return preset()
        return Cleaner(preset, select or None, rules=rules or None, add_rules=add_rules,
                       packs=packs, **kw)  # fmt: skip
    except RuleLoadError as exc:
        for problem in exc.problems:
            typer.echo(f"{problem}", err=True)
        fail(f"{len(exc.problems)} problem(s) in the rule files", EXIT_RULES)
    except FileNotFoundError as exc:
        what = f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
        fail(f"cannot read the rules: {what}", EXIT_USAGE)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)


def sources(
    rules: list[Path] | None, add_rules: list[Path] | None = None, packs: list[str] | None = None
) -> tuple[str, ...] | None:
    """The rule sources of ``--rules``/``--add-rules``/``--pack`` as ``CleanerSpec.rules``
    takes them (None: the bundled rules), or a usage error (exit 2)."""
    from cleaner.ruleset.load import rule_sources

    try:
        found = rule_sources(rules or None, add_rules, packs)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    return tuple(found) if found is not None else None


def stdin_is_empty_tty() -> bool:
    return sys.stdin is None or sys.stdin.isatty()


EditsOpt = Annotated[
    bool, typer.Option("--edits", help="Add each record's edits (rule, start, end, removed) as "
                       "'cleaner_edits' (and 'cleaner_error' when a document passed "
                       "through).")]  # fmt: skip
ProvenanceOpt = Annotated[bool, typer.Option("--provenance", hidden=True, help="= --edits")]
MaxDocBytesOpt = Annotated[
    int, typer.Option("--max-doc-bytes", min=1, help="Reject documents larger than this many "
                      "bytes, as they are read (never held whole).")]  # fmt: skip
JobsOpt = Annotated[
    int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: all cores). The output "
                      "bytes do not depend on it.")]  # fmt: skip
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]


def jobs_or_cores(jobs: int) -> int:
    import os

    return jobs if jobs > 0 else os.cpu_count() or 1


@contextmanager
def pipeline_errors(on_interrupt: str, writing: object = None) -> Iterator[None]:
    """One clear line and an exit code, never a traceback: a bad input or output path, a
    missing extra or a full disk exit 2 (an error without a file name is blamed on ``writing``,
    the output); Ctrl-C or SIGTERM exit 130; a worker process killed (out of memory) exits 4;
    all say ``on_interrupt`` (what was kept). A closed stdout (``| head``) exits 141 quietly, as
    a shell reports SIGPIPE."""
    import os
    import signal
    import threading
    from concurrent.futures.process import BrokenProcessPool

    from cleaner.extras import MissingExtra
    from cleaner.pipeline.execute import request_stop, reset_stop
    from cleaner.pipeline.records import InputError

    def unraisable(args) -> None:  # an interrupt raised where Python can only print it
        if not isinstance(args.exc_value, KeyboardInterrupt):  # (check_stop raises it again)
            sys.__unraisablehook__(args)

    reset_stop()
    old_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    main = threading.current_thread() is threading.main_thread()
    old = [signal.signal(s, request_stop) for s in (signal.SIGTERM, signal.SIGINT)] if main else []
    try:
        yield
    except KeyboardInterrupt:
        fail(f"interrupted; {on_interrupt}", EXIT_INTERRUPTED)
    except BrokenPipeError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise typer.Exit(141) from None
    except (InputError, MissingExtra) as exc:
        fail(str(exc), EXIT_USAGE)
    except BrokenProcessPool:  # (was a traceback; the chunk it held is not known here)
        fail("a worker process died (killed by a signal: out of memory, say; try fewer --jobs "
             f"or a lower --max-doc-bytes); {on_interrupt}", EXIT_WORKER_DIED)  # fmt: skip
    except OSError as exc:
        where = exc.filename or (f"writing {writing}" if writing is not None else "")
        fail(f"{where}{': ' if where else ''}{exc.strerror or exc}; {on_interrupt}", EXIT_USAGE)
    finally:
        sys.unraisablehook = old_hook
        for s, handler in zip((signal.SIGTERM, signal.SIGINT), old, strict=False):
            signal.signal(s, handler)
