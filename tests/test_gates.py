"""The multi-literal scan kept up to date through edits equals a fresh scan of the edited text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.engine import scan as gates
from cleaner.engine.scan import Keep, Scan, scanned
from cleaner.model import splice

ahocorasick_rs = pytest.importorskip("ahocorasick_rs")

LITERALS = ["ab", "b", "aba", "ba\n", "\n\n", "cab", "  "]
AUTOMATON = ahocorasick_rs.AhoCorasick(LITERALS, implementation=ahocorasick_rs.Implementation.DFA)
ALL = frozenset(range(len(LITERALS)))


@st.composite
def _edits(draw):
    text = draw(st.text(alphabet="abc \n", max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        spans.append((start, end, draw(st.text(alphabet="abc \n", max_size=4))))
    keep = frozenset(draw(st.sets(st.integers(0, len(LITERALS) - 1), min_size=1)))
    return text, spans, keep


def _fresh(text: str, keep: frozenset[int]) -> list[tuple[int, int, int]]:
    return sorted(
        h for h in AUTOMATON.find_matches_as_indexes(text, overlapping=True) if h[0] in keep
    )


def _same(scan: Scan, text: str, keep: frozenset[int]) -> None:
    """Positions and presence of the kept literals equal a fresh scan."""
    fresh = _fresh(text, keep)
    assert sorted(h for h in scan.matches(text) if h[0] in keep) == fresh
    assert scan.present(text) & keep == {h[0] for h in fresh}


@pytest.mark.parametrize("crowded", [False, True], ids=["sparse", "crowded"])
def test_update_equals_a_fresh_scan(crowded, monkeypatch) -> None:
    """Sparse: hits are moved and rescanned around edits. Crowded (the thresholds at 0): the
    hits are forgotten and the next question scans again."""
    monkeypatch.setattr(gates, "SMALL_TEXT", 0)  # the examples are short texts
    if crowded:
        monkeypatch.setattr(gates, "DENSE_SHIFT", 30)
        monkeypatch.setattr(gates, "DENSE_MIN", -1)

    @settings(max_examples=400, deadline=None)
    @given(_edits(), _edits())
    def check(first, second) -> None:
        text, spans, keep = first
        scan = Scan(AUTOMATON)
        scan.matches(text)
        edited = splice(text, spans)
        scan.update(edited, spans, Keep(keep, LITERALS))
        _same(scan, edited, keep)
        # a second edit on the updated hits (the offsets must have moved right)
        _, spans2, keep2 = second
        spans2 = [(min(s, len(edited)), min(e, len(edited)), r) for s, e, r in spans2]
        again = splice(edited, spans2)
        both = keep & keep2 or keep
        scan.update(again, spans2, Keep(both, LITERALS))
        _same(scan, again, both)

    check()


def test_update_examples(monkeypatch) -> None:
    monkeypatch.setattr(gates, "SMALL_TEXT", 0)
    scan = Scan(AUTOMATON)
    text = "xab b\n\nc"
    scan.matches(text)
    # deleting " b" joins "ab" and "\n\n" untouched; inserting "a" after "c" makes nothing new
    spans = [(3, 5, ""), (8, 8, "ab")]
    edited = splice(text, spans)
    assert edited == "xab\n\ncab"
    scan.update(edited, spans, Keep(ALL, LITERALS))
    assert sorted(scan.hits) == _fresh(edited, ALL)
    assert {LITERALS[h[0]] for h in scan.hits} == {"ab", "b", "\n\n", "cab"}


def test_scanned_literals() -> None:
    """Rare single characters join the scan; frequent ones are cheaper as one ``in`` test."""
    assert scanned("ab") and scanned(" \n")
    assert scanned("\x00") and scanned("\u200b") and scanned("\xa0")
    assert not scanned(",") and not scanned("&") and not scanned("\n") and not scanned("\t")
