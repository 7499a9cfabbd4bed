"""The rule checker behind ``cleaner rules check`` and the per-example pytest items.

Pure functions returning :class:`Failure` lists: every example of a rule runs alone and through the
full pipeline of its preset, twice == once, the trigger claim is tested on the examples and on a
corpus sample, every rule with triggers needs a keep example that contains one, and patterns are
checked for catastrophic backtracking (:mod:`cleaner.authoring.redos`).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import regex

from cleaner.authoring.failures import TIMEOUT, CheckReport, Failure, visible
from cleaner.authoring.triggers import (
    check_candidates,
    check_keep_trigger,
    check_trigger_reach,
    check_triggers,
)
from cleaner.engine.run import Engine
from cleaner.model import Example, Rule, splice
from cleaner.ruleset.load import PACK_PREFIX, RuleLoadError, load_partial, load_rules

SAMPLE_DOCS = 200
SAMPLE_CHARS = 1_000_000


def unified(expected: str, got: str) -> str:
    """A unified diff of two texts, line by line, with invisible characters escaped."""
    a = [visible(x) + "\n" for x in expected.split("\n")]
    b = [visible(x) + "\n" for x in got.split("\n")]
    return "".join(difflib.unified_diff(a, b, "expected", "got", n=1)).rstrip("\n")


class Harness:
    """Engines for checking ``rules``: each rule alone, and the full pipeline of each preset
    (``catalogue``: the rules the pipeline runs, e.g. the bundled rules with checked ones;
    ``full``: full-pipeline engines to share with other harnesses over the same catalogue)."""

    def __init__(self, rules: list[Rule], catalogue: list[Rule] | None = None,
                 timeout: float = TIMEOUT, full: dict[str, Engine] | None = None):  # fmt: skip
        self.rules = rules
        self.catalogue = catalogue if catalogue is not None else rules
        self.timeout = timeout
        self._alone: dict[str, Engine] = {}
        self._full: dict[str, Engine] = {} if full is None else full

    def alone(self, rule: Rule) -> Engine:
        if rule.id not in self._alone:
            self._alone[rule.id] = Engine([rule], timeout=self.timeout)
        return self._alone[rule.id]

    def full(self, rule: Rule) -> Engine:
        from cleaner.ruleset.load import select_rules

        chosen = select_rules(self.catalogue, rule.preset)
        key = rule.preset if any(r.id == rule.id for r in chosen) else f"{rule.preset}+{rule.id}"
        if key not in self._full:
            if "+" in key:  # a rule outside the catalogue joins the pipeline at its stage's end
                chosen = [*chosen, rule]
            self._full[key] = Engine(chosen, timeout=self.timeout)
        return self._full[key]

    def check_example(self, rule: Rule, ex: Example) -> tuple[int, list[Failure]]:
        """(checks run, failures) for one example: alone, full pipeline, twice == once."""
        ctx = _context(rule, ex)
        fails: list[Failure] = []
        checks = 0

        def run(engine: Engine, text: str, mode: str) -> str | None:
            try:
                res = engine.run(text, **ctx)
            except Exception as exc:  # noqa: BLE001 - a broken function rule is a failure
                fails.append(
                    self._fail(
                        rule,
                        ex,
                        f"{mode}: error",
                        "a result",
                        f"{type(exc).__name__}: {exc}",
                        "fix the rule's function",
                    )
                )
                return None
            if res.error:
                fails.append(self._fail(rule, ex, f"{mode}: time limit", "a result within "
                             f"{self.timeout:g}s", res.error, "simplify the pattern"))  # fmt: skip
                return None
            return res.text

        for mode, engine in (("rule alone", self.alone(rule)), ("full pipeline", self.full(rule))):
            checks += 2
            got = run(engine, ex.input, mode)
            if got is None or (fails and mode == "full pipeline"):
                continue  # a rule that fails alone fails in the pipeline too: say it once
            if ex.kind == "change":
                assert ex.output is not None  # the loader requires an output of a change example
                want = ex.output if mode == "rule alone" else run(engine, ex.output, mode)
                if want is not None and got != want:
                    fails.append(self._mismatch(rule, ex, mode, want, got, ctx))
            elif ex.kind == "keep" and got != ex.input:
                fails.append(self._mismatch(rule, ex, mode, ex.input, got, ctx))
            elif ex.kind == "todo" and ex.output is not None and mode == "rule alone":
                if got == ex.output:
                    fails.append(self._fail(
                        rule, ex, "todo example passes", "the known gap to still fail",
                        "the rule now gives the expected output",
                        "move this [[rule.todo]] to [[rule.change]]"))  # fmt: skip
                continue
            if ex.kind == "todo":
                continue
            again = run(engine, got, mode)
            if again is not None and again != got:
                fails.append(self._fail(
                    rule, ex, f"twice == once ({mode})", visible(got), visible(again),
                    "the output still matches: make the pattern consume everything it should "
                    "remove in one pass (or exclude what its replacement leaves behind)",
                    unified(got, again)))  # fmt: skip
        return checks, fails

    def _mismatch(self, rule, ex, mode, want, got, ctx) -> Failure:
        others = ""
        if mode == "full pipeline":
            texts = (ex.input,) if ex.output is None else (ex.input, ex.output)
            ids = {e.rule for t in texts for e in self.full(rule).run(t, explain=True, **ctx).edits}
            ids.discard(rule.id)
            others = f" ({', '.join(sorted(ids))})" if ids else ""
        if ex.kind == "keep":
            fix = (
                "the rule changed text that must stay: narrow the pattern"
                if mode == "rule alone"
                else f"another rule of the pipeline{others} changes this keep "
                "example: make its input clean text (no stray spaces) or fix that rule"
            )
        elif mode == "rule alone":
            fix = "fix the pattern, or the expected output if the rule is right"
        else:
            fix = ("alone the rule works, but in the pipeline full(input) != full(output): "
                   f"another rule interferes{others}; write the output as the pipeline "
                   "would leave it, or fix that rule")  # fmt: skip
        return self._fail(rule, ex, f"{ex.kind} example ({mode})", visible(want), visible(got),
                          fix, unified(want, got))  # fmt: skip

    @staticmethod
    def _fail(rule, ex, check, expected, got, fix, diff="") -> Failure:
        name = f" {ex.name!r}" if ex is not None else ""
        line = ex.line if ex is not None and ex.line else rule.line
        return Failure(rule.id, rule.file, line, check + name, expected, got, fix, diff)


def _context(rule: Rule, ex: Example) -> dict:
    url, publisher = ex.url, ex.publisher
    if rule.where is not None and url is None and publisher is None:
        if rule.where.domains:
            url = f"https://{rule.where.domains[0]}/"
        else:
            publisher = rule.where.publishers[0]
    return {"url": url, "publisher": publisher}


def check_placeholders(rule: Rule) -> tuple[int, list[Failure]]:
    """A rule scaffolded by ``cleaner rules new`` must not ship its TODO placeholders."""
    fields = {"description": rule.description, "pattern": rule.pattern or "",
              "function": rule.function or "", "trigger": " ".join(rule.trigger)}  # fmt: skip
    left = [k for k, v in fields.items() if "TODO" in v]
    left += [f"{e.kind} example {e.name!r}" for e in rule.examples if "TODO" in e.name]
    if not left:
        return 1, []
    return 1, [Failure(rule.id, rule.file, rule.line, "placeholders", "no TODO placeholders",
                       f"TODO left in: {', '.join(left)}", "fill in the rule's fields and "
                       "examples (cleaner rules new leaves TODOs to replace)")]  # fmt: skip


def check_settles(rule: Rule, corpus: list[tuple[str, str]]) -> tuple[int, list[Failure]]:
    """A function rule registered with ``settles=True`` must find nothing in its own output:
    the engine's next round stops before it (on every example and the corpus sample)."""
    from cleaner.ruleset.functions import function_settles
    from cleaner.ruleset.load import resolve_function

    if rule.function is None or not function_settles(rule.function):
        return 0, []
    fn = resolve_function(rule.function)
    texts = [t for ex in rule.examples for t in (ex.input, ex.output) if t is not None]
    for text in [*texts, *(t for _, t in corpus)]:
        try:
            once = splice(text, list(fn(text)))
            again = list(fn(once))
        except Exception:  # noqa: BLE001 - the example checks report a function that raises
            continue
        if again:
            return 1, [Failure(rule.id, rule.file, rule.line, "settles",
                               "nothing found in its own output (settles=True)",
                               f"{visible(once[:200])!r} -> {again[:3]}",
                               "make the function remove everything in one call, or drop "
                               "settles=True from its @function_rule")]  # fmt: skip
    return 1, []


