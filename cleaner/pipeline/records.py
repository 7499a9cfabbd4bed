"""Records in, records out: every input record ends as a clean record or as a reject with a reason.

The defaults of the whole pipeline live here (:data:`MAX_DOC_BYTES`, :data:`TIMEOUT`,
:data:`COMPRESSED`), and so do the one validation function (:func:`validate`, which every reader
calls) and the one JSON writer (:func:`dump_json`).

JSON output is always valid and lossless for what JSON can hold:

* a lone surrogate (``"\\ud800"`` in the input, read by the stdlib fallback since orjson
  refuses it) reaches the engine in the text field (the engine replaces it with U+FFFD and
  records the edit); in any other field it is written back as the same ``\\uXXXX`` escape;
* integers beyond 64 bits are written digit for digit;
* a number JSON cannot hold as a double (``1e400``) rejects the record ("number out of range"):
  its value would otherwise be written as ``Infinity``, which is not JSON;
* values from Parquet: timestamps as ISO 8601 strings, decimals as strings (every digit kept),
  binary as base64 strings, dates and times as ISO strings.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass, field

import orjson

#: Documents above this many bytes are rejected while they are read (``--max-doc-bytes``).
MAX_DOC_BYTES = 16 * 1024 * 1024
#: Seconds one document may spend in regex matching before it passes through unchanged.
TIMEOUT = 5.0
#: Compressed input suffixes (decompressed by :func:`cleaner.pipeline.readers.open_binary`).
COMPRESSED = (".gz", ".zst", ".zstd")
#: Bytes of a too-large document kept in its reject's ``raw`` field.
RAW_PREFIX = 4096

UTF8_BOM = b"\xef\xbb\xbf"
# orjson reads integers beyond 64 bits as floats; such records are parsed by the stdlib instead.
_BIG_INT = re.compile(rb"[0-9]{19}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(Exception):
    """An input that cannot be read at all (the message names the file): exit 2."""


@dataclass(slots=True)
class Record:
    """One document: ``text`` to clean, and the whole record (``data``) to pass through."""

    source: str
    line: int  # 1-based line (JSONL), record number (Parquet, CSV, WARC) or 0 for a whole file
    offset: int  # byte offset of the record in its (decompressed) file; -1 if unknown
    text: str
    data: dict | None = None  # the parsed record; None for a plain text document
    text_field: str = "text"


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


def scope(data: dict | None) -> tuple[str | None, str | None]:
    """(url, publisher) of a record, for rules scoped with ``where`` (non-strings: None). Every
    command reads them here: ``clean``, ``run``, ``explain`` and ``report`` scope alike."""
    if data is None:
        return None, None
    url, pub = data.get("url"), data.get("publisher")
    return (url if type(url) is str else None), (pub if type(pub) is str else None)


def too_large(source: str, no: int, offset: int, size: int, limit: int, head: bytes) -> Reject:
    """The reject of a document past ``--max-doc-bytes``: only a prefix of it is kept."""
    return Reject(source, no, offset, f"document too large: {size} bytes > the {limit}-byte "
                  f"limit (--max-doc-bytes); 'raw' holds its first {min(size, RAW_PREFIX)} bytes",
                  head[:RAW_PREFIX])  # fmt: skip


def validate(
    source: str, no: int, offset: int, text: object, data: dict | None, text_field: str,
    max_bytes: int, raw: bytes = b"",
) -> Record | Reject:  # fmt: skip
    """The one check every record passes, whatever its format: a string text, no NUL, no more
    than ``max_bytes`` (UTF-8) bytes."""
    if type(text) is not str:
        if data is not None and text_field not in data:
            return Reject(source, no, offset, f"no {text_field!r} field", raw)
        return Reject(source, no, offset, f"field {text_field!r} is {_jtype(text)}, not a string",
                      raw)  # fmt: skip
    if len(text) * 3 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        enc = text.encode("utf-8", "surrogatepass")
        return too_large(source, no, offset, len(enc), max_bytes, raw or enc)
    if "\x00" in text:
        return Reject(source, no, offset, "text contains NUL (U+0000) characters", raw)
    return Record(source, no, offset, text, data, text_field)


def parse_line(
    line: bytes, source: str, no: int, offset: int, text_field: str, max_bytes: int
) -> Record | Reject:
    """One JSONL line -> :class:`Record` or :class:`Reject` (through :func:`validate`)."""
    if len(line) > max_bytes:
        return too_large(source, no, offset, len(line), max_bytes, line)
    try:
        data = orjson.loads(line)
        # orjson reads an integer beyond 64 bits as a float: only a record holding a float can
        # have one, and only then is the line searched for a long run of digits
        if _has_float(data) and _BIG_INT.search(line):
            data = json.loads(line.decode("utf-8"))
    except (orjson.JSONDecodeError, ValueError) as exc:
        reason = _json_problem(line, exc)
        if reason is not None:
            return Reject(source, no, offset, reason, line)
        data = json.loads(line.decode("utf-8"))  # valid JSON orjson refuses
        if _has_float(data) and not _finite(data):
            return Reject(
                source,
                no,
                offset,
                "number out of range: NaN, Infinity or a number "
                "beyond a double (such as 1e400) cannot be written back as JSON",
                line,
            )
    if type(data) is not dict:
        return Reject(source, no, offset, f"not a JSON object but {_jtype(data)}", line)
    return validate(source, no, offset, data.get(text_field), data, text_field, max_bytes, line)


def _has_float(value: object) -> bool:
    """Whether a parsed JSON value holds a float anywhere."""
    if type(value) is dict:
        return any(type(v) is float or type(v) in (dict, list) and _has_float(v)
                   for v in value.values())  # fmt: skip
    if type(value) is list:
        return any(type(v) is float or type(v) in (dict, list) and _has_float(v)
                   for v in value)  # fmt: skip
    return type(value) is float


def _finite(value: object) -> bool:
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is dict:
        return all(_finite(v) for v in value.values())
    if type(value) is list:
        return all(_finite(v) for v in value)
    return True


def _json_problem(line: bytes, exc: Exception) -> str | None:
    """Why ``line`` is not a JSON record, or None if the stdlib can still read it."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as u:
        return f"invalid UTF-8: byte 0x{line[u.start]:02x} at column {u.start + 1}"
    nul = line.find(b"\x00")
    if nul >= 0:
        return f"NUL byte: at column {nul + 1}"
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


def _default(value: object) -> object:
    """JSON for what orjson and the stdlib do not write themselves (see the module docstring)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    iso = getattr(value, "isoformat", None)
    if iso is not None:  # datetime, date, time
        return iso()
    return str(value)  # Decimal (every digit), timedelta, ...


def _escape_surrogate(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def dump_json(data: dict) -> bytes:
    """One JSONL line (with its newline): orjson when it can; else the stdlib, with lone
    surrogates written as ``\\uXXXX`` escapes (valid UTF-8, nothing lost)."""
    try:
        return orjson.dumps(data, default=_default) + b"\n"
    except TypeError:  # an integer beyond 64 bits, a lone surrogate
        text = json.dumps(data, ensure_ascii=False, default=_default)
        return _SURROGATE.sub(_escape_surrogate, text).encode("utf-8") + b"\n"


def utf8(text: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate (which UTF-8 cannot hold) becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")
