"""The Hill's hovercards: a person's full name and latest headlines glued into the sentence.

A scraped hovercard reads ``<display name>[ ]<full name><headline>…<headline> MORE``; the clean
text keeps the display name and what follows MORE. :func:`find` returns one span per card, from
the space after the display name (or the glued full name) through ``MORE``.

How a card is recognised, working back from each ``MORE`` that is followed by a non-letter:

* the card lies on one line, after the previous ``MORE`` of that line, within ``_WINDOW``
  characters;
* somewhere in that stretch a *display name* (its last word ``D``, optionally followed by a
  suffix such as ``Jr.``) is followed, after an optional space, by a *full name*: two or more
  name words (capitalised words, initials, particles such as ``de``, nicknames in parentheses)
  whose last word matches ``D`` (accents and case ignored, one typo allowed, two in long names);
* the full name is glued to the first headline (its last word runs straight into an upper-case
  letter, a digit, a quote, a colon, ``$``, …) or to ``MORE``. A full name followed by a space is
  only accepted when no glued one exists in the stretch (cards whose first headline is not glued);
* where candidates overlap, a spaced display name beats a glued one and the longer full name
  wins; the head of a name with an inner capital (``Mc``, ``De``, ``La``…) is never a display
  name, and a full-name word may not be two glued words.

Names and headlines are never listed: only this structure is used, so unseen people and
headlines are found the same way.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

import regex

from cleaner.families.hovercard_prefilter import (
    CAND,
    CAND_SLOW,
    GLUED_INSIDE,
    PARTICLES,
    REPEATED_INITIAL,
    SAFE_NAME,
    SAFE_NAME_SET,
    SAFE_STRETCH,
    UP_RE,
    is_name_char,
)
from cleaner.model import Span, splice
from cleaner.ruleset.registry import function_rule

_WINDOW = 2000  # longest card (name + headlines) considered, in characters
_MAX_NAME_WORDS = 8

# A MORE that can end a card: not inside a word on its right ("MOREover", "MORE2").
_MORE = regex.compile(r"MORE(?![\p{L}\p{M}\d])")
# "MORE" itself: the stdlib ``re`` finds it faster than ``str.find`` in non-Latin-1 text.
_MORE_LITERAL = re.compile("MORE")
_AFTER_MORE = frozenset(["", " ", "\n", ".", ",", ";", ":", ")", "(", "’", "'", '"', "”"])
# Where a full name may start: after the lower-case end of a display name's last word, an
# optional suffix ("Jr.") and an optional space (none when the full name is glued: "SmithJohn").
# The match starts just after that letter (found by a look-behind: 1.8x faster to scan).
_START = regex.compile(r"(?<=\p{Ll})(?:(?P<sfx>,? +(?:[JS]r\.|III|II|IV)) *\p{Lu}| *[\p{Lu}(])")
# One word of a full name (followed by a space in the text). A longer word with a period
# ("Bell.") ends a sentence: only initials and short abbreviations ("Wm.") carry one.
_NAME_WORD = regex.compile(
    r"(?:\p{Lu}[\p{L}\p{M}'’-]*|\p{Lu}[\p{L}\p{M}]{1,2}\.|\p{Lu}\.(?:\p{Lu}\.)*"
    r"|\([\p{Lu}][\p{L}\p{M}'’. -]{0,24}\)"
    r"|[“\"‘'][\p{Lu}][\p{L}\p{M}. -]{0,20}[”\"’']"
    rf"|(?:{PARTICLES}))"
)
# What may follow the full name's last word when it is glued to the first headline.
_GLUE = regex.compile(r"[\p{Lu}\d\"'“‘:$(#\[¿¡]")
# Heads of names with an inner capital ("McAllister", "DeLuca"): never a whole display name.
_CAMEL_PREFIXES = frozenset("Mc Mac De Del Di Da Du La Le Lo Van Von Vander St O’ O' D’ D'".split())
#: the ASCII characters for which :func:`is_name_char` holds
_ASCII_NAME_CHARS = frozenset(c for c in map(chr, range(128)) if c.isalpha() or c in "'-")
_SUFFIX = regex.compile(r",?\ +(?:Jr\.|Sr\.|III|II|IV)(?![\p{Ll}])")
_SFX_1 = frozenset(" JSI")  # the second character of a _SUFFIX match


@lru_cache(maxsize=4096)
def _fold(s: str) -> str:
    """Case- and accent-insensitive form of a name word."""
    if s.isascii():
        return s.casefold()
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _close(a: str, b: str) -> bool:
    """``a`` and ``b`` are the same name up to accents, case and one typo (two when long)."""
    if a == b:
        return True
    a, b = _fold(a), _fold(b)
    if a == b:
        return True
    limit = 1 if min(len(a), len(b)) < 9 else 2
    if abs(len(a) - len(b)) > limit or min(len(a), len(b)) < 4 or a[0] != b[0]:
        return False
    # Edit distance with adjacent transpositions ("Varsney"), stopped once past the limit, on
    # what is left once the common prefix and suffix are set aside (the same distance).
    i, n = 1, min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    j, n = 0, n - i
    while j < n and a[-1 - j] == b[-1 - j]:
        j += 1
    a, b = a[i : len(a) - j], b[i : len(b) - j]
    if not a or not b:
        return len(a) + len(b) <= limit
    if limit == 1 and (len(a) != len(b) or len(a) > 2):
        return False  # first and last letters differ: one edit is a substitution or a swap
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            cur.append(cost)
        if min(cur) > limit:
            return False
        before, prev = prev, cur
    return prev[-1] <= limit


@lru_cache(maxsize=16384)
def _last_word(word: str, d: str) -> tuple[int, bool] | None:
    """Where a full name's last word matching ``d`` ends in ``word`` (a word of the text, up to
    the next space) and whether it is glued to what follows; None when it does not match."""
    n = len(d)
    c = word[0]
    if c != d[0] and _fold(c) != _fold(d[0]):
        return None
    for length in (n, n - 1, n + 1, n - 2, n + 2):
        if length < 2 or length > len(word):
            continue
        if not _close(word[:length], d):
            continue
        if length == len(word):
            return length, False
        prv = word[length - 1]
        if (
            word.startswith("MORE", length)
            or (prv.islower() or prv == ".")
            and _GLUE.match(word[length])
        ):
            return length, True
    return None


@lru_cache(maxsize=16384)
def _inner_word(word: str) -> bool:
    """``word`` may stand before a full name's last word: a name word, not two glued words."""
    if _NAME_WORD.fullmatch(word) is None:
        return False
    core = word.strip("()“”\"‘’'.")
    return _display_word(core) == core  # not "VelaCal"


