"""HTML input: decode, extract the main text (trafilatura or resiliparse), then clean it.

Extraction modes: ``"default"`` (trafilatura's balanced settings), ``"fast"`` (no fallback
extractors), ``"precision"`` (``favor_precision``) and ``"resiliparse"`` (needs the
``resiliparse`` extra). trafilatura is imported only when a page is extracted, so
``cleaner --help`` stays fast.

Time limit: with ``timeout`` set (the default), extraction runs in a helper process that is
reused from call to call; a page still running after ``timeout`` seconds makes the helper be
killed (and restarted on the next call) and raises :class:`ExtractionTimeout`. No signals are
used, so this works inside worker threads and worker processes. Calls from several threads
share one helper and run one at a time; use one process per core for parallel work, or
``timeout=None`` to extract in the calling thread with no limit (fastest; the bench uses it).
"""

from __future__ import annotations

import codecs
import multiprocessing
import re
import threading
from pathlib import Path
from typing import Any

#: Seconds one page may spend in extraction before :class:`ExtractionTimeout` is raised.
DEFAULT_EXTRACT_TIMEOUT = 30.0
MODES = ("default", "fast", "precision", "resiliparse")

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class ExtractionTimeout(TimeoutError):
    """Extraction of one page took longer than its time limit."""


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: BOM, then UTF-8, then ``<meta charset>``, then charset-normalizer.

    Valid UTF-8 wins over a declared charset: pages that declare latin-1 but are UTF-8 are
    common, the reverse (legacy bytes that happen to be valid UTF-8) is rare. latin-1 and ASCII
    labels are read as windows-1252, as browsers do. Never raises: undecodable bytes become
    U+FFFD as a last resort.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", "replace")
        try:
            enc = codecs.lookup(name).name
        except LookupError:
            enc = None
        if enc in ("latin-1", "iso8859-1", "ascii"):
            enc = "cp1252"  # browsers read these labels as windows-1252 (WHATWG)
        if enc and not enc.startswith("utf-16"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    except ImportError:
        pass
    return data.decode("utf-8", errors="replace")


def read_html_file(path: str | Path) -> bytes:
    """The raw bytes of an HTML file (decoding is left to :func:`extract_text`)."""
    return Path(path).read_bytes()


def _prepare(html: str | bytes) -> str:
    text = decode_html(html) if isinstance(html, (bytes, bytearray)) else html
    return text.replace("\x00", "")  # lxml refuses NUL bytes


def _extract_now(html: str, url: str | None, mode: str) -> str:
    """Extract in the calling thread (no time limit)."""
    if not html.strip():
        return ""
    if mode == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        return extract_plain_text(HTMLTree.parse(html), main_content=True, alt_texts=False)
    import trafilatura

    options: dict[str, Any] = {
        "default": {},
        "fast": {"fast": True},
        "precision": {"favor_precision": True},
    }[mode]
    try:
        out = trafilatura.extract(html, url=url, **options)
    except ValueError:  # e.g. markup lxml cannot build a tree from
        out = None
    return out or ""


class _Helper:
    """One reusable extraction process, killed and replaced when a page runs too long."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: Any = None
        self.conn: Any = None

    def _start(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent

    def _stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.conn.close()
        self.proc = self.conn = None

    def run(self, html: str, url: str | None, mode: str, timeout: float) -> str:
        with self.lock:
            if self.proc is None or not self.proc.is_alive():
                self._start()
            self.conn.send((html, url, mode))
            if not self.conn.poll(timeout):
                self._stop()
                raise ExtractionTimeout(f"extraction took more than {timeout:g} s")
            try:
                ok, value = self.conn.recv()
            except EOFError:  # the helper died (e.g. out of memory)
                self._stop()
                raise RuntimeError("extraction process died") from None
            if not ok:
                raise RuntimeError(f"extraction failed: {value}")
            return value


def _serve(conn: Any) -> None:
    while True:
        try:
            html, url, mode = conn.recv()
        except EOFError:
            return
        try:
            conn.send((True, _extract_now(html, url, mode)))
        except Exception as exc:  # report to the caller, keep serving
            conn.send((False, f"{type(exc).__name__}: {exc}"))


_helper = _Helper()


def extract_text(
    html: str | bytes,
    url: str | None = None,
    mode: str = "default",
    timeout: float | None = DEFAULT_EXTRACT_TIMEOUT,
) -> str:
    """The main text of a page (``""`` when none is found).

    Raises :class:`ExtractionTimeout` when ``timeout`` seconds pass (see module docstring) and
    ``ValueError`` for an unknown ``mode``.
    """
    if mode not in MODES:
        raise ValueError(f"unknown extraction mode {mode!r}; choose one of {', '.join(MODES)}")
    text = _prepare(html)
    if timeout is None:
        return _extract_now(text, url, mode)
    return _helper.run(text, url, mode, timeout)


def clean_html(
    html: str | bytes,
    url: str | None = None,
    mode: str = "default",
    preset: str = "default",
    timeout: float | None = DEFAULT_EXTRACT_TIMEOUT,
) -> str:
    """Extract the main text of a page, then clean it with the ``preset`` rule set."""
    from cleaner.api import _default_cleaner

    text = extract_text(html, url=url, mode=mode, timeout=timeout)
    return _default_cleaner(preset).clean(text, url=url) if text else ""
