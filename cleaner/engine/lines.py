"""The line pass of a stage: every ``drop-line`` / ``cut-tail`` rule, tried line by line (see
:mod:`cleaner.engine.run` for the semantics, :mod:`cleaner.engine.scan` for how lines are found)."""

from __future__ import annotations

from time import perf_counter
from typing import cast

import regex

from cleaner.engine.cost import safe_length, stdlib_twin
from cleaner.engine.scan import Gate, Scan, find_gate, finders_by_mask, rule_gates, scanned
from cleaner.model import Rule
from cleaner.ruleset.load import LINE_TRIGGER_PROBLEM, line_source, line_triggers_ok


class RuleTimeout(Exception):
    """A rule ran past the per-document time limit (``rule``: its id), or the limit had run out
    before the rule began (``before``: the time went to the steps before it)."""

    def __init__(self, rule: str, before: bool = False):
        super().__init__(rule)
        self.rule, self.before = rule, before


class RuleError(Exception):
    """A rule raised ``cause`` (``rule``: its id)."""

    def __init__(self, rule: str, cause: Exception):
        super().__init__(f"rule {rule!r} raised {type(cause).__name__}: {cause}")
        self.rule = rule


class LinePass:
    """All line rules of one stage.

    Every line rule has triggers or ``candidates`` (checked at load): a line is tried only
    against the rules whose triggers occur in it (found by the stage's multi-literal scan, or one
    ``find`` loop per trigger) or whose candidates regex matches in it (one ``search`` loop),
    each rule's own pattern in rule order; other lines cost nothing.
    """

    #: it finds nothing in its own output: a line's fate depends on the line alone, and
    #: dropping lines (and the empty line after them) changes no other line
    settles = True

    def __init__(self, rules: list[Rule], ids: dict[str, int] | None = None, stage: str = "main"):
        self.rules = rules
        #: what an error of the pass itself names
        self.name = f"the line rules of stage {stage!r}"
        self.patterns = [regex.compile(line_pattern(r), regex.V0) for r in rules]
        self.fullmatches = [p.fullmatch for p in self.patterns]
        self.max_chars = max(r.max_chars for r in rules)
        self.limits = [r.max_chars for r in rules]
        #: the longest line each tries without the time limit (see :mod:`cleaner.engine.cost`)
        self.safe = [safe_length(line_pattern(r), search=False) for r in rules]
        #: and there, on the stdlib ``re`` when it matches exactly (see ``stdlib_twin``)
        self.quick = [
            twin.fullmatch if (twin := stdlib_twin(line_pattern(r))) else p.fullmatch
            for r, p in zip(rules, self.patterns, strict=True)
        ]
        self.cut = [r.kind == "cut-tail" for r in rules]
        self.where = [(1 << i, r.where) for i, r in enumerate(rules) if r.where is not None]
        self.all_rules = (1 << len(rules)) - 1
        for r in rules:
            if not line_triggers_ok(r.trigger, r.candidates):
                raise ValueError(f"rule {r.id!r}: {LINE_TRIGGER_PROBLEM}")
        both = [_line_gates(r) for r in rules]
        #: without the scan: (finder, mask of the rules it opens), for all gates / ASCII ones
        self.finders = finders_by_mask(g for g, _ in both)
        self.ascii_finders = finders_by_mask(a for _, a in both)
        #: with the scan: the literals it finds (id -> mask), the rest found one by one
        self.scan_masks: dict[int, int] = {}
        self.unscanned: tuple[tuple[Gate, int], ...] = self.finders
        self.ascii_unscanned = self.ascii_finders
        if ids is not None:
            for i, (gates, _) in enumerate(both):
                for g in gates:
                    if isinstance(g, str) and scanned(g):
                        sid = ids.setdefault(g, len(ids))
                        self.scan_masks[sid] = self.scan_masks.get(sid, 0) | 1 << i
            # left to find one by one: ignore_case gates (patterns) and frequent characters (a
            # trigger ' ' would put a hit per space into the scan; a find loop jumps line by line)
            self.unscanned = finders_by_mask(tuple(_unscanned(g)) for g, _ in both)
            self.ascii_unscanned = finders_by_mask(tuple(_unscanned(a)) for _, a in both)
        self.scan_ids = frozenset(self.scan_masks)
        #: per literal of the scan: the longest line a rule it opens tries (a longer line
        #: holding it is not a candidate)
        self.scan_limits = {
            sid: max(r.max_chars for i, r in enumerate(rules) if mask >> i & 1)
            for sid, mask in self.scan_masks.items()
        }
        #: literals found one by one (the engine's probes for this pass: see
        #: :class:`cleaner.engine.run.Engine`), for any text / ASCII text; None: a pattern is
        #: among them (only :meth:`candidates` can tell, so the pass always runs)
        self.probes = _literals(self.unscanned)
        self.ascii_probes = _literals(self.ascii_unscanned)

    def open_rules(self, url: str | None, publisher: str | None) -> int:
        """Mask of the rules whose ``where`` matches the record."""
        mask = self.all_rules
        for bit, where in self.where:
            if not where.matches(url, publisher):
                mask &= ~bit
        return mask

    def candidates(
        self,
        text: str,
        is_ascii: bool,
        open_mask: int,
        scan: Scan | None,
        deadline: float = 0.0,
    ) -> dict[int, int]:
        """Start offset of each line holding a trigger of an open rule -> mask of those rules
        (``deadline``: see :meth:`spans`)."""
        lines: dict[int, int] = {}
        rfind, find = text.rfind, text.find
        if scan is not None and self.scan_masks:
            masks, limits, size = self.scan_masks, self.scan_limits, len(text)
            start = end = -1  # the line of the previous hit (hits come in text order)
            for sid, pos, _ in scan.matches(text):
                # only this pass's literals (a page of space runs has many hits of '  ', say)
                mask = masks.get(sid, 0) & open_mask
                if not mask:
                    continue
                if not start <= pos < end:
                    start = rfind("\n", 0, pos) + 1
                    end = find("\n", pos)
                    if end < 0:
                        end = size
                if end - start <= limits[sid]:
                    lines[start] = lines.get(start, 0) | mask
            finders = self.ascii_unscanned if is_ascii else self.unscanned
        else:
            finders = self.ascii_finders if is_ascii else self.finders
        for f, mask in finders:
            mask &= open_mask
            if not mask:
                continue
            # a literal (the hot path) is found without the time limit
            timeout = None if f.__class__ is str else _left(deadline)
            try:
                pos = find_gate(f, text, 0, timeout)
                while pos >= 0:
                    start = rfind("\n", 0, pos) + 1
                    lines[start] = lines.get(start, 0) | mask
                    end = find("\n", pos)
                    if end < 0:
                        break
                    pos = find_gate(f, text, end + 1, timeout)
            except TimeoutError:  # only a rule's candidates regex runs under the limit
                raise RuleTimeout(_first_with_candidates(self.rules, mask)) from None
        return lines

    def spans(
        self,
        text: str,
        is_ascii: bool,
        url: str | None,
        publisher: str | None,
        deadline: float = 0.0,
        scan: Scan | None = None,
    ) -> list[tuple[int, int, str, str]]:
        """Edits of the line rules: ``(start, end, "", rule id)``, in text order. ``deadline``:
        the ``perf_counter`` time when the document's time limit ends (0: no limit); a regex
        call that may run long gets the time left, and raises ``TimeoutError`` past it."""
        open_mask = self.open_rules(url, publisher) if self.where else self.all_rules
        if not open_mask:
            return []
        lines = self.candidates(text, is_ascii, open_mask, scan, deadline)
        if not lines:
            return []
        out = []
        size = len(text)
        find = text.find
        limits, fullmatches, safe, quick = self.limits, self.fullmatches, self.safe, self.quick
        i = 0
        try:
            for pos in sorted(lines):
                end = find("\n", pos)
                if end < 0:
                    end = size
                n = end - pos
                if not 0 < n <= self.max_chars:
                    continue
                line = text[pos:end]
                mask = lines[pos]
                while mask:
                    low = mask & -mask
                    i = low.bit_length() - 1
                    mask ^= low
                    if n > limits[i]:
                        continue
                    if n <= safe[i]:  # proved short: no time limit
                        matched = quick[i](line)
                    else:  # positional (string, pos, endpos, concurrent, partial, timeout)
                        timeout = _left(deadline)
                        matched = fullmatches[i](line, None, None, None, False, timeout)
                    if matched:
                        if self.cut[i]:
                            out.append((pos, size, "", self.rules[i].id))
                            return _take_blank_lines(text, out)
                        out.append((pos, min(end + 1, size), "", self.rules[i].id))
                        break
        except TimeoutError:
            raise RuleTimeout(self.rules[i].id) from None
        return _take_blank_lines(text, out)


