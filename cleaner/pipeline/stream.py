"""The pipeline: read records -> clean -> write records and rejects (:func:`clean_to`).

``cleaner clean`` is this streamed to one output; ``cleaner run`` is it once per shard
(:mod:`cleaner.pipeline.shards`, which adds the manifest). Workers (:class:`Worker`, one per
process, on :func:`cleaner.pipeline.execute.imap_ordered`) read line ranges of uncompressed JSONL
themselves, parse, validate, clean and serialize; the main process only reads other formats,
appends the workers' output in input order (large outputs come as spool files, appended inside
the kernel) and writes the rejects. The bytes written never depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cleaner.pipeline.execute import CleanerSpec, check_stop, imap_ordered
from cleaner.pipeline.lines import LineRange, RawLine
from cleaner.pipeline.readers import read_items
from cleaner.pipeline.records import (
    MAX_DOC_BYTES,
    InputError,
    Record,
    Reject,
    dump_json,
    parse_line,
    scope,
    utf8,
)
from cleaner.pipeline.writers import SEPARATOR, Output, Rejects, spool, tmp_name

#: a worker's output of at least this many bytes goes to a spool file, not through the pipe
SPOOL_BYTES = 1 << 16


@dataclass(frozen=True)
class Options:
    """Everything but the inputs and the rules that decides the output's bytes."""

    text_field: str = "text"
    max_doc_bytes: int = MAX_DOC_BYTES
    edits: bool = False  # add 'cleaner_edits' (and 'cleaner_error' when a document passed through)
    fmt: str = "auto"  # input format: auto (by suffix; stdin sniffed), jsonl or text


@dataclass
class Counts:
    """What a run did: read = written + rejected, always."""

    read: int = 0
    written: int = 0
    rejected: int = 0
    changed: int = 0
    passed_through: int = 0  # documents the engine left unchanged after an error (Result.error)
    text_bytes: int = 0
    reasons: Counter = field(default_factory=Counter)


class Chunk(NamedTuple):
    """What a worker returns per item (a record, or a range of lines)."""

    out: bytes  # JSON lines or text, one write's worth (empty when spooled or rows)
    rows: list[dict] | None  # for Parquet output
    docs: int
    rejects: list[Reject]
    read: int
    changed: int
    passed: int
    nbytes: int  # input bytes (a line range) or text bytes
    #: for a range: its number of lines (its rejects' line numbers count from its first line),
    #: and whether it is the first range of its file; else -1
    lines: int = -1
    first: bool = False
    spooled: str | None = None  # the file the output went to instead


def reason_class(reason: str) -> str:
    """'malformed JSON: Expecting ...' -> 'malformed JSON' (the tally key in manifests)."""
    return reason.split(":", 1)[0]


class Worker:
    """Parses, cleans and serializes items; built once per process."""

    def __init__(self, arg: tuple[CleanerSpec, Options, str, str | None]):
        spec, self.options, self.kind, self.spool = arg
        self.engine = spec.build().engine
        #: a worker process spools; the main process (which also cleans) writes directly
        self.in_worker = mp.parent_process() is not None

    def process(self, item: Record | Reject | RawLine | LineRange) -> Chunk:
        o = self.options
        tf, limit, edits, kind = o.text_field, o.max_doc_bytes, o.edits, self.kind
        lines, first, nbytes = -1, False, 0
        items: list = [item]
        if type(item) is LineRange:
            items, lines = item.lines()
            first, nbytes = item.start == 0, item.end - item.start
        out: list[bytes] = []
        rows: list[dict] = []
        rejects: list[Reject] = []
        changed = passed = 0
        run = self.engine.run
        for one in items:
            if type(one) is tuple:
                one = parse_line(one[3], one[0], one[1], one[2], tf, limit)
            if type(one) is Reject:
                rejects.append(one)
                continue
            data = one.data
            url, pub = scope(data)
            res = run(one.text, url=url, publisher=pub, explain=edits)
            text = res.text
            changed += text != one.text
            if res.error is not None:
                passed += 1
            if lines < 0:
                nbytes += len(one.text)
            if kind == "text":
                out.append(utf8(text) + b"\n")
                continue
            if data is None:  # a text document as a record
                data = {"source": one.source, "text": text}
            else:
                data[one.text_field] = text
            if edits:
                data["cleaner_edits"] = [e.to_dict() for e in res.edits]
                if res.error is not None:
                    data["cleaner_error"] = res.error
            if kind == "rows":
                rows.append(data)
            else:
                out.append(dump_json(data))
        docs = len(rows) + len(out)
        n = len(items)
        if kind == "text" and len(out) > 1:
            out = [SEPARATOR.join(out)]
        if self.spool and self.in_worker and sum(map(len, out)) >= SPOOL_BYTES:
            path = spool(self.spool, out)
            return Chunk(b"", None, docs, rejects, n, changed, passed, nbytes, lines, first, path)
        return Chunk(b"".join(out), rows if kind == "rows" else None, docs, rejects, n, changed,
                     passed, nbytes, lines, first)  # fmt: skip


