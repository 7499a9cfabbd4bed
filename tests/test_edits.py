"""Edit offsets are exact: replaying the edits on the input gives the output."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.engine.edits import compose, to_edits
from cleaner.engine.reference import reference_explain
from cleaner.model import apply_edits, splice
from cleaner.ruleset.load import load_rules

CLEANER = Cleaner()
ALL = Cleaner("extended")


def test_offsets_point_into_the_input():
    text = "Senator Nora Bell Nora Ann BellBudget passes MORE said\u00a0so.  \r\n"
    result = CLEANER.explain(text)
    assert result.text == "Senator Nora Bell said so."
    for e in result.edits:
        assert text[e.start : e.end] == e.removed
    card = [e for e in result.edits if e.rule == "thehill.hovercard"]
    assert [c.removed for c in card] == [" Nora Ann BellBudget passes MORE"]
    assert apply_edits(text, result.edits) == result.text


def test_a_later_rule_that_removes_an_earlier_rules_output_leaves_both_credited():
    # NBSP -> space (normalize), then the two spaces collapse (whitespace): the NBSP's space is
    # the one removed, so unicode.spaces is the rule that took the NBSP out of the input.
    result = CLEANER.explain("a \u00a0b")
    assert [(e.rule, e.start, e.end, e.removed, e.replacement) for e in result.edits] == [
        ("unicode.spaces", 2, 3, "\u00a0", "")
    ]


def test_line_rule_keeps_its_credit_when_blank_lines_tidy_up_around_it():
    # the ads line goes (its rule), then three newlines become two (whitespace): each rule is
    # credited with what it removed, and the whitespace rule removed whitespace only
    text = "First paragraph.\n\nAdvertisement\n\nSecond paragraph."
    result = CLEANER.explain(text)
    assert result.text == "First paragraph.\n\nSecond paragraph."
    by_rule = {e.rule: e.removed for e in result.edits}
    assert "Advertisement" in "".join(v for k, v in by_rule.items() if k.startswith("ads."))
    for e in result.edits:
        if e.rule.startswith("whitespace."):
            assert e.removed.isspace() or not e.removed
    assert apply_edits(text, result.edits) == result.text


def test_compose_keeps_touching_edits_apart():
    original = "abcdef"
    acc = compose(original, [], [(1, 2, "", "r1")])  # delete b -> "acdef"
    acc = compose(original, acc, [(1, 2, "X", "r2")])  # c -> X in "acdef"
    assert [(s, e, r) for s, e, r, _ in acc] == [(1, 2, ""), (2, 3, "X")]
    assert splice(original, [(s, e, r) for s, e, r, _ in acc]) == "aXdef"
    assert [e.rule for e in to_edits(original, acc)] == ["r1", "r2"]


def test_compose_inside_an_earlier_replacement():
    original = "ab"
    acc = compose(original, [], [(1, 1, "XYZ", "r1")])  # insert -> "aXYZb"
    acc = compose(original, acc, [(2, 3, "", "r2")])  # drop Y -> "aXZb"
    assert [e.replacement for e in to_edits(original, acc)] == ["XZ"]


def test_compose_credits_each_removed_character():
    original = "a<b>c d"
    acc = compose(original, [], [(1, 4, " ", "tags")])  # "a c d"
    acc = compose(original, acc, [(0, 4, "", "cut")])  # removes "a", the tag's space, "c "
    edits = to_edits(original, acc)
    assert [(e.rule, e.removed, e.replacement) for e in edits] == [
        ("cut", "a", ""),
        ("tags", "<b>", ""),
        ("cut", "c ", ""),
    ]
    assert apply_edits(original, edits) == "d"


PIECES = st.sampled_from([
    " ", "  ", "\u00a0", "\n", "\n\n\n", "\r\n", "\t", "\u200b", "\u00ad", "word", "Word",
    " MORE", "MORE", "Nora Bell", " Nora Ann Bell", "Budget passes", "\ufeff", "\x00", "\u3000",
    "READ MORE:", ".", "“", "’s",
])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_replaying_edits_reproduces_output(text):
    for cleaner in (CLEANER, ALL):
        result = cleaner.explain(text)
        assert result.text == cleaner.clean(text)
        assert apply_edits(text, result.edits) == result.text
        previous_end = 0
        for e in result.edits:
            assert previous_end <= e.start <= e.end and text[e.start : e.end] == e.removed
            previous_end = e.end


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_cleaning_twice_equals_once(text):
    once = CLEANER.clean(text)
    assert CLEANER.clean(once) == once


def test_every_rule_example_replays_exactly():
    for rule in load_rules():
        alone = Cleaner(select=[rule.id])
        for ex in rule.examples:
            for cleaner in (CLEANER, alone):
                result = cleaner.explain(ex.input, url=ex.url, publisher=ex.publisher)
                assert apply_edits(ex.input, result.edits) == result.text, (rule.id, ex.name)


def test_tidy_up_after_removals_is_stable():
    # hypothesis found it: a hovercard removal left "Bell.Nora", which the glued-sentence rule
    # fixed only on a second pass until it moved to the whitespace stage (after every removal).
    once = CLEANER.clean("Nora BellNora Bell MORE.Nora Bell")
    assert once == "Nora Bell. Nora Bell" and CLEANER.clean(once) == once


@pytest.mark.shared
@pytest.mark.parametrize("folder", ["real", "real2", "real3"])
def test_real_corpora_replay_exactly_and_reach_a_fixed_point(shared_corpus, folder):
    """On every real document, both presets: edits replay to the output, sorted and not
    overlapping, whitespace rules remove only whitespace, and cleaning again changes nothing."""
    for path in sorted((shared_corpus / folder).glob("*.jsonl")):
        for line in path.open("rb"):
            rec = orjson.loads(line)
            text = rec.get("text")
            if not isinstance(text, str):
                continue
            for cleaner in (CLEANER, ALL):
                result = cleaner.explain(text, url=rec.get("url"))
                assert result.error is None
                assert apply_edits(text, result.edits) == result.text, (path.name, rec.get("url"))
                _sorted_and_credited(text, result.edits)
                assert cleaner.clean(result.text, url=rec.get("url")) == result.text


def _sorted_and_credited(text, edits):
    previous_end = 0
    for e in edits:
        assert previous_end <= e.start <= e.end and text[e.start : e.end] == e.removed
        assert e.removed != e.replacement
        if e.rule.startswith("whitespace."):
            assert not e.removed.strip(), e
        previous_end = e.end


TRICKY = st.sampled_from([
    "Ã©", "â€™", "Â", "\x13", "\x0b", "\x0f", "<i", ">", "<b>", "&amp;", "&amp;amp;", "  ", "    ",
    "\n", "\n\n\n", "Updated", " at 4:12 p.m. ET", "Advertisement", ".", "Nora Bell", "MORE",
    "\u00a0", "\u200b", "cafÃ© ", "Click here", ", click here", "word ", "The ",
])  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(PIECES, TRICKY), max_size=40).map("".join))
def test_tricky_text_replays_credits_and_is_stable(text):
    for cleaner in (CLEANER, ALL):
        result = cleaner.explain(text)
        assert apply_edits(text, result.edits) == result.text
        _sorted_and_credited(text, result.edits)
        assert cleaner.clean(result.text) == result.text


@pytest.mark.parametrize(
    "text",
    [
        "The cafÃ© was open.  The  band played.",
        "\x13â€™\x13",
        "Updated    at 4:12 p.m. ET\nThe story goes on.",
        "<i\x0f>",
        "\x0bâ€™",
    ],
)
def test_the_issue_15_cases(text):
    for cleaner in (CLEANER, ALL):
        result = cleaner.explain(text)
        assert apply_edits(text, result.edits) == result.text
        _sorted_and_credited(text, result.edits)
        assert cleaner.clean(result.text) == result.text
        assert reference_explain(cleaner.rules, text).edits == result.edits


def test_a_rule_that_peels_one_match_a_pass_reaches_its_fixed_point():
    # found by the long fuzz campaign: extended.copyright-tail removes a notice within 120
    # characters of the line end, which brings the notice before it within reach; each pass
    # shortens the text, so the stages run until none is left (not a fixed number of times)
    text = "Body." + " Copyright 2020 " + "x" * 110 + (" Copyright 2021 " + "y" * 100) * 6
    result = ALL.explain(text)
    assert result.text == "Body."
    assert ALL.clean(result.text) == result.text
    assert reference_explain(ALL.rules, text).edits == result.edits


def test_a_round_ends_after_the_last_step_that_changed_the_previous_one(monkeypatch):
    """The steps after the previous round's last edit saw its output and found nothing: while
    the new round has changed nothing, it stops there. The output is the reference's."""
    from cleaner.engine import run, steps
    from cleaner.model import Rule

    rules = [
        Rule("t.edges", "d", "replace", stage="normalize", pattern=r"\A +", trigger=(" ",)),
        Rule("t.dash", "d", "replace", pattern="-(?=-)", trigger=("-",)),
        Rule("t.gap", "d", "replace", stage="whitespace", pattern=r" +(?= |\Z)",
             trigger=(" ",)),
    ]  # fmt: skip
    ran: list[str] = []
    spans = steps.InlineStep.spans
    monkeypatch.setattr(steps.InlineStep, "spans", lambda s, *a: ran.append(s.id) or spans(s, *a))
    engine = run.Engine(rules, multi_literal=False)
    # only the edges change: the second round runs the first step, then stops
    assert engine.run("  a - b").text == "a - b"
    assert ran == ["t.edges", "t.dash", "t.gap", "t.edges"]
    # the last step changes the text: the second round runs every step again
    ran.clear()
    assert engine.run("a -- b  --c ").text == "a - b -c"
    assert ran == ["t.edges", "t.dash", "t.gap"] * 2
    for text in ("  a - b", "a -- b  --c ", "  a  ----  b"):
        assert engine.run(text).text == reference_explain(rules, text).text


