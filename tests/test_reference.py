"""The engine's output is byte-identical to the naive reference loop (cleaner.engine.reference)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.engine.reference import reference_clean, reference_explain
from cleaner.engine.run import Engine
from cleaner.model import Edit, Rule, Where, apply_edits
from cleaner.ruleset.load import load_rules

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))
RULES = load_rules()
try:
    import ahocorasick_rs  # noqa: F401

    MULTI = [False, True]  # one scan per trigger literal; one Aho-Corasick scan for all
except ImportError:  # the optional multi-literal scan is not installed
    MULTI = [False]
ENGINES = [Engine(RULES, timeout=None, multi_literal=m) for m in MULTI]


def _same(text: str, url: str | None = None, publisher: str | None = None) -> None:
    expected = reference_explain(RULES, text, url=url, publisher=publisher)
    for engine in ENGINES:
        got = engine.run(text, url=url, publisher=publisher)
        assert got.error is None
        assert got.text == expected.text
        explained = engine.run(text, url=url, publisher=publisher, explain=True)
        assert explained.text == got.text
        assert explained.edits == expected.edits  # the same rule credited for every character


def _records(paths: list[Path]):
    for path in paths:
        with path.open("rb") as f:
            for line in f:
                if line.strip():
                    rec = orjson.loads(line)
                    if isinstance(rec.get("text"), str):
                        yield rec


EXAMPLES = [(r.id, e) for r in RULES for e in r.examples]


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{r}:{i}" for i, (r, _) in enumerate(EXAMPLES)]
)
def test_rule_examples(rule: str, example) -> None:
    _same(example.input, example.url, example.publisher)


def test_repo_corpus() -> None:
    files = sorted((ROOT / "corpus").rglob("*.jsonl"))
    texts = sorted((ROOT / "corpus").rglob("*.txt"))
    n = 0
    for rec in _records(files):
        _same(rec["text"], rec.get("url"), rec.get("publisher"))
        n += 1
    for path in texts:
        _same(path.read_text(encoding="utf-8"))
        n += 1
    if n == 0:
        pytest.skip("no corpus/ files in this checkout")


def test_multi_literal_scan_is_used() -> None:
    """The forced multi-literal engine really scans (else the tests above prove nothing)."""
    if True not in MULTI:
        pytest.skip("ahocorasick_rs is not installed")
    assert SYNTHETIC_ENGINES[1].scan_literals
    assert "Related" in SYNTHETIC_ENGINES[1].scan_literals
    assert SYNTHETIC_ENGINES[0].scan_literals is None


def test_line_rules_match_reference() -> None:
    """drop-line / cut-tail / max_chars / first-rule-wins, on rules written for the test."""
    rules = [
        Rule(
            "t.drop",
            "d",
            "drop-line",
            pattern="Share this( story)?",
            trigger=("Share",),
            max_chars=20,
        ),
        Rule(
            "t.cut",
            "d",
            "cut-tail",
            pattern="related stories:?",
            ignore_case=True,
            trigger=("related",),
        ),
        Rule("t.x", "d", "replace", pattern="x+", replacement="y", trigger=("x",)),
    ]
    engine = Engine(rules, timeout=None)
    text = (
        "Body xx.\n  Share this \t\nShare this story and more text here\nRELATED STORIES\n"
        "tail\nShare this"
    )
    expected = "Body y.\nShare this story and more teyt here\n"
    assert reference_clean(rules, text) == expected
    assert engine.run(text).text == expected
    assert engine.run("a\nShare this").text == reference_clean(rules, "a\nShare this") == "a\n"


def test_a_cut_takes_the_lines_after_it_whatever_rule_matches_them() -> None:
    """The tail a cut-tail rule removes is its edit, lines an earlier-listed drop-line rule
    matches included (the reference once credited those to the drop-line rule)."""
    drop = Rule("t.drop", "d", "drop-line", pattern="Ad", trigger=("Ad",))
    cut = Rule("t.cut", "d", "cut-tail", pattern="Related", trigger=("Related",))
    text = "Intro\nAd\nRelated\nMore\nAd\nEnd"
    want = [
        Edit("t.drop", 6, 9, "Ad\n", ""),
        Edit("t.cut", 9, len(text), "Related\nMore\nAd\nEnd", ""),
    ]
    assert reference_explain([drop, cut], text).edits == want
    assert Engine([drop, cut], timeout=None).run(text, explain=True).edits == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Story.\n\nAd\n\nMore.", "Story.\n\nMore."),  # a paragraph of its own
        ("Ad\n\nMore.", "More."),  # first in the text
        ("Story.\n\nAd\nAd\n\nMore.", "Story.\n\nMore."),  # a run of dropped lines
        ("Story.\n\nAd\n\nAd\n\nMore.", "Story.\n\nMore."),
        ("Story.\n\nAd\n\n", "Story.\n\n"),
        ("Story.\n\nAd", "Story.\n\n"),  # no newline after it: nothing more to take
        ("Story.\nAd\n\nMore.", "Story.\n\nMore."),  # the last line of a paragraph
        ("Story.\n\nAd\nMore.", "Story.\n\nMore."),  # the first line of a paragraph
        ("Story.\n\nAd\n \nMore.", "Story.\n\n \nMore."),  # a line of spaces is not empty
    ],
)
def test_a_dropped_paragraph_takes_one_blank_line(text: str, want: str) -> None:
    """A dropped line with an empty line (or the start) before it and an empty line after it
    takes the empty line after it: one pass of the line rule leaves one blank line."""
    rule = Rule("t.ad", "d", "drop-line", pattern="Ad", trigger=("Ad",))
    engine = Engine([rule], timeout=None)
    engine.fixed_point = False  # one pass
    assert engine.run(text).text == want
    assert reference_clean([rule], text) == want
    assert engine.run(text, explain=True).edits == reference_explain([rule], text).edits


def _fragments() -> list[str]:
    frags = {"\n", "\n\n", " ", "  ", "\t", "MORE", "a", "Bell "}
    for r in RULES:
        frags.update(r.trigger)
        for e in r.examples:
            frags.add(e.input)
            words = e.input.split(" ")
            frags.update(" ".join(words[i : i + 3]) for i in range(0, len(words), 2))
    return sorted(frags)


FRAGMENTS = _fragments()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.sampled_from(["", " ", "\n"]))
def test_generated_inputs(parts: list[str], sep: str) -> None:
    _same(sep.join(parts))


def _shared_files() -> list[Path]:
    corpus = SHARED / "corpus"
    return [p for d in ("real", "real2", "real3") for p in sorted((corpus / d).glob("*.jsonl"))]


@pytest.mark.shared
def test_shared_corpus() -> None:
    files = _shared_files()
    if not files:
        pytest.skip(f"needs the shared corpus at {SHARED / 'corpus'} (set CLEANER_SHARED)")
    n = 0
    for rec in _records(files):
        _same(rec["text"], rec.get("url"), rec.get("publisher"))
        n += 1
    assert n > 1000


PATHOLOGICAL = """
[[rule]]
id = "test.pathological"
description = "Catastrophic backtracking on purpose."
kind = "replace"
pattern = '(a|aa)+$'
replacement = "A"
trigger = ["a"]