def _process(worker: Worker, item) -> Chunk:
    return worker.process(item)


def _weight(item) -> int:
    """A line range is a batch of its own (about as many bytes as 64 documents)."""
    return 64 if type(item) is LineRange else 1


def items_of(paths: list[str], options: Options) -> Iterator:
    for p in paths:
        yield from read_items(p, options.text_field, options.max_doc_bytes, options.fmt)


def clean_items(
    paths: list[str],
    spec: CleanerSpec,
    options: Options,
    output: Output,
    rejects: Rejects,
    jobs: int = 1,
    progress: Callable[[int, int, int], None] | None = None,
) -> Counts:
    """Clean every record of ``paths`` (in order) into ``output`` and ``rejects`` (neither
    committed here) on ``jobs`` processes; ``progress(docs, bytes, rejects)`` after each chunk."""
    counts = Counts()
    spool_dir = results = None
    base = 0  # lines of the file before the current range
    try:  # (the spool folder is made inside: an interrupt at any point removes it)
        # beside the output: same disk, a cheap copy (can_append_files: there is a path)
        if jobs > 1 and output.can_append_files and output.path is not None:
            spool_dir = tmp_name(output.path, "spool")
            try:
                spool_dir.mkdir()
            except OSError:
                spool_dir = None  # the output goes through the pipes instead
        arg = (spec, options, output.kind, str(spool_dir) if spool_dir else None)
        results = imap_ordered(_process, items_of(paths, options), jobs, Worker, arg,
                               weight=_weight)  # fmt: skip
        for chunk in results:
            check_stop()
            counts.read += chunk.read
            counts.changed += chunk.changed
            counts.passed_through += chunk.passed
            counts.text_bytes += chunk.nbytes
            if chunk.first:
                base = 0
            for r in chunk.rejects:
                if chunk.lines >= 0:
                    r.line += base
                rejects.write(r)
                counts.reasons[reason_class(r.reason)] += 1
            counts.rejected += len(chunk.rejects)
            if chunk.lines >= 0:
                base += chunk.lines
            output.add(chunk.out, chunk.spooled, chunk.rows, chunk.docs)
            counts.written += chunk.docs
            if progress is not None:
                progress(chunk.read, chunk.nbytes, len(chunk.rejects))
    finally:
        if results is not None:
            results.close()  # stops the workers before their spool folder goes
        if spool_dir is not None:
            shutil.rmtree(spool_dir, ignore_errors=True)
    return counts


def check_paths(inputs: list[str], outputs: list[Path]) -> None:
    """Refuse (:class:`InputError`) before any work an output that is an input (by any path:
    ``./x``, a symlink, a hard link), a folder, or in a folder that is missing or unwritable."""
    ins = [Path(p) for p in inputs if p != "-"]
    for out in outputs:
        if out.is_dir():
            raise InputError(f"cannot write {out}: it is a folder")
        for p in ins:
            if out.exists() and os.path.samefile(out, p) or out.resolve() == p.resolve():
                raise InputError(f"the output {out} is the input {p}: it would be overwritten; "
                                 "choose another output")  # fmt: skip
        parent = out.resolve().parent
        if not parent.is_dir():
            raise InputError(f"cannot write {out}: no folder {parent}")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise InputError(f"cannot write {out}: the folder {parent} is not writable")


def clean_to(
    paths: list[str],
    output: Output,
    rejects: Rejects,
    spec: CleanerSpec,
    options: Options,
    jobs: int = 1,
    progress: Callable[[int, int, int], None] | None = None,
) -> Counts:
    """:func:`clean_items`, then commit the output and the rejects; on any error or interrupt,
    abort both (no temporary file is left; the previous files stay)."""
    try:
        counts = clean_items(paths, spec, options, output, rejects, jobs, progress)
        output.commit()
        rejects.commit()
    except BaseException:
        output.abort()
        rejects.abort()
        raise
    return counts
