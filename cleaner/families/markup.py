"""Leftover markup in extracted text: HTML entities, stray tags, and mojibake (via ftfy).

These rules run first in the normalize stage (rules/generic/markup.toml): what an entity decodes
to (an NBSP, a CR, a soft hyphen) is normalized by the unicode rules after them in the same pass.
"""

from __future__ import annotations

import html

import regex

from cleaner.model import Span
from cleaner.ruleset.registry import function_rule

# Named entities we unescape (the ones seen in scraped news), plus numeric ones.
_ENTITY = regex.compile(
    r"&(?:amp;)*(?:amp|quot|apos|lt|gt|nbsp|rsquo|lsquo|rdquo|ldquo|mdash|ndash|hellip|eacute|copy"
    r"|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"
)
# Only real HTML tag names, so that "a < b" and "<crowd cheers>" stay.
_TAG_NAMES = (
    "a|abbr|b|blockquote|br|center|div|em|figcaption|figure|font|h[1-6]|hr|i|iframe|img|li|ol"
    "|p|script|section|small|span|strong|style|sub|sup|table|tbody|td|th|tr|u|ul"
)
_TAG = regex.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>\n]{{0,300}})?/?>", regex.IGNORECASE)
_BLOCK = regex.compile(r"</?(?:br|p|li|ul|ol|div|h[1-6]|tr|table|blockquote|hr)\b", regex.I)
# A lone "Â" between spaces: the first half of a UTF-8 no-break space read as cp1252
# ("Â\xa0") whose second half became a plain space; ftfy repairs "said.Â The" but leaves
# "0.6 Â degrees". No word in any language is "Â" alone ("Âu", "ROMÂ" stay).
_LONE_A_CIRC = regex.compile(r"(?<![^ \t\u00a0])Â(?=[ \u00a0])")


def _unescape(entity: str) -> str:
    out = entity
    while True:  # "&amp;amp;" -> "&amp;" -> "&": a fixed point, however deep the nesting
        nxt = html.unescape(out)
        if nxt == out:
            return out
        out = nxt


@function_rule
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


@function_rule
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


@function_rule(needs=("ftfy",))
def mojibake(text: str) -> list[Span]:
    """Repair mojibake ("itâ€™s" -> "it’s") line by line with ftfy (a dependency of cleaner,
    imported on first use: it adds ~0.2 s to start-up)."""
    from ftfy import fix_encoding

    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        if "Ã" in line or "â€" in line or "Â" in line:
            fixed = fix_encoding(line)
            if "Â" in fixed:
                fixed = _LONE_A_CIRC.sub("", fixed)
            if fixed != line and "\n" not in fixed:
                spans.append(_changed(pos, line, fixed))
        pos += len(line) + 1
    return spans


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
