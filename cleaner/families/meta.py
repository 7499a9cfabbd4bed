"""Fast exact forms of page-metadata rules (rules/generic/meta.toml).

Each function equals ``finditer`` of the regex it names (tests/test_families_fast.py checks
this on generated text); a stdlib ``re`` scan lists the few places where a match can start and
the regex is tried only there (see :mod:`cleaner.families.anchored`).
"""

from __future__ import annotations

import re

import regex

from cleaner.families.anchored import find_all, spans_at
from cleaner.model import Span
from cleaner.ruleset.registry import function_rule

KEYWORD_LIST = regex.compile(
    r"\n[ \t]*+\p{Ll}[\w\x27’ \-]{0,38}, ?(?:\w[\w\x27’ \-]{0,38}, ?){8,}\w[\w\x27’ \-]{0,38},?"
    r"[ \t]*+(?=\n|\Z)",
    regex.V0,
)
# A newline whose line starts (after spaces and tabs) with a character that may be \p{Ll}: a-z
# or any non-ASCII character but some common punctuation. Lines of news text seldom do, so the
# regex above is tried on a few lines instead of at every newline.
_KEYWORD_LIST_START = re.compile(r"\n[ \t]*+[^\x00-\x60\x7b-\x7f“”‘’—–…•]")


@function_rule
def keyword_list_lines(text: str) -> list[Span]:
    """Remove keyword-list lines with their leading newline (the matches of ``KEYWORD_LIST``).

    >>> keyword_list_lines("Title\\na b, c, d, e, f, g, h, i, j, k\\nBody")
    [(5, 36, '')]
    """
    starts = (m.start() for m in _KEYWORD_LIST_START.finditer(text))
    return spans_at(KEYWORD_LIST, text, starts, "")


# not before a capitalised top-level domain ("WhiteHouse.Gov", "Example.Com")
GLUED_SENTENCE = regex.compile(
    r"\.(?=\p{Lu}\p{Ll}{1,20}[ ,;:])(?!(?:Com|Org|Net|Gov|Edu|Mil|Info|Biz|Co|Us|Uk|Io|Tv)\b)"
    r"(?<=\p{Ll}\p{Ll}\.)",
    regex.V0,
)
# A full stop, then a character that may be \p{Lu} (A-Z or non-ASCII but some punctuation), then
# one that may be \p{Ll} (a-z or the same): ~1 in 250 full stops of news text.
_GLUED_START = re.compile(r"\.[^\x00-\x40\x5b-\x7f“”‘’—–…•][^\x00-\x60\x7b-\x7f“”‘’—–…•]")


@function_rule
def glued_sentences(text: str) -> list[Span]:
    """Put a space after each full stop of ``GLUED_SENTENCE`` (a stop between two lower-case
    letters and a capitalised word: ``"community.Dr Ames"``).

    >>> glued_sentences("It rained.The vote, in the U.S.Army, was late.")
    [(9, 10, '. ')]
    """
    starts = (m.start() for m in _GLUED_START.finditer(text))
    return spans_at(GLUED_SENTENCE, text, starts, ". ")


TRUNCATION_MARKER = regex.compile(r"(?: ?[^\s…]{1,30})?…? ?\[\+\d{1,7} chars\]", regex.V0)


@function_rule
def truncation_markers(text: str) -> list[Span]:
    """Remove news-API truncation markers with the cut word before them (the matches of
    ``TRUNCATION_MARKER``).

    >>> truncation_markers("It opens in the Spr… [+2668 chars]")
    [(15, 34, '')]
    """
    starts: list[int] = []
    low = 0
    for k in find_all(text, ("[+",)):
        # a match starts at most 33 characters before its '[+' (' ', 30 characters, '…', ' '),
        # and at most one character (a space) before the cut word, which holds no space,
        # newline, tab or '…' (after the optional '…' and space before '[+')
        j = k - 1 if k and text[k - 1] == " " else k
        j = j - 1 if j and text[j - 1] == "…" else j
        lo = max(k - 33, low)
        word = max(text.rfind(c, lo, j) for c in " \n\t…") + 1
        starts.extend(range(max(lo, word - 1), k + 1))
        low = k + 1
    return spans_at(TRUNCATION_MARKER, text, starts, "")
