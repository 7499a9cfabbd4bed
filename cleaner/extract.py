"""HTML input: decode, extract the main text (trafilatura or resiliparse), then clean it.

Extraction modes: ``"default"`` (trafilatura's balanced settings), ``"fast"`` (no fallback
extractors), ``"precision"`` (``favor_precision``) and ``"resiliparse"`` (needs the
``resiliparse`` extra). trafilatura is imported only when a page is extracted, so
``cleaner --help`` stays fast.

Time limit: with ``timeout`` set (the default, 30 s), extraction runs in a helper process
(``python -c``, pages sent as pickles over its stdin/stdout) that is reused from call to call;
a page still running after ``timeout`` seconds gets the helper killed (a new one starts on the
next call) and raises :class:`ExtractionTimeout`, so the caller can report the page and go on.
No signals are used, so this works inside worker threads and worker processes. The first call
pays the helper's start (about a second); after that the pipe costs a few ms per page. Calls
from several threads share one helper and run one at a time: for parallel work use one process
per core, each with its own helper. ``timeout=None`` extracts in the calling thread with no
limit (fastest; benchmarks/eval_html.py uses it). Bytes are decoded by :func:`decode_html`; NUL
characters are dropped; markup lxml cannot parse gives ``""``, never an exception. An article
body split into consecutive same-class containers is joined first (:func:`_join_split_body`). When
trafilatura returns nothing, the page is parsed once more as a whole document and extracted
again (plain text and bare ``<pre>`` pages, which trafilatura refuses as non-HTML).
"""

from __future__ import annotations

import codecs
import os
import pickle
import queue
import re
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

#: Seconds one page may spend in extraction before :class:`ExtractionTimeout` is raised.
DEFAULT_EXTRACT_TIMEOUT = 30.0
MODES = ("default", "fast", "precision", "resiliparse")

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_WORD = re.compile(r"\w")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ExtractionTimeout(TimeoutError):
    """Extraction of one page took longer than its time limit."""


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: BOM, then UTF-8, then ``<meta charset>``, then charset-normalizer.

    Valid UTF-8 wins over a declared charset: pages that declare latin-1 but are UTF-8 are
    common, the reverse (legacy bytes that happen to be valid UTF-8) is rare. latin-1 and ASCII
    labels are read as windows-1252, as browsers do. A page that declares UTF-8 is read as UTF-8
    even when a few bytes are invalid (they become U+FFFD) rather than guessed as a legacy
    charset, which would garble every non-ASCII letter. Never raises: undecodable bytes become
    U+FFFD as a last resort.
    """
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(bom_encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", "replace")
        enc: str | None
        try:
            enc = codecs.lookup(name).name
        except LookupError:
            enc = None
        if enc in ("latin-1", "iso8859-1", "ascii"):
            enc = "cp1252"  # browsers read these labels as windows-1252 (WHATWG)
        if enc == "utf-8":  # declared UTF-8 with a few stray bytes: keep the rest readable
            return data.decode("utf-8", errors="replace")
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
        tree = trafilatura.load_html(html)
        if tree is not None:
            _join_split_body(tree)
        out = trafilatura.extract(html if tree is None else tree, url=url, **options)
    except ValueError:  # e.g. markup lxml cannot build a tree from
        out = None
    if not out:
        out = _extract_as_document(html, url, options)
    return out or ""


def _join_split_body(tree: Any) -> None:
    """Join an article body split into several containers into the first one, in place.

    Some sites cut the body into consecutive chunks with the same class (ads or embeds in
    between), e.g. ``<div class="article__body">`` several times. trafilatura takes the first
    element its article-body XPath finds, so it kept only the first chunk. The later chunks
    that share the first one's tag, class and id are moved into it, in order, up to the first
    ``h1``-``h3`` heading between two chunks: several bodies separated by headings are a list
    of posts or teasers, not one article. A chunk whose text repeats an earlier one is left out.
    """
    try:
        from trafilatura.xpaths import BODY_XPATH

        matches = [m for m in BODY_XPATH[0](tree) if m is not None]
    except (ImportError, IndexError, TypeError):  # another trafilatura layout: extract as it is
        return
    if len(matches) < 2:
        return
    first = matches[0]
    key = (first.tag, first.get("class"), first.get("id"))
    nodes = list(tree.iter())  # keeps the proxies alive, so id() is stable below
    order = {id(node): i for i, node in enumerate(nodes)}
    headings = [order[id(h)] for h in tree.iter("h1", "h2", "h3")]
    run, end = [], max(order[id(n)] for n in first.iter())
    seen = {" ".join(first.text_content().split())}
    for m in matches[1:]:
        if (m.tag, m.get("class"), m.get("id")) != key or order[id(m)] <= end:
            continue  # another kind of container, or one inside the previous chunk
        if any(end < h < order[id(m)] for h in headings):
            break
        text = " ".join(m.text_content().split())
        if text in seen:  # the same body twice (a print or mobile copy): extract it once
            continue
        seen.add(text)
        run.append(m)
        end = max(order[id(n)] for n in m.iter())
    for m in run:
        if m.tail and m.tail.strip():  # text after the chunk stays where it was
            before, parent = m.getprevious(), m.getparent()
            if before is not None:
                before.tail = (before.tail or "") + m.tail
            elif parent is not None:
                parent.text = (parent.text or "") + m.tail
        m.tail = None
        first.append(m)


def _extract_as_document(html: str, url: str | None, options: dict[str, Any]) -> str | None:
    """Second try for a page trafilatura found nothing in: parse it as a whole document.

    trafilatura refuses input that does not look like a full HTML document (plain text, a bare
    ``<pre>`` block, a fragment without ``<html>``) and returns nothing; lxml's document parser
    wraps such input in ``<html><body>``, and trafilatura then extracts from that tree with the
    same settings. Pages it read and found no main text in stay empty, and so does a result
    without a single letter or digit (control characters, a run of ``<``).
    """
    import lxml.html
    import trafilatura
    from lxml.etree import LxmlError

    try:  # huge_tree: past 256 levels of nesting libxml2 drops the rest of the page
        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
        tree = lxml.html.document_fromstring(html, parser=parser)
        out = trafilatura.extract(tree, url=url, **options)
    except (ValueError, LxmlError):
        return None
    return out if out and _WORD.search(out) else None


class _Helper:
    """One reusable extraction process, killed and replaced when a page runs too long.

    A plain ``python -c`` child talking pickles over its stdin/stdout: unlike multiprocessing's
    spawn/forkserver it never re-imports the caller's ``__main__``, and unlike fork it is safe
    in threaded programs. A reader thread turns the blocking pipe into a queue with a timeout.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.replies: queue.Queue[tuple[bool, str] | None] = queue.Queue()

    def _start(self) -> None:
        code = "from cleaner.extract import _serve; _serve()"
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self.replies = queue.Queue()
        threading.Thread(
            target=_read_replies, args=(self.proc.stdout, self.replies), daemon=True
        ).start()

    def _stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def run(self, html: str, url: str | None, mode: str, timeout: float) -> str:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            assert self.proc is not None and self.proc.stdin is not None
            try:
                _send(self.proc.stdin, (html, url, mode))
                reply = self.replies.get(timeout=timeout)
            except queue.Empty:
                self._stop()
                raise ExtractionTimeout(f"extraction took more than {timeout:g} s") from None
            except OSError:
                reply = None
            if reply is None:  # the helper died (e.g. out of memory)
                self._stop()
                raise RuntimeError("extraction process died")
            ok, value = reply
            if not ok:
                raise RuntimeError(f"extraction failed: {value}")
            return value


