"""Records in, records out: every input line ends as a clean record or as a reject with a reason.

Readers never let one bad record stop a file: a malformed line, invalid UTF-8 or a record
without a text becomes a :class:`Reject` naming the file, line, byte offset and what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import orjson

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
TEXT_SUFFIXES = (".txt", ".text", ".md")
UTF8_BOM = b"\xef\xbb\xbf"
# orjson reads integers beyond 64 bits as floats; such records are parsed by the stdlib instead.
_BIG_INT = re.compile(rb"[0-9]{19}")


@dataclass(slots=True)
class Record:
    """One document: ``text`` to clean, and the whole record (``data``) to pass through."""

    source: str
    line: int  # 1-based line (JSONL) or 0 for a whole file
    offset: int  # byte offset of the record in its file
    text: str
    data: dict | None = None  # the parsed JSON object; None for plain text
    text_field: str = "text"
    stdlib_json: bool = False  # parsed by the stdlib (e.g. integers beyond 64 bits)


@dataclass(slots=True)
class Reject:
    """A record that could not be cleaned, and why."""

    source: str
    line: int
    offset: int
    reason: str
    raw: bytes = field(default=b"", repr=False)

    def to_dict(self) -> dict:
        return {
            "file": self.source,
            "line": self.line,
            "offset": self.offset,
            "reason": self.reason,
            "raw": self.raw.decode("utf-8", "backslashreplace"),
        }


def detect_format(path: str | None, head: bytes = b"") -> str:
    """``jsonl`` or ``text``, from the file name, else from the first bytes (stdin)."""
    if path:
        name = path.lower()
        for comp in (".gz", ".zst", ".zstd"):
            name = name.removesuffix(comp)
        if name.endswith(JSONL_SUFFIXES):
            return "jsonl"
        if name.endswith(TEXT_SUFFIXES):
            return "text"
    return "jsonl" if head.lstrip(UTF8_BOM + b" \t\r\n").startswith(b"{") else "text"


def read_jsonl(
    stream: BinaryIO, source: str, text_field: str = "text"
) -> Iterator[Record | Reject]:
    """One :class:`Record` or :class:`Reject` per non-blank line of a JSONL stream."""
    offset = 0
    for no, raw in enumerate(stream, 1):
        start = offset
        offset += len(raw)
        line = raw.rstrip(b"\r\n")
        if no == 1 and line.startswith(UTF8_BOM):
            line = line[len(UTF8_BOM) :]
            start += len(UTF8_BOM)
        if not line.strip():
            continue  # a blank line holds no record (counted as skipped by the caller)
        yield parse_json_record(line, source, no, start, text_field)


def parse_json_record(
    line: bytes, source: str, no: int, offset: int, text_field: str
) -> Record | Reject:
    stdlib = False
    try:
        data = orjson.loads(line)
        # orjson reads an integer beyond 64 bits as a float: only a record holding a float can
        # have one, and only then is the line searched for a long run of digits (a regex
        # search of every line cost more than the JSON parse itself)
        if _has_float(data) and _BIG_INT.search(line):
            data, stdlib = json.loads(line.decode("utf-8")), True
    except (orjson.JSONDecodeError, ValueError) as exc:
        reason = _json_problem(line, exc)
        if reason is not None:
            return Reject(source, no, offset, reason, line)
        data, stdlib = json.loads(line.decode("utf-8")), True  # valid JSON orjson refuses
    if not isinstance(data, dict):
        return Reject(source, no, offset, f"not a JSON object but {_jtype(data)}", line)
    if text_field not in data:
        return Reject(source, no, offset, f"no {text_field!r} field", line)
    text = data[text_field]
    if not isinstance(text, str):
        return Reject(source, no, offset, f"field {text_field!r} is {_jtype(text)}, not a string",
                      line)  # fmt: skip
    return Record(source, no, offset, text, data, text_field, stdlib)


def _has_float(value: object) -> bool:
    """Whether a parsed JSON value holds a float anywhere."""
    kind = type(value)
    if kind is dict:
        return any(type(v) is float or type(v) in (dict, list) and _has_float(v)
                   for v in value.values())  # type: ignore[union-attr]  # fmt: skip
    if kind is list:
        return any(type(v) is float or type(v) in (dict, list) and _has_float(v)
                   for v in value)  # type: ignore[union-attr]  # fmt: skip
    return kind is float


def _json_problem(line: bytes, exc: Exception) -> str | None:
    """Why ``line`` is not a JSON record, or None if the stdlib can still read it."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as u:
        return f"invalid UTF-8: byte 0x{line[u.start]:02x} at column {u.start + 1}"
    try:
        json.loads(decoded)
    except (ValueError, RecursionError) as j:
        msg = getattr(j, "msg", str(j))
        col = getattr(j, "colno", None)
        return f"malformed JSON: {msg}" + (f" at column {col}" if col else "")
    return None


def _jtype(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array", dict: "an object"}.get(type(value), type(value).__name__)  # fmt: skip


def read_text(stream: BinaryIO, source: str) -> Iterator[Record | Reject]:
    """A whole plain-text file as one record (invalid UTF-8 makes it a reject)."""
    raw = stream.read()
    body = raw[len(UTF8_BOM) :] if raw.startswith(UTF8_BOM) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as u:
        line = body.count(b"\n", 0, u.start) + 1
        yield Reject(source, line, u.start, f"invalid UTF-8: byte 0x{body[u.start]:02x} at byte "
                     f"{u.start} (line {line})", raw[:2000])  # fmt: skip
        return
    yield Record(source, 0, 0, text)


def dump_record(record: Record, text: str, extra: dict | None = None) -> bytes:
    """The record as one JSONL line, with its text replaced and every other field kept."""
    data = dict(record.data) if record.data is not None else {}
    data[record.text_field] = text
    if extra:
        data.update(extra)
    if record.stdlib_json:
        return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"
    return orjson.dumps(data) + b"\n"


def sibling(path: str | Path, suffix: str) -> Path:
    """``out.jsonl`` -> ``out.rejects.jsonl`` (the default rejects file beside the output)."""
    p = Path(path)
    return p.with_name(p.name.split(".", 1)[0] + suffix)
