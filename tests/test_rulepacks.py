"""The artifact rule packs: invented fixtures in corpus/artifacts/ through the whole pipeline."""

from __future__ import annotations

import importlib.util
import json
import os
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
PACK_RULES = [r for r in load_rules() if any(d in r.file.replace("\\", "/") for d in PACK_DIRS)]


@pytest.mark.parametrize("rule", PACK_RULES, ids=[r.id for r in PACK_RULES])
def test_rule_examples(rule, cleaners):
    alone = Cleaner(select=[rule.id])
    pipe = cleaners["extended" if rule.preset == "extended" else "default"]
    for ex in rule.examples:
        kw = {"url": ex.url, "publisher": ex.publisher}
        if ex.kind == "change":
            assert alone.clean(ex.input, **kw) == ex.output, ex.name
            assert pipe.clean(ex.input, **kw) == pipe.clean(ex.output, **kw), ex.name
        elif ex.kind == "keep":
            for c in cleaners.values():
                assert c.clean(ex.input, **kw) == ex.input, ex.name
        once = pipe.clean(ex.input, **kw)
        assert pipe.clean(once, **kw) == once, ex.name
    keeps = rule.examples_of("keep")
    if rule.trigger:
        assert any(any(t in e.input for t in rule.trigger) for e in keeps), "keep lacks trigger"


def test_tags_keep_less_than_in_prose():
    assert markup.tags("a < b, <crowd cheers> and x<y") == []


def test_entities_reach_a_fixed_point():
    assert markup.entities("&amp;amp;quot;") == [(0, 14, '"')]


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
    assert markup.mojibake("a cafÃ©\nok") == [(5, 7, "é")]  # only what changed


SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))


@pytest.mark.shared
@pytest.mark.slow
def test_eval_artifacts_meets_targets(capsys):
    """Real corpora: >= 95% per default family, no damaged line, < 0.2% gold tokens, idempotent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("needs ../shared/corpus")
    spec = importlib.util.spec_from_file_location(
        "eval_artifacts", ROOT / "benchmarks/eval_artifacts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = module.main([])
    assert code == 0, capsys.readouterr().out
