"""Catastrophic backtracking: a static check of a pattern's parse tree plus timed probes.

The static check walks the ``re`` parse tree (regex-module escapes such as ``\\p{Lu}`` are
approximated first) and flags a repeated group whose body can split the same text in more than
one way: a nested unbounded quantifier whose neighbours are optional or share its characters
(``(\\s*\\w+)*``, ``(\\w+\\s?)+``). Overlapping alternatives inside a repeat (``(a|aa)+``) are
flagged when a timed probe confirms them. Probes run the compiled pattern on pumped strings
(one character repeated, then a character that makes the match fail) under a regex timeout,
then on a few hundred near-matches generated from the pattern itself (seeded by the pattern, so
the verdict is reproducible): they find blow-ups that need several characters mixed.
"""

from __future__ import annotations

import string
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import regex

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:  # Python 3.11+
        # private modules (the same as sre_* before 3.11): typeshed has no stubs for them
        from re import _constants as C  # type: ignore[attr-defined]  # noqa: N812
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover
        import sre_constants as C  # noqa: N812
        import sre_parse

#: Characters the set arithmetic works on: ASCII plus a few common non-ASCII letters and marks.
UNIVERSE = string.printable + "\xa0éÉßЖж中’“”—–\u200b"
PUMP_LENGTH = 30
PROBE_TIMEOUT = 0.1
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT}
_UNBOUNDED = 16  # a max above this counts as unbounded for pumping


@dataclass(frozen=True, slots=True)
class Finding:
    """A pattern that backtracks catastrophically (or may): why, and a probe that shows it."""

    reason: str
    probe: str | None = None  # the input that hit the time limit, when one did

    def __str__(self) -> str:
        if self.probe is None:
            return self.reason
        return f"{self.reason}; timed out on {self.probe!r}"


def analyze(
    pattern: str, ignore_case: bool = False, timeout: float = PROBE_TIMEOUT
) -> list[Finding]:
    """Every backtracking problem found in ``pattern`` (empty when it looks safe)."""
    flags = regex.V0 | (regex.IGNORECASE if ignore_case else 0)
    compiled = regex.compile(pattern, flags)
    static, suspects, pumps = _static(pattern, ignore_case)
    probe = _probe(compiled, pumps + list(_literal_chars(pattern)), timeout)
    if probe is None and not static:
        probe = _generated_probe(pattern, compiled, ignore_case, timeout)
    out = [Finding(reason, probe) for reason in static]
    if probe is not None and not out:
        why = suspects[0] if suspects else "the pattern backtracks catastrophically"
        out.append(Finding(why, probe))
    return out


