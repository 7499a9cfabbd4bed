"""Exact fast paths for regex rules that the regex module can only try at every position.

A pattern that starts with a look-behind, ``^`` or a character class gives the regex module no
literal to skip to, so it tries every position (or every newline) of the text. When a cheap
scan can list every position where a match may start (a superset), trying the exact pattern
only there, in order, gives the same matches as ``finditer``: :func:`spans_at`.

A rule whose matches all start at most N characters before a trigger needs none of this:
``starts_before_trigger = N`` has the engine do it (with the trigger positions of its scan and
the regex time limit). These helpers serve the others: a prefilter scan where a rule has no
useful trigger, or a window narrower than N.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from cleaner.model import Span


def spans_at(
    pattern: regex.Pattern, text: str, starts: Iterable[int], replacement: str
) -> list[Span]:
    """The matches of ``pattern.finditer(text)`` as spans replaced by ``replacement``, provided
    every match starts at one of ``starts`` (ascending; duplicates and extra positions allowed)
    and ``pattern`` cannot match the empty string.

    Each start is tried with ``pattern.match`` (look-behinds see the text before it, as in
    ``finditer``); starts inside the last match are skipped, as ``finditer`` does.

    >>> spans_at(regex.compile(r"(?<=\\.)x+"), ".xx x .x", [1, 4, 7], "")
    [(1, 3, ''), (7, 8, '')]
    """
    spans: list[Span] = []
    match = pattern.match
    end = 0
    for s in starts:
        if s < end:
            continue
        m = match(text, s)
        if m is not None:
            end = m.end()
            spans.append((s, end, replacement))
    return spans


def find_all(text: str, literals: Iterable[str]) -> list[int]:
    """Every position where one of ``literals`` occurs, ascending (``str.find`` loops: faster
    than one alternation of them with re or regex).

    >>> find_all("Click here or click Here", ["lick here", "lick Here"])
    [1, 15]
    """
    found: list[int] = []
    for literal in literals:
        find = text.find
        i = find(literal)
        while i >= 0:
            found.append(i)
            i = find(literal, i + 1)
    found.sort()
    return found
