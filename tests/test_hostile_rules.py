"""Rule files written the way an author (or an attacker) might: the engine's output equals the
reference loop's."""

from __future__ import annotations

import pytest

from cleaner.engine.reference import reference_explain
from cleaner.engine.run import Engine
from cleaner.model import Rule


@pytest.mark.parametrize("candidates", ["^[A-Z]{3}", "[A-Z ]{7}$", "^(?:[A-Z]+ )+[A-Z]+$"])
@pytest.mark.parametrize("text", ["a quiet line\nBUY IT NOW\nlast words",
                                  "BUY IT NOW\nsome words\nSELL IT NOW",
                                  "one\ntwo\nBIG NEWS TODAY"])  # fmt: skip
def test_line_rule_candidates_anchors_mean_the_line(candidates, text):
    """``^``/``$`` in a line rule's candidates found only the text's first (last) line."""
    rule = Rule(id="x.caps-line", description="d", kind="drop-line",
                pattern="[A-Z]{3}[A-Z ]*", candidates=candidates)  # fmt: skip
    got = Engine([rule]).run(text, explain=True)
    want = reference_explain([rule], text)
    assert (got.text, got.edits) == (want.text, want.edits)


@pytest.mark.parametrize("body", ["x = " + "[" * 100_000 + "]" * 100_000,
                                  "x = " + "{a=" * 5_000 + "1" + "}" * 5_000],
                         ids=["arrays", "tables"])  # fmt: skip
def test_deeply_nested_toml_is_a_load_error(tmp_path, body):
    """tomllib recursed into a RecursionError: a traceback and exit 1 from the CLI."""
    from cleaner import Cleaner
    from cleaner.ruleset.load import RuleLoadError

    path = tmp_path / "deep.toml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(RuleLoadError, match="nested too deeply"):
        Cleaner(rules=[path])


def _nested_rule(kind: str, field: str, depth: int) -> str:
    group = "(?:" * depth + "a" + ")" * depth
    pattern = group if field == "pattern" else "a"
    lines = [
        "[[rule]]",
        'id = "x.nested"',
        'description = "d"',
        f'kind = "{kind}"',
        f"pattern = '{pattern}'",
        'trigger = ["a"]',
    ]
    if field == "candidates":
        lines.append(f"candidates = '{group}'")
    if kind == "replace":
        lines += ['replacement = ""', "[[rule.change]]", 'input = "xa"', 'output = "x"']
    else:
        lines += ["[[rule.change]]", 'input = "x\\na\\ny"', 'output = "x\\ny"']
    return "\n".join([*lines, "[[rule.keep]]", 'input = "b"', ""])


@pytest.mark.parametrize("kind", ["replace", "drop-line"])
@pytest.mark.parametrize("field", ["pattern", "candidates"])
@pytest.mark.parametrize("depth", [65, 192, 3000])
def test_deeply_nested_groups_are_a_load_error(tmp_path, kind, field, depth):
    """3,000 nested groups made the regex parser overflow the stack: a RecursionError traceback
    from ``rules check`` and ``clean``; 192 compiled at load and overflowed in the engine, whose
    call stack is deeper (a drop-line rule). Groups may nest 64 deep."""
    from cleaner import Cleaner
    from cleaner.ruleset.load import RuleLoadError

    path = tmp_path / "nested.toml"
    path.write_text(_nested_rule(kind, field, depth), encoding="utf-8")
    with pytest.raises(RuleLoadError, match=f"groups nest {depth} deep, at most 64"):
        Cleaner(rules=[path])


@pytest.mark.parametrize("kind", ["replace", "drop-line"])
def test_groups_nested_64_deep_load_and_run(tmp_path, kind):
    from cleaner import Cleaner

    path = tmp_path / "nested.toml"
    path.write_text(_nested_rule(kind, "pattern", 64), encoding="utf-8")
    text = "x\na\ny" if kind == "drop-line" else "xa"
    assert Cleaner(rules=[path]).clean(text) == ("x\ny" if kind == "drop-line" else "x")


def test_a_rule_that_grows_the_document_is_stopped(tmp_path):
    """'a' -> 'aa' doubled the text each pass for the four passes that may lengthen it (a
    400-fold replacement went on to gigabytes before the time limit): a document may grow to
    twice its length and MAX_GROWTH characters more, then the rule is named in an error."""
    from cleaner.engine.run import MAX_GROWTH

    rule = Rule(id="x.grow", description="d", kind="replace", pattern="a", replacement="aa",
                trigger=("a",))  # fmt: skip
    text = "a" * (MAX_GROWTH // 2)
    got = Engine([rule]).run(text)
    assert got.text == text and got.error is not None
    assert "x.grow" in got.error and "grew the document" in got.error
    small = Engine([rule]).run("a b")  # (grows, but within the bound: as the reference does)
    assert small.error is None and small.text == reference_explain([rule], "a b").text
