"""`cleaner run`: clean dumps at scale, one output shard (+ rejects + manifest) per input file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
)
from cleaner.pipeline.records import MAX_DOC_BYTES


@app.command()
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Input files or folders (read recursively, by suffix): JSONL (.gz/.zst), "
            "Parquet, CSV, WARC/WET, .txt, .html; '-' for stdin.",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created).")],
    jobs: JobsOpt = 0,
    engine: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="dask scheduler address (tcp://HOST:PORT).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="dask: start a LocalCluster with this many worker processes.")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Skip shards whose manifest matches the current input "
            "(size, mtime, head/tail hash), rule-set hash and options.",
        ),
    ] = False,
    out_format: Annotated[
        str, typer.Option("--out-format", help="jsonl, jsonl.gz, jsonl.zst, parquet or txt.")
    ] = "jsonl",
    edits: EditsOpt = False,
    provenance: ProvenanceOpt = False,
    fmt: FormatOpt = "auto",
    text_field: TextFieldOpt = "text",
    max_doc_bytes: MaxDocBytesOpt = MAX_DOC_BYTES,
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Clean dumps into an output folder: one shard per input file, named after its path
    relative to the inputs' common folder, written atomically, with a manifest NAME.manifest.json
    beside it (counts, reject reasons, input fingerprint, rule-set sha256, version). Every input
    record is either written or rejected with its reason: input = output + rejected. Exit code:
    0 all written, 1 some rejected, 2 usage or input error, 3 invalid rule files, 4 a worker
    process died, 130 interrupted (finished shards are kept: rerun with --resume)."""
    from cleaner.pipeline.execute import CleanerSpec, executor, map_tasks
    from cleaner.pipeline.progress import Progress
    from cleaner.pipeline.readers import check_extras, expand_inputs
    from cleaner.pipeline.shards import clean_shard, finished, shard_names, shard_paths
    from cleaner.pipeline.stream import Options, check_paths
    from cleaner.pipeline.writers import OUT_FORMATS, check_format, remove_stale

    jobs = jobs_or_cores(jobs)
    if engine not in ("local", "dask"):
        fail(f"unknown --engine {engine!r}; use local or dask", EXIT_USAGE)
    if out_format not in OUT_FORMATS:
        fail(f"unknown --out-format {out_format!r}; use {', '.join(OUT_FORMATS)}", EXIT_USAGE)
    if fmt not in ("auto", "jsonl", "text"):
        fail(f"unknown --format {fmt!r}; use auto, jsonl or text", EXIT_USAGE)
    make_cleaner(preset, select, rules, add_rules, packs)  # validate the rules up front (exit 3)
    spec = CleanerSpec(preset, tuple(select) if select else None,
                       sources(rules, add_rules, packs))  # fmt: skip
    options = Options(text_field, max_doc_bytes, edits or provenance, fmt)
    manifests: list[dict] = []
    with pipeline_errors("finished shards are kept: rerun with --resume", out):
        if out.exists() and not out.is_dir():
            fail(f"--out {out} is a file, not a folder", EXIT_USAGE)
        paths = expand_inputs(inputs, skip=[out], on_skip=note)
        check_extras(paths)
        check_format(out_format)
        names = shard_names(paths, out_format)
        out.mkdir(parents=True, exist_ok=True)
        shards = [shard_paths(out, n, out_format) for n in names]
        for s in shards:
            s[0].parent.mkdir(parents=True, exist_ok=True)
        check_paths(paths, [f for s in shards for f in s])
        remove_stale(out, recursive=True)
        _, sha = spec.ruleset()
        sizes = sum(Path(p).stat().st_size for p in paths if p != "-")
        progress = Progress(len(paths), quiet=quiet, total_bytes=sizes)
        todo = []
        for p, name in zip(paths, names, strict=True):
            done = finished(p, out, name, sha, options, out_format) if resume else None
            if done is not None:
                manifests.append(done)
                progress.shard_done(done, skipped=True)
            else:
                todo.append((p, str(out), name, spec, options, out_format))
        partial = [0, 0, 0]  # (docs, bytes, rejects) counted by in-process updates of this shard

        def on_docs(docs: int, nbytes: int, rejects: int) -> None:
            for i, v in enumerate((docs, nbytes, rejects)):
                partial[i] += v
            progress.docs_done(docs, nbytes, rejects)

        def on_done(man: dict) -> None:
            manifests.append(man)
            progress.shard_done(man, partial=(partial[0], partial[1], partial[2]))
            partial[:] = [0, 0, 0]

        try:
            # stdin is read here, never in a worker; few big files: a pool per shard
            here = [t for t in todo if t[0] == "-"]
            if engine == "local" and (jobs == 1 or len(todo) < jobs):
                here = todo
            for t in here:
                on_done(clean_shard(*t, jobs=jobs if engine == "local" else 1,
                                    progress=None if quiet else on_docs))  # fmt: skip
            rest = [t for t in todo if t not in here]
            if rest:
                with executor(engine, jobs, scheduler, workers or jobs) as pool:
                    map_tasks(pool, clean_shard, rest, on_done)
        finally:
            progress.close()
    _summary(manifests, progress, quiet)
    rejected = sum(m["counts"]["rejected"] for m in manifests)
    raise typer.Exit(EXIT_REJECTED if rejected else EXIT_OK)


def _summary(manifests: list[dict], progress, quiet: bool) -> None:
    from collections import Counter

    c: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for m in manifests:
        c.update(m["counts"])
        reasons.update(m["reject_reasons"])
    ok = c["input"] == c["output"] + c["rejected"]
    line = (f"cleaner: {len(manifests)} shard(s) ({progress.skipped} skipped as finished); "
            f"input {c['input']} = output {c['output']} + rejected {c['rejected']}"
            f"{'' if ok else ' -- MISMATCH'}; {c['changed']} changed")  # fmt: skip
    if c["passed_through"]:
        line += f"; passed through {c['passed_through']}"
    if reasons:
        line += "; rejects: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
    if not quiet:
        line += f"; {progress.stats()}"
    typer.echo(line, err=True)
