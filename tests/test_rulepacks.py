"""The artifact rule packs: invented fixtures in corpus/artifacts/ through the whole pipeline.

The packs' own rule examples run in tests/test_rule_examples.py; the quality targets on the
real corpora are a benchmark (``python benchmarks/eval_artifacts.py`` exits 1 below target)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.families import markup
from cleaner.ruleset.load import load_rules

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    json.loads(line)
    for line in (ROOT / "corpus/artifacts/cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def cleaners() -> dict[str, Cleaner]:
    return {p: Cleaner(p) for p in ("default", "extended")}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixture_exact_output(case, cleaners):
    c = cleaners[case["preset"]]
    out = c.clean(case["input"], publisher=case["publisher"])
    assert out == case["expected"]
    assert c.clean(out, publisher=case["publisher"]) == out  # idempotent


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixture_idempotent_both_presets(case, cleaners):
    for c in cleaners.values():
        once = c.clean(case["input"], publisher=case["publisher"])
        assert c.clean(once, publisher=case["publisher"]) == once


def test_default_leaves_extended_families(cleaners):
    text = "The show ends in May.\n\nCopyright © 2020 The Valley Ledger, LLC."
    assert cleaners["default"].clean(text) == text
    assert cleaners["extended"].clean(text) == "The show ends in May."


PACK_DIRS = ("/generic/", "/publishers/nationalreview")


def test_pack_keep_examples_stay_in_both_presets(cleaners):
    """A pack rule's keep example is clean text for every preset, not only its own (the
    example harness runs it through its own preset's pipeline)."""
    changed = [
        (rule.id, ex.name, preset)
        for rule in load_rules()
        if any(d in rule.file.replace("\\", "/") for d in PACK_DIRS)
        for ex in rule.examples_of("keep")
        for preset, c in cleaners.items()
        if c.clean(ex.input, url=ex.url, publisher=ex.publisher) != ex.input
    ]
    assert changed == []


def test_tags_keep_less_than_in_prose():
    assert markup.tags("a < b, <crowd cheers> and x<y") == []


def test_entities_reach_a_fixed_point():
    assert markup.entities("&amp;amp;quot;") == [(0, 14, '"')]


@pytest.mark.parametrize(("text", "expected"), [
    ("a&nbsp;b", "a b"), ("x&#8203;y", "xy"), ("p&#13;&#10;q", "p\nq"), ("&#x2028;z", "z"),
    ("a &#160; &#160; b\n\n&nbsp;\n\n\nc", "a b\n\nc"), ("t&#x3000;&#xAD;u", "t u"),
])  # fmt: skip
def test_entities_come_out_normalized(text, expected, cleaners):
    """The markup rules run first in the normalize stage: the unicode rules after them
    normalize what an entity decodes to, in the same pass (twice == once)."""
    for c in cleaners.values():
        assert c.clean(text) == expected
        assert c.clean(expected) == expected


def test_mojibake_without_ftfy_is_a_noop(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "ftfy":
            raise ImportError("no ftfy")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.setattr(markup, "_FTFY_MISSING", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert markup.mojibake("itâ€™s") == []
    assert any("ftfy" in str(w.message) for w in caught)


def test_mojibake_repairs_with_ftfy():
    pytest.importorskip("ftfy")
    assert markup.mojibake("a cafÃ©\nok") == [(0, 7, "a café")]
