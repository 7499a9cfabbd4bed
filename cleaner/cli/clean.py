"""`cleaner clean` and `cleaner explain`."""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, BinaryIO, NamedTuple

import orjson
import typer

from cleaner.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    AddRulesOpt,
    FormatOpt,
    PackOpt,
    PresetOpt,
    RulesOpt,
    SelectOpt,
    TextFieldOpt,
    app,
    fail,
    make_cleaner,
    sources,
    stdin_is_empty_tty,
)
from cleaner.pipeline.execute import CleanerSpec, imap_ordered
from cleaner.pipeline.records import Record, Reject, detect_format, dump_record, read_text
from cleaner.pipeline.writers import append_file, spool

#: an unparsed JSONL line: (source, line number, byte offset, bytes)
RawLine = tuple[str, int, int, bytes]
COMPRESSED = (".gz", ".zst", ".zstd")


class Chunk(NamedTuple):
    """What a worker returns per item (a record, or a range of lines)."""

    out: bytes  # the output, one write's worth (empty when spooled)
    rejects: list[Reject]
    read: int
    changed: int
    #: for a range: its number of lines (its rejects' line numbers count from its first line),
    #: and whether it is the first range of its file; else -1
    lines: int = -1
    first: bool = False
    #: the file the output went to instead (see :func:`cleaner.pipeline.writers.spool`), or None
    spooled: str | None = None


@dataclass(frozen=True, slots=True)
class LineRange:
    """The lines of an uncompressed JSONL file that start in bytes ``start:end``, read by the
    worker itself; their line numbers count from the range's first line."""

    source: str
    path: str
    start: int
    end: int

    def lines(self) -> tuple[list[RawLine], int]:
        """The non-blank lines, and the number of lines (blank ones too)."""
        from cleaner.pipeline.readers import iter_jsonl_lines, range_lines

        data, offset = range_lines(self.path, self.start, self.end)
        src = self.source
        raw = [(src, *x) for x in iter_jsonl_lines(io.BytesIO(data), src, 1, offset)]
        return raw, data.count(b"\n") + (data[-1:] not in (b"", b"\n"))  # type: ignore[misc]


def _weight(item) -> int:
    """A line range is a batch of its own (about as many bytes as 64 documents)."""
    return 64 if isinstance(item, LineRange) else 1


def _open_inputs(files: list[Path], fmt: str) -> Iterator[tuple[str, BinaryIO, str]]:
    """(name, binary stream, format) per input; stdin when no file is given or for '-'."""
    if fmt not in ("auto", "jsonl", "text"):
        fail(f"unknown --format {fmt!r}; use auto, jsonl or text", EXIT_USAGE)
    for f in files or [Path("-")]:
        if str(f) == "-":
            stream = sys.stdin.buffer
            head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
            yield "<stdin>", stream, fmt if fmt != "auto" else detect_format(None, head)
            continue
        try:
            stream = f.open("rb")
        except OSError as exc:
            fail(f"cannot read {f}: {exc.strerror or exc}", EXIT_USAGE)
        with stream:
            yield str(f), stream, fmt if fmt != "auto" else detect_format(str(f))


def read_items(files, fmt, text_field) -> Iterator[Record | Reject | RawLine]:
    """Every record of the inputs; JSONL lines come unparsed, as ``(source, line, offset,
    bytes)``, so that workers parse them. ``auto`` reads every format ``cleaner run`` reads
    (JSONL .gz/.zst, Parquet, CSV, WARC, HTML, folders); ``jsonl``/``text`` force a format."""
    from cleaner.pipeline.readers import iter_jsonl_lines

    if fmt != "auto" or not files or [str(f) for f in files] == ["-"]:
        for name, stream, kind in _open_inputs(files, fmt):
            if kind == "jsonl":
                for item in iter_jsonl_lines(stream, name):
                    yield item if isinstance(item, Reject) else (name, *item)
            else:
                yield from read_text(stream, name)
        return
    from cleaner.pipeline.readers import MissingExtra, byte_ranges, input_format
    from cleaner.pipeline.readers import read_items as read_file_items

    for f in files:
        if str(f) != "-" and not f.exists():
            fail(f"cannot read {f}: no such file or folder", EXIT_USAGE)
        kind = input_format(str(f))
        plain = kind in ("text", "html")  # one document: written as plain text
        name = "<stdin>" if str(f) == "-" else str(f)
        try:
            if kind == "jsonl" and not str(f).lower().endswith(COMPRESSED) and f.is_file():
                for start, end in byte_ranges(str(f)):
                    yield LineRange(name, str(f), start, end)
                continue
            for item in read_file_items(str(f), text_field):
                if isinstance(item, tuple):
                    item = (name, *item)
                elif plain and isinstance(item, Record):
                    item.data = None
                yield item
        except MissingExtra as exc:
            fail(str(exc), EXIT_USAGE)
        except OSError as exc:
            fail(f"cannot read {f}: {exc.strerror or exc}", EXIT_USAGE)


