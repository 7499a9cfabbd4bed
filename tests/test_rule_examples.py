"""Every example of every bundled rule is its own test: `pytest -k <rule-id>` runs one rule.

Ids look like ``thehill.hovercard::change::glued-display-name``. Change and keep examples run
through :class:`cleaner.authoring.check.Harness` (alone, full pipeline, twice == once); todo
examples are strict xfails; ``<rule-id>::checks`` runs the trigger, keep-with-trigger and
backtracking checks.
"""

from __future__ import annotations

import re

import pytest

from cleaner.authoring.check import (
    Harness,
    default_corpus_files,
    read_corpus,
    rule_checks,
)
from cleaner.authoring.format import format_failure
from cleaner.model import Example, Rule
from cleaner.ruleset.load import RuleLoadError, load_rules

try:
    RULES = load_rules()
    LOAD_ERROR = ""
except RuleLoadError as exc:  # one readable failure instead of a collection error
    RULES, LOAD_ERROR = [], str(exc)
HARNESS = Harness(RULES, RULES)


def test_bundled_rules_load() -> None:
    assert not LOAD_ERROR, LOAD_ERROR


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "example"


def _example_params() -> list:
    params = []
    for rule in RULES:
        seen: set[str] = set()
        for ex in rule.examples:
            base = f"{rule.id}::{ex.kind}::{_slug(ex.name)}"
            pid, n = base, 1
            while pid in seen:
                n += 1
                pid = f"{base}-{n}"
            seen.add(pid)
            marks = ()
            if ex.kind == "todo":
                marks = pytest.mark.xfail(strict=True, reason=f"known gap: {ex.note or ex.name}")
            params.append(pytest.param(rule, ex, id=pid, marks=marks))
    return params


@pytest.mark.parametrize(("rule", "example"), _example_params())
def test_example(rule: Rule, example: Example) -> None:
    if example.kind == "todo":
        got = HARNESS.alone(rule).run(example.input).text
        assert got == (example.output if example.output is not None else example.input)
        return
    _, failures = HARNESS.check_example(rule, example)
    assert not failures, "\n\n".join(format_failure(f) for f in failures)


@pytest.fixture(scope="module")
def repo_corpus() -> list[tuple[str, str]]:
    """The repo's own corpus/ only, so these tests do not depend on ../shared."""
    return read_corpus([p for p in default_corpus_files() if "shared" not in p.parts])


@pytest.mark.parametrize("rule", RULES, ids=[f"{r.id}::checks" for r in RULES])
def test_rule_checks(rule: Rule, repo_corpus) -> None:
    failures = [f for _, fs in rule_checks(rule, repo_corpus) for f in fs]
    assert not failures, "\n\n".join(format_failure(f) for f in failures)


@pytest.mark.shared
def test_rule_checks_on_shared_corpus() -> None:
    """The trigger claims also hold on ../shared/corpus (a larger sample than corpus/)."""
    files = default_corpus_files()
    assert any("shared" in p.parts for p in files)
    corpus = read_corpus(files)
    failures = [f for rule in RULES for _, fs in rule_checks(rule, corpus) for f in fs]
    assert not failures, "\n\n".join(format_failure(f) for f in failures)
