"""Fast exact forms of link-prompt rules (rules/generic/links.toml).

Each function equals ``finditer`` of the regex it names (tests/test_families_fast.py checks
this on generated text): the regex starts with a look-behind, so the regex module tried it at
every position; here it is tried only a few characters before each occurrence of the rule's
trigger literals, or at the start of their line (see :mod:`cleaner.families.anchored`).
"""

from __future__ import annotations

import regex

from cleaner.edits import Span
from cleaner.families.anchored import before, find_all, line_starts, spans_at

FOLLOW = regex.compile(
    r'(?:(?<=[.!?"”]) ?(?:You can follow|you can follow|Follow) (?:him|her|them|us|me|@\w{1,30})'
    r'|(?<=[.!?]["”])Follow \p{Lu}\p{Ll}{1,20}(?: \p{Lu}\p{Ll}{1,20})?) on '
    r"(?:Twitter|Facebook|Instagram)\b[^\n]{0,120}?(?:\.(?=[ \n]|\Z)|(?=\n|\Z))",
    regex.V0,
)


def follow_sentences(text: str) -> list[Span]:
    """Remove the matches of ``FOLLOW``: 'Follow him on Twitter ...' after a sentence end, to
    the end of the sentence or line; 'Follow Ana on ...' only when glued to a closing quote.

    >>> follow_sentences("She covers schools. Follow her on Twitter @sam.\\nNext.")
    [(19, 47, '')]
    """
    # every match holds 'ollow ' (each trigger does; one literal is one scan), at most 10
    # characters after the start (' You can f')
    return spans_at(FOLLOW, text, before(find_all(text, ("ollow ",)), 10), "")


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
