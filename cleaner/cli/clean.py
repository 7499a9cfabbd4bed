"""`cleaner clean` and `cleaner explain`: options in, the pipeline (:mod:`cleaner.pipeline`) runs,
a summary out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from cleaner.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    AddRulesOpt,
    EditsOpt,
    FormatOpt,
    JobsOpt,
    MaxDocBytesOpt,
    PackOpt,
    PresetOpt,
    ProvenanceOpt,
    QuietOpt,
    RulesOpt,
    SelectOpt,
    TextFieldOpt,
    app,
    fail,
    jobs_or_cores,
    make_cleaner,
    note,
    pipeline_errors,
    sources,
    stdin_is_empty_tty,
)
from cleaner.pipeline.records import MAX_DOC_BYTES, Reject, scope


def _out_format(output: Path | None, paths: list[str], fmt: str) -> str:
    """The output format: the output name's (see :func:`cleaner.pipeline.writers.format_of`);
    on stdout, text when every input is a text document, else JSONL (one format per run)."""
    from cleaner.pipeline.readers import RECORD_KINDS, input_format, stdin_kind
    from cleaner.pipeline.writers import format_of

    if output is not None:
        return format_of(output)
    if fmt != "auto":
        return "txt" if fmt == "text" else "jsonl"
    kinds = [stdin_kind() if p == "-" else input_format(p) for p in paths]
    return "jsonl" if any(k in RECORD_KINDS for k in kinds) else "txt"


@app.command()
def clean(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Text, JSONL (.gz/.zst), Parquet, CSV, WARC/WET, .html files or folders of them "
            "(read recursively, by suffix); '-' or nothing: stdin.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here (atomically) instead of stdout; the name "
            "picks the format: .jsonl, .jsonl.gz, .jsonl.zst, .parquet or .txt.",
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where rejected records go (JSONL with file, line, offset, reason). "
            "Default: OUTPUT.rejects.jsonl, or cleaner.rejects.jsonl when writing to stdout. "
            "Created only when something is rejected (an earlier one is removed)."
        ),
    ] = None,
    fmt: FormatOpt = "auto",
    text_field: TextFieldOpt = "text",
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    edits: EditsOpt = False,
    provenance: ProvenanceOpt = False,
    max_doc_bytes: MaxDocBytesOpt = MAX_DOC_BYTES,
    jobs: JobsOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Clean text or records into one output.

    Plain text files are one document each (text output separates documents with a form-feed
    line). Records keep every field; only the text field changes. Bad records (malformed JSON,
    invalid UTF-8, no text field, non-string text, too large) go to the rejects file and the run
    goes on. Exit code: 0 all clean, 1 some records rejected, 2 usage or input error, 3 invalid
    rule files, 4 a worker process died, 130 interrupted (the output is then left as it was).
    """  # noqa: D301
    from cleaner.pipeline.execute import CleanerSpec
    from cleaner.pipeline.progress import Progress
    from cleaner.pipeline.readers import check_extras, expand_inputs
    from cleaner.pipeline.stream import Options, check_paths, clean_to
    from cleaner.pipeline.writers import Output, Rejects, remove_stale

    if fmt not in ("auto", "jsonl", "text"):
        fail(f"unknown --format {fmt!r}; use auto, jsonl or text", EXIT_USAGE)
    if not files and stdin_is_empty_tty():
        fail("no input: give files, or pipe text into stdin (see cleaner clean --help)", EXIT_USAGE)
    spec = CleanerSpec(preset, tuple(select) if select else None,
                       sources(rules, add_rules, packs))  # fmt: skip
    make_cleaner(spec.build)  # compile once here (reused by --jobs 1); bad rules exit 3
    options = Options(text_field, max_doc_bytes, edits or provenance, fmt)
    if output is not None and not output.name:  # '/', '.': no name to put the rejects beside
        fail(f"cannot write {output}: it is a folder", EXIT_USAGE)
    reject_path = rejects or (output.with_name(output.name + ".rejects.jsonl") if output
                              else Path("cleaner.rejects.jsonl"))  # fmt: skip
    with pipeline_errors("the output was left as it was", output or "stdout"):
        outs = [p for p in (output, reject_path) if p is not None]
        paths = expand_inputs([str(f) for f in files or [Path("-")]], skip=outs, on_skip=note)
        check_extras(paths)
        check_paths(paths, outs)
        for p in outs:  # a killed run's temporary files (only our exact name pattern)
            remove_stale(p.resolve().parent)
        if output is not None and reject_path.resolve() == output.resolve():
            fail(f"--rejects {reject_path} is the output", EXIT_USAGE)
        known = all(p != "-" and Path(p).is_file() and not p.endswith((".gz", ".zst", ".zstd"))
                    for p in paths)  # fmt: skip
        progress = Progress(
            0,
            quiet=quiet or not sys.stderr.isatty(),
            unit="files",
            total_bytes=sum(Path(p).stat().st_size for p in paths) if known else 0,
        )
        out = None
        try:
            out = Output(output, _out_format(output, paths, fmt))
            c = clean_to(paths, out, Rejects(reject_path), spec, options, jobs_or_cores(jobs),
                         None if progress.quiet else progress.docs_done)  # fmt: skip
        except BaseException:
            if out is not None:
                out.abort()  # (clean_to has, unless interrupted before it began)
            raise
        finally:
            progress.close()
    where = f" (see {reject_path})" if c.rejected else ""
    passed = f"; passed through {c.passed_through}" if c.passed_through else ""
    typer.echo(f"cleaner: read {c.read}, written {c.written}, rejected {c.rejected}{where}; "
               f"{c.changed} changed{passed}", err=True)  # fmt: skip
    raise typer.Exit(EXIT_REJECTED if c.rejected else EXIT_OK)


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="A text or JSONL file ('-': stdin).")],
    fmt: FormatOpt = "auto",
    text_field: TextFieldOpt = "text",
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per edit.")] = False,
) -> None:
    """Show every edit cleaning would make: rule id, position and the removed text."""
    from cleaner.pipeline.readers import expand_inputs, read_records

    cleaner = make_cleaner(preset, select, rules, add_rules, packs)
    n_edits = n_rejected = 0
    with pipeline_errors("stopped"):
        paths = expand_inputs([str(file)])
        for item in read_records(paths, text_field, MAX_DOC_BYTES, fmt):
            if isinstance(item, Reject):
                n_rejected += 1
                typer.echo(f"{item.source}:{item.line}: rejected: {item.reason}", err=True)
                continue
            url, pub = scope(item.data)
            result = cleaner.explain(item.text, url=url, publisher=pub)
            where = f"{item.source}:{item.line}" if item.line else item.source
            for e in result.edits:
                n_edits += 1
                line = item.text.count("\n", 0, e.start) + 1
                col = e.start - (item.text.rfind("\n", 0, e.start) + 1) + 1
                if as_json:
                    row = {"file": item.source, "record": item.line, **e.to_dict()}
                    typer.echo(orjson.dumps(row))
                    continue
                repl = f" -> {e.replacement!r}" if e.replacement else ""
                typer.echo(f"{where}  {e.rule}  line {line} col {col} [{e.start}:{e.end}]  "
                           f"removed {_show(e.removed)}{repl}")  # fmt: skip
            if result.error:
                typer.echo(f"{where}: passed through unchanged: {result.error}", err=True)
    typer.echo(f"cleaner: {n_edits} edit(s)" + (f", {n_rejected} rejected" if n_rejected else ""),
               err=True)  # fmt: skip
    raise typer.Exit(EXIT_REJECTED if n_rejected else EXIT_OK)


def _show(text: str, limit: int = 300) -> str:
    shown = text if len(text) <= limit else text[: limit - 20] + " … " + text[-15:]
    return repr(shown)