def _full_name(text: str, s: int, limit: int, d: str) -> tuple[int, bool] | None:
    """Parse a full name at ``s`` whose last word matches ``d``: (end, glued) or None."""
    word_end = text.find(" ", s, limit)
    if word_end < 0 or not _inner_word(text[s:word_end]):
        return None
    for _ in range(_MAX_NAME_WORDS - 1):
        pos = word_end + 1
        while pos < limit and text[pos] == " ":
            pos += 1
        if pos >= limit:
            return None
        word_end = text.find(" ", pos, limit)
        if word_end < 0:
            word_end = limit
        word = text[pos:word_end]
        hit = _last_word(word, d)
        if hit is not None:
            end, glued = pos + hit[0], hit[1]
            if not glued:
                m = _SUFFIX.match(text, end, limit) if text[end + 1 : end + 2] in _SFX_1 else None
                if m:
                    end = m.end()
                    glued = end < limit and _GLUE.match(text, end) is not None
                glued = glued or end >= limit  # MORE follows, maybe after spaces
            return end, glued
        if word_end >= limit or not _inner_word(word):
            return None
    return None


@lru_cache(maxsize=16384)
def _display_word(word: str) -> str:
    """The display name's last word in the letters before a candidate: after the last glue
    inside them ("PetrovOla" -> "Ola"), unless that is a name's inner capital ("McAllister")."""
    if word.isascii():
        rest = word[1:]
        if rest == rest.lower():
            return word  # no upper-case letter after the first: no glue inside
    for i in range(len(word) - 1, 0, -1):
        if word[i].isupper() and word[i - 1].islower():
            return word if word[:i] in _CAMEL_PREFIXES else word[i:]
    return word