def test_a_rule_that_settles_ends_the_next_round_before_itself(monkeypatch):
    """A function rule registered with ``settles=True`` finds nothing in its own output: after
    it edits, the next round stops before it, and when it runs first, there is no next round.
    The output is the reference's."""
    from cleaner.engine import run, steps
    from cleaner.model import Rule

    edges = Rule("t.edges", "d", "function", stage="normalize",
                 function="cleaner.families.whitespace:document_edges")  # fmt: skip
    dash = Rule("t.dash", "d", "replace", stage="normalize", pattern="-(?=-)", trigger=("-",))
    gap = Rule("t.gap", "d", "replace", stage="whitespace", pattern=r" +(?= )", trigger=(" ",))
    ran: list[str] = []
    spans = steps.InlineStep.spans
    monkeypatch.setattr(steps.InlineStep, "spans", lambda s, *a: ran.append(s.id) or spans(s, *a))
    for rules, want in (
        ([dash, edges, gap], ["t.dash", "t.edges", "t.gap", "t.dash"]),
        ([edges, dash, gap], ["t.edges", "t.dash", "t.gap"]),
    ):
        ran.clear()
        assert run.Engine(rules, multi_literal=False).run("  a - b \n").text == "a - b"
        assert ran == want
        for text in ("  a - b \n", " a -- b  ", "a--b"):
            assert run.Engine(rules).run(text).text == reference_explain(rules, text).text
