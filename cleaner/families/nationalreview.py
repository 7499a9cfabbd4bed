"""Fast exact form of the National Review promo rule (rules/publishers/nationalreview.toml).

The function equals ``finditer`` of the regex it names (tests/test_families_fast.py checks
this on generated text): the regex starts with a multi-line ``^``, so the regex module tried it
at every position; here it is tried only at the start of each line holding the trigger.
"""

from __future__ import annotations

import regex

from cleaner.edits import Span
from cleaner.families.anchored import find_all, line_starts, spans_at

NRPLUS_PROMO = regex.compile(
    r"(?m)^[ \t]*(?:Something to Consider )?If you (?:enjoyed|liked) this (?:article|piece), "
    r"[^\n]{0,80}Join NRPLUS\.[^\n]{0,900}(?:\n|\Z)",
    regex.V0,
)


def nrplus_promo_lines(text: str) -> list[Span]:
    """Remove the lines that match ``NRPLUS_PROMO`` ('If you liked this piece, ... Join
    NRPLUS. ...'), with their newline.

    >>> nrplus_promo_lines("Text.\\nIf you liked this piece, try us: Join NRPLUS. MORE\\nEnd.")
    [(6, 57, '')]
    """
    # a match is one whole line, and the line holds the trigger
    starts = line_starts(text, find_all(text, ("Join NRPLUS.",)))
    return spans_at(NRPLUS_PROMO, text, starts, "")
