"""Trigger gates: how the engine learns, at memchr or Aho-Corasick speed, which rules can apply
to a text and on which lines (see :mod:`cleaner.engine.run`)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import TypeAlias

import regex

from cleaner.model import Rule


def trigger_gates(rule: Rule) -> tuple[str, ...]:
    """The literals whose presence lets ``rule`` run (with case variants for ignore_case)."""
    gates: list[str] = []
    for t in rule.trigger:
        variants: tuple[str, ...] = (t,)
        if rule.ignore_case:
            variants = (t, t.lower(), t.upper(), t.title(), t.capitalize())
        gates.extend(v for v in variants if v not in gates)
    return tuple(gates)


#: a gate: a trigger literal, or for ``ignore_case`` rules the trigger as a case-insensitive
#: literal pattern (exact for every case variant, and 2-4x faster than scanning for variants)
Gate: TypeAlias = str | regex.Pattern


#: a gate probe: a literal tested with ``in`` (memchr speed for one character), or the bound
#: ``search`` of a stdlib ``re`` literal pattern, 1.5-3x faster than ``in`` on multi-character
#: literals in news text, except those that start with a space (measured: benchmarks/)
Probe: TypeAlias = str | Callable[[str], object]


def gate_probes(
    gates: Iterable[Gate], ids: dict[str, int] | None = None
) -> tuple[frozenset[int], tuple[Probe, ...]]:
    """How to test each gate fastest: the ids of the literals a shared multi-literal scan finds
    (with ``ids``, see :class:`Scan`: every literal :func:`scanned` says belongs there; free once
    the text is scanned), and a :data:`Probe` for each other gate."""
    scan_ids: set[int] = set()
    probes: list[Probe] = []
    for g in gates:
        if not isinstance(g, str):
            probes.append(g.search)
        elif ids is not None and scanned(g):
            scan_ids.add(ids.setdefault(g, len(ids)))
        elif len(g) == 1 or g[0] == " ":
            probes.append(g)
        else:
            probes.append(re.compile(re.escape(g)).search)
    return frozenset(scan_ids), tuple(probes)


def scanned(g: str) -> bool:
    """Whether the literal ``g`` belongs in the engine's multi-literal scan: every literal of
    several characters, and single characters that are rare in text (controls and non-ASCII,
    but not newline or tab). A frequent single character costs a hit per occurrence in the
    scan, more than one memchr-speed ``in`` test (~0.07 ns per character)."""
    if len(g) > 1:
        return True
    return not (g.isascii() and (g.isprintable() or g in "\n\t"))


#: a hit costs ~0.4 us in the Python loops of :meth:`Scan.update` where a scan costs ~3 ns a
#: character: past one hit in 2**DENSE_SHIFT characters (and DENSE_MIN), scanning again is cheaper
DENSE_SHIFT = 7
DENSE_MIN = 32
#: and below this many characters a fresh scan costs less than keeping the hits through an edit
#: (measured with cachegrind: 5% fewer instructions on 400-character documents, 2.5% on news)
SMALL_TEXT = 1000


#: ahocorasick_rs maps each byte of the text to its character offset in a fresh array of 8
#: bytes a byte: 80 MB of new pages for a 10 MB text. In pieces of this many characters the
#: array stays small (measured: a 10 MB text scans in 54 ms instead of 77)
PIECE = 1 << 16


_first = itemgetter(0)


class Scan:
    """One Aho-Corasick pass (``ahocorasick_rs``) that finds where many literals occur, instead
    of one scan per literal. When the text is edited, :meth:`update` keeps the occurrences
    outside the edits and scans only around them, so one document costs about one scan."""

    __slots__ = ("automaton", "pad", "text", "hits", "found")

    def __init__(self, automaton, pad: int):
        self.automaton = automaton
        #: the longest literal's length - 1: how far a new occurrence reaches past an edit
        self.pad = pad
        self.text: str | None = None
        self.hits: list[tuple[int, int, int]] = []
        self.found: set[int] | None = None

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """``(id, start, end)`` of every occurrence of a literal in ``text`` (overlapping)."""
        if text is not self.text:
            self.hits = self.find(text)
            self.found = None
            self.text = text
        return self.hits

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """A fresh scan of ``text``: in pieces of PIECE characters (each with the ``pad``
        characters after it, and keeping the hits that start in it) when it is longer."""
        find = self.automaton.find_matches_as_indexes
        if len(text) <= PIECE:
            return find(text, overlapping=True)
        hits: list[tuple[int, int, int]] = []
        for lo in range(0, len(text), PIECE):
            piece = find(text[lo : lo + PIECE + self.pad], overlapping=True)
            hits += [(sid, a + lo, b + lo) for sid, a, b in piece if a < PIECE]
        return hits

    def present(self, text: str) -> set[int]:
        """Ids of the literals that occur in ``text``."""
        if text is not self.text:  # (what :meth:`matches` does, without its call)
            self.hits = self.find(text)
            self.found = None
            self.text = text
        if self.found is None:  # (map: no comprehension frame, for small documents)
            self.found = set(map(_first, self.hits))
        return self.found

    def update(self, text: str, spans: list[tuple]) -> None:
        """Take ``text``, the scanned text with ``spans`` (``(start, end, replacement, ...)``,
        sorted, not overlapping) replaced. An occurrence that overlaps no span is kept, moved;
        a new one must overlap a replacement (or straddle a deletion): only the text within
        ``pad`` of each is scanned again. Exact: the same hits as a fresh scan. When the hits
        are dense (more than one in 2**DENSE_SHIFT characters), moving them in Python costs
        more than scanning again: the hits are forgotten, and the next question scans; so are
        those of a short text (under SMALL_TEXT characters). Deletions at the text's edges
        (``whitespace.document-edges``) only move the other hits, whatever the text's size."""
        if self.text is None:
            return  # nothing scanned yet: the next question scans ``text``
        self.found = None
        if spans and not any(sp[2] for sp in spans):
            # deletions that make one cut at the start and one at the end join nothing: no new
            # occurrence, the others move
            head, i, n = 0, 0, len(spans)
            while i < n and spans[i][0] == head:
                head = spans[i][1]
                i += 1
            tail = len(self.text)
            while n > i and spans[n - 1][1] == tail:
                tail = spans[n - 1][0]
                n -= 1
            if n == i:
                hits = self.hits
                self.hits = [(k, a - head, b - head) for k, a, b in hits if head <= a and b <= tail]
                self.text = text
                return
        if len(text) < SMALL_TEXT or len(self.hits) > (len(text) >> DENSE_SHIFT) + DENSE_MIN:
            self.text = None
            return
        self.text = text
        olds: list[int] = []  # each span's start and end, in the scanned text
        ends: list[int] = []
        starts: list[int] = []  # each replacement's start and end, in ``text``
        stops: list[int] = []
        shift = [0]  # shift[j]: length change of the spans before span j
        d = 0
        for sp in spans:
            s, e = sp[0], sp[1]
            olds.append(s)
            ends.append(e)
            starts.append(s + d)
            d += len(sp[2]) - (e - s)
            stops.append(e + d)
            shift.append(d)
        n = len(spans)
        hits = []
        for h in self.hits:
            j = bisect_right(ends, h[1])  # the first span ending after the hit's start
            if j < n and olds[j] < h[2]:
                continue  # the span cuts into the hit (or is inserted inside it)
            c = shift[j]
            hits.append((h[0], h[1] + c, h[2] + c) if c else h)
        pad, size, i = self.pad, len(text), 0
        while i < n:
            lo, hi = max(0, starts[i] - pad), stops[i] + pad
            while i + 1 < n and starts[i + 1] - pad <= hi:
                i += 1
                hi = stops[i] + pad
            for sid, a, b in self.find(text[lo : min(hi, size)]):
                a += lo
                b += lo
                k = bisect_right(stops, a)  # the first replacement ending after the hit's start
                if k < n and starts[k] < b:  # overlaps it (or straddles it, when empty)
                    hits.append((sid, a, b))
            i += 1
        self.hits = hits


