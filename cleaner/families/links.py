"""Fast exact forms of link-prompt rules (rules/generic/links.toml).

Each function equals ``finditer`` of the regex it names (tests/test_families_fast.py checks
this on generated text): the regex starts with a look-behind, so the regex module tried it at
every position; here it is tried only a few characters before each occurrence of the rule's
trigger literals, or at the start of their line (see :mod:`cleaner.families.anchored`).
"""

from __future__ import annotations

import regex

from cleaner.edits import Span
from cleaner.families.anchored import find_all, line_starts, spans_at

NEWSLETTER_WIDGET = regex.compile(
    r"(?m)^(?:[^\n]{0,500}(?:By signing up,? you agree|By clicking submit,? you agree)[^\n]{0,700}"
    r"|[^\n.!?]{0,200}delivered (?:daily |weekly |straight |right |directly )?to your inbox[.?] "
    r"Sign up[^\n]{0,80})(?:\n|\Z)",
    regex.V0,
)
_NEWSLETTER_TRIGGERS = ("By signing up", "By clicking submit", "to your inbox")


def newsletter_widget_lines(text: str) -> list[Span]:
    """Remove the lines that match ``NEWSLETTER_WIDGET`` (a newsletter sign-up widget, or '...
    delivered to your inbox. Sign up ...'), with their newline.

    >>> newsletter_widget_lines("Text.\\nNews delivered to your inbox. Sign up now.\\nEnd.")
    [(6, 49, '')]
    """
    # a match is one whole line, and the line holds a trigger
    starts = line_starts(text, find_all(text, _NEWSLETTER_TRIGGERS))
    return spans_at(NEWSLETTER_WIDGET, text, starts, "")
