r"""Whitespace functions of the default rule set: what a regex states only at every position.

``[ \t]+(?=\n)`` and ``\A\s+|\s+\Z`` start with a character class the regex module tries
everywhere (18x and 500x slower than these on news), and no trigger or ``candidates`` start
can bound where their matches begin (a run of spaces of any length); the other whitespace rules
are patterns in rules/whitespace/whitespace.toml.
"""

from __future__ import annotations

import regex

from cleaner.model import Span
from cleaner.ruleset.registry import function_rule

# a newline after a space or tab: the regex module looks for the literal newline first (memchr
# speed; the stdlib re tries the look-behind at every position, 10x slower)
_NEWLINE_AFTER_BLANK = regex.compile(r"(?<=[ \t])\n")


@function_rule(settles=True)
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


@function_rule(settles=True)
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
