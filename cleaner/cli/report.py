"""`cleaner report`: an HTML page of what cleaning removed (counts, charts, a sample)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypedDict, Unpack

import typer

from cleaner.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    AddRulesOpt,
    FormatOpt,
    JobsOpt,
    PackOpt,
    PresetOpt,
    QuietOpt,
    RulesOpt,
    SelectOpt,
    TextFieldOpt,
    app,
    fail,
    jobs_or_cores,
    make_cleaner,
    pipeline_errors,
    sources,
)
from cleaner.pipeline.readers import check_extras, expand_inputs, read_records
from cleaner.pipeline.records import MAX_DOC_BYTES


@app.command()
def report(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Inputs as for cleaner clean: files, folders, '-' for stdin.", show_default=False
        ),
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
    ] = 200,  # cleaner.report.stats.SAMPLE (not imported: +8 ms start-up; a test checks)
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="List documents losing more than this share of their text.",
        ),
    ] = 0.5,  # cleaner.report.stats.THRESHOLD
    seed: Annotated[int, typer.Option(help="Seed of the random sample.")] = 0,
    fmt: FormatOpt = "auto",
    text_field: TextFieldOpt = "text",
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft",
            help="A draft rule file (e.g. from `cleaner rules mine`): show what each of its "
            "rules would remove, on top of the rule set, for review.",
        ),
    ] = None,
    jobs: JobsOpt = 0,
    quiet: QuietOpt = False,
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
    from cleaner.pipeline.execute import CleanerSpec
    from cleaner.pipeline.progress import Progress

    spec = CleanerSpec(preset, tuple(select) if select else None,
                       sources(rules, add_rules, packs))  # fmt: skip
    cleaner = make_cleaner(spec.build)
    head = None
    if draft is not None:
        if not draft.is_file():
            fail(f"cannot read {draft}: no such file", EXIT_USAGE)
        # the draft on top of the same rule set
        head = make_cleaner(preset, select, rules, [*(add_rules or []), draft], packs)
    with pipeline_errors("no report written"):
        paths = expand_inputs([str(f) for f in files])
        check_extras(paths)
        known = all(p != "-" and not p.endswith((".gz", ".zst", ".zstd")) for p in paths)
        progress = Progress(
            0,
            quiet=quiet or not sys.stderr.isatty(),
            unit="files",
            total_bytes=sum(Path(p).stat().st_size for p in paths) if known else 0,
        )
        records = read_records(paths, text_field, MAX_DOC_BYTES, fmt)
        kw: _Sampling = {"sample": sample, "seed": seed, "threshold": threshold,
                         "progress": None if progress.quiet else progress.docs_done}  # fmt: skip
        try:
            if head is not None and draft is not None:
                page, stats = _draft_report(records, files, cleaner, head, draft, **kw)
            else:
                stats = collect(records, cleaner, jobs=jobs_or_cores(jobs), spec=spec, **kw)
                page = render_report(stats, cleaner.rules, inputs=[str(f) for f in files])
        finally:
            progress.close()
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


class _Sampling(TypedDict):
    """What both report paths pass on to :func:`cleaner.report.collect`."""

    sample: int
    seed: int
    threshold: float
    progress: Callable[[int, int, int], None] | None


def _draft_report(records, files, cleaner, head, draft: Path, **kw: Unpack[_Sampling]):
    """The diff page of the rule set without and with ``draft`` (``head``: the rule set with the
    draft added), the draft section first."""
    from cleaner.report import collect, render_diff_report
    from cleaner.report.draft import DraftStats, Recording, insert_section, render_section

    draft_rules = [r for r in head.rules if r.file == str(draft)]
    draft_stats = DraftStats([r.id for r in draft_rules], seed=kw["seed"])
    recording = Recording(head, draft_stats)
    stats = collect(records, cleaner, recording, **kw)
    page = render_diff_report(stats, cleaner.rules, head.rules, title="cleaner report: draft "
                              f"rules {draft.name}", inputs=[str(f) for f in files])  # fmt: skip
    return insert_section(page, render_section(draft_stats, draft_rules)), stats
