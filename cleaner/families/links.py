"""Fast exact forms of link-prompt rules (rules/generic/links.toml).

Each function equals ``finditer`` of the regex it names (tests/test_families_fast.py checks
this on generated text): the regex starts with a look-behind, so the regex module tried it at
every position; here it is tried only a few characters before each occurrence of the rule's
trigger literals (see :mod:`cleaner.families.anchored`).
"""

from __future__ import annotations

import regex

from cleaner.edits import Span
from cleaner.families.anchored import find_all, spans_at

CLICK_HERE = regex.compile(
    r'(?<=[.!?:"”)]|\s-|\s—) ?(?:CLICK HERE|Click here|Click Here)\b[^\n.!?]{0,80}\.'
    r'(?=[ \n"”]|\Z)|, click here(?=\.)',
    regex.V0,
)
_CLICK_HERE_TRIGGERS = ("lick here", "LICK HERE", "lick Here")


def click_here_sentences(text: str) -> list[Span]:
    """Remove the matches of ``CLICK HERE``: a short 'Click here ... .' sentence after another
    sentence (with the space before it), and ', click here' before a full stop.

    >>> click_here_sentences("See the list. Click here for more. Or donate, click here.")
    [(13, 34, ''), (44, 56, '')]
    """
    # a match starts at the 'C' of a trigger, the space before it, or the ',' of ', click here'
    starts = (s for k in find_all(text, _CLICK_HERE_TRIGGERS) for s in range(max(k - 3, 0), k))
    return spans_at(CLICK_HERE, text, starts, "")