[[rule.change]]
input = "xaa"
output = "xA"

[[rule.keep]]
input = "ab"
"""


def test_timeout_passes_document_through(tmp_path: Path) -> None:
    """A pathological rule times out on one document; it passes through unchanged with
    ``Result.error`` set, and the next documents are cleaned as usual."""
    (tmp_path / "bad.toml").write_text(PATHOLOGICAL, encoding="utf-8")
    rules = load_rules([tmp_path, ROOT / "rules" / "whitespace"])
    engine = Engine(rules, timeout=0.2)
    bad = "Tail  of a document: " + "a" * 40 + "b"
    before = engine.run("One  aa")
    got = engine.run(bad, explain=True)
    after = engine.run("One  aa")
    assert got.text == bad
    assert got.edits == []
    assert got.error is not None and "test.pathological" in got.error
    assert before.text == after.text == "One A"
    assert before.error is None and after.error is None


SYNTHETIC = [
    Rule("s.share", "d", "drop-line", pattern="Share this( story)?", trigger=("Share",),
         max_chars=30),
    Rule("s.ad", "d", "drop-line", pattern="advertisement", ignore_case=True,
         trigger=("advertisement",)),
    Rule("s.related", "d", "cut-tail", pattern="Related stories:?", trigger=("Related",)),
    Rule("s.follow", "d", "drop-line", pattern=r"Follow us on \w+", trigger=("Follow us",),
         where=Where(publishers=("Example Hill",))),
    Rule("s.x", "d", "replace", pattern="x{2,}", replacement="y", trigger=("xx",)),
    Rule("s.km", "d", "replace", pattern=r"(\d+) km\b", replacement=r"\1 kilometres",
         trigger=(" km",)),
    Rule("s.nbsp", "d", "replace", pattern="\u00a0", replacement=" ", trigger=("\u00a0",),
         stage="normalize"),
    Rule("s.blank", "d", "replace", pattern="\n{3,}", replacement="\n\n", trigger=("\n\n\n",),
         stage="whitespace"),
    # tried only just before their triggers (starts_before_trigger); one ignore_case
    Rule("s.click", "d", "replace", pattern=r"(?<=[.!?]) ?Click here\b[^\n.!?]{0,20}\.",
         trigger=("lick here",), starts_before_trigger=2),
    Rule("s.mph", "d", "replace", pattern=r"\b(\d{1,4}) mph\b", replacement=r"\1 miles an hour",
         ignore_case=True, trigger=(" mph",), starts_before_trigger=4),
]  # fmt: skip
SYNTHETIC_ENGINES = [Engine(SYNTHETIC, timeout=None, multi_literal=m) for m in MULTI]
SYNTHETIC_FRAGMENTS = [
    "Share this", "Share this story", "Share", "ADVERTISEMENT", "AdVertiSement", "Advertisement",
    "advertisement",
    "Related stories", "Related stories:", "Follow us on Site", "Follow us on xx",
    "5 km", "xx", "x", "5 km", "\n", "\n\n",
    " ", "\t", "\u00a0", "a line of text", "Share\u00a0this", "word " * 8,
    ".", "Click here", "Click here now.", "Go. Click here.", "On.Click here x.", " mph",
    "12 mph", "12345 MPH", "at 7 Mph", "1",
]  # fmt: skip


def test_a_line_rule_without_triggers_is_refused() -> None:
    """Every line rule has triggers, none with a newline (the loader says so too)."""
    for trigger in [(), ("a\nb",)]:
        rule = Rule("s.dashes", "d", "drop-line", pattern="-{3,}", max_chars=10, trigger=trigger)
        with pytest.raises(ValueError, match="s.dashes"):
            Engine([rule])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*SYNTHETIC_FRAGMENTS, "---", "----- x"]), max_size=30),
    st.sampled_from(["", " ", "\n"]),
    st.sampled_from([None, "Example Hill", "Other"]),
)
def test_line_and_inline_rules_generated(parts: list[str], sep: str, publisher) -> None:
    """Line rules (gated line by line, where-filtered, max_chars, cut-tail), templates and
    stages: the engine equals the reference."""
    rules, engines = SYNTHETIC, SYNTHETIC_ENGINES
    text = sep.join(parts)
    expected = reference_explain(rules, text, publisher=publisher)
    for engine in engines:
        got = engine.run(text, publisher=publisher, explain=True)
        assert got.text == expected.text
        assert got.edits == expected.edits  # the same rule credited with the same removal
        assert apply_edits(text, got.edits) == got.text


@pytest.mark.parametrize("reach", [None, 1], ids=["candidates", "candidates-and-reach"])
@pytest.mark.parametrize("candidates", ["a.", r"a(?:\p{Ll}|\d)"], ids=["stdlib-re", "regex"])
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="xa1 ", max_size=40))
def test_a_match_may_start_inside_another_candidates_match(candidates, reach, text) -> None:
    """The candidates claim is about every offset where candidates match, overlapping ones
    included: in 'xaa1' the match 'a1' starts inside the candidates match 'aa' (the engine
    searched candidates without overlaps and kept 'xaa1'). With ``starts_before_trigger`` too,
    the pattern is tried at the candidates starts in the reach before each trigger."""
    trigger = ("a1",) if reach is None else ("1",)
    rules = [
        Rule("t.x", "d", "replace", pattern="a1", candidates=candidates, trigger=trigger,
             starts_before_trigger=reach)
    ]  # fmt: skip
    assert Engine(rules, timeout=5.0).run(text).text == reference_clean(rules, text)
    assert Engine(rules, timeout=5.0).run("xaa1").text == "xa"


#: a pass whose edits open and close later steps' gates: A writes the '<' that opens B (a
#: probe: a frequent character is not scanned) before D, which would take it otherwise; C writes
#: the '|' that opens the next stage's line rule, E takes away the 'Z' of F's scanned trigger
GATE_RULES = [
    Rule("g.a", "d", "replace", pattern="Q", replacement="<", trigger=("Q",), stage="normalize"),
    Rule("g.b", "d", "replace", pattern="<", replacement="[lt]", trigger=("<",),
         stage="normalize"),
    Rule("g.c", "d", "replace", pattern="@@", replacement="|", trigger=("@@",),
         stage="normalize"),
    Rule("g.d", "d", "replace", pattern="<b", replacement="X", trigger=("<b",),
         stage="normalize"),
    Rule("g.e", "d", "replace", pattern="ZZ", replacement="Y", trigger=("ZZ",)),
    Rule("g.f", "d", "replace", pattern="Zb", replacement="W", trigger=("Zb",)),
    Rule("g.pipe", "d", "drop-line", pattern=r"[^\n|]*\|[^\n]*", trigger=("|",)),
]  # fmt: skip
GATE_ENGINES = [Engine(GATE_RULES, timeout=None, multi_literal=m) for m in MULTI]


def test_edits_open_and_close_later_gates() -> None:
    """A step runs when its gates are open on the text it sees, not on the pass's first text."""
    text = "aQb\nkeep @@ line\nZZb"
    expected = reference_clean(GATE_RULES, text)
    assert expected == "a[lt]b\nYb"  # (D would make "aX": B must run first)
    for engine in GATE_ENGINES:
        assert engine.run(text).text == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="Q<b@|ZY \n", max_size=30))
def test_edits_open_and_close_later_gates_generated(text: str) -> None:
    expected = reference_explain(GATE_RULES, text)
    for engine in GATE_ENGINES:
        got = engine.run(text, explain=True)
        assert got.text == expected.text
        assert got.edits == expected.edits
