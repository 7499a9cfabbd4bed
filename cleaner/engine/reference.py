"""The naive reference loop: every rule applied in turn to the whole text, with no gating.

It states the semantics of :mod:`cleaner.engine.run` rule by rule and is as slow as that sounds;
tests check that the engine's output is byte-identical, benchmarks use it as the baseline.

* Surrogate code points go first (``unicode.lone-surrogate``: a pair becomes its character, a
  lone one U+FFFD), so no rule and no writer meets one.
* Stages run in order ``normalize``, ``main``, ``whitespace``.
* In a stage, line rules (``drop-line``, ``cut-tail``) first, together as one pass over the
  lines in text order (a line is text between newlines, without its newline; a rule tries only
  lines of 1..``max_chars`` characters; its pattern must match the whole line, surrounding
  spaces and tabs allowed). On each line the first rule in listed order that matches decides:
  ``drop-line`` removes the line and its newline, ``cut-tail`` the line and all after it (the
  lines after it are part of its edit, whatever rule would have matched them). A dropped line
  after an empty line (or at the start, or after lines dropped so) and before an empty line
  takes that empty line with it: the text around it keeps one blank line, not two.
* Then ``replace`` rules (``regex.sub`` over the whole text) and ``function`` rules (call it,
  apply its spans) in listed order. Triggers are ignored: they only make the engine faster.
* ``where`` still applies: a rule whose filter does not match the record does not run.
* The stages run again while the text changes (``another_round``: while each pass shortens
  it, and at most ``MAX_ROUNDS`` passes that do not): a fixed point.
* Each step's edits are composed into input offsets (:mod:`cleaner.engine.edits`); the engine
  must give the same edits, rule for rule.
"""

from __future__ import annotations

from typing import cast

import regex

from cleaner.engine.edits import compose, to_edits
from cleaner.engine.lines import line_pattern
from cleaner.engine.run import SURROGATE_RULE, another_round, lone_surrogates
from cleaner.model import STAGES, Result, Rule, Span, splice
from cleaner.ruleset.load import resolve_function

_LINE_KINDS = ("drop-line", "cut-tail")


def reference_clean(
    rules: list[Rule], text: str, url: str | None = None, publisher: str | None = None
) -> str:
    """Clean ``text`` with ``rules`` the slow, obvious way."""
    return reference_explain(rules, text, url, publisher, explain=False).text


def reference_explain(
    rules: list[Rule],
    text: str,
    url: str | None = None,
    publisher: str | None = None,
    *,
    explain: bool = True,
) -> Result:
    """:func:`reference_clean`, with every edit composed into input offsets step by step."""
    original = text
    acc: list = []
    spans = lone_surrogates(text)  # first of all: no rule sees a surrogate
    if spans:
        acc = compose(original, acc, [(*sp, SURROGATE_RULE) for sp in spans])
        text = splice(text, spans)
    again, unshortened = True, 0
    while again:
        before = text
        for stage in STAGES:
            active = [
                r for r in rules
                if r.stage == stage and (r.where is None or r.where.matches(url, publisher))
            ]  # fmt: skip
            found = _line_spans([r for r in active if r.kind in _LINE_KINDS], text)
            if found:
                if explain:
                    acc = compose(original, acc, found)
                text = splice(text, [f[:3] for f in found])
            for rule in (r for r in active if r.kind not in _LINE_KINDS):
                spans = _spans(rule, text)
                if spans and explain:
                    acc = compose(original, acc, [(*sp, rule.id) for sp in spans])
                if spans:
                    text = splice(text, spans)
        again, unshortened = another_round(before, text, unshortened)
    return Result(text, to_edits(original, acc))


def _spans(rule: Rule, text: str) -> list[Span]:
    if rule.kind == "function":
        # a function rule names its function, a replace rule has a pattern (checked at load)
        return list(resolve_function(cast(str, rule.function))(text))
    out = []
    repl = _replacer(rule.replacement)
    for m in _compile(cast(str, rule.pattern), rule.ignore_case).finditer(text):
        r = repl(m) if callable(repl) else m.expand(repl)
        if r != m.group():
            out.append((m.start(), m.end(), r))
    return out


def _replacer(template: str):
    """``regex.sub`` with a template, but a literal replacement is taken as is."""
    if "\\" not in template:
        return lambda m: template
    return template


def _compile(pattern: str, ignore_case: bool) -> regex.Pattern:
    return regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignore_case else 0))


def _line_spans(rules: list[Rule], text: str) -> list[tuple[int, int, str, str]]:
    """The edits of a stage's line rules, each with the id of the rule that decided its line."""
    tries = [(r, regex.compile(line_pattern(r), regex.V0)) for r in rules]
    if not tries:
        return []
    lines = text.split("\n")
    out: list[tuple[int, int, str, str]] = []
    before: str | None = None  # the last line kept (None: none yet)
    pos, i = 0, 0
    while i < len(lines):
        line = lines[i]
        end = pos + len(line)
        rule = next(
            (r for r, line_re in tries if 0 < len(line) <= r.max_chars and line_re.fullmatch(line)),
            None,
        )
        if rule is None:
            before = line
        elif rule.kind == "cut-tail":
            out.append((pos, len(text), "", rule.id))
            return out
        elif before in (None, "") and i + 2 < len(lines) and lines[i + 1] == "":
            # between an empty line (or the start) and an empty line: it takes the empty one
            out.append((pos, end + 2, "", rule.id))
            pos, i = end + 2, i + 2
            continue
        else:
            out.append((pos, min(end + 1, len(text)), "", rule.id))
        pos, i = end + 1, i + 1
    return out
