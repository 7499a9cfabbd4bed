"""An inline step: a ``replace`` or ``function`` rule compiled for the hot loop
(:mod:`cleaner.engine.run`), with its gates and the cheapest exact way to find its edits:

* a plain ``replace`` rule: ``finditer`` over the text;
* a ``candidates`` rule: the pattern tried only where a candidates match starts;
* a ``starts_before_trigger`` rule: one ``match`` of a window (a lazy skip, then the pattern) in
  the characters before each trigger occurrence;
* a ``function`` rule: its function.

A call whose worst case is proven short for the text runs without the regex time limit, and on
the stdlib ``re`` when that matches exactly (:mod:`cleaner.engine.cost`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

import regex

from cleaner.engine.cost import safe_length, stdlib_twin
from cleaner.engine.prefilter import gate_literals
from cleaner.engine.scan import (
    Gate,
    Probe,
    Scan,
    find_gate,
    gate_finders,
    gate_probes,
    rule_gates,
    scanned,
)
from cleaner.model import Rule, Span, Where
from cleaner.ruleset.functions import function_settles
from cleaner.ruleset.load import LEADING_FLAGS_RE, resolve_function


def compile_pattern(rule: Rule) -> regex.Pattern:
    return regex.compile(rule.pattern, _flags(rule))


def _flags(rule: Rule) -> int:
    return regex.V0 | (regex.IGNORECASE if rule.ignore_case else 0)


@dataclass(slots=True, kw_only=True)
class InlineStep:
    """A ``replace`` or ``function`` rule, ready to run: its gates and how to find its edits."""

    id: str
    gates: tuple[Gate, ...]
    #: the ids of its literals in the multi-literal scan (any of them present opens the rule)
    scan_ids: frozenset[int]
    #: probes for the other gates, and for the ASCII ones only (used while the text is ASCII,
    #: when no other gate can occur)
    probes: tuple[Probe, ...]
    ascii_probes: tuple[Probe, ...]
    where: Where | None
    function: Callable[[str], Iterable[Span]] | None = None
    #: it finds nothing in its own output (a function rule that says so: see
    #: :func:`cleaner.ruleset.registry.function_rule`)
    settles: bool = False
    #: a ``replace`` rule: its rule (the pattern is compiled when first needed), the
    #: replacement as written, and the same when it has no group references (else None)
    rule: Rule | None = None
    template: str = ""
    literal: str | None = None
    #: ``starts_before_trigger`` rules: the pattern behind a lazy skip of up to ``reach``
    #: characters (``\K`` keeps the skip out of the match), tried once at each trigger
    reach: int | None = None
    #: where its triggers are, when the scan does not say: ``find_gate`` finders
    finders: tuple[Gate, ...] = ()
    pattern: regex.Pattern | None = None
    window: regex.Pattern | None = None
    #: ``candidates`` rules: the regex whose match starts are the only places to try
    starts: regex.Pattern | None = None
    #: the longest text on which each of them searches without the time limit (see
    #: :mod:`cleaner.engine.cost`): the pattern (or the window), the candidates
    safe: int = 0
    starts_safe: int = 0
    #: the candidates on the stdlib ``re``, when it matches them exactly (used where they
    #: search without the time limit: see :func:`cleaner.engine.cost.stdlib_twin`)
    starts_twin: re.Pattern | None = None

    def compile(self) -> regex.Pattern:
        """Compile a ``replace`` step's patterns (once, when first needed); its pattern."""
        rule = self.rule
        assert rule is not None, "only a replace step compiles"  # once per step, not per text
        pattern = compile_pattern(rule)
        self.safe = safe_length(cast(str, rule.pattern), rule.ignore_case)
        if self.reach is not None and rule.candidates is None:
            source = window_source(rule)
            self.window = regex.compile(source, _flags(rule))
            # (``\K`` changes no work; the bound reads the window without it)
            self.safe = safe_length(source.replace("\\K", "", 1), rule.ignore_case)
        if rule.candidates is not None:
            self.starts = regex.compile(rule.candidates, regex.V0)
            self.starts_safe = safe_length(rule.candidates)
            self.starts_twin = stdlib_twin(rule.candidates)
        self.pattern = pattern  # last: a compiled pattern means a compiled window and starts
        return pattern

    def spans(self, text: str, timeout: float | None, scan: Scan | None = None) -> list[Span]:
        if self.function is not None:
            return list(self.function(text))
        pattern = self.pattern
        if pattern is None:
            pattern = self.compile()
        if self.reach is not None:  # (its window, or its candidates, is compiled)
            return self.spans_near_triggers(text, timeout, scan, pattern, self.reach)
        if self.starts is not None:
            return self.spans_at_candidates(text, timeout, pattern, self.starts)
        if len(text) <= self.safe:
            timeout = None  # (proved short: see cleaner.engine.cost)
        out: list[Span] = []
        literal = self.literal
        # positional (string, pos, endpos, overlapped, concurrent, partial, timeout): keyword
        # arguments cost ~0.25 us per call (measured: benchmarks/profile_engine.py)
        for m in pattern.finditer(text, None, None, False, None, False, timeout):
            repl = literal if literal is not None else m.expand(self.template)
            if repl != m.group():
                out.append((m.start(), m.end(), repl))
        return out

    def spans_at_candidates(
        self, text: str, timeout: float | None, pattern: regex.Pattern, starts: regex.Pattern
    ) -> list[Span]:
        """The matches of ``finditer``, found by trying the pattern only where a match of the
        rule's ``candidates`` starts (every match starts at one: the rule says so, and its
        checks test it); a start inside the last match is skipped, as ``finditer`` does. The
        claim counts overlapping starts too: after each candidates match, the offsets inside it
        where candidates match again (as :meth:`match_at_candidates` does; read inline here, the
        hot path of small documents: a list of starts first cost 2.4% more instructions on 400
        characters)."""
        size = len(text)  # (proved short: no time limit, see cleaner.engine.cost)
        limit = None if size <= self.safe else timeout
        twin = None
        if size <= self.starts_safe:
            twin, timeout = self.starts_twin, None
        # most texts hold no candidate: one ``search`` says so in half the time of ``finditer``
        if twin is not None:
            first = twin.search(text)
            if first is None:
                return []
            found = twin.finditer(text, first.start())
        else:  # positional (string, pos, endpos, concurrent, partial, timeout): see spans
            first = starts.search(text, None, None, None, False, timeout)
            if first is None:
                return []
            # positional (string, pos, endpos, overlapped, concurrent, partial, timeout)
            found = starts.finditer(text, first.start(), None, False, None, False, timeout)
        out: list[Span] = []
        literal, match = self.literal, pattern.match
        end = 0
        for c in found:
            s, e = c.span()
            for p in range(s, e) if e > s + 1 else (s,):
                if p < end or p > s and not _starts_at(text, p, twin or starts, timeout):
                    continue
                # positional (string, pos, endpos, concurrent, partial, timeout): see spans
                m = match(text, p, None, None, False, limit)
                if m is None:
                    continue
                repl = literal if literal is not None else m.expand(self.template)
                if repl != m.group():
                    out.append((m.start(), m.end(), repl))
                end = m.end() if m.end() > p else p + 1
        return out

    def spans_near_triggers(
        self,
        text: str,
        timeout: float | None,
        scan: Scan | None,
        pattern: regex.Pattern,
        reach: int,
    ) -> list[Span]:
        """The matches of ``finditer``, found by trying the pattern only in the ``reach``
        characters before each trigger occurrence (every match starts in one: the rule says
        so, and its tests check it): the leftmost match starting in the window, as ``finditer``
        finds it. Each try is one ``match`` of :attr:`window` from the window's start or, for a
        rule with ``candidates`` too, a ``match`` of the pattern at each candidates start in
        the window (a window of 300 characters tried at every position cost 70 us)."""
        positions: list[int] = []
        if scan is not None and self.scan_ids:
            ids = self.scan_ids
            positions = [h[1] for h in scan.matches(text) if h[0] in ids]
        for f in self.finders:
            pos = find_gate(f, text, 0)
            while pos >= 0:
                positions.append(pos)
                pos = find_gate(f, text, pos + 1)
        positions.sort()
        limit = None if len(text) <= self.safe else timeout  # (proved short: no time limit)
        out: list[Span] = []
        literal = self.literal
        window = self.window
        end = 0  # matches do not overlap: none starts before the end of the last one
        for k in positions:
            lo = k - reach if k - reach > end else end
            if lo > k:
                continue
            if window is not None:
                # positional (string, pos, endpos, concurrent, partial, timeout): see spans
                m = window.match(text, lo, None, None, False, limit)
            else:
                m = self.match_at_candidates(text, lo, lo + reach, pattern, limit, timeout)
            if m is None:
                continue
            repl = literal if literal is not None else m.expand(self.template)
            if repl != m.group():
                out.append((m.start(), m.end(), repl))
            end = m.end()
        return out

    def match_at_candidates(
        self,
        text: str,
        lo: int,
        hi: int,
        pattern: regex.Pattern,
        limit: float | None,
        timeout: float | None,
    ) -> regex.Match | None:
        """The leftmost match of the pattern starting in ``text[lo:hi + 1]`` at a candidates
        start (overlapping ones included, as in :meth:`spans_at_candidates`): the candidates
        are searched from ``lo`` until one starts past ``hi``. ``limit``: the pattern's time
        limit, ``timeout``: the candidates'."""
        assert self.starts is not None  # (compiled with the pattern)
        twin = self.starts_twin if len(text) <= self.starts_safe else None
        if twin is not None:
            found = twin.finditer(text, lo)
        else:  # positional (string, pos, endpos, overlapped, concurrent, partial, timeout)
            found = self.starts.finditer(text, lo, None, False, None, False, timeout)
        for c in found:
            s, e = c.span()
            if s > hi:
                return None
            for p in range(s, min(e, hi + 1)) if e > s + 1 else (s,):
                if p > s and not _starts_at(text, p, twin or self.starts, timeout):
                    continue
                # positional (string, pos, endpos, concurrent, partial, timeout): see spans
                m = pattern.match(text, p, None, None, False, limit)
                if m is not None:
                    return m
        return None