def _take_blank_lines(
    text: str, out: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """``out`` (line edits, in text order) where each run of dropped lines (edits that follow
    each other) with an empty line (or the text's start) before it and an empty line after it
    takes that empty line too, in its last edit: a paragraph of its own dropped leaves one
    blank line between its neighbours, not two, and the whitespace stage nothing to mend."""
    taken: list[tuple[int, int, str, str]] = []
    run = 0  # the start of the current run of dropped lines
    for start, end, repl, rule in out:
        if not taken or taken[-1][1] != start:
            run = start
        if text[end : end + 1] == "\n" and (run < 2 or text[run - 2] == "\n"):
            end += 1
        taken.append((start, end, repl, rule))
    return taken


def _left(deadline: float) -> float | None:
    """Seconds left before ``deadline`` (None: no limit); ``TimeoutError`` when none are."""
    if not deadline:
        return None
    left = deadline - perf_counter()
    if left <= 0:
        raise TimeoutError
    return left


def _literals(finders: tuple[tuple[Gate, int], ...]) -> tuple[str, ...] | None:
    """The finders' literals, or None when a pattern is among them."""
    out = tuple(f for f, _ in finders if isinstance(f, str))
    return out if len(out) == len(finders) else None


def _first_with_candidates(rules: list[Rule], mask: int) -> str:
    return next((r.id for i, r in enumerate(rules) if mask >> i & 1 and r.candidates), "?")


def _line_gates(rule: Rule) -> tuple[tuple[Gate, ...], tuple[Gate, ...]]:
    """The rule's gates (see :func:`rule_gates`), and its ``candidates`` regex as one more: a
    line holding a match of it is tried (non-ASCII text can match it, so it serves both). It is
    searched in the whole text, so ``^`` and ``$`` must mean the line's start and end: MULTILINE
    (without it, ``^ABC`` found only the first line)."""
    gates, ascii_gates = rule_gates(rule)
    if rule.candidates is None:
        return gates, ascii_gates
    found = line_candidates(rule.candidates)
    return (*gates, found), (*ascii_gates, found)


def line_candidates(candidates: str) -> regex.Pattern:
    """A line rule's ``candidates`` as the engine searches them in the whole text (MULTILINE:
    ``^`` and ``$`` are a line's start and end)."""
    return regex.compile(candidates, regex.V0 | regex.MULTILINE)


def _unscanned(gates: tuple[Gate, ...]) -> tuple[Gate, ...]:
    return tuple(g for g in gates if not isinstance(g, str) or not scanned(g))


def line_pattern(rule: Rule) -> str:
    """The rule's pattern as a scoped group that allows surrounding spaces and tabs."""
    # a line rule has a pattern (checked at load)
    return line_source(cast(str, rule.pattern), rule.ignore_case)
