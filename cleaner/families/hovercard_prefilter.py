"""The hovercard finder's prefilter: where a candidate may start, found by stdlib ``re``.

:mod:`cleaner.families.hovercard` reads a stretch with these patterns when it holds only "safe"
characters (below), and with its ``regex`` scan (``_START``) otherwise; both find the same
cards (tests/test_hovercard.py).
"""

from __future__ import annotations

import re
import unicodedata

PARTICLES = "de|del|della|der|di|da|dos|du|la|le|van|von|bin|ibn|al|el|y|ten|ter|St\\."


def is_name_char(c: str) -> bool:
    """A character of a name word: letter, mark, apostrophe or hyphen."""
    return c.isalpha() or c in "'’-" or unicodedata.combining(c) > 0


# The prefilter (stdlib ``re``: several times faster than ``regex`` on these patterns) reads
# only "safe" stretches: characters on which ``\p{Lu}``, ``\p{Ll}`` and the name characters of
# ``regex`` agree with ``str.isupper``, ``str.islower`` and :func:`is_name_char` (checked in
# tests/test_hovercard.py). Latin letters and punctuation; "ª" and "º" are lower-case to
# ``str.islower`` but not ``\p{Ll}``. Any other character sends its stretch to the _START scan.
SAFE = [
    c
    for r in ((0, 0x250), (0x2000, 0x2070), (0x20A0, 0x20D0))
    for c in map(chr, range(*r))
    if c not in "ªº"
]


def _char_class(chars: list[str]) -> str:
    """A ``re`` character class of ``chars`` (sorted), written as ranges."""
    parts: list[str] = []
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        parts.append(re.escape(chars[i]) + ("-" + re.escape(chars[j]) if j > i else ""))
        i = j + 1
    return "[" + "".join(parts) + "]"


#: a stretch of safe characters only (asked with fullmatch: one charset loop, 1.7x faster than
#: searching for an unsafe character)
SAFE_STRETCH = re.compile(_char_class(SAFE) + "*+")
UP = _char_class([c for c in SAFE if c.isupper()])
LOW = _char_class([c for c in SAFE if c.islower()])
_NOT_LOW = _char_class([c for c in SAFE if is_name_char(c) and not c.islower()])
_NEITHER = _char_class([c for c in SAFE if is_name_char(c) and not (c.islower() or c.isupper())])
#: the name characters of a safe stretch, ASCII first (for ``str.rstrip``)
SAFE_NAME = "".join(sorted((c for c in SAFE if is_name_char(c)), key=lambda c: not c.isascii()))
SAFE_NAME_SET = frozenset(SAFE_NAME)
UP_RE = re.compile(UP)
GLUED_INSIDE = re.compile(rf"{LOW}(?:{UP}|\()")
_UP_WORD = _char_class(sorted([c for c in SAFE if c.isupper()] + list("(“\"‘'")))
# The common full name, read here exactly as _full_name reads it: plain name words, the first
# one whose letter is x (below) being the display word itself, glued to a headline (e: its
# end) or followed by a space and no suffix.
_SIMPLE = r"(?:[A-Z][a-z]+|[A-Z]\.|\([A-Z][a-z]{1,24}\))"
_FAST = (
    rf" *{_SIMPLE} ++(?:(?!(?i:(?P=x))){_SIMPLE} ++){{0,6}}+(?P=d)(?P<e>)"
    rf"(?=[0-9\"'“‘:$(#\[¿¡]|{UP}| [^ JSI])"
)
# In a safe stretch, every _START match that can yield a candidate ends one of these matches
# (a superset: each is then read exactly as before). A match is a display word d: an upper-case
# letter starting a word or following a lower-case one, then name characters up to the first
# _START (a lower-case letter followed by an upper-case one, or the word's end followed by a
# suffix, spaces, a capital or "("). When its first letter is ASCII (x) and not just after the
# head of a camel name ("Mc|Allister", whose display word starts at "M"), one of the next seven
# words of the full name, after name-like words only, must start with that letter in either
# case or with a non-ASCII letter (which may fold to it), as _last_word requires; then _FAST
# is tried.
CAND_PATTERN = (
    rf"(?P<d>{UP}(?<!{_NOT_LOW}.)"
    rf"(?>(?<=[a-z].)(?:(?<=[A-Z][a-z].)|(?<=[A-Z][a-z]{{2}}.)|(?<=Vander.))|(?<=(?P<x>[A-Z]))|)"
    rf"{_NOT_LOW}*+(?:{LOW}++{_NEITHER}++{_NOT_LOW}*+)*+{LOW}++)"
    rf"(?=(?P<sfx>,? +(?:[JS]r\.|III|II|IV)) *(?P<s>{UP})| *(?P<t>{UP}|\())"
    rf"(?(x)(?=(?:,? +(?:[JS]r\.|III|II|IV))? *[^ ]++ ++"
    rf"(?:(?:{_UP_WORD}[^ ]*+|{PARTICLES}) ++){{0,6}}?(?:[^\x00-\x7f]|(?i:(?P=x))))"
    rf"(?:(?={_FAST})|))"
)
CAND = re.compile(CAND_PATTERN)
# After the first glued card, where _FAST seldom applies: the same matches, without it.
CAND_SLOW = re.compile(CAND_PATTERN.replace(_FAST, "(?P<e>)(?!)"))
# A capital followed, a word or more later, by a word with the same initial in either case
# (hovercard._no_card_before).
REPEATED_INITIAL = re.compile(r"([A-Z])(?=[^ ]*+ (?:[^ ]*+ )*?(?i:\1))")
