"""Leftover markup in extracted text: HTML entities, stray tags, and mojibake (via ftfy)."""

from __future__ import annotations

import html
import warnings

import regex

from cleaner.model import Span

# Named entities we unescape (the ones seen in scraped news), plus numeric ones.
_ENTITY = regex.compile(
    r"&(?:amp;){0,3}(?:amp|quot|apos|lt|gt|nbsp|rsquo|lsquo|rdquo|ldquo|mdash|ndash|hellip|eacute|copy"
    r"|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"
)
# Only real HTML tag names, so that "a < b" and "<crowd cheers>" stay.
_TAG_NAMES = (
    "a|abbr|b|blockquote|br|center|div|em|figcaption|figure|font|h[1-6]|hr|i|iframe|img|li|ol"
    "|p|script|section|small|span|strong|style|sub|sup|table|tbody|td|th|tr|u|ul"
)
_TAG = regex.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>\n]{{0,300}})?/?>", regex.IGNORECASE)
_BLOCK = regex.compile(r"</?(?:br|p|li|ul|ol|div|h[1-6]|tr|table|blockquote|hr)\b", regex.I)
# Characters the normalize stage would change: keep the output already normalized, so that a
# second run changes nothing (idempotence).
_NORMALIZE = {
    0x00A0: " ", 0x1680: " ", 0x202F: " ", 0x205F: " ", 0x3000: " ",
    **dict.fromkeys(range(0x2000, 0x200B), " "),
    0x200B: "", 0x2060: "", 0xFEFF: "", 0x00AD: "",
    0x0D: "\n", 0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n",
}  # fmt: skip


def _unescape(entity: str) -> str:
    out = entity
    for _ in range(4):  # "&amp;amp;" -> "&amp;" -> "&": go to a fixed point
        nxt = html.unescape(out)
        if nxt == out:
            break
        out = nxt
    return out.translate(_NORMALIZE)


def entities(text: str) -> list[Span]:
    """Unescape leftover HTML entities such as ``&amp;`` and ``&#8217;`` (to a fixed point).

    >>> entities("Romeo &amp; Juliet")
    [(6, 11, '&')]
    """
    spans: list[Span] = []
    for m in _ENTITY.finditer(text):
        rep = _unescape(m.group())
        if rep != m.group():
            spans.append((m.start(), m.end(), rep))
    return spans


def tags(text: str) -> list[Span]:
    """Remove stray HTML tags; block tags (``<p>``, ``<li>``, ``<br>`` ...) become a line break.

    >>> tags("<ul><li>First</li><li>Second</li></ul>")
    [(0, 8, ''), (13, 22, '\\n'), (28, 38, '')]
    """
    spans: list[Span] = []
    for m in _TAG.finditer(text):
        block = _BLOCK.match(m.group()) is not None
        start, stop = m.start(), m.end()
        if spans and spans[-1][1] == start:  # merge runs of adjacent tags into one edit
            prev = spans.pop()
            start = prev[0]
            block = block or prev[2] == "\n"
        spans.append((start, stop, "\n" if block else ""))
    # a block tag at the start or end of a line adds no line break
    out: list[Span] = []
    for start, stop, rep in spans:
        if rep == "\n" and (start == 0 or text[start - 1] == "\n" or stop == len(text)
                            or text[stop] == "\n"):  # fmt: skip
            rep = ""
        out.append((start, stop, rep))
    return out


_FTFY_MISSING = False


def mojibake(text: str) -> list[Span]:
    """Repair mojibake ("itâ€™s" -> "it’s") line by line with ftfy, when it is installed
    (``pip install cleaner[mojibake]``); without ftfy this rule changes nothing and warns once.
    """
    global _FTFY_MISSING
    try:
        from ftfy import fix_encoding
    except ImportError:
        if not _FTFY_MISSING:
            _FTFY_MISSING = True
            warnings.warn(
                "rule markup.mojibake needs ftfy: pip install 'cleaner[mojibake]'; "
                "mojibake is left as it is", stacklevel=2)  # fmt: skip
        return []
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        if "Ã" in line or "â€" in line or "Â" in line:
            fixed = fix_encoding(line).translate(_NORMALIZE)
            if fixed != line and "\n" not in fixed:
                spans.append(_changed(pos, line, fixed))
        pos += len(line) + 1
    return spans


#: The optional module this rule function needs, and the extra that installs it; the rule
#: checker skips the rule's examples (saying so) when the module is missing.
mojibake.requires = ("ftfy", "mojibake")


def _changed(pos: int, old: str, new: str) -> Span:
    """The span of ``old`` (at ``pos``) that differs from ``new``: their common start and end
    stay out of the edit, so the rule is credited only with what it changed."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return (pos + head, pos + len(old) - tail, new[head : len(new) - tail])
