"""Whitespace functions of the default rule set."""

from __future__ import annotations

from cleaner.edits import Span


def document_edges(text: str) -> list[Span]:
    """Strip whitespace (blank lines included) at the start and the end of the document.

    >>> document_edges("\\n\\n  Title\\nBody \\n\\n")
    [(0, 4, ''), (15, 19, '')]
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
