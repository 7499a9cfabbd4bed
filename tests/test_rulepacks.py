"""The artifact rule packs: invented fixtures in corpus/artifacts/ through the whole pipeline.

The packs' own rule examples run in tests/test_rule_examples.py; the quality targets on the
real corpora are a benchmark (``python benchmarks/eval_artifacts.py`` exits 1 below target)."""

from __future__ import annotations

import json
import sys
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


PACK_DIRS = ("/generic/", "/by-publisher/nationalreview")


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


def test_a_rule_whose_module_is_missing_is_a_load_error_not_a_warning(monkeypatch):
    """ftfy is a core dependency; a broken install makes the mojibake rule a load error
    naming file, rule and field (exit 3), never a warning at run time."""
    from typer.testing import CliRunner

    from cleaner.cli import app
    from cleaner.ruleset.load import RuleLoadError, bundled_rules_dir

    monkeypatch.setitem(sys.modules, "ftfy", None)  # import ftfy fails, find_spec says None
    markup_rules = bundled_rules_dir() / "generic" / "markup.toml"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuleLoadError) as info:
            load_rules([markup_rules])
    (p,) = info.value.problems
    assert (p.rule, p.field) == ("markup.mojibake", "function") and p.line > 0
    assert "needs the module 'ftfy', which is not installed" in p.message
    res = CliRunner().invoke(app, ["clean", "--rules", str(markup_rules)], input="x\n")
    assert res.exit_code == 3 and "markup.mojibake" in res.output and "Warning" not in res.output


def test_mojibake_repairs_with_ftfy():
    assert markup.mojibake("a cafÃ©\nok") == [(5, 7, "é")]  # only what changed