def check_backtracking(rule: Rule) -> tuple[int, list[Failure]]:
    """The rule's pattern and candidates, or for a function rule every regex its module
    defines, must not backtrack catastrophically (:mod:`cleaner.authoring.redos`)."""
    if rule.pattern is not None:
        found = list(_findings(rule.pattern, rule.ignore_case)[:1])
        if rule.candidates is not None:
            found += [f"candidates: {f}" for f in _findings(rule.candidates, False)[:1]]
    elif rule.function is not None:
        from cleaner.ruleset.load import resolve_function

        module = resolve_function(rule.function).__module__
        found = [f"{module}.{name}: {f}" for name, f in _module_findings(module)[:1]]
    else:
        return 0, []
    return 1, [Failure(rule.id, rule.file, rule.line, "catastrophic backtracking",
                       "a pattern that runs in linear time", str(f),
                       "remove the ambiguity: make the inner quantifier's neighbours required "
                       "and disjoint from it, use an atomic group (?>...) or a possessive "
                       "quantifier (*+, ++)") for f in found]  # fmt: skip


def _findings(pattern: str, ignore_case: bool) -> list:
    from cleaner.authoring.redos import analyze

    return analyze(pattern, ignore_case)


@cache
def _module_findings(module: str) -> list[tuple[str, object]]:
    """(name, finding) for the module-level compiled regexes of ``module`` (``re`` or
    ``regex``) that backtrack catastrophically: a function rule's regexes get no time limit."""
    out = []
    for name, value in vars(sys.modules[module]).items():
        if isinstance(value, (re.Pattern, regex.Pattern)):
            ignore_case = bool(value.flags & re.IGNORECASE)
            out += [(name, f) for f in _findings(value.pattern, ignore_case)[:1]]
    return out