class _Card(NamedTuple):
    """A candidate whose full name was read: a card, if it wins against the others."""

    start: int  # where the removal starts (after the display name or its suffix)
    name_start: int
    end: int  # the full name's end
    glued: bool  # glued to a headline or to MORE
    spaced: bool  # a space (or a suffix) between display name and full name


def _needs_exact_scan(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` holds characters the prefilter cannot read (see ``SAFE``), or
    starts inside a word (``CAND`` would not start at ``lo``)."""
    if lo and text[lo - 1] in SAFE_NAME_SET and text[lo] in SAFE_NAME_SET:
        return True
    # An ASCII stretch is safe: copying it to ask str.isascii costs a fifth of the
    # SAFE_STRETCH scan, and 70% of the stretches on news are ASCII (find() 2% faster there).
    return not text[lo:hi].isascii() and SAFE_STRETCH.fullmatch(text, lo, hi) is None


def _read(
    text: str,
    hi: int,
    display: str,
    display_end: int,
    name_start: int,
    suffix_end: int = -1,
) -> _Card | None:
    """The card a candidate starts, or None when its full name does not read as one.

    The candidate: a display name whose last word ``display`` ends at ``display_end``, maybe a
    suffix ("Jr.") ending at ``suffix_end`` (else -1), then what may be a full name at
    ``name_start``.
    """
    s = name_start
    if text[s] == "(" and not (s + 1 < hi and text[s + 1].isupper()):
        return None
    # (no display word: a letter the regex module counts as lower case, \p{Ll}, that Python's
    # older Unicode tables do not, e.g. U+16EC2)
    if not display or not display[0].isupper() or display in _CAMEL_PREFIXES:
        return None
    hit = _full_name(text, s, hi, display)
    if hit is None:
        return None
    start = display_end if suffix_end < 0 else suffix_end
    return _Card(start, s, hit[0], hit[1], suffix_end >= 0 or start < s)


def _exact_cards(text: str, lo: int, hi: int) -> list[_Card]:
    """The cards of ``text[lo:hi]``, from every _START match in it (any text), read in order
    until the first card glued to a headline. (Unlike :func:`_prefiltered_cards`, it does not
    go on to the candidates that overlap that card, so an unsafe character anywhere in the
    stretch can change which of them wins: "Sen. Ola Bell Ola Ann Bell'We AnnBudget … MORE".)
    """
    cards: list[_Card] = []
    for m in _START.finditer(text, lo, hi):
        p = m.start()
        if p == lo:
            continue  # its lower-case letter lies before the stretch
        name_start = m.end() - 1
        if name_start + 1 >= hi:
            break
        sfx_end = m.end("sfx") if m.group("sfx") else -1
        display = _display_word(text[_run_start(text, lo, p) : p])
        card = _read(text, hi, display, p, name_start, sfx_end)
        if card is not None:
            cards.append(card)
            if card.glued and card.end < hi:
                break
    return cards


def _prefiltered_cards(text: str, lo: int, hi: int) -> list[_Card]:
    """The same cards, from the prefilter's matches (``CAND``; a safe stretch only), read in
    order up to the first card glued to a headline; then only the matches that may overlap it.

    A match that starts past that card's end cannot overlap it. The matches between its display
    name and its end are found by :func:`_matches_before`, which does not search the headlines
    after it, unless :func:`_no_card_before` shows that none of them can read as a card.
    """
    cards: list[_Card] = []
    for m in CAND.finditer(text, lo, hi):
        card = _match_card(text, lo, hi, hi, m)
        if card is not None:
            cards.append(card)
            if card.glued and card.end < hi:
                break
    else:
        return cards  # no card glued to a headline
    bound, display_end = card.end, m.end()  # that card's end and its display name's end
    if not _no_card_before(text, hi, display_end, bound):
        for m in _matches_before(text, hi, display_end, bound):
            card = _match_card(text, lo, bound, hi, m)
            if card is not None:
                cards.append(card)
    return cards


def _match_card(text: str, lo: int, bound: int, hi: int, m: re.Match[str]) -> _Card | None:
    """The card of a prefilter match in ``text[lo:hi]``, or None (also when its full name
    would start at or just before ``bound``, past which no card may start)."""
    u, p = m.span()  # the display word
    s = m.start("s")  # a suffix, then the full name
    name_start = s if s >= 0 else m.start("t")
    if name_start + 1 >= bound:
        return None
    if u > lo and text[u - 1] in SAFE_NAME_SET:
        display = _display_word(_run_before(text, lo, p))
    elif s < 0 and (e := m.start("e")) >= 0:
        # _FAST read the full name, glued unless a space follows (what _read would check)
        if text[u:p] in _CAMEL_PREFIXES:
            return None
        return _Card(p, name_start, e, text[e] != " ", p < name_start)
    else:
        display = text[u:p]  # the match is the whole run and has no glue inside
    sfx_end = m.end("sfx") if s >= 0 else -1
    return _read(text, hi, display, p, name_start, sfx_end)


def _run_start(text: str, lo: int, p: int) -> int:
    """Start of the name characters before ``p`` (not before ``lo``)."""
    while p > lo:
        c = text[p - 1]
        if c in _ASCII_NAME_CHARS or not c.isascii() and is_name_char(c):
            p -= 1
        else:
            break
    return p


def _run_before(text: str, lo: int, p: int) -> str:
    """The name characters just before ``p`` (not before ``lo``), in a safe stretch."""
    run = text[max(lo, p - 32) : p]
    word = run[len(run.rstrip(SAFE_NAME)) :]
    if len(word) == 32 and p - 32 > lo:  # a longer run: walk back to its start
        word = text[_run_start(text, lo, p) : p]
    return word


def _matches_before(text: str, hi: int, pos: int, bound: int) -> Iterator[re.Match[str]]:
    """What ``CAND.finditer`` would go on to find from ``pos`` before ``bound`` (the end of the
    first glued card), without searching the headlines after it: a match starts at a capital,
    and the card search stops at one that ends in the word glued at the bound, unless a
    lower-case letter is glued to a capital or "(" inside it."""
    end = bound
    last = max(pos, text.rfind(" ", pos, end) + 1)
    if not GLUED_INSIDE.search(text, last, end - 1):
        end = last
    for u in UP_RE.finditer(text, pos, end):
        if u.start() >= pos and (m := CAND_SLOW.match(text, u.start(), hi)):
            pos = m.end()
            yield m


def _no_card_before(text: str, hi: int, pos: int, bound: int) -> bool:
    """Whether no match :func:`_matches_before` would find from ``pos`` can read as a card, so
    that it need not search: ``bound`` is the end of the first glued card, inside its last
    word (the glued word), and ``pos`` the end of its display name.

    Such a match is a display word (a capital) inside that card's full name, and its own full
    name must end in a word with the same initial, in either case or accented, a word or more
    later (:func:`_last_word`). It cannot read on past the glued word when that is no name
    word (:func:`_full_name` stops there) and does not start with a suffix, and no match
    starts inside the glued word when no lower-case letter is glued to a capital or "(" there.
    So in ASCII text, when no capital up to the glued word is followed by a word with its
    initial, there is nothing to find. On news this holds after 85% of the cards, and not
    searching there makes find() 5% faster (tests/test_hovercard.py: one shape per condition).
    """
    word_end = text.find(" ", bound, hi)
    stretch = text[pos : hi if word_end < 0 else word_end]
    if not stretch.isascii() or REPEATED_INITIAL.search(stretch):
        return False
    last = stretch.rfind(" ", 0, bound - pos) + 1  # where the glued word starts
    return _ends_every_name(stretch[last:], bound - pos - last)


@lru_cache(maxsize=4096)
def _ends_every_name(glued_word: str, glued_at: int) -> bool:
    """Whether no full name reads on past ``glued_word`` (glued to a headline at ``glued_at``)
    and no match starts inside it: it is no name word, does not start with a suffix, and no
    lower-case letter is glued to a capital or "(" in it before ``glued_at`` (cached: the same
    name and first headline recur across documents)."""
    return (
        not GLUED_INSIDE.search(glued_word, 0, glued_at - 1)
        and not _inner_word(glued_word)
        and not glued_word.startswith(("Jr.", "Sr.", "II", "IV"))
    )


def _card_start(text: str, lo: int, hi: int) -> int | None:
    """Start of the card that ends with the MORE at ``hi``, searching ``text[lo:hi]``.

    Every (display name, full name) pair is a candidate. Full names glued to a headline or to
    MORE win over the others, the earliest first; where candidates overlap (``Mc|Allister`` read
    as a glued display name, ``Dale| Rook Dale…`` read one word early) the one with a spaced
    display name, then the one whose full name ends last, is the card. No candidate that starts
    after the first glued card's end can overlap it, so the search stops there.
    """
    if _needs_exact_scan(text, lo, hi):
        cards = _exact_cards(text, lo, hi)
    else:
        cards = _prefiltered_cards(text, lo, hi)
    if not cards:
        return None
    pool = [c for c in cards if c.glued] or cards
    if len(pool) == 1:  # the usual case
        return pool[0].start
    group = [c for c in pool if c.name_start < pool[0].end]
    best = (
        group[0] if len(group) == 1 else max(group, key=lambda c: (c.spaced, c.end, -c.name_start))
    )
    return best.start


def _find_once(text: str, pos: int = 0) -> tuple[list[tuple[int, int]], int]:
    """One pass: the card ending at each MORE, searched back to the previous MORE; and the
    number of MOREs."""
    spans: list[tuple[int, int]] = []
    count = 0
    prev = 0  # end of the previous MORE: a card never spans two
    for m in _MORE_LITERAL.finditer(text, pos):  # pos: where to look from (the first MORE)
        more, end = m.span()
        # _MORE only when the next character is not a usual one after MORE
        if text[end : end + 1] not in _AFTER_MORE and not _MORE.match(text, more):
            continue
        count += 1
        lo = max(prev, more - _WINDOW)
        lo = max(lo, text.rfind("\n", lo, more) + 1)
        prev = end
        hi = more
        while hi > lo and text[hi - 1] == " ":
            hi -= 1
        start = _card_start(text, lo, hi)
        if start is not None:
            spans.append((start, end))
    return spans, count


def _offsets_back(removed: list[tuple[int, int]]) -> Callable[[int], int]:
    """For a text with the sorted spans ``removed`` cut out: the input offset of the character
    at an offset of the cut text (one bisect over the spans, not a list of every offset)."""
    starts: list[int] = []  # where each span was, in the cut text
    before: list[int] = [0]  # how much the spans before it removed
    for start, end in removed:
        starts.append(start - before[-1])
        before.append(before[-1] + end - start)

    def to_input(offset: int) -> int:
        return offset + before[bisect_right(starts, offset)]

    return to_input


@function_rule
def find(text: str) -> list[Span]:
    """Spans of hovercards in ``text``, each to be removed whole.

    Removing a card can join the text before it to a later MORE that found no card in its own
    stretch; the search is repeated on the cleaned text until nothing changes, so that cleaning
    twice gives the same text as cleaning once. A card found only then is mapped back to the
    input and merged with the cards it encloses.
    """
    first = _MORE_LITERAL.search(text)
    if first is None:
        return []
    spans, count = _find_once(text, first.start())
    for _ in range(8):
        if not spans or len(spans) == count:
            break  # no MORE is left in the cleaned text (a join never makes one)
        cleaned = splice(text, [(start, end, "") for start, end in spans])
        more, count = _find_once(cleaned)
        if not more:
            break
        to_input = _offsets_back(spans)
        for start, end in more:
            # start: just after the kept character before it (so removed cards there join)
            spans.append((to_input(start - 1) + 1 if start else 0, to_input(end - 1) + 1))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        spans, count = merged, -1
    return [(start, end, "") for start, end in spans]
