"""`cleaner report`: an HTML page of what cleaning removed (counts, charts, a sample)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, app
from cleaner.cli.common import (
    FormatOpt,
    PresetOpt,
    RulesOpt,
    SelectOpt,
    TextFieldOpt,
    fail,
    make_cleaner,
    pipeline_errors,
)
from cleaner.pipeline.readers import check_extras, expand_inputs, read_records
from cleaner.pipeline.records import MAX_DOC_BYTES


@app.command()
def report(
    files: Annotated[
        list[Path],
        typer.Argument(help="Text or JSONL files (.gz and .zst too).", show_default=False),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    sample: Annotated[
        int,
        typer.Option(
            "--sample",
            "-n",
            min=0,
            help="Documents shown with their removed spans (a uniform random sample of the input).",
        ),
    ] = 200,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="List documents losing more than this share of their text.",
        ),
    ] = 0.5,
    seed: Annotated[int, typer.Option(help="Seed of the random sample.")] = 0,
    fmt: FormatOpt = "auto",
    text_field: TextFieldOpt = "text",
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Write one self-contained HTML page showing what cleaning removes from the input.

    Totals, edits and removed characters per rule, a histogram of the share removed per
    document (documents past --threshold listed), and a sample of documents with every removed
    span highlighted; filter by rule with the menu or a link ending in #rule=RULE_ID. Runs in
    bounded memory on inputs of any size.
    """
    from cleaner.report import collect, render_report

    if fmt not in ("auto", "jsonl", "text"):
        fail(f"unknown --format {fmt!r}; use auto, jsonl or text", EXIT_USAGE)
    cleaner = make_cleaner(preset, select, rules)
    with pipeline_errors("no report written"):
        paths = expand_inputs([str(f) for f in files])
        check_extras(paths)
        stats = collect(read_records(paths, text_field, MAX_DOC_BYTES, fmt), cleaner,
                        sample=sample, seed=seed, threshold=threshold)  # fmt: skip
    page = render_report(stats, cleaner.rules, inputs=[str(f) for f in files])
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_USAGE)
    removed = stats.chars_in - stats.base.chars_out
    share = removed / stats.chars_in if stats.chars_in else 0.0
    typer.echo(f"{stats.docs} documents, {removed} of {stats.chars_in} characters removed "
               f"({share:.2%}); {len(stats.sample)} sampled; report: {output} "
               f"({len(page.encode()):,} bytes)", err=True)  # fmt: skip
    if stats.rejected:
        typer.echo(f"{stats.rejected} records could not be read", err=True)
        raise typer.Exit(EXIT_REJECTED)
    raise typer.Exit(EXIT_OK)
