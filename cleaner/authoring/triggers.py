"""The trigger checks of ``cleaner rules check``: the trigger claim (no match without a trigger),
a keep example that holds a trigger, and the reach claim of
``starts_before_trigger`` (every match starts that close before a trigger)."""

from __future__ import annotations

from dataclasses import replace

import regex

from cleaner.authoring.failures import MAX_SHOWN, TIMEOUT, Failure, visible
from cleaner.engine.lines import line_candidates, line_pattern
from cleaner.engine.run import Engine
from cleaner.engine.scan import trigger_gates
from cleaner.model import Rule


def has_gate(rule: Rule, text: str, loose: bool = False) -> bool:
    """Whether the engine's trigger gate lets ``rule`` run on ``text`` (``loose``: any case
    variant of a trigger counts, for ignore_case rules)."""
    if rule.ignore_case and loose:
        low = text.casefold()
        return any(t.casefold() in low for t in rule.trigger)
    return any(g in text for g in trigger_gates(rule))


class TriggerProbe:
    """Runs a rule without its trigger gate, to find matches in text that has no trigger."""

    def __init__(self, rule: Rule, timeout: float = TIMEOUT):
        self.rule = rule
        self.timeout = timeout
        self.engine: Engine | None = None
        self.line: regex.Pattern | None = None
        if rule.kind in ("drop-line", "cut-tail"):  # the engine runs line rules only gated
            self.line = regex.compile(line_pattern(rule), regex.V0)
        else:
            ungated = replace(rule, trigger=(), where=None, starts_before_trigger=None)
            self.engine = Engine([ungated], timeout=timeout)
        self.gates = trigger_gates(rule)

    def gated(self, text: str) -> bool:
        return any(g in text for g in self.gates)

    def matches(self, text: str) -> list[str]:
        """Texts the rule would remove from the parts (lines) of ``text`` without a trigger."""
        if any("\n" in t for t in self.rule.trigger):  # the unit is the whole text
            bare = "" if self.gated(text) else text
        elif not self.gated(text):
            bare = text
        else:
            bare = "\n".join(x for x in text.split("\n") if not self.gated(x))
        if not bare.strip():
            return []
        if self.line is not None:
            return self._lines(self.line, bare)
        assert self.engine is not None  # every rule but a line rule has one (see __init__)
        try:
            res = self.engine.run(bare, explain=True)
        except Exception:  # noqa: BLE001 - a function rule may fail on odd text; not our check
            return []
        return [e.removed or f"(inserted {e.replacement!r})" for e in res.edits]

    def changes(self, text: str) -> bool:
        """Whether the rule, without its gate, changes ``text``."""
        if self.line is not None:
            return bool(self._lines(self.line, text))
        assert self.engine is not None  # every rule but a line rule has one (see __init__)
        return self.engine.run(text).text != text

    def _lines(self, pattern: regex.Pattern, text: str) -> list[str]:
        return matched_lines(pattern, text, self.rule.max_chars, self.timeout)


def matched_lines(pattern: regex.Pattern, text: str, max_chars: int, timeout: float) -> list[str]:
    """The lines of ``text`` that ``pattern`` (a rule's line pattern) matches."""
    found = []
    for line in text.split("\n"):
        if 0 < len(line) <= max_chars:
            try:
                if pattern.fullmatch(line, timeout=timeout):
                    found.append(line)
            except TimeoutError:
                continue
    return found


def _strip_triggers(rule: Rule, text: str) -> str:
    flags = regex.IGNORECASE if rule.ignore_case else 0
    for t in rule.trigger:
        text = regex.sub(regex.escape(t), " ", text, flags=flags)
    return text