def _send(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _recv(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _read_replies(stream: IO[bytes], replies: queue.Queue) -> None:
    try:
        while True:
            replies.put(_recv(stream))
    except (EOFError, OSError, ValueError):
        replies.put(None)


def _serve() -> None:
    """The helper process: extract pages sent on stdin, reply on stdout, until EOF."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # stray prints must not corrupt the reply stream
    inp = sys.stdin.buffer
    while True:
        try:
            html, url, mode = _recv(inp)
        except EOFError:
            return
        try:
            reply: tuple[bool, str] = (True, _extract_now(html, url, mode))
        except Exception as exc:  # report to the caller, keep serving
            reply = (False, f"{type(exc).__name__}: {exc}")
        _send(out, reply)


_helper = _Helper()


def extract_text(
    html: str | bytes,
    url: str | None = None,
    mode: str = "default",
    timeout: float | None = DEFAULT_EXTRACT_TIMEOUT,
) -> str:
    """The main text of a page (``""`` when none is found).

    Raises :class:`ExtractionTimeout` when ``timeout`` seconds pass (see module docstring),
    ``ValueError`` for an unknown ``mode`` and :class:`cleaner.pipeline.readers.MissingExtra`
    (an ImportError naming the pip command) when the extraction library is not installed.
    """
    if mode not in MODES:
        raise ValueError(f"unknown extraction mode {mode!r}; choose one of {', '.join(MODES)}")
    from cleaner.extras import require

    lib = "resiliparse" if mode == "resiliparse" else "trafilatura"
    require(lib, "html" if lib == "trafilatura" else lib, "HTML extraction")
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
