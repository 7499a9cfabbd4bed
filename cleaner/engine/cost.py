"""A proven bound on the work of a regex search: which calls may skip the regex time limit.

The regex module's time limit costs two system calls per call (``clock_gettime`` of the
process's CPU time): ~0.7 us, 12% of the engine's time on 400-character documents. A call may
skip it when the pattern provably cannot run long on a text of that length. The bound is the
backtracking engine's worst case, read from the pattern's structure (the stdlib parser, only
on syntax ``re`` and ``regex`` read alike; anything else gets no bound and keeps the limit):

* one attempt at a position explores, for a concatenation, each way through the pieces before
  a piece times that piece's own work; a piece that matches one character costs 1;
* an alternation's ways and work are its branches' sums; an atomic group, possessive repeat
  or look-around has one way (the engine never backtracks into it), its work is its content's;
* a repeat of at most ``m`` iterations (an unbounded one: at most ``n + 1`` on a text of ``n``
  characters) has, when its body matches one way, ``m - min + 1`` ways and ``m`` times the
  body's work; a body with several ways multiplies them per iteration (exponential: such
  patterns get a bound only when it is small); a backreference costs ``n``;
* a search tries at most ``n + 1`` positions (twice after an empty match);
* except when the pattern starts with one-character pieces and then a repeat of one character
  that the last of them cannot be (``\\n[ \\t]*``): the repeat's runs in different attempts
  never overlap (a run reaching the next attempt's last leading character would contain it),
  so all attempts together (twice at a position) take at most ``4(n + 1)`` steps in the
  repeat and try what follows it at most ``4(n + 1)`` times: a linear search, where the
  general bound is quadratic.

A call whose bound is under :data:`BUDGET` steps runs without the limit: the deadline is
checked before every call, so a document overruns it by at most one such call (~0.1 s). Such a
call runs on the stdlib ``re`` when :func:`stdlib_twin` shows ``re`` matches exactly as
``regex`` does (1.2-1.5x faster on the candidates searches, and cheaper per call).
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]

from cleaner.engine.prefilter import Refused, read_as_re

#: the most steps a call may take without the time limit (~10 ns a step)
BUDGET = 10_000_000
#: the longest text a bound is looked for (longer texts always keep the limit); bounds are
#: powers of two
LONGEST = 1 << 24
#: a Unicode property (one character, like any class) or an escaped backslash (kept): the
#: structure is the same once it is rewritten as a character, which the stdlib parser reads
_PROPERTY = re.compile(r"\\\\|\\[pP](?:\{[^}]*\}|[A-Za-z])")
#: that character (private use: see :func:`_leading_run`)
_STAND_IN = "\ue000"
_ONE_CHAR = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.AT)


class Unbounded(Exception):
    """The pattern uses something this bound does not read."""


@lru_cache(maxsize=4096)
def safe_length(pattern: str, ignore_case: bool = False, *, search: bool = True) -> int:
    """The longest text on which any search of ``pattern`` (``search=False``: one attempt, a
    ``fullmatch``) provably takes at most :data:`BUDGET` steps (0: none, or no bound)."""
    try:
        tree = _read(pattern, ignore_case)
        items = _shape(tree)
    except Unbounded:
        return 0
    run = None
    if search and not ignore_case and _STAND_IN not in pattern:
        run = _leading_run(tree)

    def fits(n: int) -> bool:
        try:
            if not search:
                return _sequence(items, n)[1] <= BUDGET
            work = search_work(items, n)
            if run is not None:
                work = min(work, run_search_work(items, run, n))
            return work <= BUDGET
        except Unbounded:
            return False

    if not fits(1):
        return 0
    lo, hi = 0, LONGEST.bit_length()  # the work grows with n: the last power of two that fits
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(1 << mid) else (lo, mid)
    return 1 << lo if lo or fits(1) else 0


def _read(pattern: str, ignore_case: bool):
    """The stdlib parser's tree of ``pattern`` (see :func:`read_as_re`), each ``\\p{..}`` read
    as one private-use character (U+E000)."""
    pattern = _PROPERTY.sub(lambda m: m.group() if m.group() == "\\\\" else _STAND_IN, pattern)
    try:
        return read_as_re(pattern, re.IGNORECASE if ignore_case else 0)
    except Refused as exc:
        raise Unbounded from exc


def _shape(items) -> tuple:
    """A concatenation as a tuple of pieces: ``k`` (an int: ``k`` one-character pieces),
    ``("atomic", seq)`` (atomic group, look-around), ``("alt", (seq, ...), conditional)``,
    ``("rep", min, max, possessive, seq)`` or ``"ref"`` (a backreference); groups are inlined."""
    out: list = []
    for op, av in items.data:  # (a SubPattern: its list, not its slow __getitem__)
        if op in _ONE_CHAR:
            if out and out[-1].__class__ is int:
                out[-1] += 1
            else:
                out.append(1)
            continue
        if op is sre.SUBPATTERN:
            out.extend(_shape(av[3]))
        elif op is sre.ATOMIC_GROUP:
            out.append(("atomic", _shape(av)))
        elif op is sre.ASSERT or op is sre.ASSERT_NOT:
            direction, sub = av
            lo, hi = sub.getwidth()
            if direction < 0 and lo != hi:
                raise Unbounded(op)  # a variable look-behind: ``regex`` reads it, ``re`` does not
            out.append(("atomic", _shape(sub)))
        elif op is sre.BRANCH:
            out.append(("alt", tuple(_shape(b) for b in av[1]), False))
        elif op is sre.GROUPREF_EXISTS:
            out.append(("alt", tuple(_shape(b) for b in av[1:] if b is not None), True))
        elif op is sre.GROUPREF:
            out.append("ref")
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            out.append(("rep", lo, hi, op is sre.POSSESSIVE_REPEAT, _shape(sub)))
        else:
            raise Unbounded(op)
    return tuple(out)


def search_work(seq: tuple, n: int) -> float:
    """Steps of a search in a text of ``n`` characters, at most: an attempt at every position,
    twice where a match is empty (``finditer`` then tries the same position once more)."""
    return 2 * (n + 1) * _sequence(seq, n)[1]


def run_search_work(seq: tuple, lead: int, n: int) -> float:
    """Steps of a search whose pattern is ``lead`` one-character pieces, a repeat of one
    character none of which the last of them matches, and the rest (see :func:`_leading_run`):
    the leading pieces at every position, the repeat's disjoint runs, the rest after each of
    the repeat's ways."""
    if seq[0] != lead or seq[1][0] != "rep":
        raise Unbounded(seq)  # (not the shape _leading_run read)
    rest = _sequence(seq[2:], n)[1]
    return 2 * (n + 1) * lead + 4 * (n + 1) * (1 + rest)


