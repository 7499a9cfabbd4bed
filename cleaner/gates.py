"""Trigger gates: how the engine learns, at memchr or Aho-Corasick speed, which rules can apply
to a text and on which lines (see :mod:`cleaner.engine`)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable

import regex

from cleaner.model import Rule


def trigger_gates(rule: Rule) -> tuple[str, ...]:
    """The literals whose presence lets ``rule`` run (with case variants for ignore_case)."""
    gates: list[str] = []
    for t in rule.trigger:
        variants = (t,)
        if rule.ignore_case:
            variants = (t, t.lower(), t.upper(), t.title(), t.capitalize())
        gates.extend(v for v in variants if v not in gates)
    return tuple(gates)


#: a gate: a trigger literal, or for ``ignore_case`` rules the trigger as a case-insensitive
#: literal pattern (exact for every case variant, and 2-4x faster than scanning for variants)
Gate = str | regex.Pattern


#: a gate probe: a literal tested with ``in`` (memchr speed for one character), or the bound
#: ``search`` of a stdlib ``re`` literal pattern, 1.5-3x faster than ``in`` on multi-character
#: literals in news text, except those that start with a space (measured: benchmarks/)
Probe = str | Callable[[str], object]


def gate_probes(gates: Iterable[Gate], ids: dict[str, int] | None = None) -> tuple[Probe, ...]:
    """How to test each gate fastest (see :data:`Probe`). With ``ids`` (a shared multi-literal
    scan, see :class:`Scan`), every multi-character literal becomes its id in that scan."""
    probes: list[Probe] = []
    for g in gates:
        if not isinstance(g, str):
            probes.append(g.search)
        elif len(g) == 1:
            probes.append(g)
        elif ids is not None:
            probes.append(ids.setdefault(g, len(ids)))  # free once the stage is scanned
        elif g[0] == " ":
            probes.append(g)
        else:
            probes.append(re.compile(re.escape(g)).search)
    return tuple(probes)


def scanned(g: str) -> bool:
    """Whether the literal ``g`` counts towards the engine's ``MULTI_LITERAL_MIN`` (a scan is
    worth it for the literals that ``in`` does not find at memchr speed)."""
    return len(g) > 1 and g[0] != " "


class Scan:
    """One Aho-Corasick pass (``ahocorasick_rs``) that finds where many literals occur,
    instead of one scan per literal; rescanned only when the text changes."""

    def __init__(self, automaton):
        self.automaton = automaton
        self.text: str | None = None
        self.hits: list[tuple[int, int, int]] = []
        self.found: set[int] = set()
        self.stale = False  # ``found`` is right for ``text`` but ``hits`` are not kept

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """``(id, start, end)`` of every occurrence of a literal in ``text`` (overlapping)."""
        if text is not self.text or self.stale:
            self.hits = self.automaton.find_matches_as_indexes(text, overlapping=True)
            self.stale = False
            self.found = {m[0] for m in self.hits}
            self.text = text
        return self.hits

    def without_lines(self, text: str, removed: list[tuple[int, int, str, str]]) -> None:
        """Take ``text``, the scanned text with the whole lines ``removed`` (sorted spans): the
        literals left are those found outside them (none has a newline, so none lies across
        lines and none can appear where lines were joined). Their positions are not kept."""
        found: set[int] = set()
        starts = [r[0] for r in removed]
        for sid, pos, _ in self.hits:
            if sid not in found:
                k = bisect_right(starts, pos) - 1
                if k < 0 or pos >= removed[k][1]:
                    found.add(sid)
        self.found = found
        self.hits = []
        self.text = text
        self.stale = True

    def present(self, text: str) -> set[int]:
        """Ids of the literals that occur in ``text``."""
        if text is not self.text:
            self.matches(text)
        return self.found


def multi_literal_available() -> bool:
    try:
        import ahocorasick_rs  # noqa: F401
    except ImportError:
        return False
    return True


def rule_gates(rule: Rule) -> tuple[tuple[Gate, ...], tuple[Gate, ...]]:
    """The rule's gates, and those that can occur in ASCII text."""
    if rule.ignore_case:
        flags = regex.IGNORECASE | regex.V0
        pats = tuple(regex.compile(regex.escape(t), flags) for t in dict.fromkeys(rule.trigger))
        return pats, pats  # a non-ASCII literal may match ASCII text case-insensitively
    gates = tuple(dict.fromkeys(rule.trigger))
    return gates, tuple(g for g in gates if g.isascii())


def gate_finders(gates: Iterable[Gate]) -> tuple[Gate, ...]:
    """Like :func:`gate_probes`, as things :func:`find_gate` can locate: a literal for ``find``,
    or a compiled literal pattern."""
    return tuple(
        g if not isinstance(g, str) or len(g) == 1 or g[0] == " " else re.compile(re.escape(g))
        for g in gates
    )


def find_gate(gate, text: str, pos: int) -> int:
    """Offset of the first occurrence of ``gate`` in ``text`` at or after ``pos``, or -1."""
    if gate.__class__ is str:
        return text.find(gate, pos)
    m = gate.search(text, pos)
    return m.start() if m else -1


def gate_open(probes: tuple[Probe, ...], text: str, scan: Scan | None = None) -> bool:
    """Whether one of the gate literals occurs in ``text``."""
    for p in probes:
        c = p.__class__
        if c is str:
            if p in text:
                return True
        elif c is int:
            if p in scan.present(text):
                return True
        elif p(text) is not None:
            return True
    return False


def patterns_only(gates: tuple[Gate, ...]) -> tuple[Gate, ...]:
    return tuple(g for g in gates if not isinstance(g, str))


def finders_by_mask(gates_per_rule: Iterable[tuple[Gate, ...]]) -> tuple[tuple[Gate, int], ...]:
    """Each distinct gate as a :func:`find_gate` finder, with the mask of the rules it opens."""
    masks: dict[Gate, int] = {}
    for i, gates in enumerate(gates_per_rule):
        for g in gates:
            masks[g] = masks.get(g, 0) | 1 << i
    return tuple(zip(gate_finders(masks), masks.values(), strict=True))
