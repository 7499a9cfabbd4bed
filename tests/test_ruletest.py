"""The rule checker catches each failure class and says what the author needs to know.

Bad rules in tests/fixtures/badrules show that each check fails when it should; that the bundled
rules pass is tests/test_rule_examples.py's job (one item per example)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.authoring.check import check_rules
from cleaner.authoring.diff import Doc, diff_rulesets, mark, materialize_base
from cleaner.authoring.format import format_github, format_text
from cleaner.authoring.redos import analyze
from cleaner.cli import app
from cleaner.ruleset.load import bundled_rules_dir, load_rules

BAD = Path(__file__).parent / "fixtures" / "badrules"
ROOT = Path(__file__).resolve().parents[1]
WHITESPACE = bundled_rules_dir() / "whitespace"
runner = CliRunner()


def failures(path: Path, corpus=()):
    report = check_rules([path], corpus=list(corpus))
    return report, report.failures


def failures_of(tmp_path: Path, text: str):
    """Check a rule file written from ``text``."""
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return failures(path)


def only(fails, check_prefix: str):
    found = [f for f in fails if f.check.startswith(check_prefix)]
    assert found, f"no {check_prefix!r} failure in {[f.check for f in fails]}"
    return found


def test_good_rules_pass() -> None:
    """The bundled rules pass example by example in tests/test_rule_examples.py (and in CI's
    ``cleaner rules check rules/``); here one bundled file gives the report of a clean run."""
    report = check_rules([WHITESPACE], corpus=[])
    assert report.ok and not report.failures, format_text(report)
    assert report.total > report.rules == 4


def test_chunked_check_reports_the_same() -> None:
    """``chunk`` bounds the per-rule engines alive at once; the report does not change."""
    whole = check_rules([BAD], corpus=[])
    chunked = check_rules([BAD], corpus=[], chunk=2)
    assert whole.rules > 2 and (chunked.rules, chunked.total) == (whole.rules, whole.total)
    pairs = [(f.rule, f.check) for f in whole.failures]
    assert [(f.rule, f.check) for f in chunked.failures] == pairs


def test_wrong_change_example() -> None:
    report, fails = failures(BAD / "wrong_change.toml")
    (f,) = fails
    assert f.rule == "bad.wrong-change"
    assert f.check == "change example (rule alone) 'label with colon'"
    assert (f.file, f.line) == (str(BAD / "wrong_change.toml"), 9)
    assert f.expected == "a new phone" and f.got == ": a new phone"
    assert "-a new phone" in f.diff and "+: a new phone" in f.diff
    assert "fix the pattern" in f.fix
    assert report.passed == report.total - 1


def test_keep_example_that_changes() -> None:
    _, fails = failures(BAD / "keep_changes.toml")
    (f,) = only(fails, "keep example (rule alone)")
    assert f.rule == "bad.keep-changes" and f.line == 13
    assert "-Advertisement" in f.diff
    assert "narrow the pattern" in f.fix
    # reported once, not again for the full pipeline
    assert not [x for x in fails if "full pipeline" in x.check]


def test_missing_keep_example_with_trigger() -> None:
    _, fails = failures(BAD / "missing_keep.toml")
    (f,) = fails
    assert f.check == "keep example with a trigger" and f.rule == "bad.missing-keep"
    assert "'Click here'" in f.expected and "[[rule.keep]]" in f.fix


def test_line_rule_without_keep_trigger_is_reported_not_raised() -> None:
    """A line rule has no ungated engine: the keep check asks its line pattern (it raised)."""
    from cleaner.authoring.triggers import check_keep_trigger
    from cleaner.model import Rule

    def rule(pattern: str) -> Rule:
        return Rule(id="x.line", description="d", kind="drop-line", pattern=pattern,
                    trigger=("Sponsored",))  # fmt: skip

    (f,) = check_keep_trigger(rule("Sponsored by the Quill Gazette"))[1]
    assert f.check == "keep example with a trigger"
    assert check_keep_trigger(rule("Sponsored.*")) == (1, [])  # the trigger alone is a match


def test_false_trigger_claim_found_in_corpus() -> None:
    clean_report, _ = failures(BAD / "false_trigger.toml")
    assert clean_report.ok  # the examples alone do not reveal it
    corpus = [("doc-1", "Intro.\nPromoted content: a new phone\nEnd.")]
    _, fails = failures(BAD / "false_trigger.toml", corpus)
    (f,) = fails
    assert f.check == "trigger claim" and f.rule == "bad.false-trigger"
    assert "'Promoted content: '" in f.got and "doc-1" in f.got
    assert "add a literal" in f.fix


def test_trigger_claim_from_examples(tmp_path: Path) -> None:
    # a change example whose junk has no trigger: the gate skips it, and the checker says why
    # (``\W+``: the literals the pattern requires are no longer than the trigger, so the engine
    # gates on the trigger, not on them; see cleaner/engine/prefilter.py)
    text = (
        (BAD / "false_trigger.toml")
        .read_text()
        .replace(
            "[[rule.keep]]",
            '[[rule.change]]\ninput = "Promoted content: x"\noutput = "x"\n\n[[rule.keep]]',
        )
        .replace(") content: ?", r")\W+content: ?")
    )
    _, fails = failures_of(tmp_path, text)
    assert {f.check.split(" '")[0] for f in fails} >= {
        "trigger claim",
        "change example (rule alone)",
    }


SHARE_THIS = """
[[rule]]
id = "t.share-this"
description = "Drop a share-this prompt."
kind = "replace"
pattern = ' ?(?:Share|SHARE) (?:this|THIS) (?:story|STORY)\\.'
trigger = [TRIGGERS]