def _recased(rule: Rule, text: str) -> list[str]:
    """``text`` with one word of a trigger occurrence in lower case, upper case or title case
    (a pattern that allows ``(?:Share|SHARE) (?:this|THIS)`` matches ``Share THIS``, which
    triggers listing only ``Share this`` and ``SHARE THIS`` miss)."""
    if rule.ignore_case:
        return []  # (its gate ignores case already)
    out: list[str] = []
    for t in rule.trigger:
        for m in regex.finditer(regex.escape(t), text):
            for w in regex.finditer(r"\w+", text[m.start() : m.end()]):
                a, b = m.start() + w.start(), m.start() + w.end()
                for word in (w.group().lower(), w.group().upper(), w.group().title()):
                    if word != w.group():
                        out.append(text[:a] + word + text[b:])
    return list(dict.fromkeys(out))


def check_triggers(rule: Rule, corpus: list[tuple[str, str]]) -> tuple[int, list[Failure]]:
    """The trigger claim: no match in example or corpus text that lacks every trigger, nor in
    an example with a trigger's word in other capitals."""
    if not rule.trigger:
        return 0, []
    probe = TriggerProbe(rule)
    found: list[str] = []
    for ex in rule.examples:
        texts = [ex.input, _strip_triggers(rule, ex.input), *_recased(rule, ex.input)]
        for text in texts + ([ex.output] if ex.output else []):
            found += [f"{visible(m)!r} (example at {rule.file}:{ex.line})"
                      for m in probe.matches(text)]  # fmt: skip
    for source, text in corpus:
        if len(found) >= MAX_SHOWN:
            break
        found += [f"{visible(m)!r} ({source})" for m in probe.matches(text)]
    fails = []
    if found:
        fails.append(Failure(
            rule.id, rule.file, rule.line, "trigger claim",
            f"no match in text that contains none of {list(rule.trigger)}",
            "; ".join(dict.fromkeys(found[:MAX_SHOWN])),
            "the rule would miss these because the trigger gate skips them: add a literal "
            "every match contains to trigger, or remove trigger"))  # fmt: skip
    return 1, fails


def check_keep_trigger(rule: Rule) -> tuple[int, list[Failure]]:
    if not rule.trigger:
        return _check_keep_candidates(rule)
    if any(has_gate(rule, e.input, loose=True) for e in rule.examples_of("keep")):
        return 1, []
    probe = TriggerProbe(rule)
    if all(probe.changes(t) for t in rule.trigger):
        return 1, []  # each trigger alone is a match: no text with a trigger can stay unchanged
    return 1, [
        Failure(
            rule.id,
            rule.file,
            rule.line,
            "keep example with a trigger",
            f"a [[rule.keep]] whose input contains one of {list(rule.trigger)}",
            "no keep example contains a trigger",
            "add a [[rule.keep]]: a near miss that contains the trigger but must stay unchanged",
        )
    ]


def check_candidates(rule: Rule, corpus: list[tuple[str, str]]) -> tuple[int, list[Failure]]:
    """The claim of ``candidates``: every match of the pattern, in the examples and the corpus
    sample, starts where a match of the candidates regex starts (the engine tries the pattern
    only there, so another match would be missed)."""
    if rule.candidates is None or rule.pattern is None:
        return 0, []
    line_rule = rule.kind in ("drop-line", "cut-tail")
    if line_rule:
        candidates = line_candidates(rule.candidates)
    else:
        candidates = regex.compile(rule.candidates, regex.V0)
    texts = [(f"example at {rule.file}:{ex.line}", ex.input) for ex in rule.examples]
    found: list[str] = []
    if line_rule:
        pattern = regex.compile(line_pattern(rule), regex.V0)
    else:
        flags = regex.V0 | (regex.IGNORECASE if rule.ignore_case else 0)
        pattern = regex.compile(rule.pattern, flags)
    for where, text in [*texts, *corpus]:
        if len(found) >= MAX_SHOWN:
            break
        if line_rule:  # every line it removes holds a match, searched as the engine does
            missed = _lines_without_candidate(pattern, candidates, text, rule.max_chars)
            found += [f"{visible(x)!r} ({where})" for x in missed]
            continue
        starts = {m.start() for m in candidates.finditer(text, overlapped=True, timeout=TIMEOUT)}
        for m in pattern.finditer(text, timeout=TIMEOUT):
            if m.start() not in starts:
                found.append(f"{visible(m.group())!r} ({where})")
    if not found:
        return 1, []
    claim, place = (
        ("every line it removes holds a match of candidates", "on those lines")
        if line_rule
        else ("every match starts where a match of candidates starts", "at those starts")
    )
    return 1, [Failure(
        rule.id, rule.file, rule.line, "candidates", claim,
        "; ".join(dict.fromkeys(found[:MAX_SHOWN])),
        f"the engine tries the pattern only {place}, so it would miss these: widen "
        "candidates, or remove it")]  # fmt: skip


