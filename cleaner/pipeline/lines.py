"""JSONL lines, read with a size limit and linear in line length: :class:`Lines` over a stream,
:class:`LineRange` (the lines starting in a byte range of a file, read by a worker itself) and
:func:`byte_ranges`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cleaner.pipeline.execute import check_stop
from cleaner.pipeline.records import MAX_DOC_BYTES, UTF8_BOM, Reject, too_large

#: an unparsed JSONL line: (source, line number, byte offset, bytes); workers parse it
RawLine = tuple[str, int, int, bytes]


def corrupt(source: str, line: int, offset: int, exc: Exception, where: str) -> Reject:
    """The reject that ends a compressed input whose stream broke (``where``: after what):
    cut short (EOFError), or a corrupt block (gzip, zlib, zstd errors)."""
    return Reject(source, line, offset, f"truncated or corrupt compressed input: {where}: {exc}")


class Lines:
    """(line number, byte offset, line) per non-blank line of a JSONL stream, unparsed, read
    with a limit: a line longer than ``max_bytes`` becomes a too-large :class:`Reject` as it is
    read, its rest skipped in 1 MiB steps; a truncated or corrupt compressed tail ends the file
    with one :class:`Reject`. Lines starting at ``end`` or later are left (see
    :class:`LineRange`); ``lines`` counts every line read, blank ones too."""

    def __init__(self, stream: BinaryIO, source: str, max_bytes: int = MAX_DOC_BYTES,
                 offset: int = 0, end: int | None = None):  # fmt: skip
        self.stream, self.source, self.max_bytes = stream, source, max_bytes
        self.offset, self.end, self.lines = offset, end, 0

    def _read(self, limit: int) -> bytes | Reject:
        try:
            return self.stream.readline(limit)
        except Exception as exc:  # noqa: BLE001 - gzip/zstd cut short, or a corrupt block
            return corrupt(
                self.source,
                self.lines + 1,
                self.offset,
                exc,
                f"after byte {self.offset} of the decompressed stream",
            )

    def __iter__(self) -> Iterator[tuple[int, int, bytes] | Reject]:
        limit = self.max_bytes + 2  # room for \r\n
        while self.end is None or self.offset < self.end:
            raw = self._read(limit)
            if isinstance(raw, Reject):
                yield raw
                return
            if not raw:
                return
            self.lines += 1
            start = self.offset
            self.offset += len(raw)
            if len(raw) >= limit and raw[-1:] != b"\n":  # too long: skip to its end
                size = len(raw)
                while True:
                    check_stop()  # (a line without end, e.g. /dev/zero, stops on a signal)
                    more = self._read(1 << 20)
                    if isinstance(more, Reject) or not more:
                        break
                    size += len(more)
                    self.offset += len(more)
                    if more[-1:] == b"\n":
                        size -= 1 + (more[-2:] == b"\r\n")
                        break
                yield too_large(self.source, self.lines, start, size, self.max_bytes, raw)
                if isinstance(more, Reject):
                    yield more
                    return
                continue
            line = raw.rstrip(b"\r\n")
            if start == 0 and line.startswith(UTF8_BOM):
                line, start = line[len(UTF8_BOM) :], start + len(UTF8_BOM)
            if line.strip():
                yield self.lines, start, line


@dataclass(frozen=True, slots=True)
class LineRange:
    """The lines of an uncompressed JSONL file that start in bytes ``start:end``, read by a
    worker itself (the main process reads nothing); their line numbers count from the range's
    first line."""

    source: str
    path: str
    start: int
    end: int
    max_bytes: int = MAX_DOC_BYTES

    def lines(self) -> tuple[list[RawLine | Reject], int]:
        """The non-blank lines (too-large ones as rejects), and the number of lines."""
        with open(self.path, "rb") as f:
            offset = self.start
            if offset:  # skip the rest of the line holding byte start - 1 (its range reads it)
                f.seek(offset - 1)
                while (more := f.readline(1 << 20)) and more[-1:] != b"\n":
                    offset += len(more)
                offset += len(more) - 1
            reader = Lines(f, self.source, self.max_bytes, offset, self.end)
            src = self.source
            out = [x if isinstance(x, Reject) else (src, *x) for x in reader]
        return out, reader.lines


#: bytes per :class:`LineRange` (1 MiB: fewer pool round trips than 256 KB, which cost the main
#: process ~0.1 s of CPU per 200 MB with --jobs 2; measured in benchmarks/)
RANGE_BYTES = 1 << 20


def byte_ranges(path: str, size: int = RANGE_BYTES) -> list[tuple[int, int]]:
    """``(start, end)`` ranges of ``size`` bytes covering the file."""
    total = os.path.getsize(path)
    return [(start, min(start + size, total)) for start in range(0, total, size)]
