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