def _lines_without_candidate(
    pattern: regex.Pattern, candidates: regex.Pattern, text: str, max_chars: int
) -> list[str]:
    """The lines of ``text`` that ``pattern`` (a line pattern) removes but the engine would not
    try: the first match of ``candidates`` searched in the whole text from the line's start
    (as the engine searches) does not start on the line."""
    out = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if 0 < len(line) <= max_chars:
            try:
                if pattern.fullmatch(line, timeout=TIMEOUT):
                    m = candidates.search(text, start, timeout=TIMEOUT)
                    if m is None or m.start() > end:
                        out.append(line)
            except TimeoutError:
                pass
        start = end + 1
    return out


def check_trigger_reach(rule: Rule, corpus: list[tuple[str, str]]) -> tuple[int, list[Failure]]:
    """The reach claim of ``starts_before_trigger = N``: every match of the pattern, in the
    examples and the corpus sample, starts at most N characters before a trigger occurrence
    (the engine tries the pattern only there, so a match further away would be missed)."""
    reach = rule.starts_before_trigger
    if reach is None or rule.pattern is None:
        return 0, []
    flags = regex.V0 | (regex.IGNORECASE if rule.ignore_case else 0)
    pattern = regex.compile(rule.pattern, flags)
    triggers = [regex.compile(regex.escape(t), flags) for t in rule.trigger]
    texts = [(f"example at {rule.file}:{ex.line}", ex.input) for ex in rule.examples]
    found: list[str] = []
    for where, text in [*texts, *corpus]:
        if len(found) >= MAX_SHOWN:
            break
        starts = sorted({m.start() for t in triggers for m in t.finditer(text, overlapped=True)})
        for m in pattern.finditer(text, timeout=TIMEOUT):
            s = m.start()
            if not any(s <= k <= s + reach for k in starts):
                found.append(f"{visible(m.group())!r} ({where})")
    if not found:
        return 1, []
    return 1, [Failure(
        rule.id, rule.file, rule.line, "trigger reach",
        f"every match starts at most {reach} characters before one of {list(rule.trigger)}",
        "; ".join(dict.fromkeys(found[:MAX_SHOWN])),
        "the engine tries the pattern only that close before a trigger, so it would miss "
        "these: raise starts_before_trigger, or remove it")]  # fmt: skip


def _check_keep_candidates(rule: Rule) -> tuple[int, list[Failure]]:
    """A rule gated by ``candidates`` alone needs a keep example in which candidates matches
    (its near miss, as a keep example holding a trigger is for a triggered rule)."""
    if rule.candidates is None:
        return 0, []
    line_rule = rule.kind in ("drop-line", "cut-tail")
    candidates = (
        line_candidates(rule.candidates) if line_rule else regex.compile(rule.candidates, regex.V0)
    )
    if any(candidates.search(e.input) for e in rule.examples_of("keep")):
        return 1, []
    return 1, [Failure(
        rule.id, rule.file, rule.line, "keep example with a candidate",
        "a [[rule.keep]] whose input holds a match of candidates",
        "no keep example holds a match of candidates",
        "add a [[rule.keep]]: a near miss where candidates matches but that must stay unchanged",
    )]  # fmt: skip
