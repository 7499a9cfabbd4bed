"""Damaged files of every streamed format: reading them never raises (but InputError, for a file
that cannot be read at all, naming it); every item is a record or a reject naming the file; a
file cut short keeps the records before the cut where its format has records.

Found by hand before this test: a cut or corrupt .txt.gz, .txt.zst, .csv.gz stopped the run
with "Aborted!" or a zlib traceback.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.pipeline.readers import read_records
from cleaner.pipeline.records import InputError, Record, Reject

zstandard = pytest.importorskip("zstandard")

TEXTS = [f"Story {i}: the council met  on Monday and voted {i} to {i + 1}." for i in range(300)]


def _jsonl() -> bytes:
    return b"".join(json.dumps({"id": i, "text": t}).encode() + b"\n" for i, t in enumerate(TEXTS))


def _csv() -> bytes:
    return ("id,text\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(TEXTS))).encode()


def _txt() -> bytes:
    return "\n\n".join(TEXTS).encode()


PLAIN = {".jsonl": _jsonl(), ".csv": _csv(), ".txt": _txt()}
COMPRESS = {
    "": lambda b: b,
    ".gz": lambda b: gzip.compress(b, mtime=0),
    ".zst": lambda b: zstandard.ZstdCompressor(level=3).compress(b),
}


@st.composite
def damaged(draw):
    """(file name, bytes): a valid file of some format, then cut, bytes flipped or garbage
    put in."""
    suffix = draw(st.sampled_from(sorted(PLAIN)))
    comp = draw(st.sampled_from(sorted(COMPRESS)))
    data = bytearray(COMPRESS[comp](PLAIN[suffix]))
    how = draw(st.sampled_from(["cut", "flip", "insert"]))
    at = draw(st.integers(0, len(data)))
    if how == "cut":
        del data[at:]
    elif how == "flip":
        for i in range(at, min(at + draw(st.integers(1, 8)), len(data))):
            data[i] ^= draw(st.integers(1, 255))
    else:
        data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return f"damaged{suffix}{comp}", how, bytes(data)


@settings(max_examples=300, deadline=None)
@given(damaged())
def test_damaged_files_give_records_and_rejects_only(case) -> None:
    name, how, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            items = list(read_records([str(path)]))
        except InputError as exc:  # (a file that cannot be read at all: exit 2, named)
            assert str(path) in str(exc)
            return
    for item in items:
        assert isinstance(item, (Record, Reject))
        if isinstance(item, Reject):
            assert item.source == str(path) and item.reason
    if how == "cut" and name.endswith((".jsonl.gz", ".jsonl.zst", ".csv.gz", ".csv.zst")):
        # the records read before the cut come first, whole and in order
        texts = [x.text for x in items if isinstance(x, Record)]
        assert texts == TEXTS[: len(texts)]