def multi_literal_available() -> bool:
    try:
        import ahocorasick_rs  # noqa: F401
    except ImportError:
        return False
    return True


def rule_gates(
    rule: Rule, literals: tuple[str, ...] | None = None
) -> tuple[tuple[Gate, ...], tuple[Gate, ...]]:
    """The rule's gates (on ``literals``, by default its triggers), and those that can occur in
    ASCII text."""
    literals = rule.trigger if literals is None else literals
    if rule.ignore_case:
        flags = regex.IGNORECASE | regex.V0
        pats = tuple(regex.compile(regex.escape(t), flags) for t in dict.fromkeys(literals))
        return pats, pats  # a non-ASCII literal may match ASCII text case-insensitively
    gates = tuple(dict.fromkeys(literals))
    return gates, tuple(g for g in gates if g.isascii())


def gate_finders(gates: Iterable[Gate]) -> tuple[Gate, ...]:
    """Like :func:`gate_probes`, as things :func:`find_gate` can locate: a literal for ``find``,
    or a compiled literal pattern."""
    return tuple(
        g if not isinstance(g, str) or len(g) == 1 or g[0] == " " else re.compile(re.escape(g))
        for g in gates
    )


def find_gate(gate, text: str, pos: int, timeout: float | None = None) -> int:
    """Offset of the first occurrence of ``gate`` in ``text`` at or after ``pos``, or -1
    (``timeout``: the regex time limit, for a rule's ``candidates``)."""
    if gate.__class__ is str:
        return text.find(gate, pos)
    if timeout is None or gate.__class__ is not regex.Pattern:  # (a stdlib ``re`` literal)
        m = gate.search(text, pos)
    else:  # positional (string, pos, endpos, concurrent, partial, timeout): see engine/run.py
        m = gate.search(text, pos, None, None, False, timeout)
    return m.start() if m else -1


def finders_by_mask(gates_per_rule: Iterable[tuple[Gate, ...]]) -> tuple[tuple[Gate, int], ...]:
    """Each distinct gate as a :func:`find_gate` finder, with the mask of the rules it opens."""
    masks: dict[Gate, int] = {}
    for i, gates in enumerate(gates_per_rule):
        for g in gates:
            masks[g] = masks.get(g, 0) | 1 << i
    return tuple(zip(gate_finders(masks), masks.values(), strict=True))