[[rule.change]]
input = "The fair opens today. Share this story."
output = "The fair opens today."

[[rule.change]]
input = "The fair opens today. SHARE THIS STORY."
output = "The fair opens today."

[[rule.keep]]
input = "Share this with care, she said."
"""


def test_trigger_claim_on_other_capitals(tmp_path: Path) -> None:
    """Triggers that list 'Share this' and 'SHARE THIS' miss 'Share THIS', which the pattern
    allows: the check re-cases each word of a trigger in the examples and says so."""
    listed = SHARE_THIS.replace("TRIGGERS", '"Share this", "SHARE THIS"')
    _, fails = failures_of(tmp_path, listed)
    (f,) = only(fails, "trigger claim")
    assert "Share THIS story." in f.got and "SHARE this story." in f.got
    every = SHARE_THIS.replace("TRIGGERS", '"Share this", "Share THIS", "SHARE this", "SHARE THIS"')
    assert failures_of(tmp_path, every)[1] == []


def test_duplicate_id() -> None:
    report, fails = failures(BAD / "dup")
    (f,) = fails
    assert report.load_error and f.rule == "bad.duplicate"
    assert f.file.endswith("b.toml") and f.line == 1
    assert "duplicate id" in f.got and "a.toml:1" in f.got


def test_catastrophic_patterns_reported_by_id() -> None:
    _, fails = failures(BAD / "catastrophic.toml")
    bad = {f.rule: f for f in fails if f.check == "catastrophic backtracking"}
    assert set(bad) == {"bad.alternation", "bad.nested"}  # bad.safe-repeat is not flagged
    assert "nested quantifier" in bad["bad.nested"].got
    assert "ambiguous repeat" in bad["bad.alternation"].got
    assert "atomic group" in bad["bad.nested"].fix


@pytest.mark.parametrize(
    "pattern", [r"(a|aa)+$", r"(\s*\w+)*:", r"(\w+\s?)+$", r"(?:.*,)+x", r"(x+x+)+y"]
)
def test_redos_flags(pattern: str) -> None:
    assert analyze(pattern)


SAFE = [r"(?:\s+\w+)*:", r"(?:[A-Z][a-z]+ ?)+x", r"(?:ab|a)+$", r"\p{Lu}\w+(?:\s\p{Lu}\w+)*",
        r"[ \t]+(?=\n)", r"(?>\w+\s?)+$", r"(?:\w+\s?){0,3}x", r"(?:\d+,)*\d+",
        r"(?:\p{L}[\p{L}.'\-]{0,20} ){0,6}x",
        r"(?:(?:,| and) \p{Lu}\w{0,20}(?: \p{Lu}\w{0,20}){0,3}){0,3}"]  # fmt: skip


@pytest.mark.parametrize("pattern", SAFE)
def test_redos_safe(pattern: str) -> None:
    assert analyze(pattern) == []


def test_redos_generated_probe_finds_mixed_shapes() -> None:
    """A blow-up that needs several characters mixed (crumbs that may hold separators and
    spaces, between separators wrapped in spaces and tabs) is found by inputs generated from
    the pattern, with the input that timed out; one-character pumps miss it."""
    crumbs = r"Home(?:[ \t]*[>»/|•·][ \t]*[^|>»\n]{1,40}?){1,12}[ \t]*[|>»]?"
    (finding,) = analyze(crumbs)
    assert finding.probe is not None and finding.probe.startswith("Home")
    crumb = r"[^ \t|>»/•·\n](?:[^|>»/•·\n]{0,39}(?<![ \t]))?"
    fixed = r"Home(?:(?:[ \t]*+[>»/|•·])++[ \t]*+" + crumb + "){1,16}"
    assert analyze(fixed) == []


def test_invalid_file_lists_loader_problems() -> None:
    report, fails = failures(BAD / "invalid.toml")
    assert report.load_error and not report.ok
    fields = {f.check for f in fails}
    assert fields == {"invalid rule file field 'colour'", "invalid rule file field 'pattern'"}
    assert any("does not compile" in f.got for f in fails)


def test_github_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report, _ = failures(BAD / "wrong_change.toml")
    first = format_github(report).splitlines()[0]
    assert first.startswith(
        "::error file=tests/fixtures/badrules/wrong_change.toml,line=9,"
        "title=bad.wrong-change%3A change example"
    )
    assert "%0A" in first and "\n" not in first


# --------------------------------------------------------------------------------------------
# CLI


def test_cli_check_ok_and_json() -> None:
    res = runner.invoke(app, ["rules", "check", "--no-corpus", str(WHITESPACE)])
    assert res.exit_code == 0, res.output
    assert "checks passed" in res.output and "0 failures" in res.output
    res = runner.invoke(app, ["rules", "check", "--json", "--no-corpus", str(BAD / "dup")])
    data = json.loads(res.stdout)
    assert res.exit_code == 3 and data["ok"] is False and data["invalid_files"] is True
    assert data["failures"][0]["rule"] == "bad.duplicate"


def test_cli_check_failure_exit_code_and_blocks() -> None:
    res = runner.invoke(app, ["rules", "check", "--no-corpus", str(BAD / "wrong_change.toml")])
    assert res.exit_code == 1
    assert "FAIL bad.wrong-change" in res.output and "wrong_change.toml:9" in res.output
    res = runner.invoke(app, ["rules", "check", "--no-corpus", "--format", "github",
                              str(BAD / "catastrophic.toml")])  # fmt: skip
    assert res.exit_code == 1 and "::error file=" in res.output and "bad.nested" in res.output


def test_cli_invalid_file_no_traceback() -> None:
    res = runner.invoke(app, ["rules", "check", "--no-corpus", str(BAD / "invalid.toml")])
    assert res.exit_code == 3 and res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output and "does not compile" in res.output


def test_cli_new_scaffold(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    res = runner.invoke(app, ["rules", "new", "demo.junk-line", "--rules-dir", str(rules)])
    assert res.exit_code == 0, res.output
    path = rules / "generic" / "demo.toml"
    (rule,) = load_rules([path])
    assert rule.id == "demo.junk-line" and rule.examples_of("keep")
    res = runner.invoke(app, ["rules", "new", "demo.other", "--rules-dir", str(rules)])
    assert res.exit_code == 0 and [r.id for r in load_rules([path])] == [
        "demo.junk-line",
        "demo.other",
    ]  # appended to the same file
    res = runner.invoke(app, ["rules", "new", "demo.other", "--rules-dir", str(rules)])
    assert res.exit_code == 2 and "already exists" in res.output


def test_cli_docs_check(tmp_path: Path) -> None:
    out = tmp_path / "rules.md"
    assert runner.invoke(app, ["rules", "docs", "-o", str(out), "--check"]).exit_code == 1
    assert runner.invoke(app, ["rules", "docs", "-o", str(out)]).exit_code == 0
    text = out.read_text()
    assert "### `thehill.hovercard`" in text and "\\u00a0" in text
    assert runner.invoke(app, ["rules", "docs", "-o", str(out), "--check"]).exit_code == 0
    out.write_text(text.replace("hovercard", "hover card", 1))
    res = runner.invoke(app, ["rules", "docs", "-o", str(out), "--check"])
    assert res.exit_code == 1 and "stale" in res.output


def test_committed_docs_are_current() -> None:
    res = runner.invoke(app, ["rules", "docs", "-o", str(ROOT / "docs" / "rules.md"), "--check"])
    assert res.exit_code == 0, res.output


# --------------------------------------------------------------------------------------------
# diff


def test_mark() -> None:
    assert mark("a b c", "a c") == "a [-b -]c"
    assert mark("a c", "a b c") == "a {+b +}c"


def _two_rule_sets(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "old"
    shutil.copytree(bundled_rules_dir(), old)
    new = tmp_path / "new"
    shutil.copytree(bundled_rules_dir(), new)
    shutil.copy(BAD / "wrong_change.toml", new / "extra.toml")  # removes "Sponsored"
    return old, new


def test_diff_rulesets(tmp_path: Path) -> None:
    old, new = _two_rule_sets(tmp_path)
    docs = [Doc("d1", "Sponsored: a phone."), Doc("d2", "Plain text."),
            Doc("d3", "A  double space.")]  # fmt: skip
    rep = diff_rulesets(load_rules([old]), load_rules([new]), docs, must_keep=["Sponsored"])
    assert (rep.documents, rep.changed) == (3, 1)
    assert ("bad.wrong-change", 0, 1) in rep.rule_rows()
    assert ("whitespace.collapse-spaces", 1, 1) in rep.rule_rows()
    assert rep.samples[0].marked.startswith("[-Sponsored-]")
    assert [(x.snippet, x.source, x.also_lost_by_base) for x in rep.lost] == [
        ("Sponsored", "d1", False)
    ]


def test_cli_diff(tmp_path: Path) -> None:
    old, new = _two_rule_sets(tmp_path)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"text": "Sponsored: a phone."}) + "\n"
                      + json.dumps({"text": "Plain."}) + "\n")  # fmt: skip
    text = tmp_path / "d.txt"
    text.write_text("Sponsored and plain.")
    keep = tmp_path / "keep.txt"
    keep.write_text("a phone\n")
    args = ["rules", "diff", "--base", str(old), "--rules", str(new), "--corpus", str(corpus)]
    res = runner.invoke(app, [*args, str(text), "--fail-if-removes", str(keep)])
    assert res.exit_code == 0, res.output
    assert "2/3 documents changed" in res.output and "[-Sponsored-]" in res.output
    keep.write_text("Sponsored\n")
    res = runner.invoke(app, [*args, "--fail-if-removes", str(keep)])
    assert res.exit_code == 1 and "LOST must-keep snippet 'Sponsored'" in res.output


@pytest.mark.skipif(not (ROOT / ".git").exists() or shutil.which("git") is None,
                    reason="needs a git checkout")  # fmt: skip
def test_base_from_git_ref(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    rules = materialize_base(f"git:{head.stdout.strip()}", tmp_path, repo=ROOT)
    assert {r.id for r in load_rules([rules])} >= {"thehill.hovercard"}


def test_todo_example_that_passes_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "todo.toml"
    path.write_text((BAD / "missing_keep.toml").read_text().replace(
        "[[rule.keep]]", '[[rule.todo]]\ninput = "Yes. Click here to subscribe."\noutput = "Yes."'
        '\n\n[[rule.todo]]\ninput = "Yes. CLICK HERE to subscribe."\noutput = "Yes."'
        "\n\n[[rule.keep]]"))  # fmt: skip
    _, fails = failures(path)
    (f,) = only(fails, "todo example passes")
    assert f.line == 13 and "[[rule.change]]" in f.fix  # the still-failing todo is not reported


def test_scaffold_placeholders_are_reported(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    res = runner.invoke(app, ["rules", "new", "demo.junk", "--rules-dir", str(rules)])
    assert res.exit_code == 0
    _, fails = failures(rules)
    (f,) = only(fails, "placeholders")
    assert "description" in f.got and "pattern" in f.got and f.line == 1


def test_line_rule_without_trigger() -> None:
    _, fails = failures(BAD / "line_no_trigger.toml")
    (f,) = fails  # a load error: the engine could not run the rule
    assert "trigger" in f.check and f.rule == "bad.line-no-trigger"
    assert "line rule needs trigger" in f.got and "trigger = [" in f.got


def test_short_trigger_reach(tmp_path: Path) -> None:
    """A match that starts further before its trigger than starts_before_trigger says: the
    engine misses it (the change example fails) and the reach check says what to change."""
    _, fails = failures(BAD / "short_reach.toml")
    (reach,) = only(fails, "trigger reach")
    assert reach.rule == "bad.short-reach" and "4 characters before" in reach.expected
    assert "'Tap to read more.'" in reach.got and "raise starts_before_trigger" in reach.fix
    assert only(fails, "change example")
    ok = (BAD / "short_reach.toml").read_text().replace("= 4", "= 7")
    report, fails = failures_of(tmp_path, ok)
    assert report.ok, [f.check for f in fails]


def test_function_rule_regexes_are_checked_for_backtracking(monkeypatch) -> None:
    """A function rule's regexes (module-level patterns of its module) run without the
    per-document time limit, so rules check analyses them too."""
    import regex

    import cleaner.families.whitespace as module
    from cleaner.authoring.check import _module_findings, check_backtracking

    rule = next(r for r in load_rules() if r.id == "whitespace.trailing-spaces")
    _module_findings.cache_clear()
    assert check_backtracking(rule) == (1, [])
    monkeypatch.setattr(module, "_NESTED", regex.compile(r"(?:\w+\s?)+\d"), raising=False)
    _module_findings.cache_clear()
    (f,) = check_backtracking(rule)[1]
    _module_findings.cache_clear()
    assert f.check == "catastrophic backtracking" and "cleaner.families.whitespace._NESTED" in f.got


@pytest.mark.skipif(not (ROOT / ".git").exists() or shutil.which("git") is None,
                    reason="needs a git checkout")  # fmt: skip
@pytest.mark.parametrize("ref", ["--output=VICTIM", "-o", "--remote=x", "HEAD --output=VICTIM",
                                 "", "no-such-ref-xyz", "HEAD:rules", "HEAD^{tree}",
                                 "HEAD\n--output=VICTIM", "--end-of-options"])  # fmt: skip
def test_base_git_ref_cannot_inject_options(tmp_path: Path, monkeypatch, ref: str) -> None:
    victim = tmp_path / "VICTIM"
    victim.write_text("precious")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="--base"):
        materialize_base(f"git:{ref}", tmp_path / "w", repo=ROOT)
    assert victim.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["VICTIM"]


def test_diff_cli_bad_git_ref_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    victim = tmp_path / "VICTIM"
    victim.write_text("precious")
    corpus = tmp_path / "c.txt"
    corpus.write_text("Plain.")
    monkeypatch.chdir(ROOT)
    res = CliRunner().invoke(app, ["rules", "diff", "--base", f"git:--output={victim}",
                                   "--corpus", str(corpus)])  # fmt: skip
    assert res.exit_code == 2, res.output
    assert "--base" in res.output and "Traceback" not in res.output
    assert victim.read_text() == "precious"


CAPS_LINE = """
[[rule]]
id = "demo.caps-line"
description = "Drop all-caps lines."
kind = "drop-line"
pattern = '[^\\p{Ll}\\n]*[A-Z]{3}[^\\p{Ll}\\n]*'
candidates = '[A-Z]{3}'

