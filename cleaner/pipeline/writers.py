"""Atomic, deterministic writers for ``cleaner run`` output shards.

Every writer writes to a temporary name beside its target, fsyncs, and renames on
:meth:`commit`, so a killed run never leaves a half-written shard under the final name. Outputs
are byte-reproducible: gzip gets mtime 0 and no file name; zstd and Parquet use fixed settings.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import BinaryIO

import orjson

#: --out-format values and the suffix of the shard they write.
OUT_FORMATS = {
    "jsonl": ".jsonl",
    "jsonl.gz": ".jsonl.gz",
    "jsonl.zst": ".jsonl.zst",
    "parquet": ".parquet",
    "txt": "",  # a folder of .txt files
}


def tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicFile:
    """A binary file that appears under ``path`` only when :meth:`commit` is called."""

    def __init__(self, path: Path, compress: str | None = None):
        self.path, self.tmp = path, tmp_name(path)
        self._raw = open(self.tmp, "wb")  # noqa: SIM115 - closed in commit/abort
        self.f: BinaryIO = self._raw
        self._z = None
        if compress == "gz":
            self.f = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)  # type: ignore[assignment]
        elif compress == "zst":
            from cleaner.pipeline.readers import need

            zstd = need("zstandard", "zstd", "writing .zst files")
            self._z = zstd.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)
            self.f = self._z

    def write(self, data: bytes) -> None:
        self.f.write(data)

    def commit(self) -> None:
        if self.f is not self._raw:
            self.f.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.tmp, self.path)
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        try:
            self._raw.close()
        finally:
            self.tmp.unlink(missing_ok=True)


class JsonlWriter:
    def __init__(self, path: Path, compress: str | None = None):
        self.file = AtomicFile(path, compress)

    def write(self, data: dict, line: bytes | None = None) -> None:
        self.file.write(line if line is not None else orjson.dumps(data) + b"\n")

    def commit(self) -> None:
        self.file.commit()

    def abort(self) -> None:
        self.file.abort()


class ParquetWriter:
    """Rows buffered into batches; the schema comes from the first batch (later rows are cast to
    it: extra keys dropped, missing ones null)."""

    def __init__(self, path: Path, batch_rows: int = 1024):
        from cleaner.pipeline.readers import need

        self.pa = need("pyarrow", "parquet", "writing Parquet")
        self.pq = need("pyarrow.parquet", "parquet", "writing Parquet")
        self.path, self.tmp = path, tmp_name(path)
        self.rows: list[dict] = []
        self.batch_rows = batch_rows
        self.writer = None
        self.schema = None

    def write(self, data: dict, line: bytes | None = None) -> None:
        self.rows.append(data)
        if len(self.rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        table = self.pa.Table.from_pylist(self.rows, schema=self.schema)
        if self.writer is None:
            self.schema = table.schema
            self.writer = self.pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.writer.write_table(table)
        self.rows = []

    def commit(self) -> None:
        self._flush()
        if self.writer is None:  # no rows at all: an empty file with just a text column
            self.schema = self.pa.schema([("text", self.pa.string())])
            self.writer = self.pq.ParquetWriter(self.tmp, self.schema)
        self.writer.close()
        with open(self.tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(self.tmp, self.path)
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.tmp.unlink(missing_ok=True)


class TxtFolderWriter:
    """One ``NNNNNNNN.txt`` per record in a folder, renamed into place as a whole."""

    def __init__(self, path: Path, text_field: str = "text"):
        self.path, self.tmp = path, tmp_name(path)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self.n = 0
        self.text_field = text_field

    def write(self, data: dict, line: bytes | None = None) -> None:
        self.n += 1
        with open(self.tmp / f"{self.n:08d}.txt", "wb") as f:
            f.write(str(data.get(self.text_field, "")).encode("utf-8"))
            os.fsync(f.fileno())

    def commit(self) -> None:
        _fsync_dir(self.tmp)
        if self.path.exists():
            shutil.rmtree(self.path)
        os.replace(self.tmp, self.path)
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def open_writer(path: Path, fmt: str, text_field: str = "text"):
    """A writer for ``--out-format`` ``fmt`` at ``path`` (suffix already applied)."""
    if fmt == "jsonl":
        return JsonlWriter(path)
    if fmt == "jsonl.gz":
        return JsonlWriter(path, "gz")
    if fmt == "jsonl.zst":
        return JsonlWriter(path, "zst")
    if fmt == "parquet":
        return ParquetWriter(path)
    if fmt == "txt":
        return TxtFolderWriter(path, text_field)
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(OUT_FORMATS)}")


def write_json_atomic(path: Path, data: dict) -> None:
    f = AtomicFile(path)
    f.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    f.commit()


def spool(folder: str, parts: list[bytes]) -> str:
    """Write ``parts`` to a new file in ``folder`` (a worker's output, see :func:`append_file`)."""
    import tempfile

    fd, path = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as f:
        f.writelines(parts)
    return path


def append_file(out: BinaryIO, path: str) -> None:
    """Append the file at ``path`` to ``out`` and delete it: one copy inside the kernel
    (``sendfile``), where passing the bytes through a pipe to this process costs several
    copies (measured: 0.45 s against 0.17 s of CPU per 200 MB with two workers)."""
    out.flush()
    with open(path, "rb") as src:
        size, sent = os.fstat(src.fileno()).st_size, 0
        try:
            while sent < size:
                n = os.sendfile(out.fileno(), src.fileno(), sent, size - sent)
                if n == 0:
                    break
                sent += n
        except (OSError, AttributeError):  # no sendfile here, or not to this kind of file
            src.seek(sent)
            while block := src.read(1 << 20):
                out.write(block)
    os.unlink(path)
