"""Readers for every input ``cleaner run`` accepts, each yielding :class:`Record` or
:class:`Reject` (never raising on bad data, so input = output + rejected always holds).

JSONL (plain, .gz, .zst), Parquet (streamed in batches), CSV (a text column), WARC/WET, a folder
of .html/.txt files, and stdin (``-``). Heavy libraries (zstandard, pyarrow, fastwarc) are
imported only when a file needs them; a missing one raises :class:`MissingExtra`, naming the
extra to install. Offsets are byte offsets into the (decompressed) stream; for Parquet, CSV and
WARC records the ``line`` is the record number and the offset is the row/record position.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cleaner.model import install_hint
from cleaner.pipeline.records import (
    UTF8_BOM,
    Record,
    Reject,
    detect_format,
    parse_json_record,
    read_text,
)

#: Documents above this many bytes are rejected (``--max-doc-bytes``).
MAX_DOC_BYTES = 16 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class MissingExtra(ImportError):
    """An input needs an optional dependency; the message names the pip extra."""


def need(module: str, extra: str, what: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{what} needs {module!r}: {install_hint(extra)}") from exc


def input_format(path: str) -> str:
    """jsonl | parquet | csv | warc | folder | text | stdin, from the path."""
    if path == "-":
        return "stdin"
    p = Path(path)
    if p.is_dir():
        return "folder"
    name = p.name.lower()
    for comp in (".gz", ".zst", ".zstd"):
        name = name.removesuffix(comp)
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".warc", ".wet", ".arc")):
        return "warc"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    return detect_format(path)


class _ZstdRaw(io.RawIOBase):
    """Decompressed bytes of a (multi-frame) .zst file; EOFError when the last frame is cut."""

    def __init__(self, f: BinaryIO):
        zstandard = need("zstandard", "zstd", "reading .zst files")
        self._f, self._dctx = f, zstandard.ZstdDecompressor()
        self._obj, self._buf, self._done = self._dctx.decompressobj(), b"", False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while not self._buf and not self._done:
            chunk = self._f.read(1 << 20)
            if not chunk:
                self._done = True
                if not self._obj.eof and self._started:
                    raise EOFError("zstd stream ended before the end of its last frame")
                break
            self._started = True
            out = self._obj.decompress(chunk)
            while self._obj.eof and self._obj.unused_data:
                rest = self._obj.unused_data
                self._obj = self._dctx.decompressobj()
                out += self._obj.decompress(rest)
            if self._obj.eof:
                self._started = False
            self._buf = out
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    _started = False


def open_binary(path: str) -> BinaryIO:
    """The file's decompressed byte stream (by suffix: .gz, .zst/.zstd, else plain)."""
    low = path.lower()
    if low.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if low.endswith((".zst", ".zstd")):
        return io.BufferedReader(_ZstdRaw(open(path, "rb")), 1 << 20)  # type: ignore[return-value]
    return open(path, "rb")


def iter_jsonl_lines(
    stream: BinaryIO, source: str, first_line: int = 1, offset: int = 0
) -> Iterator[tuple[int, int, bytes] | Reject]:
    """(line number, byte offset, line) per non-blank line, unparsed (workers parse them);
    a truncated or corrupt compressed tail ends the file with one :class:`Reject`.
    ``first_line``/``offset``: where ``stream`` starts in its file (see :func:`range_lines`)."""
    no = first_line - 1
    while True:
        try:
            raw = stream.readline()
        except Exception as exc:  # noqa: BLE001 - gzip/zstd cut short, or a corrupt block
            yield Reject(source, no + 1, offset,
                         f"truncated or corrupt compressed input: after byte {offset} of the "
                         f"decompressed stream: {exc}")  # fmt: skip
            return
        if not raw:
            return
        no += 1
        start = offset
        offset += len(raw)
        line = raw.rstrip(b"\r\n")
        if start == 0 and line.startswith(UTF8_BOM):
            line, start = line[len(UTF8_BOM) :], start + len(UTF8_BOM)
        if line.strip():
            yield no, start, line


#: bytes per :func:`byte_ranges` range (1 MiB: 4x fewer pool round trips than 256 KB, which
#: cost the main process ~0.1 s of CPU per 200 MB with --jobs 2; measured in benchmarks/)
RANGE_BYTES = 1 << 20


def byte_ranges(path: str, size: int = RANGE_BYTES) -> list[tuple[int, int]]:
    """``(start, end)`` ranges of ``size`` bytes covering the file: a worker cleans the lines
    that *start* in its range (:func:`range_lines`), so the main process reads nothing."""
    total = os.path.getsize(path)
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def range_lines(path: str, start: int, end: int) -> tuple[bytes, int]:
    """The whole lines of the file that start at an offset in ``start:end``, and the offset of
    the first (a line crossing ``end`` is read to its end; one crossing ``start`` is not)."""
    with open(path, "rb") as f:
        if start:
            f.seek(start - 1)
            data = f.read(end - start + 1)
            skip = data.find(b"\n") + 1  # the end of the line holding byte start - 1
            if not skip:
                return b"", end
            data, start = data[skip:], start - 1 + skip
        else:
            data = f.read(end)
        while data and data[-1:] != b"\n":  # the last line goes on after ``end``
            more = f.read(1 << 16)
            cut = more.find(b"\n") + 1
            data += more[:cut] if cut else more
            if cut or not more:
                break
    return data, start


