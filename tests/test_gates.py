"""The multi-literal scan kept up to date through edits equals a fresh scan of the edited text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.engine import scan as gates
from cleaner.engine.scan import Scan, scanned
from cleaner.model import splice

ahocorasick_rs = pytest.importorskip("ahocorasick_rs")

LITERALS = ["ab", "b", "aba", "ba\n", "\n\n", "cab", "  "]
AUTOMATON = ahocorasick_rs.AhoCorasick(LITERALS, implementation=ahocorasick_rs.Implementation.DFA)
PAD = max(map(len, LITERALS)) - 1


@st.composite
def _edits(draw):
    text = draw(st.text(alphabet="abc \n", max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        spans.append((start, end, draw(st.text(alphabet="abc \n", max_size=4))))
    return text, spans


def _fresh(text: str) -> list[tuple[int, int, int]]:
    return sorted(AUTOMATON.find_matches_as_indexes(text, overlapping=True))


def _same(scan: Scan, text: str) -> None:
    """Positions and presence of the literals equal a fresh scan."""
    fresh = _fresh(text)
    assert sorted(scan.matches(text)) == fresh
    assert scan.present(text) == {h[0] for h in fresh}


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
        text, spans = first
        scan = Scan(AUTOMATON, PAD)
        scan.matches(text)
        edited = splice(text, spans)
        scan.update(edited, spans)
        _same(scan, edited)
        # a second edit on the updated hits (the offsets must have moved right)
        _, spans2 = second
        spans2 = [(min(s, len(edited)), min(e, len(edited)), r) for s, e, r in spans2]
        again = splice(edited, spans2)
        scan.update(again, spans2)
        _same(scan, again)

    check()


def test_scan_in_pieces_equals_one_scan(monkeypatch) -> None:
    """A long text is scanned in pieces (each with the pad after it): the same hits, each once,
    also when the pieces are shorter than the literals."""

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="abc \n", max_size=80), st.integers(1, 9))
    def check(text, piece) -> None:
        monkeypatch.setattr(gates, "PIECE", piece)
        assert sorted(Scan(AUTOMATON, PAD).find(text)) == _fresh(text)

    check()


def test_update_examples(monkeypatch) -> None:
    monkeypatch.setattr(gates, "SMALL_TEXT", 0)
    scan = Scan(AUTOMATON, PAD)
    text = "xab b\n\nc"
    scan.matches(text)
    # deleting " b" joins "ab" and "\n\n" untouched; inserting "a" after "c" makes nothing new
    spans = [(3, 5, ""), (8, 8, "ab")]
    edited = splice(text, spans)
    assert edited == "xab\n\ncab"
    scan.update(edited, spans)
    assert sorted(scan.hits) == _fresh(edited)
    assert {LITERALS[h[0]] for h in scan.hits} == {"ab", "b", "\n\n", "cab"}


def test_scanned_literals() -> None:
    """Rare single characters join the scan; frequent ones are cheaper as one ``in`` test."""
    assert scanned("ab") and scanned(" \n")
    assert scanned("\x00") and scanned("\u200b") and scanned("\xa0")
    assert not scanned(",") and not scanned("&") and not scanned("\n") and not scanned("\t")


def test_one_scan_serves_every_round() -> None:
    """A long document that needs a second round (collapsing the spaces lets the update line
    go) is scanned once: the hits are kept through every edit, then the next round uses them."""
    from cleaner.api import Cleaner

    engine = Cleaner().engine
    assert engine.automaton is not None
    scans: list[int] = []

    class Counting:
        def find_matches_as_indexes(self, text, overlapping):
            scans.append(len(text))
            return engine_automaton.find_matches_as_indexes(text, overlapping=overlapping)

    engine_automaton, engine.automaton = engine.automaton, Counting()
    body = "The council met on Tuesday and voted on the new budget for the town. " * 30
    text = f"Town budget passes\n{body}\nUpdated    at 4:12 p.m. ET\n{body}"
    result = engine.run(text)
    assert "Updated" not in result.text and "  " not in result.text
    assert scans[0] == len(text)  # the whole text, once
    assert all(n < 200 for n in scans[1:]), scans  # then only windows around the edits


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 2, "")],  # the start: every hit moves left
        [(7, 9, "")],  # the end
        [(0, 2, ""), (7, 9, "")],  # both, as whitespace.document-edges cuts
        [(0, 3, ""), (6, 9, "")],  # cutting into a hit at each edge drops it
        [(0, 9, "")],  # all of it
        [(0, 0, ""), (0, 1, ""), (1, 2, "")],  # pieces of one cut (an empty one first)
        [(0, 2, ""), (4, 5, "")],  # one not at an edge: the usual way (forgotten, short text)
    ],
)
def test_cuts_at_the_edges_keep_the_other_hits(spans, monkeypatch) -> None:
    """A deletion at the text's start or end joins nothing: the hits outside it move, none is
    found again (the text's edges are cut by document-edges in a document out of four)."""
    monkeypatch.setattr(gates, "SMALL_TEXT", 10_000)  # (a short text would be scanned again)
    scan = Scan(AUTOMATON, PAD)
    text = "\n\nab ba\n\n"
    scan.matches(text)
    edited = splice(text, spans)
    scan.update(edited, spans)
    assert (scan.text is edited) == (spans[-1] != (4, 5, ""))  # kept, unless not at the edges
    assert sorted(scan.matches(edited)) == _fresh(edited)
