"""The Hill's hovercards: a person's full name and latest headlines glued into the sentence.

A scraped hovercard reads ``<display name>[ ]<full name><headline>…<headline> MORE``; the clean
text keeps the display name and what follows MORE. (Seed version: the full family is issue 3.)
"""

from __future__ import annotations

import regex

from cleaner.edits import Span

_CARD = regex.compile(
    r"""
    (?P<last>\p{Lu}[\p{Ll}\p{M}'’-]+)          # display name's last word
    (?P<card>
      \ ?(?:\p{Lu}[\p{L}\p{M}.'’-]*\.?\ |\(\p{Lu}\p{L}*\)\ ){0,4}   # full name's first words
      (?P=last)                                 # ... ending with the same last word
      (?:(?=[\p{Lu}\d"'“‘:])[^\n]{0,1500}?[^\s]\ ?MORE|MORE)
    )
    (?![\p{L}\d])
    """,
    regex.VERBOSE | regex.V0,
)


def find(text: str) -> list[Span]:
    """Spans of hovercards in ``text``, each to be removed whole."""
    return [(m.start("card"), m.end("card"), "") for m in _CARD.finditer(text)]
