"""Readers for every input the pipeline accepts, each yielding :class:`Record` or :class:`Reject`
(never raising on bad data, so input = output + rejected always holds; a file that cannot be
read at all raises :class:`InputError` naming it).

JSONL (plain, .gz, .zst), Parquet (streamed in batches), CSV/TSV, WARC/WET, .txt and .html files,
folders of them (recursively, by extension) and stdin (``-``, sniffed). Heavy libraries
(zstandard, pyarrow, fastwarc, trafilatura) are imported only when a file needs them; a missing
one raises :class:`MissingExtra` naming the extra to install (checked up front by
:func:`check_extras`). JSONL lines are read one at a time with a limit: a line past
``max_bytes`` is skipped as it is read (never held whole) and rejected with its first bytes.
Offsets are byte offsets into the (decompressed) stream; for Parquet, CSV and WARC records the
``line`` is the record number.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

import orjson

from cleaner.extras import MissingExtra, need, require
from cleaner.pipeline.execute import check_stop
from cleaner.pipeline.lines import LineRange, Lines, RawLine, byte_ranges, corrupt
from cleaner.pipeline.records import (
    COMPRESSED,
    MAX_DOC_BYTES,
    UTF8_BOM,
    InputError,
    Record,
    Reject,
    parse_line,
    too_large,
    validate,
)

#: input kinds by suffix (after a compression suffix)
SUFFIXES = {
    "jsonl": (".jsonl", ".ndjson", ".json"),
    "parquet": (".parquet",),
    "csv": (".csv", ".tsv"),
    "warc": (".warc", ".wet", ".arc"),
    "html": (".html", ".htm", ".xhtml"),
    "text": (".txt", ".text", ".md"),
}
#: record formats (anything else is one document per file)
RECORD_KINDS = ("jsonl", "parquet", "csv", "warc")


def kind_of(path: str) -> str | None:
    """The input kind of a file name (see :data:`SUFFIXES`), or None."""
    name = path.lower()
    for comp in COMPRESSED:
        name = name.removesuffix(comp)
    for kind, suffixes in SUFFIXES.items():
        if name.endswith(suffixes):
            return kind
    return None


def input_format(path: str) -> str:
    """jsonl | parquet | csv | warc | html | text | stdin; a named file of another suffix is
    read as text."""
    return "stdin" if path == "-" else kind_of(path) or "text"


def expand_inputs(
    args: list[str], skip: Iterable[Path] = (), on_skip: Callable[[str], None] | None = None
) -> list[str]:
    """The input files of the command-line paths: a folder gives every file under it whose
    suffix the pipeline reads (recursively, sorted; hidden files and anything under ``skip``,
    the outputs, left out). What else a folder holds (other suffixes, broken links, devices and
    pipes) is named, once per folder, to ``on_skip``. A missing path, or a folder with nothing
    readable, raises :class:`InputError`."""
    files: list[str] = []
    skip_at = [s.resolve() for s in skip]
    for arg in args:
        if arg == "-":
            files.append(arg)
            continue
        p = Path(arg)
        if p.is_dir():
            found, other = [], []
            for f in sorted(p.rglob("*")):
                if any(part.startswith(".") for part in f.relative_to(p).parts) or any(
                    f.resolve().is_relative_to(s) for s in skip_at
                ):
                    continue
                if f.is_file() and kind_of(f.name):
                    found.append(str(f))
                elif not f.is_dir():
                    other.append(f.relative_to(p).as_posix())
            if other and on_skip is not None:
                on_skip(_skipped(arg, other))
            if not found:
                raise InputError(f"{arg}: a folder with no file to read (.jsonl/.gz/.zst, "
                                 ".parquet, .csv, .warc/.wet, .txt, .html)")  # fmt: skip
            files += found
        elif p.is_file() or p.exists() and not p.is_dir():
            files.append(arg)
        else:
            raise InputError(f"cannot read {arg}: no such file or folder")
    return files


def _skipped(folder: str, other: list[str]) -> str:
    shown = ", ".join(other[:3]) + (f" and {len(other) - 3} more" if len(other) > 3 else "")
    what = "entry" if len(other) == 1 else "entries"
    return (f"{folder}: skipped {len(other)} {what} it does not read (another suffix, a broken "
            f"link, a device): {shown}")  # fmt: skip


def check_extras(files: list[str]) -> None:
    """Raise :class:`MissingExtra` before any work when an input needs a missing library."""
    for f in files:
        low, kind = f.lower(), input_format(f)
        if low.endswith((".zst", ".zstd")) and kind != "warc":
            require("zstandard", "zstd", f"reading {f}")
        if kind == "parquet":
            require("pyarrow.parquet", "parquet", f"reading {f}")
        elif kind == "warc":
            require("fastwarc.warc", "warc", f"reading {f}")
        if kind == "html" or kind == "warc" and not low.endswith((".wet", ".wet.gz")):
            require("trafilatura", "html", f"extracting the text of HTML in {f}")


class _ZstdRaw(io.RawIOBase):
    """Decompressed bytes of a (multi-frame) .zst file. Fed in small pieces, so that the bytes
    before a corrupt spot are all returned before the error is raised."""

    def __init__(self, f: BinaryIO):
        zstandard = need("zstandard", "zstd", "reading .zst files")
        self._f, self._dctx = f, zstandard.ZstdDecompressor()
        self._obj, self._buf, self._done = self._dctx.decompressobj(), b"", False
        self._error: Exception | None = None
        self._started = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        chunk = self._f.read(1 << 16)
        if not chunk:
            self._done = True
            if not self._obj.eof and self._started:
                self._error = EOFError("zstd stream ended before the end of its last frame")
            return
        out = []
        try:
            for i in range(0, len(chunk), 4096):
                piece = chunk[i : i + 4096]
                self._started = True
                out.append(self._obj.decompress(piece))
                while self._obj.eof and self._obj.unused_data:
                    rest = self._obj.unused_data
                    self._obj = self._dctx.decompressobj()
                    out.append(self._obj.decompress(rest))
                if self._obj.eof:
                    self._started = False
        except Exception as exc:  # noqa: BLE001 - a corrupt block: keep what came before
            self._error, self._done = exc, True
        self._buf = b"".join(out)

    def readinto(self, b) -> int:
        while not self._buf and not self._done:
            self._fill()
        if not self._buf and self._error is not None:
            raise self._error
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def open_binary(path: str) -> BinaryIO:
    """The file's decompressed byte stream (by suffix: .gz, .zst/.zstd, else plain)."""
    low = path.lower()
    if low.endswith(".gz"):
        return cast(BinaryIO, gzip.open(path, "rb"))  # a GzipFile: BinaryIO in all but its stub
    if low.endswith((".zst", ".zstd")):
        return io.BufferedReader(_ZstdRaw(open(path, "rb")), 1 << 20)
    return open(path, "rb")


