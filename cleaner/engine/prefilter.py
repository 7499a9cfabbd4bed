"""Literal prefilter (RE2/Hyperscan style): from a ``replace`` rule's pattern, derive when the
rules load a set of literals at least one of which occurs in every text the pattern matches in.
When that set is more selective than the declared triggers (``\\bthe zq12x\\b`` with trigger
``the`` gives ``the zq12x``), the engine gates the rule on it instead: the scan then skips the
rule wherever the literal is absent.

Sound by construction, or no derivation at all (the declared triggers stay):

* a concatenation requires its most selective factor: a run of adjacent literal pieces (the
  exact strings of literals, small classes and alternations, multiplied out while small), or
  one piece's own requirement; zero-width pieces (anchors, lookarounds) leave a run unbroken;
* an alternation requires the union of its branches' sets; a piece repeated at least once its
  own set; an optional piece, a backreference, a conditional, a negative lookaround nothing;
* a positive lookaround requires its set *in the text near the match*: the engine's gates mean
  presence anywhere in the document, so that is as good as a literal in the match;
* ``ignore_case`` rules get case-insensitive literals (the engine gates them so);
* patterns are read with the stdlib parser, only where ``re`` and ``regex`` (V0) read them the
  same way: anything ``re`` rejects, ``regex``-only syntax (:data:`REFUSED`: nested sets, set
  operations, fuzzy ``{e<=1}`` that ``re`` reads as a literal brace...), a flag other than
  :data:`HANDLED_FLAGS`, or an inline ``(?i)`` in a rule without ``ignore_case`` keep the
  triggers.
"""

from __future__ import annotations

import re
import warnings
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from cleaner.model import Rule

#: syntax ``regex`` reads otherwise than ``re`` (or that ``re`` might parse as literals);
#: nested sets and set operations are refused anywhere, not only inside a class
REFUSED = (
    "[:", "\\p", "\\P", "\\X", "\\N{", "\\K", "\\m", "\\M", "\\G", "(?|", "{e", "(?V",
    "(?r", "\\L<", "[[", "[^[", "--", "&&", "~~", "||",
)  # fmt: skip
#: flags whose meaning for literals is handled (IGNORECASE only in ``ignore_case`` rules)
HANDLED_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.VERBOSE | re.ASCII
#: the most strings an exact set holds (classes, alternations and runs multiplied out)
LIMIT = 16
#: the most copies of a piece multiplied out for ``x{n}``
MAX_COPIES = 64
#: a brace that is not escaped and does not start a plain ``{m,n}`` quantifier
_ODD_BRACE = re.compile(r"(?<!\\)(?:\\\\)*\{(?!\d+(?:,\d*)?\}|,\d+\})")

_SURROGATE = re.compile(r"[\ud800-\udfff]")

Strings = frozenset[str]


class Refused(Exception):
    """The pattern uses something the derivation does not read the way ``regex`` does."""


def gate_literals(rule: Rule) -> tuple[str, ...]:
    """The literals the engine gates ``rule`` on: those derived from its pattern when they are
    more selective than its triggers (longer shortest literal), else its triggers. Only plain
    ``replace`` rules: a ``starts_before_trigger`` rule needs its triggers' positions."""
    if rule.kind != "replace" or rule.pattern is None or rule.starts_before_trigger is not None:
        return rule.trigger
    derived = required_literals(rule.pattern, rule.ignore_case)
    if derived is None:
        return rule.trigger
    if rule.trigger and min(map(len, derived)) <= min(map(len, rule.trigger)):
        return rule.trigger
    return derived


def required_literals(pattern: str, ignore_case: bool = False) -> tuple[str, ...] | None:
    """Literals one of which occurs in any text ``pattern`` matches in (case-insensitively when
    ``ignore_case``), or ``None`` when there are none or the pattern is refused."""
    try:
        tree = _parse(pattern, ignore_case)
        best = _sequence(list(tree.data), ignore_case)[1]
    except Refused:
        return None
    if not best or any(_SURROGATE.search(s) for s in best):
        return None  # (no scan can hold a lone surrogate: no text holds one by then)
    # a literal that contains another adds nothing: where it occurs, the other does too
    return tuple(sorted(s for s in best if not any(t != s and t in s for t in best)))