[[rule.change]]
input = "Rain fell.\\nTOWN HALL REOPENS\\nRoads dried."
output = "Rain fell.\\nRoads dried."

[[rule.keep]]
input = "The TOWN hall reopened."
"""


def test_line_rule_gated_by_candidates(tmp_path: Path) -> None:
    """A line rule may name the lines it can remove with a ``candidates`` regex instead of
    trigger literals: the engine tries only lines where it matches, the checks pass."""
    report, fails = failures_of(tmp_path, CAPS_LINE)
    assert report.ok, [(f.check, f.got) for f in fails]
    from cleaner.engine.reference import reference_explain
    from cleaner.engine.run import Engine

    rules = load_rules([tmp_path / "rules.toml"])
    text = "Lead.\nBIG NEWS TODAY\nÉTÉ À ÉLÉ ÉTÉ\nBody text.\n  CAPS AGAIN HERE  \nEnd."
    engine = Engine(rules)
    assert engine.run(text).text == "Lead.\nÉTÉ À ÉLÉ ÉTÉ\nBody text.\nEnd."
    assert engine.run(text, explain=True) == reference_explain(rules, text, explain=True)


def test_line_rule_candidates_claim_and_keep(tmp_path: Path) -> None:
    """Candidates that miss a line the pattern removes fail the claim (the engine would skip
    that line); a keep example must hold a candidates match."""
    narrow = CAPS_LINE.replace("candidates = '[A-Z]{3}'", "candidates = 'TOWN'")
    _, fails = failures_of(tmp_path, narrow + '\n[[rule.change]]\ninput = "A.\\nCITY VOTES\\nB."\n'
                           'output = "A.\\nB."\n')  # fmt: skip
    (claim,) = only(fails, "candidates")
    assert "every line it removes" in claim.expected and "'CITY VOTES'" in claim.got
    no_keep = CAPS_LINE.replace("The TOWN hall", "The town hall")
    (keep,) = only(failures_of(tmp_path, no_keep)[1], "keep example with a candidate")
    assert "match of candidates" in keep.expected and "near miss" in keep.fix


def test_line_rule_needs_a_trigger_or_candidates(tmp_path: Path) -> None:
    from cleaner.ruleset.load import RuleLoadError

    path = tmp_path / "r.toml"
    path.write_text(CAPS_LINE.replace("candidates = '[A-Z]{3}'\n", ""), encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rules([path])
    (p,) = info.value.problems
    assert p.field == "trigger" and "candidates" in p.message
    path.write_text(CAPS_LINE.replace('kind = "drop-line"', 'kind = "function"'))
    with pytest.raises(RuleLoadError) as info:
        load_rules([path])
    assert any(p.field == "candidates" for p in info.value.problems)


def test_line_rule_candidates_are_checked_and_timed(tmp_path: Path) -> None:
    """A candidates regex runs over whole documents: the backtracking check reads it, and a
    slow one runs under the time limit and names its rule (the document passes through)."""
    slow = CAPS_LINE.replace("candidates = '[A-Z]{3}'", "candidates = '(?:A|AA)+B|[A-Z]{3}'")
    (f,) = only(failures_of(tmp_path, slow)[1], "catastrophic backtracking")
    assert f.got.startswith("candidates:")
    from cleaner.engine.run import Engine

    engine = Engine(load_rules([tmp_path / "rules.toml"]), timeout=0.05)
    result = engine.run("A" * 40 + "\nBIG NEWS TODAY\n")
    assert result.text == "A" * 40 + "\nBIG NEWS TODAY\n"
    assert result.error is not None and "demo.caps-line" in result.error


def test_line_rule_candidates_claim_is_checked_as_the_engine_searches(tmp_path: Path) -> None:
    r"""The engine searches candidates in the whole text: '\A' there is the document's start,
    not each line's, so a line after the first is never tried; the claim check must say so
    (searching the line alone, '\A' matched and the check passed)."""
    anchored = CAPS_LINE.replace("candidates = '[A-Z]{3}'", "candidates = '\\A[A-Z]{3}|TOWN'")
    extra = '\n[[rule.change]]\ninput = "A.\\nCITY VOTES\\nB."\noutput = "A.\\nB."\n'
    (claim,) = only(failures_of(tmp_path, anchored + extra)[1], "candidates")
    assert "'CITY VOTES'" in claim.got


def test_a_function_that_says_it_settles_is_checked_on_its_own_output(monkeypatch) -> None:
    """``settles=True`` lets the engine skip a round: a function that leaves work for a second
    call of itself fails ``rules check``, naming the text."""
    from cleaner.authoring.check import check_settles
    from cleaner.ruleset import registry

    rule = next(r for r in load_rules() if r.id == "whitespace.document-edges")
    assert check_settles(rule, [("x", "  two spaces  ")]) == (1, [])
    name = "cleaner.families.whitespace:document_edges"

    def one_space(text: str):  # strips one leading space a call: "  a" needs two calls
        return [(0, 1, "")] if text.startswith(" ") else []

    monkeypatch.setitem(registry._REGISTRY, name, registry.FunctionRule(name, one_space, (), True))
    checks, fails = check_settles(rule, [("x", "  two spaces")])
    assert checks == 1 and [f.check for f in fails] == ["settles"]
    assert "two spaces" in fails[0].got

    def raises(text: str):  # a function that fails on odd text fails its example checks, not
        if "odd" in text:  # this one: rules check goes on to the next text
            raise ValueError("odd input")
        return one_space(text)

    monkeypatch.setitem(registry._REGISTRY, name, registry.FunctionRule(name, raises, (), True))
    checks, fails = check_settles(rule, [("x", "an odd doc"), ("y", "  two spaces")])
    assert checks == 1 and [f.check for f in fails] == ["settles"]