def _read_whole(stream: BinaryIO, source: str, max_bytes: int) -> bytes | Reject:
    """The stream's bytes, up to ``max_bytes`` + 1 (one more says it is too large), or the
    reject of a compressed stream that breaks before its end: a document cut short is not
    cleaned as if it were whole."""
    try:
        return stream.read(max_bytes + 1)
    except Exception as exc:  # noqa: BLE001 - gzip/zstd cut short, or a corrupt block
        return corrupt(source, 0, 0, exc, "the document cannot be read whole")


#: byte order marks of the Unicode encodings other than UTF-8 (UTF-32's first: UTF-32LE's
#: starts with UTF-16LE's)
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _refuse_other_unicode(head: bytes, name: str) -> None:
    """:class:`InputError` when ``head``, a file's first bytes, is the byte order mark of
    UTF-16 or UTF-32: its every line would be rejected as invalid UTF-8 (Windows tools write
    such files)."""
    for bom, encoding in _OTHER_BOMS:
        if head.startswith(bom):
            raise InputError(f"{name}: the file is {encoding} (it starts with a {encoding} byte "
                             f"order mark); cleaner reads UTF-8: convert it first, e.g. iconv -f "
                             f"{encoding} -t UTF-8")  # fmt: skip


def _head(stream: BinaryIO) -> bytes:
    """The stream's first bytes, not consumed (b"" when it cannot say: a broken compressed
    stream is rejected when it is read)."""
    try:
        return cast(io.BufferedReader, stream).peek(4)[:4]
    except Exception:  # noqa: BLE001
        return b""


