"""One document cannot stop a run, and no input crashes the engine (issue 14.1, 14.4)."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, clean
from cleaner.batch import clean_batch
from cleaner.engine.reference import reference_explain
from cleaner.engine.run import SURROGATE_RULE, Engine
from cleaner.model import Rule, apply_edits

CLEANERS = [Cleaner(), Cleaner("extended"), Cleaner(select=["*hovercard*"])]


def _boom(text: str):
    raise ValueError("broken rule")


def test_a_rule_that_raises_leaves_the_document_unchanged_and_names_itself():
    rules = [
        Rule("t.first", "d", "replace", pattern="a", replacement="b", trigger=("a",)),
        Rule("t.broken", "d", "replace", pattern="x", trigger=("x",)),
    ]
    engine = Engine(rules, timeout=None)
    engine.slots[1].function = _boom  # as a function rule with a bug would
    result = engine.run("a x", explain=True)
    assert result.text == "a x" and result.edits == []
    assert "t.broken" in result.error and "ValueError" in result.error
    assert "broken rule" in result.error
    # the next document is cleaned as usual
    assert engine.run("a y").text == "b y" and engine.run("a y").error is None


def test_a_function_rule_raising_timeout_without_a_limit_passes_through():
    """A rule's own TimeoutError with no time limit set once crashed on formatting the limit."""

    def slow(text: str):
        raise TimeoutError("gave up")

    engine = Engine([Rule("t.x", "d", "replace", pattern="x", trigger=("x",))], timeout=None)
    engine.slots[0].function = slow
    result = engine.run("a x")
    assert result.text == "a x" and "'t.x'" in result.error


def test_a_line_rule_time_out_names_the_rule_not_the_stage():
    rules = [
        Rule("t.quick", "d", "drop-line", pattern="Share", trigger=("Share",)),
        Rule("t.slow", "d", "drop-line", pattern="(a|aa)+c", trigger=("a",), max_chars=2000),
    ]
    result = Engine(rules, timeout=0.05).run("Share\n" + "a" * 40 + "\nend")
    assert result.text == "Share\n" + "a" * 40 + "\nend"
    assert "'t.slow'" in result.error and "time limit" in result.error


@pytest.mark.parametrize(
    "text",
    ["lone \ud800", "a\ud800b", "\udfff", "\udc00\ud800", "x\ud83d\ude00y", "Nora Bell\ud800MORE"],
)
def test_surrogates_become_a_recorded_edit(text):
    for cleaner in CLEANERS:
        result = cleaner.explain(text)
        assert result.error is None
        result.text.encode("utf-8")  # a writer can write it
        assert cleaner.clean(text) == result.text
        assert apply_edits(text, result.edits) == result.text
        assert SURROGATE_RULE in {e.rule for e in result.edits}
        assert reference_explain(cleaner.rules, text).edits == result.edits
    assert clean(text).encode("utf-8")
    assert [t.encode("utf-8") for t in clean_batch([text, "ok"])]


def test_a_surrogate_pair_becomes_its_character():
    result = Cleaner().explain("x\ud83d\ude00y")
    assert result.text == "x\U0001f600y"
    assert [(e.rule, e.removed, e.replacement) for e in result.edits] == [
        (SURROGATE_RULE, "\ud83d\ude00", "\U0001f600")
    ]


def test_lone_surrogate_becomes_the_replacement_character():
    assert Cleaner().clean("lone \ud800 here") == "lone \ufffd here"


@pytest.mark.parametrize("explain", [False, True])
def test_an_engine_without_rules_returns_the_text_unchanged(explain):
    result = Engine([]).run("a  b\n\n\n", explain=explain)
    assert result.text == "a  b\n\n\n" and result.edits == [] and result.error is None
    # and a lone surrogate is still repaired (an engine step of its own, before any rule)
    assert Engine([]).run("a\ud800b").text == "a\ufffdb"


def test_a_time_limit_used_up_before_a_rule_does_not_blame_it():
    """The check before each step blamed the step it stopped ("rule 't.after' exceeded the
    time limit") when the time had gone to the steps before it: 10 MB of spaces timed out
    "in" whitespace.document-edges after 5 s of scanning."""
    import time

    def slow(text: str):
        time.sleep(0.06)  # (a function runs without the limit's clock)
        return []

    rules = [
        Rule("t.slow", "d", "replace", pattern="x", trigger=("x",)),
        Rule("t.after", "d", "replace", pattern="y", trigger=("y",)),
    ]
    engine = Engine(rules, timeout=0.05)
    engine.slots[0].function = slow
    result = engine.run("x y")
    assert result.text == "x y"
    assert result.error == (
        "the document used up the 0.05s per-document regex time limit before rule 't.after' "
        "(in the steps before it)"
    )