def read_jsonl_stream(
    stream: BinaryIO, source: str, text_field: str = "text", max_bytes: int = MAX_DOC_BYTES
) -> Iterator[Record | Reject]:
    """Like :func:`cleaner.pipeline.records.read_jsonl`, plus: NUL bytes, oversized documents and a
    truncated compressed tail become rejects (the records before the cut are kept)."""
    for item in iter_jsonl_lines(stream, source):
        if isinstance(item, Reject):
            yield item
        else:
            yield check_record(item[2], source, item[0], item[1], text_field, max_bytes)


def check_record(
    line: bytes, source: str, no: int, offset: int, text_field: str, max_bytes: int
) -> Record | Reject:
    if len(line) > max_bytes:
        return Reject(source, no, offset, f"document too large: {len(line)} bytes > the "
                      f"{max_bytes}-byte limit (--max-doc-bytes)", line)  # fmt: skip
    nul = line.find(b"\x00")
    if nul >= 0:
        return Reject(source, no, offset, f"NUL byte: at column {nul + 1}", line)
    rec = parse_json_record(line, source, no, offset, text_field)
    if isinstance(rec, Record) and "\x00" in rec.text:
        return Reject(source, no, offset, "text contains NUL (U+0000) characters", line)
    return rec


def _text_record(raw: bytes, source: str, max_bytes: int) -> Record | Reject:
    if len(raw) > max_bytes:
        return Reject(source, 0, 0, f"document too large: {len(raw)} bytes > the {max_bytes}-"
                      "byte limit (--max-doc-bytes)", raw)  # fmt: skip
    if b"\x00" in raw:
        return Reject(source, 0, raw.find(b"\x00"), "NUL byte: in a text file", raw)
    rec = next(read_text(io.BytesIO(raw), source))
    if isinstance(rec, Record):
        rec.data, rec.text_field = {"source": source, "text": rec.text}, "text"
    return rec


def _extractor():
    try:
        from cleaner.extract import extract_text
    except ImportError:
        return None
    return extract_text


NO_EXTRACT = ("HTML needs cleaner.extract (trafilatura) for main-text extraction, which is not "
              f"available: {install_hint('html')}")  # fmt: skip


def _html_record(html: bytes, source: str, no: int, offset: int, meta: dict) -> Record | Reject:
    extract = _extractor()
    if extract is None:
        return Reject(source, no, offset, NO_EXTRACT, html)
    try:
        text = extract(html, url=meta.get("url"))
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the file
        return Reject(source, no, offset, f"HTML extraction failed: {exc}", html)
    if not isinstance(text, str):
        return Reject(source, no, offset, "HTML extraction found no main text", html)
    return Record(source, no, offset, text, {**meta, "text": text}, "text")


def read_folder(path: str, max_bytes: int) -> Iterator[Record | Reject]:
    """Every .txt/.html file under ``path`` (sorted), one record each."""
    root = Path(path)
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = f.relative_to(root).as_posix()
        if f.suffix.lower() in HTML_SUFFIXES:
            raw = f.read_bytes()
            yield _html_record(raw, f"{path}/{rel}", 0, 0, {"source": rel})
        elif f.suffix.lower() in (".txt", ".text", ".md"):
            rec = _text_record(f.read_bytes(), f"{path}/{rel}", max_bytes)
            if isinstance(rec, Record):
                rec.data = {"source": rel, "text": rec.text}
            yield rec


def read_csv(path: str, text_field: str, max_bytes: int) -> Iterator[Record | Reject]:
    """Rows of a CSV/TSV file (header row names the columns); invalid UTF-8 rejects the row."""
    csv.field_size_limit(sys.maxsize)
    with open_binary(path) as raw:
        text = io.TextIOWrapper(raw, "utf-8-sig", errors="surrogateescape", newline="")
        dialect = "excel-tab" if ".tsv" in path.lower() else "excel"
        rows = csv.DictReader(text, dialect=dialect)
        for no, row in enumerate(rows, 1):
            line = rows.line_num
            doc = row.get(text_field)
            if doc is None:
                yield Reject(path, line, -1, f"no {text_field!r} column", repr(row).encode())
                continue
            enc = doc.encode("utf-8", "surrogateescape")
            bad = next((i for i, ch in enumerate(doc) if "\udc80" <= ch <= "\udcff"), None)
            if bad is not None:
                yield Reject(path, line, -1, f"invalid UTF-8 in column {text_field!r} (row {no})",
                             enc)  # fmt: skip
            elif len(enc) > max_bytes:
                yield Reject(path, line, -1, f"document too large: {len(enc)} bytes", enc)
            elif "\x00" in doc:
                yield Reject(path, line, -1, "text contains NUL characters", enc)
            else:
                data = {k: v for k, v in row.items() if k is not None}
                data[text_field] = doc.lstrip("\ufeff")
                yield Record(path, line, -1, data[text_field], data, text_field)