# --------------------------------------------------------------------------------------------
# corpus sample


def shared_dir() -> Path:
    env = os.environ.get("CLEANER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"


def default_corpus_files() -> list[Path]:
    """The repo's corpus/ and ../shared/corpus/real, where present."""
    roots = [Path(__file__).resolve().parents[2] / "corpus", shared_dir() / "corpus" / "real"]
    out: list[Path] = []
    for root in roots:
        if root.is_dir():
            out += sorted(p for p in root.rglob("*") if p.suffix in (".jsonl", ".txt"))
    return out


def read_corpus(files: Iterable[Path], docs: int = SAMPLE_DOCS,
                chars: int = SAMPLE_CHARS) -> list[tuple[str, str]]:  # fmt: skip
    """Up to ``docs`` documents / ``chars`` characters as (source, text), spread over files."""
    files = list(files)
    out: list[tuple[str, str]] = []
    per_file = max(1, docs // max(1, len(files)))
    for path in files:
        n, budget = 0, chars // max(1, len(files))
        for source, text in _iter_docs(path):
            if n >= per_file or budget <= 0:
                break
            out.append((source, text))
            n += 1
            budget -= len(text)
    return out


def _iter_docs(path: Path):
    """(source, text) of each readable record; a corpus sample need not be clean input."""
    from cleaner.pipeline.readers import expand_inputs, read_records
    from cleaner.pipeline.records import Record

    for item in read_records(expand_inputs([str(path)])):
        if isinstance(item, Record):
            yield (f"{item.source}:{item.line}" if item.line else item.source), item.text


# --------------------------------------------------------------------------------------------
# the whole check


def load_checked(paths: Iterable[str | Path]) -> tuple[list[Rule], list[Failure]]:
    """The valid rules under ``paths`` and one failure per loader problem (file by file, so a
    bad file does not hide the checks of the good ones)."""
    rules, problems = load_partial(paths)
    fails = [
        Failure(
            p.rule or "(file)",
            p.file,
            p.line,
            "invalid rule file" + (f" field {p.field!r}" if p.field else ""),
            "a valid rule file",
            p.message,
            "fix the file as the message says",
        )
        for p in problems
    ]
    return rules, fails


def pack_collisions(paths: list[str | Path], rules: list[Rule]) -> list[Failure]:
    """A pack's rule may not take the id of a bundled rule: enabled together they would not
    load. Checked when ``paths`` name a pack ("pack:NAME")."""
    if not any(str(p).startswith(PACK_PREFIX) for p in paths):
        return []
    try:
        bundled = {r.id: r for r in load_rules()}
    except (RuleLoadError, FileNotFoundError):
        return []
    return [Failure(r.id, r.file, r.line, "invalid rule file field 'id'",
                    "an id no bundled rule has", f"the bundled rule at {bundled[r.id].location} "
                    "has this id", "give the pack's rule its own id: ids are unique across "
                    "cleaner and every pack") for r in rules
            if r.id in bundled and r.file != bundled[r.id].file]  # fmt: skip


def merged_catalogue(rules: list[Rule]) -> list[Rule]:
    """The bundled rules with the checked ones in place of same-id rules, then the new ones."""
    try:
        bundled = load_rules()
    except (RuleLoadError, FileNotFoundError):
        return rules
    mine = {r.id: r for r in rules}
    known = {r.id for r in bundled}
    return [mine.get(r.id, r) for r in bundled] + [r for r in rules if r.id not in known]


def check_rules(paths: Iterable[str | Path], corpus: list[tuple[str, str]] | None = None,
                timeout: float = TIMEOUT, chunk: int | None = None) -> CheckReport:  # fmt: skip
    """Every check on every rule under ``paths``; ``corpus`` defaults to a sample of
    :func:`default_corpus_files`. With ``chunk``, the per-rule engines of at most ``chunk`` rules
    are alive at once (the full-pipeline engines, the same for every rule, are shared): memory
    stays bounded on a long file such as a mined draft."""
    start = time.perf_counter()
    paths = list(paths)
    rules, fails = load_checked(paths)
    fails += pack_collisions(paths, rules)
    report = CheckReport(rules=len(rules), total=len(fails), failures=list(fails),
                         load_error=bool(fails))  # fmt: skip
    if corpus is None:
        corpus = read_corpus(default_corpus_files())
    catalogue = merged_catalogue(rules)
    step = chunk or max(1, len(rules))
    full: dict[str, Engine] = {}
    for at in range(0, len(rules), step):
        harness = Harness(rules[at : at + step], catalogue, timeout, full=full)
        for rule in harness.rules:
            for n, f in _rule_checks(harness, rule, corpus):
                report.total += n
                report.failures += f
    report.seconds = time.perf_counter() - start
    return report


def _rule_checks(harness: Harness, rule: Rule, corpus):
    for ex in rule.examples:
        yield harness.check_example(rule, ex)
    yield from rule_checks(rule, corpus)


def rule_checks(rule: Rule, corpus: list[tuple[str, str]]):
    """The checks of a rule that are not about one example: (checks, failures) per check."""
    yield check_placeholders(rule)
    yield check_keep_trigger(rule)
    yield check_triggers(rule, corpus)
    yield check_trigger_reach(rule, corpus)
    yield check_candidates(rule, corpus)
    yield check_backtracking(rule)
    yield check_settles(rule, corpus)