def _leading_run(tree) -> int | None:
    """How many one-character pieces the pattern (its tree, see :func:`_read`; without case
    folding) starts with, when a repeat of one character follows them whose body cannot match
    what the last of them matches; else None. Not when either piece holds a ``\\p{..}`` (whose
    characters this cannot tell: the stand-in, U+E000, which the pattern must not hold)."""
    if tree.state.flags & re.IGNORECASE:  # (an inline ``(?i)``)
        return None
    data = tree.data
    k = 0
    while k < len(data) and data[k][0] in _CHAR_PIECE:
        k += 1
    if not k or k == len(data) or data[k][0] not in _REPEAT:
        return None
    body = data[k][1][2].data
    if len(body) != 1 or body[0][0] not in _CHAR_PIECE:
        return None
    if _holds_stand_in(data[k - 1]) or _holds_stand_in(body[0]):
        return None
    dotall = bool(tree.state.flags & re.DOTALL)
    return k if _disjoint(data[k - 1], body[0], dotall) else None


def _holds_stand_in(piece: tuple) -> bool:
    op, av = piece
    if op is sre.IN:
        return any(v == 0xE000 or o is sre.RANGE and v[0] <= 0xE000 <= v[1] for o, v in av)
    return op in (sre.LITERAL, sre.NOT_LITERAL) and av == 0xE000


#: one-character pieces whose characters :func:`_member` can tell
_CHAR_PIECE = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)
_REPEAT = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
#: the most characters a piece may list for :func:`_disjoint` to try them one by one
_FEW = 256


def _disjoint(a: tuple, b: tuple, dotall: bool) -> bool:
    """Whether no character matches both one-character pieces (False when unsure)."""
    for finite, other in ((a, b), (b, a)):
        chars = _listed(finite)
        if chars is not None:
            return not any(_member(other, c, dotall) for c in chars)
    return False


def _listed(piece: tuple) -> list[str] | None:
    """Every character a piece matches, when it lists a few (a literal, a set of literals and
    ranges); else None."""
    op, av = piece
    if op is sre.LITERAL:
        return [chr(av)]
    if op is not sre.IN:
        return None
    chars: list[str] = []
    for o, v in av:
        if o is sre.LITERAL:
            chars.append(chr(v))
        elif o is sre.RANGE and v[1] - v[0] < _FEW:
            chars.extend(map(chr, range(v[0], v[1] + 1)))
        else:  # a negation, a category (``\\s``: Unicode tables), a long range
            return None
    return chars if len(chars) <= _FEW else None


