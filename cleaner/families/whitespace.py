"""Whitespace functions of the default rule set."""

from __future__ import annotations

import re

import regex

from cleaner.families.anchored import find_all
from cleaner.model import Span
from cleaner.ruleset.registry import function_rule

# a newline after a space or tab: the regex module looks for the literal newline first (memchr
# speed; the stdlib re tries the look-behind at every position, 10x slower)
_NEWLINE_AFTER_BLANK = regex.compile(r"(?<=[ \t])\n")
_SPACES = re.compile(" +")
# three or more newlines, spelt with a literal prefix: the stdlib re then skips to each "\n\n\n"
# fast (written "\n{3,}" it is 10x slower); the regex module with the engine's per-document
# timeout spends twice as long as this
_BLANK_LINES = re.compile("\n\n\n+")


#: the characters of the regex class [\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]
UNICODE_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


def each_char(text: str, chars: str, replacement: str) -> list[Span]:
    """One span per occurrence of any of ``chars`` (what a one-character class such as
    ``[\u00a0\u3000]`` matches), ascending: one ``str.find`` loop per character, several times
    faster than the class, which the regex module tries at every position.

    >>> each_char("a\u00a0b\u3000\u00a0c", "\u00a0\u3000", " ")
    [(1, 2, ' '), (3, 4, ' '), (4, 5, ' ')]
    """
    return [(i, i + 1, replacement) for i in find_all(text, chars)]


@function_rule
def unicode_spaces(text: str) -> list[Span]:
    """Turn each NBSP or other Unicode space of ``UNICODE_SPACES`` into a plain space."""
    return each_char(text, UNICODE_SPACES, " ")


@function_rule
def trailing_spaces(text: str) -> list[Span]:
    """Remove the spaces and tabs that end a line (the regex ``[ \\t]+(?=\\n)``).

    >>> trailing_spaces("One \\t \\nTwo\\nThree  ")
    [(3, 6, '')]
    """
    spans: list[Span] = []
    for m in _NEWLINE_AFTER_BLANK.finditer(text):
        end = start = m.start()
        while start and text[start - 1] in " \t":
            start -= 1
        spans.append((start, end, ""))
    return spans


@function_rule
def collapse_spaces(text: str) -> list[Span]:
    """Collapse each run of two or more spaces into one (the regex `` {2,}`` -> ``" "``).

    >>> collapse_spaces("a  b     c d")
    [(1, 3, ' '), (4, 9, ' ')]
    """
    spans: list[Span] = []
    find, match = text.find, _SPACES.match
    i = find("  ")
    while i >= 0:
        end = match(text, i + 2)
        j = end.end() if end else i + 2
        spans.append((i, j, " "))
        i = find("  ", j)
    return spans


@function_rule
def blank_lines(text: str) -> list[Span]:
    """Reduce each run of three or more newlines to two (the regex ``\\n{3,}`` -> ``"\\n\\n"``).

    >>> blank_lines("a\\n\\n\\nb\\n\\nc\\n\\n\\n\\n")
    [(1, 4, '\\n\\n'), (8, 12, '\\n\\n')]
    """
    return [(m.start(), m.end(), "\n\n") for m in _BLANK_LINES.finditer(text)]


@function_rule
def document_edges(text: str) -> list[Span]:
    """Strip whitespace (blank lines included) at the start and the end of the document.

    >>> document_edges("\\n\\n  Title\\nBody \\n\\n")
    [(0, 4, ''), (14, 17, '')]
    """
    if not text or not (text[0].isspace() or text[-1].isspace()):
        return []
    stripped = text.strip()
    if not stripped:
        return [(0, len(text), "")]
    spans: list[Span] = []
    head = len(text) - len(text.lstrip())
    if head:
        spans.append((0, head, ""))
    tail = len(text.rstrip())
    if tail < len(text):
        spans.append((tail, len(text), ""))
    return spans