def read_records(files, fmt, text_field) -> Iterator[Record | Reject]:
    """Every record of the inputs, parsed (see :func:`read_items`)."""
    base = 0  # lines of the file before the current range
    for item in read_items(files, fmt, text_field):
        if isinstance(item, LineRange):
            base = 0 if item.start == 0 else base
            lines, count = item.lines()
            for source, no, offset, line in lines:
                yield _parse((source, base + no, offset, line), text_field)
            base += count
        else:
            yield _parse(item, text_field) if isinstance(item, tuple) else item


def _parse(item: RawLine, text_field: str) -> Record | Reject:
    from cleaner.pipeline.readers import MAX_DOC_BYTES, check_record

    source, no, offset, line = item
    return check_record(line, source, no, offset, text_field, MAX_DOC_BYTES)


#: a worker's output of at least this many bytes goes to a spool file, not through the pipe
SPOOL_BYTES = 1 << 16


class CleanWorker:
    """Parses, cleans and serializes one item; built once per worker process, so the main
    process only appends the output (that is what lets ``--jobs 2`` scale). With a ``spool``
    folder, large outputs are written to files there, which the main process appends to the
    output inside the kernel."""

    def __init__(self, arg: tuple[CleanerSpec, str, str | None]):
        spec, self.text_field, self.spool = arg
        self.cleaner = spec.build()
        self.edits = spec.explain
        #: a worker process spools; the main process (which also cleans) writes directly
        self.in_worker = mp.parent_process() is not None

    def process(self, item: Record | Reject | RawLine | LineRange) -> Chunk:
        """Clean every record of ``item``: one write's worth of output for the main process."""
        lines, first = -1, False
        items: list = [item]
        if isinstance(item, LineRange):
            items, lines = item.lines()
            first = item.start == 0
        out: list[bytes] = []
        rejects: list[Reject] = []
        changed = 0
        for one in items:
            if isinstance(one, tuple):
                one = _parse(one, self.text_field)
            if isinstance(one, Reject):
                rejects.append(one)
                continue
            data, diff = self.one(one)
            out.append(data)
            changed += diff
        if self.spool and self.in_worker and sum(map(len, out)) >= SPOOL_BYTES:
            path = spool(self.spool, out)
            return Chunk(b"", rejects, len(items), changed, lines, first, path)
        return Chunk(b"".join(out), rejects, len(items), changed, lines, first)

    def one(self, item: Record) -> tuple[bytes, bool]:
        """The output line of a parsed record, and whether its text changed."""
        meta = item.data or {}
        url = meta.get("url") if isinstance(meta.get("url"), str) else None
        pub = meta.get("publisher") if isinstance(meta.get("publisher"), str) else None
        if self.edits:
            result = self.cleaner.explain(item.text, url=url, publisher=pub)
            text, extra = result.text, {"cleaner_edits": [e.to_dict() for e in result.edits]}
        else:
            text, extra = self.cleaner.clean(item.text, url=url, publisher=pub), None
        if item.data is None:
            return text.encode("utf-8") + b"\n", text != item.text
        return dump_record(item, text, extra), text != item.text


def _process(worker: CleanWorker, item) -> Chunk:
    return worker.process(item)