def read_parquet(path: str, text_field: str, max_bytes: int) -> Iterator[Record | Reject]:
    """Rows of a Parquet file, streamed in batches of 1024 (line = row number, 1-based)."""
    pq = need("pyarrow.parquet", "parquet", "reading Parquet files")
    pf = pq.ParquetFile(path)
    no = 0
    for batch in pf.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            no += 1
            doc = row.get(text_field)
            if not isinstance(doc, str):
                what = "missing" if text_field not in row else f"{type(doc).__name__}, not a string"
                yield Reject(path, no, -1, f"field {text_field!r} is {what}",
                             repr(row).encode()[:100_000])  # fmt: skip
            elif len(doc) > max_bytes:
                yield Reject(path, no, -1, f"document too large: {len(doc)} characters",
                             doc.encode())  # fmt: skip
            elif "\x00" in doc:
                yield Reject(path, no, -1, "text contains NUL characters", doc.encode())
            else:
                yield Record(path, no, -1, doc, row, text_field)


def read_warc(path: str, max_bytes: int) -> Iterator[Record | Reject]:
    """WARC response records with HTML go through extraction; WET conversion records are text."""
    fastwarc = need("fastwarc.warc", "warc", "reading WARC/WET files")
    rt = fastwarc.WarcRecordType
    no = 0
    # fastwarc opens the path itself and detects gzip/zstd/... compression
    for rec in fastwarc.ArchiveIterator(path, record_types=rt.response | rt.conversion,
                                        parse_http=True):  # fmt: skip
        no += 1
        url = rec.headers.get("WARC-Target-URI")
        meta = {"url": url, "warc_record_id": rec.record_id}
        body = rec.reader.read()
        pos = rec.stream_pos
        if rec.record_type == rt.conversion:
            meta_rec = _text_record(body, path, max_bytes)
            if isinstance(meta_rec, Reject):
                meta_rec.line, meta_rec.offset = no, pos
                yield meta_rec
            else:
                yield Record(path, no, pos, meta_rec.text, {**meta, "text": meta_rec.text})
            continue
        ctype = (rec.http_content_type or "") if rec.is_http else ""
        if "html" not in ctype.lower():
            yield Reject(path, no, pos, f"response is not HTML (Content-Type {ctype!r})", b"")
        elif len(body) > max_bytes:
            yield Reject(path, no, pos, f"document too large: {len(body)} bytes", body)
        else:
            yield _html_record(body, path, no, pos, meta)


def read_items(
    path: str, text_field: str = "text", max_bytes: int = MAX_DOC_BYTES
) -> Iterator[Record | Reject | tuple[int, int, bytes]]:
    """Every record of one input (a file, a folder, or ``-`` for stdin). JSONL lines come
    unparsed, as (line, offset, bytes), so that a worker pool can parse them in parallel."""
    kind = input_format(path)
    if kind == "stdin":
        stream = sys.stdin.buffer
        if hasattr(stream, "peek"):
            head = stream.peek(64)[:64]
        else:  # e.g. a BytesIO standing in for stdin
            stream = io.BytesIO(stream.read())
            head = stream.getvalue()[:64]
        if detect_format(None, head) == "jsonl":
            yield from iter_jsonl_lines(stream, "<stdin>")
        else:
            yield _text_record(stream.read(), "<stdin>", max_bytes)
    elif kind == "folder":
        yield from read_folder(path, max_bytes)
    elif kind == "parquet":
        yield from read_parquet(path, text_field, max_bytes)
    elif kind == "csv":
        yield from read_csv(path, text_field, max_bytes)
    elif kind == "warc":
        yield from read_warc(path, max_bytes)
    elif kind == "html":
        with open_binary(path) as f:
            yield _html_record(f.read(), path, 0, 0, {"source": Path(path).name})
    elif kind == "jsonl":
        with open_binary(path) as f:
            yield from iter_jsonl_lines(f, path)
    else:
        with open_binary(path) as f:
            yield _text_record(f.read(), path, max_bytes)


def read_input(
    path: str, text_field: str = "text", max_bytes: int = MAX_DOC_BYTES
) -> Iterator[Record | Reject]:
    """Every record of one input, parsed: :class:`Record` or :class:`Reject`."""
    src = "<stdin>" if path == "-" else path
    for item in read_items(path, text_field, max_bytes):
        if isinstance(item, tuple):
            yield check_record(item[2], src, item[0], item[1], text_field, max_bytes)
        else:
            yield item