def _probe(compiled: regex.Pattern, chars: list[str], timeout: float) -> str | None:
    tried = set()
    for c in [*chars, "a", "A", "1", " ", ".", "-", "'"]:
        if c in tried or len(c) != 1:
            continue
        tried.add(c)
        for text in (c * PUMP_LENGTH + "\x00", c * PUMP_LENGTH, (c + " ") * (PUMP_LENGTH // 2)):
            try:
                compiled.search(text, timeout=timeout)
            except TimeoutError:
                return text
    return None


#: inputs shaped like the pattern that :func:`_generated_probe` tries (seeded by the pattern)
GENERATED_PROBES = 400
_POOL = UNIVERSE.replace("\x0b", "").replace("\x0c", "") + "»›•·…"


def _generated_probe(
    pattern: str, compiled: regex.Pattern, ignore_case: bool, timeout: float
) -> str | None:
    """An input that times out among random near-matches: strings built by walking the
    pattern's parse tree (each repeat taken a random number of times), then ended with a
    character that makes the match fail. Finds blow-ups whose shape needs several characters
    mixed (a crumb menu of tabs, spaces and separators), which one-character pumps miss."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = list(sre_parse.parse(approximate(pattern), 2 if ignore_case else 0))
    except Exception:  # noqa: BLE001 - regex-only syntax the approximation cannot express
        return None
    import random

    rnd = random.Random(pattern)
    classes: dict[int, list[str]] = {}
    for _ in range(GENERATED_PROBES):
        out: list[str] = []
        _generate(tree, rnd, out, classes)
        text = "".join(out) + rnd.choice(["\x00", "!", "", "\n"])
        try:
            compiled.fullmatch(text, timeout=timeout)
            compiled.search(text, timeout=timeout)
        except TimeoutError:
            return text
    return None


def _generate(items, rnd, out: list[str], classes: dict[int, list[str]]) -> None:
    """Append a random string that follows ``items`` (an ``re`` parse tree) to ``out``;
    ``classes`` caches the pool characters each class admits."""
    for op, av in items:
        if op == C.LITERAL:
            out.append(chr(av))
        elif op in (C.NOT_LITERAL, C.ANY, C.IN, C.CATEGORY):
            choices = classes.get(id(av))
            if choices is None:
                test = _atom_test(op, av) if op != C.CATEGORY else _CATEGORIES.get(str(av))
                choices = classes[id(av)] = [c for c in _POOL if test(c)] if test else []
            if choices:
                out.append(rnd.choice(choices))
        elif op == C.BRANCH:
            _generate(rnd.choice(av[1]), rnd, out, classes)
        elif op == C.SUBPATTERN:
            _generate(av[-1], rnd, out, classes)
        elif op == C.ATOMIC_GROUP:
            _generate(av, rnd, out, classes)
        elif op in (*_REPEATS, C.POSSESSIVE_REPEAT):
            lo, hi, body = av
            top = min(hi, lo + 12)
            for _ in range(rnd.choice([lo, lo, top, rnd.randint(lo, top)])):
                _generate(body, rnd, out, classes)
        # anchors, look-arounds and back references add nothing


def _literal_chars(pattern: str) -> set[str]:
    return {ch for ch in pattern if ch.isalnum() or ch in " ,.:;-'\""}


# --------------------------------------------------------------------------------------------
# static analysis over the re parse tree

_ESCAPES = regex.compile(r"\\[pP]\{([^}]*)\}|\\N\{[^}]*\}|\\[XR]|\\.|\[|\]")
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0410-\u042f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0430-\u044f"
_PROPS = {"lu": _UPPER, "ll": _LOWER, "n": "0-9", "nd": "0-9"}


def approximate(pattern: str) -> str:
    """``pattern`` in ``re`` syntax: regex-only escapes (``\\p{Lu}``...) become close classes."""
    out: list[str] = []
    depth = 0
    pos = 0
    for m in _ESCAPES.finditer(pattern):
        out.append(pattern[pos : m.start()])
        pos = m.end()
        tok = m.group()
        if tok == "[":
            depth += 1
        elif tok == "]" and depth:
            depth -= 1
        if m.group(1) is None:
            if tok.startswith(("\\N", "\\X", "\\R")):
                tok = "\\w" if depth else "[\\w\\n]"
            out.append(tok)
            continue
        name = m.group(1).split("=")[-1].casefold().replace("_", "")
        ranges = _PROPS.get(name, _UPPER + _LOWER if name.startswith("l") or "alpha" in name
                            else "\\w")  # fmt: skip
        if tok.startswith("\\P"):
            out.append("\\W" if depth else f"[^{ranges}]")
        else:
            out.append(ranges if depth else f"[{ranges}]")
    out.append(pattern[pos:])
    return "".join(out)


def _static(pattern: str, ignore_case: bool) -> tuple[list[str], list[str], list[str]]:
    """(reasons to report, reasons to report when a probe confirms, chars worth pumping)."""
    approx = approximate(pattern)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = sre_parse.parse(approx, 2 if ignore_case else 0)  # 2 == re.IGNORECASE
    except Exception:  # noqa: BLE001 - regex-only syntax: fall back to the timed probes
        return [], [], []
    walker = _Walker(ignore_case)
    walker.walk(list(tree))
    return walker.nested, walker.suspects, sorted(walker.pumps)


class _Walker:
    def __init__(self, ignore_case: bool):
        self.icase = ignore_case
        self.nested: list[str] = []
        self.suspects: list[str] = []
        self.pumps: set[str] = set()

    def walk(self, items: list) -> None:
        for op, av in items:
            if op in _REPEATS:
                lo, hi, body = av
                body = list(body)
                if hi > 1:
                    found = self._check_repeat(body)
                    # a bounded outer repeat ({0,3}) cannot blow up exponentially with the
                    # input's length: report it only when a timed probe confirms it
                    if found and hi > _UNBOUNDED and not found.startswith("overlapping"):
                        self.nested.append(found)
                    elif found:
                        self.suspects.append(found)
                self.walk(body)
            elif op == C.SUBPATTERN:
                self.walk(list(av[-1]))
            elif op == C.BRANCH:
                for alt in av[1]:
                    self.walk(list(alt))
            elif op in (C.ASSERT, C.ASSERT_NOT):
                self.walk(list(av[1]))
            # POSSESSIVE_REPEAT and ATOMIC_GROUP never backtrack into their body: skip them.

    def _check_repeat(self, body: list) -> str | None:
        """Why the repeated ``body`` can split one text in many ways, or None."""
        seq = _flatten(body)
        if self._delimited(seq):
            return None
        for i, (op, av) in enumerate(seq):
            if not self._pumpable(op, av):
                continue
            inner = self.repeat_chars([(op, av)])
            others = seq[:i] + seq[i + 1 :]
            if all(self.nullable([o]) or self.chars([o]) & inner for o in others):
                self.pumps.update(c for c in inner if c.isprintable())
                return (f"nested quantifier: {_show(op, av)} repeats inside a repeated group "
                        "whose other parts are optional or match the same characters, so one "
                        "text splits in exponentially many ways")  # fmt: skip
        for i, (op, av) in enumerate(seq):
            if op in (C.AT, C.ASSERT, C.ASSERT_NOT) or not self.nullable([(op, av)]):
                continue
            optional = self.chars([(op, av)])
            common = optional & self.chars(seq[:i] + seq[i + 1 :])
            if common:
                self.pumps.update(c for c in common if c.isprintable())
                return ("ambiguous repeat: an optional part of a repeated group matches "
                        f"{sorted(common)[0]!r}, as does the rest of the group, so one text "
                        "splits in exponentially many ways")  # fmt: skip
        branches = _branches(seq)
        if branches:
            firsts = [self.first([*b, *seq[1:]]) for b in branches]
            for a in range(len(firsts)):
                for b in range(a + 1, len(firsts)):
                    common = firsts[a] & firsts[b]
                    if common:
                        self.pumps.update(c for c in common if c.isprintable())
                        return (
                            "overlapping alternatives inside a repeated group: two "
                            f"branches can both start with {sorted(common)[0]!r}"
                        )
        return None

    def _delimited(self, seq: list) -> bool:
        """A required part whose characters no other part can match fixes where each
        iteration ends (`` \\w+`` in ``(?: \\w+)*``): the repeat cannot split text two ways."""
        for i, item in enumerate(seq):
            if item[0] not in (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY):
                continue  # only a single required character marks a boundary
            own = self.chars([item])
            if own and not own & self.chars(seq[:i] + seq[i + 1 :]):
                return True
        return False

    def repeat_chars(self, items: list) -> set[str]:
        """The characters of the unbounded repeats inside ``items``."""
        out: set[str] = set()
        for op, av in items:
            if op in _REPEATS and av[1] > _UNBOUNDED:
                out |= self.chars(list(av[2]))
            elif op in _REPEATS:
                out |= self.repeat_chars(list(av[2]))
            elif op == C.SUBPATTERN:
                out |= self.repeat_chars(list(av[-1]))
            elif op == C.BRANCH:
                for b in av[1]:
                    out |= self.repeat_chars(list(b))
        return out

    def _pumpable(self, op, av) -> bool:
        if op in _REPEATS:
            return av[1] > _UNBOUNDED or self._contains_repeat(list(av[2]))
        if op == C.SUBPATTERN:
            return self._contains_repeat(list(av[-1]))
        if op == C.BRANCH:
            return any(self._contains_repeat(list(b)) for b in av[1])
        return False

    def _contains_repeat(self, items: list) -> bool:
        for op, av in items:
            if op in _REPEATS and av[1] > _UNBOUNDED:
                return True
            if self._pumpable(op, av):
                return True
        return False

    def nullable(self, items: list) -> bool:
        for op, av in items:
            if op in _REPEATS:
                if av[0] > 0 and not self.nullable(list(av[2])):
                    return False
            elif op == C.SUBPATTERN:
                if not self.nullable(list(av[-1])):
                    return False
            elif op == C.BRANCH:
                if not any(self.nullable(list(b)) for b in av[1]):
                    return False
            elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue
            else:
                return False
        return True

    def chars(self, items: list) -> set[str]:
        """Every universe character the items can consume anywhere."""
        out: set[str] = set()
        for op, av in items:
            if op in _REPEATS:
                out |= self.chars(list(av[2]))
            elif op == C.SUBPATTERN:
                out |= self.chars(list(av[-1]))
            elif op == C.BRANCH:
                for b in av[1]:
                    out |= self.chars(list(b))
            else:
                out |= self._atom(op, av)
        return out

    def first(self, items: list) -> set[str]:
        """Universe characters a match of the sequence can start with."""
        out: set[str] = set()
        for op, av in items:
            if op in _REPEATS:
                out |= self.first(list(av[2]))
            elif op == C.SUBPATTERN:
                out |= self.first(list(av[-1]))
            elif op == C.BRANCH:
                for b in av[1]:
                    out |= self.first(list(b))
            elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue
            else:
                out |= self._atom(op, av)
            if not self.nullable([(op, av)]):
                break
        return out

    def _atom(self, op, av) -> set[str]:
        test = _atom_test(op, av)
        if test is None:
            return set()
        if self.icase:
            return {c for c in UNIVERSE if any(len(v) == 1 and test(v) for v in _cases(c))}
        return {c for c in UNIVERSE if test(c)}


def _cases(c: str) -> tuple[str, ...]:
    return (c, c.lower(), c.upper())


def _atom_test(op, av) -> Callable[[str], bool] | None:
    if op == C.LITERAL:
        return lambda c: ord(c) == av
    if op == C.NOT_LITERAL:
        return lambda c: ord(c) != av
    if op == C.ANY:
        return lambda c: c != "\n"
    if op == C.IN:
        return lambda c: _in_set(c, av)
    return None


_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_NOT_DIGIT": lambda c: not c.isdigit(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda c: not c.isspace(),
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
    "CATEGORY_NOT_WORD": lambda c: not (c.isalnum() or c == "_"),
}


def _in_set(c: str, items) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op == C.NEGATE:
            negate = True
        elif op == C.LITERAL:
            hit |= ord(c) == av
        elif op == C.RANGE:
            hit |= av[0] <= ord(c) <= av[1]
        elif op == C.CATEGORY:
            test = _CATEGORIES.get(str(av))
            hit |= bool(test and test(c))
    return hit != negate


def _flatten(body: list) -> list:
    """A repeat body as a sequence: a lone non-capturing or capturing group is opened."""
    while len(body) == 1 and body[0][0] == C.SUBPATTERN:
        body = list(body[0][1][-1])
    return body


def _branches(seq: list) -> list[list]:
    if seq and seq[0][0] == C.BRANCH:
        return [list(b) for b in seq[0][1][1]]
    if seq and seq[0][0] == C.SUBPATTERN:
        inner = _flatten([seq[0]])
        if inner and inner[0][0] == C.BRANCH:
            return [list(b) for b in inner[0][1][1]]
    return []


def _show(op, av) -> str:
    if op in _REPEATS:
        lo, hi, _ = av
        q = {(0, C.MAXREPEAT): "*", (1, C.MAXREPEAT): "+"}.get((lo, hi), f"{{{lo},{hi}}}")
        return f"a '{q}' quantifier"
    return "a group with a quantifier"