def _document(stream: BinaryIO, source: str, max_bytes: int) -> Iterator[Record | Reject]:
    """A whole text file as one document (none when it is empty); read up to ``max_bytes``."""
    raw = _read_whole(stream, source, max_bytes)
    if isinstance(raw, Reject):
        yield raw
        return
    if len(raw) > max_bytes:
        size = len(raw)
        try:
            while more := stream.read(1 << 20):
                check_stop()  # (a file without end, e.g. /dev/zero, stops on a signal)
                size += len(more)
        except Exception:  # noqa: BLE001 - too large either way: its size so far is said
            pass
        yield too_large(source, 0, 0, size, max_bytes, raw)
        return
    body = raw[len(UTF8_BOM) :] if raw.startswith(UTF8_BOM) else raw
    if not body:
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as u:
        line = body.count(b"\n", 0, u.start) + 1
        yield Reject(source, line, u.start, f"invalid UTF-8: byte 0x{body[u.start]:02x} at byte "
                     f"{u.start} (line {line})", raw[:4096])  # fmt: skip
        return
    yield validate(source, 0, 0, text, None, "text", max_bytes, b"")


def sniff(head: bytes) -> str:
    """``jsonl`` when every complete line of ``head`` (up to five) is a JSON object (or, when
    the first line is longer than ``head``, it starts with ``{``), else ``text``."""
    lines = [x for x in head.lstrip(UTF8_BOM).split(b"\n")[:-1] if x.strip()][:5]
    if not lines:
        return "jsonl" if head.lstrip(UTF8_BOM + b" \t\r\n").startswith(b"{") else "text"
    for line in lines:
        try:
            if type(orjson.loads(line)) is not dict:
                return "text"
        except orjson.JSONDecodeError:
            if not line.lstrip().startswith(b"{"):
                return "text"
    return "jsonl"


_STDIN: list[tuple[BinaryIO, io.BufferedReader]] = []  # (sys.stdin.buffer, peekable stream)


def stdin() -> io.BufferedReader:
    """stdin as one peekable binary stream (sniffing looks ahead without consuming)."""
    if sys.stdin is None:  # (started with stdin closed: ``<&-``)
        raise InputError("-: standard input is closed: nothing to read (give files, or pipe "
                         "the records in)")  # fmt: skip
    raw = sys.stdin.buffer
    if not _STDIN or _STDIN[0][0] is not raw:
        # typed BinaryIO, stdin's buffer is a BufferedReader (has peek) or, under test runners,
        # a BytesIO: it has the readinto that BufferedReader needs of a raw stream
        stream: io.BufferedReader = (cast(io.BufferedReader, raw) if hasattr(raw, "peek")
                  else io.BufferedReader(cast(io.RawIOBase, raw), 1 << 16))  # fmt: skip
        _STDIN[:] = [(raw, stream)]
    return _STDIN[0][1]


def stdin_kind() -> str:
    """``jsonl`` or ``text``: what stdin holds, sniffed (see :func:`sniff`)."""
    return sniff(stdin().peek(1 << 16)[: 1 << 16])


def _html_record(html: bytes, source: str, no: int, offset: int, meta: dict,
                 max_bytes: int) -> Record | Reject:  # fmt: skip
    from cleaner.extract import extract_text

    if len(html) > max_bytes:
        return too_large(source, no, offset, len(html), max_bytes, html)
    try:
        text = extract_text(html, url=meta.get("url"))
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the file
        return Reject(source, no, offset, f"HTML extraction failed: {exc}", html[:4096])
    if not text.strip():  # a record with no text would look cleaned: say why it has none
        return Reject(source, no, offset, "no main text found in the page (only markup, "
                      "scripts or boilerplate, or nesting deeper than the parser reads)",
                      html[:4096])  # fmt: skip
    return validate(source, no, offset, text, {**meta, "text": text}, "text", max_bytes)


def read_csv(path: str, text_field: str, max_bytes: int) -> Iterator[Record | Reject]:
    """Rows of a CSV/TSV file (the header row names the columns). Invalid UTF-8 anywhere in a
    row, or more fields than the header has, rejects the row."""
    csv.field_size_limit(sys.maxsize)
    with open_binary(path) as raw:
        _refuse_other_unicode(_head(raw), path)
        text = io.TextIOWrapper(raw, "utf-8-sig", errors="surrogateescape", newline="")
        dialect = "excel-tab" if ".tsv" in path.lower() else "excel"
        rows = csv.DictReader(text, dialect=dialect)
        for no, row in _rows_until_broken(rows, path):
            if isinstance(row, Reject):
                yield row
                return
            line = rows.line_num
            extra = row.pop(None, None)
            enc = repr(row).encode("utf-8", "backslashreplace")[:4096]
            if extra is not None:
                n = len(rows.fieldnames or [])
                yield Reject(path, line, -1, f"row {no} has {n + len(extra)} fields, the header "
                             f"{n}", enc)  # fmt: skip
                continue
            bad = next((k for k, v in row.items() if isinstance(v, str)
                        and any("\udc80" <= ch <= "\udcff" for ch in v)), None)  # fmt: skip
            if bad is not None:
                yield Reject(path, line, -1, f"invalid UTF-8 in column {bad!r} (row {no})", enc)
                continue
            doc = row.get(text_field)
            if isinstance(doc, str):
                row[text_field] = doc = doc.lstrip("\ufeff")
            yield validate(path, line, -1, doc, row, text_field, max_bytes, enc)


