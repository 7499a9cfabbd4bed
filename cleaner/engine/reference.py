"""The naive reference loop: every rule applied in turn to the whole text, with no gating.

It states the semantics of :mod:`cleaner.engine.run` rule by rule and is as slow as that sounds;
tests check that the engine's output is byte-identical, benchmarks use it as the baseline.

* Stages run in order ``normalize``, ``main``, ``whitespace``.
* In a stage, line rules (``drop-line``, ``cut-tail``) first, each as one pass over the lines
  (a line is text between newlines, without its newline; only lines of 1..``max_chars``
  characters; the pattern must match the whole line, surrounding spaces and tabs allowed).
  ``drop-line`` removes the line and its newline, ``cut-tail`` the line and all after it.
  Running them one after another gives "the first matching line rule decides" per line.
* Then ``replace`` rules (``regex.sub`` over the whole text) and ``function`` rules (call it,
  apply its spans) in listed order. Triggers are ignored: they only make the engine faster.
* ``where`` still applies: a rule whose filter does not match the record does not run.
"""

from __future__ import annotations

import regex

from cleaner.engine.lines import line_pattern
from cleaner.model import STAGES, Rule, splice
from cleaner.ruleset.load import resolve_function

_LINE_KINDS = ("drop-line", "cut-tail")


def reference_clean(
    rules: list[Rule], text: str, url: str | None = None, publisher: str | None = None
) -> str:
    """Clean ``text`` with ``rules`` the slow, obvious way."""
    for stage in STAGES:
        in_stage = [r for r in rules if r.stage == stage]
        if not in_stage:
            continue
        active = [r for r in in_stage if r.where is None or r.where.matches(url, publisher)]
        for rule in active:
            if rule.kind in _LINE_KINDS:
                text = _line_pass(rule, text)
        for rule in active:
            if rule.kind == "replace":
                text = _compile(rule.pattern, rule.ignore_case).sub(
                    _replacer(rule.replacement), text
                )
            elif rule.kind == "function":
                text = splice(text, list(resolve_function(rule.function)(text)))
    return text


def _replacer(template: str):
    """``regex.sub`` with a template, but a literal replacement is taken as is."""
    if "\\" not in template:
        return lambda m: template
    return template


def _compile(pattern: str, ignore_case: bool) -> regex.Pattern:
    return regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignore_case else 0))


def _line_pass(rule: Rule, text: str) -> str:
    line_re = regex.compile(line_pattern(rule), regex.V0)
    kept: list[str] = []
    lines = text.split("\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if 0 < len(line) <= rule.max_chars and line_re.fullmatch(line):
            if rule.kind == "cut-tail":
                return "".join(kept)
            continue
        kept.append(line if i == last else line + "\n")
    return "".join(kept)