@app.command()
def clean(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Text, JSONL (.gz/.zst), Parquet, CSV, WARC, .html files or folders of them "
            "('-' or nothing: stdin).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where rejected records go (JSONL with file, line, offset, reason). "
            "Default: OUTPUT.rejects.jsonl, or cleaner.rejects.jsonl when writing to stdout. "
            "Created only when something is rejected."
        ),
    ] = None,
    fmt: FormatOpt = "auto",
    text_field: TextFieldOpt = "text",
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    edits: Annotated[
        bool,
        typer.Option(
            "--edits",
            help="Add each record's edits (rule, start, end, removed) as 'cleaner_edits'.",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes (0: all cores). Output order and bytes do not depend on it.",
        ),
    ] = 0,
) -> None:
    """Clean text or JSONL records.

    Plain text files are one document each. JSONL records keep every field; only the text field
    changes. Bad records (malformed JSON, invalid UTF-8, no text field, non-string text) go to the
    rejects file and the run goes on. Exit code: 0 all clean, 1 some records rejected, 2 usage
    error, 3 invalid rule files.
    """  # noqa: D301
    if not files and stdin_is_empty_tty():
        fail("no input: give files, or pipe text into stdin (see cleaner clean --help)", EXIT_USAGE)
    spec = CleanerSpec(preset, tuple(select) if select else None,
                       sources(rules, add_rules, packs), explain=edits)  # fmt: skip
    make_cleaner(spec.build)  # compile once here (reused by --jobs 1); bad rules exit 3
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    reject_path = rejects or (output.with_name(output.name + ".rejects.jsonl") if output
                              else Path("cleaner.rejects.jsonl"))  # fmt: skip
    try:
        out = output.open("wb", buffering=1 << 20) if output else sys.stdout.buffer
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_USAGE)
    rej = None
    n_read = n_written = n_rejected = n_changed = 0
    spool_dir = None
    try:
        if workers > 1:  # beside a regular output file (same disk: a cheap copy), else in TMPDIR
            folder = output.resolve().parent if output and output.is_file() else None
            try:
                spool_dir = tempfile.mkdtemp(prefix=".cleaner-spool-", dir=folder)
            except OSError:
                spool_dir = None  # the output goes through the pipes instead
        items = read_items(files or [], fmt, text_field)
        results = imap_ordered(
            _process, items, workers, CleanWorker, (spec, text_field, spool_dir), weight=_weight
        )
        base = 0  # lines of the file before the current range
        for chunk in results:
            n_read += chunk.read
            n_changed += chunk.changed
            if chunk.first:
                base = 0
            for r in chunk.rejects:
                if chunk.lines >= 0:
                    r.line += base
                if rej is None:
                    rej = reject_path.open("wb")
                rej.write(orjson.dumps(r.to_dict()) + b"\n")
                n_rejected += 1
            base += chunk.lines
            if chunk.spooled:
                append_file(out, chunk.spooled)
            else:
                out.write(chunk.out)
        n_written = n_read - n_rejected
    finally:
        if output:
            out.close()
        else:
            out.flush()
        if rej is not None:
            rej.close()
        if spool_dir:
            shutil.rmtree(spool_dir, ignore_errors=True)
    where = f" (see {reject_path})" if n_rejected else ""
    typer.echo(f"cleaner: read {n_read}, written {n_written}, rejected {n_rejected}{where}; "
               f"{n_changed} changed", err=True)  # fmt: skip
    raise typer.Exit(EXIT_REJECTED if n_rejected else EXIT_OK)


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
    cleaner = make_cleaner(preset, select, rules, add_rules, packs)
    n_edits = n_rejected = 0
    for item in read_records([file], fmt, text_field):
        if isinstance(item, Reject):
            n_rejected += 1
            typer.echo(f"{item.source}:{item.line}: rejected: {item.reason}", err=True)
            continue
        result = cleaner.explain(item.text)
        where = f"{item.source}:{item.line}" if item.line else item.source
        for e in result.edits:
            n_edits += 1
            line = item.text.count("\n", 0, e.start) + 1
            col = e.start - (item.text.rfind("\n", 0, e.start) + 1) + 1
            if as_json:
                typer.echo(orjson.dumps({"file": item.source, "record": item.line, **e.to_dict()}))
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