def _parse(pattern: str, ignore_case: bool):
    tree = read_as_re(pattern, re.IGNORECASE if ignore_case else 0)
    _check_flags(tree.state.flags, ignore_case)
    return tree


def read_as_re(pattern: str, flags: int = 0):
    """The stdlib parser's tree of ``pattern``, only where ``re`` and ``regex`` (V0) read it
    the same way (see :data:`REFUSED`); else :class:`Refused`. Also what
    :mod:`cleaner.engine.cost` reads."""
    if any(s in pattern for s in REFUSED) or _ODD_BRACE.search(pattern):
        raise Refused  # (``re`` reads ``{e<=1}`` as literal text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (FutureWarning: possible nested set)
            return _parser.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        raise Refused from exc


def _check_flags(flags: int, ignore_case: bool) -> None:
    if flags & ~HANDLED_FLAGS or (flags & re.IGNORECASE and not ignore_case):
        raise Refused


def _best(sets: list[Strings | None]) -> Strings | None:
    """The most selective set: longest shortest literal, then fewest literals."""
    ok = [s for s in sets if s and "" not in s]
    return max(ok, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _product(a: Strings, b: Strings) -> Strings | None:
    if len(a) * len(b) > LIMIT:
        return None
    return frozenset(x + y for x in a for y in b)


def _sequence(items: list, ci: bool) -> tuple[Strings | None, Strings | None]:
    """(exact, required) of a concatenation: the strings it matches when they are few (else
    ``None``), and the most selective literal set one of which any match needs."""
    factors: list[Strings | None] = []
    run: Strings = frozenset({""})
    exact = True
    for op, av in items:
        if op is sre.AT or op is sre.ASSERT_NOT:
            continue  # zero width: the run goes on
        if op is sre.ASSERT:  # zero width, and its own content is in the text
            factors.append(_sequence(list(av[1]), ci)[1])
            continue
        ex, req = _node(op, av, ci)
        if ex is not None:
            joined = _product(run, ex)
            if joined is not None:
                run = joined
                continue
            factors.append(run)
            run = ex
        else:
            factors.append(run)
            factors.append(req)
            run = frozenset({""})
        exact = False
    factors.append(run)
    return (run if exact else None), _best(factors)


def _node(op, av, ci: bool) -> tuple[Strings | None, Strings | None]:
    """(exact, required) of one consuming piece, as for :func:`_sequence`."""
    if op is sre.LITERAL:
        s = frozenset({chr(av)})
        return s, s
    if op is sre.IN:
        return _charset(av)
    if op is sre.BRANCH:
        parts = [_sequence(list(b), ci) for b in av[1]]
        return _union([e for e, _ in parts], LIMIT), _union([r for _, r in parts])
    if op is sre.SUBPATTERN:
        _, add, remove, sub = av
        _check_flags(add | (remove & ~re.IGNORECASE), ci)
        return _sequence(list(sub), ci)
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av), ci)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        ex, req = _sequence(list(sub), ci)
        if lo == 0:
            if hi == 1 and ex is not None and len(ex) < LIMIT:
                return ex | {""}, None
            return None, None
        if ex is None or lo > MAX_COPIES:
            return None, req
        first: Strings | None = ex  # any match starts with ``lo`` adjacent copies
        for _ in range(lo - 1):
            first = _product(first, ex) if first is not None else None
        if first is None:
            return None, req
        return (first if lo == hi else None), _best([first, req])
    return None, None  # any character, a backreference, a conditional...


def _union(sets: list[Strings | None], limit: int | None = None) -> Strings | None:
    """The union of alternatives' sets; ``None`` when one is (or past ``limit`` strings)."""
    out: set[str] = set()
    for s in sets:
        if s is None:
            return None
        out |= s
    return frozenset(out) if limit is None or len(out) <= limit else None


def _charset(items) -> tuple[Strings | None, Strings | None]:
    """A class of a few literal characters is an exact set; anything else matches unknowns."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < LIMIT:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:  # NEGATE, CATEGORY, a wide range
            return None, None
    if not chars or len(chars) > LIMIT:
        return None, None
    s = frozenset(chars)
    return s, s
