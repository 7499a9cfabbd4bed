"""`cleaner run`: clean dumps at scale, one output shard (+ rejects + manifest) per input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    AddRulesOpt,
    PackOpt,
    PresetOpt,
    RulesOpt,
    SelectOpt,
    TextFieldOpt,
    app,
    fail,
    make_cleaner,
    sources,
)

_STRIP = re.compile(r"(\.(jsonl|ndjson|json|parquet|csv|tsv|warc|wet|txt|html?|gz|zst|zstd))+$",
                    re.IGNORECASE)  # fmt: skip


def shard_names(inputs: list[str]) -> list[str]:
    """A stable, unique shard name per input: 'dumps/a.jsonl.gz' -> 'a' (then 'a-2', ...)."""
    seen: dict[str, int] = {}
    names = []
    for p in inputs:
        base = "stdin" if p == "-" else _STRIP.sub("", Path(p).name) or "shard"
        base = re.sub(r"[^\w.-]", "_", base)
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return names


@app.command()
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Input files or folders: JSONL (.gz/.zst), Parquet, CSV, WARC/WET, folders of "
            ".html/.txt; '-' for stdin.",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created).")],
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Local worker processes (0: all cores).")
    ] = 0,
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
            "--resume", help="Skip shards whose manifest matches the current rule-set hash."
        ),
    ] = False,
    out_format: Annotated[
        str,
        typer.Option(
            "--out-format",
            help="jsonl, jsonl.gz, jsonl.zst, parquet or txt (a folder of .txt per shard).",
        ),
    ] = "jsonl",
    provenance: Annotated[
        bool, typer.Option("--provenance", help="Add each record's edit list as 'cleaner_edits'.")
    ] = False,
    text_field: TextFieldOpt = "text",
    max_doc_bytes: Annotated[
        int, typer.Option(help="Reject documents larger than this many bytes.")
    ] = 16 * 1024 * 1024,
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Clean dumps into an output folder: one shard per input, written atomically, with a
    manifest (counts, reject reasons, rule-set sha256, version). Every input record is either
    written or rejected with its reason: input = output + rejected. Exit code: 0 all written,
    1 some rejected, 2 usage error, 3 invalid rule files."""
    from cleaner.pipeline.execute import CleanerSpec, map_files, map_files_dask
    from cleaner.pipeline.progress import Progress
    from cleaner.pipeline.readers import MissingExtra
    from cleaner.pipeline.shards import ShardOptions, clean_shard, finished
    from cleaner.pipeline.writers import OUT_FORMATS

    if jobs == 0:
        import os

        jobs = os.cpu_count() or 1
    if engine not in ("local", "dask"):
        fail(f"unknown --engine {engine!r}; use local or dask", EXIT_USAGE)
    if out_format not in OUT_FORMATS:
        fail(f"unknown --out-format {out_format!r}; use {', '.join(OUT_FORMATS)}", EXIT_USAGE)
    for p in inputs:
        if p != "-" and not Path(p).exists():
            fail(f"cannot read {p}: no such file or folder", EXIT_USAGE)
    make_cleaner(preset, select, rules, add_rules, packs)  # validate the rules up front
    spec = CleanerSpec(preset, tuple(select) if select else None,
                       sources(rules, add_rules, packs))  # fmt: skip
    options = ShardOptions(out_format, text_field, provenance, max_doc_bytes)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(out)
    _, sha = spec.ruleset()
    names = shard_names(inputs)
    ins = {Path(p).resolve() for p in inputs if p != "-"}
    for name in names:
        if (out / f"{name}{OUT_FORMATS[out_format]}").resolve() in ins:
            fail(f"the shard {name} would overwrite its input; choose another --out", EXIT_USAGE)
    sizes = sum(Path(p).stat().st_size for p in inputs if p != "-" and Path(p).is_file())
    progress = Progress(len(inputs), quiet=quiet, total_bytes=sizes)
    manifests: list[dict] = []
    todo = []
    for p, name in zip(inputs, names, strict=True):
        done = finished(out, name, sha, options) if resume and p != "-" else None
        if done is not None:
            manifests.append(done)
            progress.shard_done(done, skipped=True)
        else:
            todo.append((p, str(out), name, spec, options))

    partial = [0, 0, 0]  # (docs, bytes, rejects) counted by in-process updates of this shard

    def on_docs(docs: int, nbytes: int, rejects: int) -> None:
        for i, v in enumerate((docs, nbytes, rejects)):
            partial[i] += v
        progress.docs_done(docs, nbytes, rejects)

    def on_done(man: dict) -> None:
        manifests.append(man)
        progress.shard_done(man, partial=tuple(partial))
        partial[:] = [0, 0, 0]

    try:
        for t in [t for t in todo if t[0] == "-"]:  # stdin is read here, never in a worker
            on_done(clean_shard(*t, jobs=jobs if engine == "local" else 1,
                                progress=None if quiet else on_docs))  # fmt: skip
        todo = [t for t in todo if t[0] != "-"]
        if engine == "dask":
            map_files_dask(clean_shard, todo, on_done, scheduler, workers or jobs)
        elif jobs == 1 or len(todo) < jobs:  # in this process; few big files: pool per shard
            for t in todo:
                on_done(clean_shard(*t, jobs=jobs, progress=None if quiet else on_docs))
        else:
            map_files(clean_shard, todo, jobs, on_done)
    except MissingExtra as exc:
        progress.close()
        fail(str(exc), EXIT_USAGE)
    finally:
        progress.close()
    _summary(manifests, progress, quiet)
    rejected = sum(m["counts"]["rejected"] for m in manifests)
    raise typer.Exit(EXIT_REJECTED if rejected else EXIT_OK)


def _summary(manifests: list[dict], progress, quiet: bool) -> None:
    from collections import Counter

    c = Counter()
    reasons: Counter[str] = Counter()
    for m in manifests:
        c.update(m["counts"])
        reasons.update(m["reject_reasons"])
    ok = c["input"] == c["output"] + c["rejected"]
    line = (f"cleaner: {len(manifests)} shard(s) ({progress.skipped} skipped as finished); "
            f"input {c['input']} = output {c['output']} + rejected {c['rejected']}"
            f"{'' if ok else ' -- MISMATCH'}; {c['changed']} changed")  # fmt: skip
    if reasons:
        line += "; rejects: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
    if not quiet:
        line += f"; {progress.stats()}"
    typer.echo(line, err=True)


def _remove_stale_temps(out: Path) -> None:
    """Delete temporary files left by killed runs (``.NAME.tmpPID`` whose PID is gone)."""
    import os
    import shutil

    for tmp in out.glob(".*.tmp*"):
        pid = tmp.name.rsplit(".tmp", 1)[-1]
        if pid.isdigit():
            try:
                os.kill(int(pid), 0)
                continue  # a live process (another run) owns it
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