def _member(piece: tuple, c: str, dotall: bool) -> bool:
    """Whether ``c`` may match the one-character piece (True when unsure: a category)."""
    op, av = piece
    if op is sre.LITERAL:
        return ord(c) == av
    if op is sre.NOT_LITERAL:
        return ord(c) != av
    if op is sre.ANY:
        return dotall or c != "\n"
    negate, found = False, False
    for o, v in av:
        if o is sre.NEGATE:
            negate = True
        elif o is sre.LITERAL:
            found = found or ord(c) == v
        elif o is sre.RANGE:
            found = found or v[0] <= ord(c) <= v[1]
        else:
            return True
    return found != negate


def _sequence(seq: tuple, n: int) -> tuple[float, float]:
    """(ways, work) of a concatenation: each way through the pieces before a piece tries it."""
    ways, work = 1.0, 0.0
    for piece in seq:
        if piece.__class__ is int:
            work += ways * piece
            continue
        w, k = _piece(piece, n)
        work += ways * k
        ways *= w
    return ways, work


def _piece(piece, n: int) -> tuple[float, float]:
    if piece == "ref":
        return 1.0, float(n + 1)
    kind = piece[0]
    if kind == "atomic":
        return 1.0, _sequence(piece[1], n)[1]
    if kind == "alt":
        parts = [_sequence(b, n) for b in piece[1]]
        ways, work = sum(w for w, _ in parts), sum(k for _, k in parts)
        return (ways or 1.0, work + 1) if piece[2] else (ways, work)
    _, lo, hi, possessive, sub = piece
    top = min(hi, n + 1)  # (each iteration but an empty last one takes a character)
    w, k = _sequence(sub, n)
    if top < lo:
        return 1.0, top * k + 1  # fails: the text ends before ``lo`` iterations
    if possessive:
        return 1.0, top * k
    if w == 1.0:
        return float(top - lo + 1), top * k + (top - lo)
    # every way of each iteration starts the next: geometric series (inf when huge)
    try:
        return w**lo * (w ** (top - lo + 1) - 1) / (w - 1), k * (w**top - 1) / (w - 1)
    except OverflowError:
        return float("inf"), float("inf")


#: what :func:`stdlib_twin` accepts: pieces whose meaning owes nothing to Unicode tables
#: (``regex`` and the stdlib may ship different versions) or to case folding
_TWIN_PIECES = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.GROUPREF)
_TWIN_AT = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING, sre.AT_END, sre.AT_END_STRING)


@lru_cache(maxsize=4096)
def stdlib_twin(pattern: str) -> re.Pattern | None:
    """``pattern`` compiled by the stdlib ``re`` when it matches exactly as ``regex`` (V0, no
    flags) does on every text: syntax both read alike (as for :func:`safe_length`), literal
    characters and explicit ranges only (no ``\\w``, ``\\d``, ``\\s``, ``\\b``, no case
    folding: their Unicode tables may differ), else None."""
    try:
        tree = read_as_re(pattern)  # (refuses ``\\p{..}``: it reads Unicode tables)
    except Refused:
        return None
    if tree.state.flags & (re.IGNORECASE | re.LOCALE) or not _plain(tree):
        return None
    try:
        return re.compile(pattern)
    except re.error:  # (a variable-width look-behind: only ``regex`` reads it)
        return None


def _plain(items) -> bool:
    """Whether the parsed pieces use only what :func:`stdlib_twin` accepts."""
    for op, av in items.data:
        if op in _TWIN_PIECES:
            continue
        if op is sre.IN:
            if any(o is sre.CATEGORY for o, _ in av):
                return False
        elif op is sre.AT:
            if av not in _TWIN_AT:
                return False
        elif op is sre.SUBPATTERN:
            if av[1] or av[2] or not _plain(av[3]):  # (no inline flags)
                return False
        elif op is sre.ATOMIC_GROUP:
            if not _plain(av):
                return False
        elif op is sre.ASSERT or op is sre.ASSERT_NOT:
            if not _plain(av[1]):
                return False
        elif op is sre.BRANCH:
            if not all(_plain(b) for b in av[1]):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if not _plain(av[2]):
                return False
        elif op is sre.GROUPREF_EXISTS:
            if not all(_plain(b) for b in av[1:] if b is not None):
                return False
        else:
            return False
    return True