def compile_step(rule: Rule, ids: dict[str, int] | None = None) -> InlineStep:
    gates, ascii_gates = rule_gates(rule, gate_literals(rule))  # triggers, or from the pattern
    scan_ids, probes = gate_probes(gates, ids)
    _, ascii_probes = gate_probes(ascii_gates, ids)
    step = InlineStep(
        id=rule.id, gates=gates, scan_ids=scan_ids, probes=probes, ascii_probes=ascii_probes,
        where=rule.where,
    )  # fmt: skip
    if rule.kind == "function":
        step.function = resolve_function(cast(str, rule.function))  # (checked at load)
        step.settles = function_settles(cast(str, rule.function))
        return step
    step.rule = rule
    step.template = rule.replacement
    if "\\" not in rule.replacement:  # a backslash may start a group reference
        step.literal = rule.replacement
    if rule.starts_before_trigger is not None and rule.trigger:
        step.reach = rule.starts_before_trigger
        step.finders = gate_finders(
            g for g in gates if not (ids is not None and isinstance(g, str) and scanned(g))
        )
    return step


def window_source(rule: Rule) -> str:
    """The pattern behind a lazy skip of up to ``starts_before_trigger`` characters, which
    ``\\K`` leaves out of the match (group numbers stay the pattern's own)."""
    pattern, lead = cast(str, rule.pattern), ""  # a replace rule has one (checked at load)
    m = LEADING_FLAGS_RE.match(pattern)
    if m:  # leading inline flags stay in front
        lead, pattern = m.group(), pattern[m.end() :]
    return f"{lead}(?s:.{{0,{rule.starts_before_trigger}}}?)\\K(?:{pattern})"


def _starts_at(text: str, pos: int, starts: re.Pattern | regex.Pattern, timeout) -> bool:
    """Whether a candidates match starts at ``pos`` (inside another one: rare)."""
    if isinstance(starts, re.Pattern):
        return starts.match(text, pos) is not None
    return starts.match(text, pos, None, None, False, timeout) is not None
