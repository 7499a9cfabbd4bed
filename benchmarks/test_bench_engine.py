"""Throughput of the hot loop against its baseline (naive loop) and its floor (one scan).

``pytest benchmarks/ --benchmark-only``; MB/s and ratios land in each benchmark's extra_info
and in a summary at the end. Order matters: floor and naive run before the engine so the
engine's ratios can be computed in the same run.
"""

from __future__ import annotations

import re

import pytest
import regex

from benchmarks.conftest import Doc, megabytes
from cleaner.api import Cleaner
from cleaner.engine.reference import reference_clean
from cleaner.engine.run import Engine
from cleaner.model import Rule
from cleaner.ruleset.load import load_rules, select_rules

RULES = select_rules(load_rules(), "default")
#: the default set, and the same without function rules (the engine's own cost; the hovercard
#: function is a family of its own, benchmarked alone in test_rule_alone)
NO_FUNCTIONS = [r for r in RULES if r.kind != "function"]
#: invented line rules of the usual boilerplate shapes, to keep the line pass honest until the
#: rule packs on other branches land (patterns are ours, not copied from any corpus)
LINE_RULES = [
    Rule("bench.ad", "d", "drop-line", pattern="advertisement", ignore_case=True,
         trigger=("advertisement",)),
    Rule("bench.share", "d", "drop-line", pattern=r"Share (?:this|on \w+)(?: story)?",
         trigger=("Share",)),
    Rule("bench.click", "d", "drop-line", pattern=r"Click here to [^\n]{1,80}",
         trigger=("Click here",)),
    Rule("bench.follow", "d", "drop-line", pattern=r"Follow us on \w+(?: and \w+)?",
         trigger=("Follow us",)),
    Rule("bench.related", "d", "cut-tail", pattern=r"Related(?: stories| coverage)?:?",
         trigger=("Related",)),
]  # fmt: skip
#: 50 more invented rules of generic boilerplate phrases: the size the rule packs will reach
#: (20 inline, 10 ignore_case inline, 20 line rules; 22 distinct trigger literals)
PHRASES = [
    "Click here", "Sign up", "Read more", "Photo:", "Getty Images", "Copyright", "newsletter",
    "Subscribe", "Updated:", "Watch:", "Follow", "Advertisement", "Related:", "Share", "Tweet",
    "Image caption", "Listen", "Download", "Terms of", "Privacy",
]  # fmt: skip
MANY_RULES = (
    [Rule(f"bench.inline{i}", "d", "replace", pattern=regex.escape(w) + r"\b[^\n.]{0,60}\.",
          trigger=(w,)) for i, w in enumerate(PHRASES)]
    + [Rule(f"bench.nocase{i}", "d", "replace", pattern=regex.escape(w.lower()) + r" \w+",
            trigger=(w.lower(),), ignore_case=True) for i, w in enumerate(PHRASES[:10])]
    + [Rule(f"bench.line{i}", "d", "drop-line", pattern=regex.escape(w) + r"[^\n]{0,40}",
            trigger=(w,)) for i, w in enumerate(PHRASES)]
)  # fmt: skip
RULESETS = {
    "default": RULES,
    "no-functions": NO_FUNCTIONS,
    "no-functions+lines": NO_FUNCTIONS + LINE_RULES,
    "no-functions+57": NO_FUNCTIONS + MANY_RULES,
}
#: a literal that never occurs, so the search scans every character (the strictest floor)
FLOOR = regex.compile("\x00cleaner-floor\x00")
#: the floor DESIGN.md measured: an absent literal of ordinary letters, whose first letter the
#: search meets often
LETTERS_FLOOR = regex.compile("zqxjv")


def _record(benchmark, timings, name: str, docs: list[Doc]) -> float:
    if benchmark.stats is None:  # --benchmark-disable: the code ran once, untimed
        return 0.0
    best = benchmark.stats.stats.min  # the best round: least disturbed by other processes
    mb = megabytes(docs)
    benchmark.extra_info["MB"] = round(mb, 3)
    benchmark.extra_info["MB/s"] = round(mb / best, 2)
    timings[name] = best
    return best


def test_floor(benchmark, corpus, timings) -> None:
    def run() -> int:
        return sum(FLOOR.search(d.text) is None for d in corpus)

    assert benchmark(run) == len(corpus)
    _record(benchmark, timings, "floor", corpus)


def test_floor_letters(benchmark, corpus, timings) -> None:
    def run() -> int:
        return sum(LETTERS_FLOOR.search(d.text) is None for d in corpus)

    assert benchmark(run) == len(corpus)
    _record(benchmark, timings, "floor2", corpus)


@pytest.mark.parametrize("ruleset", RULESETS)
def test_naive(benchmark, corpus, timings, ruleset: str) -> None:
    rules = RULESETS[ruleset]

    def run() -> list[str]:
        return [reference_clean(rules, d.text, d.url, d.publisher) for d in corpus]

    out = benchmark.pedantic(run, rounds=5, iterations=1)
    assert len(out) == len(corpus)
    _record(benchmark, timings, f"naive[{ruleset}]", corpus)


@pytest.mark.parametrize("ruleset", RULESETS)
def test_engine(benchmark, corpus, timings, ruleset: str) -> None:
    engine = Cleaner().engine if ruleset == "default" else Engine(RULESETS[ruleset], timeout=5.0)

    def run() -> list[str]:
        return [engine.run(d.text, url=d.url, publisher=d.publisher).text for d in corpus]

    out = benchmark.pedantic(run, rounds=10, iterations=1)
    assert len(out) == len(corpus)
    mean = _record(benchmark, timings, f"engine[{ruleset}]", corpus)
    if not mean:
        return
    if f"naive[{ruleset}]" in timings:
        benchmark.extra_info["naive/engine"] = round(timings[f"naive[{ruleset}]"] / mean, 2)
    for floor in ("floor", "floor2"):
        if timings.get(floor):
            benchmark.extra_info[f"engine/{floor}"] = round(mean / timings[floor], 2)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_alone(benchmark, corpus, rule) -> None:
    """Each rule alone through the engine: where the time goes, rule by rule."""
    engine = Engine([rule], timeout=5.0)

    def run() -> int:
        return sum(engine.run(d.text, url=d.url, publisher=d.publisher).text != d.text
                   for d in corpus)  # fmt: skip

    changed = benchmark.pedantic(run, rounds=3, iterations=1)
    benchmark.extra_info["docs changed"] = changed
    if benchmark.stats is not None:
        benchmark.extra_info["MB/s"] = round(megabytes(corpus) / benchmark.stats.stats.min, 2)


def test_compile_default(benchmark) -> None:
    """Load and compile the default rule set from scratch (regex's cache purged each round)."""

    def setup():
        regex.purge()
        re.purge()
        from cleaner import api

        api._bundled.cache_clear()
        return (), {}

    cleaner = benchmark.pedantic(Cleaner, setup=setup, rounds=10, iterations=1)
    assert cleaner.rules
