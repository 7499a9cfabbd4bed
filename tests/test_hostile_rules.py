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