def _rows_until_broken(rows: csv.DictReader, path: str) -> Iterator[tuple[int, dict | Reject]]:
    """(row number, row) of a CSV reader, ended by a reject where its compressed stream breaks
    (the rows before it are kept, as in a compressed JSONL file)."""
    try:
        names = rows.fieldnames  # (reads the header row)
    except csv.Error as exc:
        yield 1, Reject(path, 1, -1, f"malformed CSV header: {exc}")
        return
    except Exception as exc:  # noqa: BLE001 - gzip/zstd cut short, or a corrupt block
        yield 1, corrupt(path, 1, -1, exc, "before the header")
        return
    _one_column_per_name(path, names or [], "header")
    no = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield no + 1, Reject(path, rows.line_num, -1, f"malformed CSV after row {no}: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - gzip/zstd cut short, or a corrupt block
            yield no + 1, corrupt(path, rows.line_num + 1, -1, exc, f"after row {no}")
            return
        no += 1
        yield no, row


def _one_column_per_name(path: str, names: Iterable[str], what: str) -> None:
    """Refuse a file whose header (or schema) names a column twice: a record holds one value a
    name, so all but one would be lost without a word (:class:`InputError`: exit 2)."""
    twice = sorted(n for n, count in Counter(names).items() if count > 1)
    if twice:
        raise InputError(f"{path}: the {what} names {', '.join(map(repr, twice))} more than "
                         "once: rename the columns (a record holds one value a name, the others "
                         "would be lost)")  # fmt: skip


def _arrow_json(batch):
    """A record batch whose timestamps are ISO 8601 strings (to_pylist cannot convert
    nanoseconds without pandas) and whose decimals are strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = []
    for col in batch.columns:
        if pa.types.is_timestamp(col.type):
            fmt = "%Y-%m-%dT%H:%M:%S" + ("%z" if col.type.tz else "")
            col = pc.strftime(col, format=fmt)
        elif pa.types.is_decimal(col.type):
            col = col.cast(pa.string())
        cols.append(col)
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)


def _row(one) -> dict | str:
    """The only row of a one-row batch, or why it cannot be read."""
    try:
        return one.to_pylist()[0]
    except UnicodeDecodeError as exc:
        return str(exc)


def read_parquet(path: str, text_field: str, max_bytes: int) -> Iterator[Record | Reject]:
    """Rows of a Parquet file, streamed in batches of 1024 (line = row number, 1-based)."""
    pq = need("pyarrow.parquet", "parquet", "reading Parquet files")
    no = 0
    try:
        pf = pq.ParquetFile(path)
        _one_column_per_name(path, pf.schema_arrow.names, "schema")
        for batch in pf.iter_batches(batch_size=1024):
            batch = _arrow_json(batch)
            try:
                rows: list = batch.to_pylist()
            except UnicodeDecodeError:  # invalid UTF-8 in a string column: find the rows
                rows = [_row(batch.slice(i, 1)) for i in range(batch.num_rows)]
            for row in rows:
                no += 1
                if isinstance(row, str):
                    yield Reject(path, no, -1, f"invalid UTF-8 in a string column: {row}")
                    continue
                raw = repr(row).encode("utf-8", "backslashreplace")[:4096]
                yield validate(path, no, -1, row.get(text_field), row, text_field, max_bytes, raw)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"{path}: not a readable Parquet file (after row {no}): {exc}") from exc


def read_warc(path: str, max_bytes: int) -> Iterator[Record | Reject]:
    """WARC response records with HTML go through extraction; WET conversion records are text.
    A record shorter than its Content-Length (a cut file) is rejected."""
    fastwarc = need("fastwarc.warc", "warc", "reading WARC/WET files")
    rt = fastwarc.WarcRecordType
    no = 0
    try:  # fastwarc opens the path itself and detects gzip/zstd/... compression
        for rec in fastwarc.ArchiveIterator(path, record_types=rt.response | rt.conversion,
                                            parse_http=True):  # fmt: skip
            no += 1
            url = rec.headers.get("WARC-Target-URI")
            meta = {"url": url, "warc_record_id": rec.record_id}
            body = rec.reader.read(max_bytes + 1)
            pos = rec.stream_pos
            if len(body) > max_bytes:
                yield too_large(path, no, pos, rec.content_length, max_bytes, body)
            elif len(body) < rec.content_length:
                yield Reject(path, no, pos, f"truncated record: {len(body)} of "
                             f"{rec.content_length} bytes", body[:4096])  # fmt: skip
            elif rec.record_type == rt.conversion:
                for doc in _document(io.BytesIO(body), path, max_bytes):
                    doc.line, doc.offset = no, pos
                    if isinstance(doc, Record):
                        doc.data = {**meta, "text": doc.text}
                    yield doc
            elif "html" not in (ctype := _content_type(rec)).lower():
                yield Reject(path, no, pos, f"response is not HTML (Content-Type {ctype!r})")
            else:
                yield _html_record(body, path, no, pos, meta, max_bytes)
    except Exception as exc:  # noqa: BLE001 - fastwarc's errors have no common base
        if isinstance(exc, (MissingExtra, InputError)):
            raise
        raise InputError(f"{path}: not a readable WARC file (after record {no}): {exc}") from exc


def _content_type(rec) -> str:
    return (rec.http_content_type or "") if rec.is_http else ""


def read_items(path: str, text_field: str = "text", max_bytes: int = MAX_DOC_BYTES,
               fmt: str = "auto") -> Iterator[Record | Reject | RawLine | LineRange]:  # fmt: skip
    """Every record of one input file (or ``-``: stdin). Uncompressed JSONL comes as
    :class:`LineRange` items and other JSONL as unparsed lines, so that workers read and parse
    them; ``fmt`` (``jsonl``/``text``) overrides the suffix and stdin's sniffing."""
    kind = input_format(path) if fmt == "auto" else fmt
    name = "<stdin>" if path == "-" else path
    stream: BinaryIO
    if path == "-":
        stream = stdin()
        if fmt == "auto":
            kind = stdin_kind()
    else:
        if kind == "parquet":
            yield from read_parquet(path, text_field, max_bytes)
            return
        if kind == "csv":
            yield from read_csv(path, text_field, max_bytes)
            return
        if kind == "warc":
            yield from read_warc(path, max_bytes)
            return
        if kind == "jsonl" and not path.lower().endswith(COMPRESSED) and os.path.isfile(path):
            # (a FIFO or a device has no size to split: it is streamed like stdin)
            with open(path, "rb") as f:
                _refuse_other_unicode(f.read(4), name)
            for start, end in byte_ranges(path):
                yield LineRange(name, path, start, end, max_bytes)
            return
        stream = open_binary(path)
    try:
        if kind != "html":  # (an HTML page says its encoding; the extractor reads it)
            _refuse_other_unicode(_head(stream), name)
        if kind == "jsonl":
            for x in Lines(stream, name, max_bytes):
                yield x if isinstance(x, Reject) else (name, *x)
        elif kind == "html":
            html = _read_whole(stream, name, max_bytes)
            yield html if isinstance(html, Reject) else _html_record(
                html, name, 0, 0, {"source": Path(path).name}, max_bytes)  # fmt: skip
        else:
            yield from _document(stream, name, max_bytes)
    finally:
        if path != "-":
            stream.close()


def read_records(paths: list[str], text_field: str = "text", max_bytes: int = MAX_DOC_BYTES,
                 fmt: str = "auto") -> Iterator[Record | Reject]:  # fmt: skip
    """Every record of the inputs, parsed, in this process (``explain``, ``report``, ``rules
    diff``): the same records the pipeline cleans. Line numbers run through each file."""
    for path in paths:
        base = 0  # lines of the file before the current range
        for item in read_items(path, text_field, max_bytes, fmt):
            if isinstance(item, LineRange):
                lines, count = item.lines()
                for x in lines:
                    if isinstance(x, Reject):
                        x.line += base
                        yield x
                    else:
                        yield parse_line(x[3], x[0], base + x[1], x[2], text_field, max_bytes)
                base += count
            elif isinstance(item, tuple):
                yield parse_line(item[3], item[0], item[1], item[2], text_field, max_bytes)
            else:
                yield item
