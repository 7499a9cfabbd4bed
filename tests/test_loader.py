"""The loader names file, rule id and field for every class of bad rule file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.ruleset.load import RuleLoadError, load_rules, select_rules

GOOD = """
[[rule]]
id = "demo.ad-line"
description = "Drop advertisement lines."
kind = "drop-line"
pattern = 'ADVERTISEMENT'
trigger = ["ADVERTISEMENT"]

[[rule.change]]
input = "Body.\\nADVERTISEMENT\\nMore body."
output = "Body.\\nMore body."

[[rule.keep]]
input = "The ADVERTISEMENT ran on Sunday."
"""


def write(tmp_path: Path, text: str, name: str = "r.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems(tmp_path: Path, text: str) -> list:
    with pytest.raises(RuleLoadError) as info:
        load_rules([write(tmp_path, text)])
    return info.value.problems


def test_good_file_loads(tmp_path):
    (rule,) = load_rules([write(tmp_path, GOOD)])
    assert rule.id == "demo.ad-line"
    assert rule.line == 2 and rule.examples[0].line == 9
    assert [e.kind for e in rule.examples] == ["change", "keep"]


def test_unknown_field(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace('kind = "drop-line"', 'kind = "drop-line"\ncolour = 1'))
    assert (p.rule, p.field) == ("demo.ad-line", "colour")
    assert "unknown field" in p.message and p.file.endswith("r.toml") and p.line == 2


def test_missing_id(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace('id = "demo.ad-line"\n', ""))
    assert p.field == "id" and "missing" in p.message


def test_duplicate_id_names_both_places(tmp_path):
    a = write(tmp_path, GOOD, "a.toml")
    b = write(tmp_path, GOOD, "b.toml")
    with pytest.raises(RuleLoadError) as info:
        load_rules([a, b])
    (p,) = info.value.problems
    assert p.field == "id" and "duplicate" in p.message and "a.toml:2" in p.message
    assert p.file.endswith("b.toml")


def test_pattern_that_does_not_compile(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace("pattern = 'ADVERTISEMENT'", "pattern = '(ADVERT'"))
    assert p.field == "pattern" and "does not compile" in p.message


def test_pattern_matching_empty_string(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace("pattern = 'ADVERTISEMENT'", "pattern = 'X*'"))
    assert p.field == "pattern" and "empty string" in p.message


def test_wrong_type(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace('trigger = ["ADVERTISEMENT"]', 'trigger = "AD"'))
    assert p.field == "trigger" and "must be a list" in p.message


def test_unknown_kind(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace('"drop-line"', '"delete"'))
    assert p.field == "kind" and "drop-line" in p.message


def test_function_outside_package_is_refused(tmp_path):
    text = GOOD.replace(
        "kind = \"drop-line\"\npattern = 'ADVERTISEMENT'",
        'kind = "function"\nfunction = "os:system"',
    )
    (p,) = problems(tmp_path, text)
    assert p.field == "function" and "not a registered function rule" in p.message
    assert "cleaner.families.markup:tags" in p.message  # what may be named instead


def test_examples_are_required(tmp_path):
    text = GOOD.split("[[rule.change]]")[0]
    fields = sorted(p.field for p in problems(tmp_path, text))
    assert fields == ["change", "keep"]


def test_keep_example_with_output_is_refused(tmp_path):
    (p,) = problems(tmp_path, GOOD + 'output = "x"\n')
    assert p.field == "keep[0].output" and "must stay unchanged" in p.message


def test_invalid_toml(tmp_path):
    (p,) = problems(tmp_path, GOOD + "\n[[rule]\n")
    assert "not valid TOML" in p.message and p.rule == ""


def test_all_problems_are_reported_together(tmp_path):
    text = GOOD.replace('kind = "drop-line"', 'kind = "nope"\nbogus = 1')
    assert {p.field for p in problems(tmp_path, text)} == {"kind", "bogus"}


def test_inline_flag_in_the_middle_is_refused(tmp_path):
    (p,) = problems(tmp_path, GOOD.replace("pattern = 'ADVERTISEMENT'", "pattern = 'AD(?i)VERT'"))
    assert p.field == "pattern" and "inline flags" in p.message


def test_select_and_presets():
    rules = load_rules()
    ids = [r.id for r in select_rules(rules, select=["whitespace.*"])]
    assert ids and all(i.startswith("whitespace.") for i in ids)
    default = select_rules(rules, "default")
    assert {r.preset for r in default} == {"default"}
    assert len(select_rules(rules, "extended")) >= len(default)
    with pytest.raises(ValueError, match="unknown preset"):
        select_rules(rules, "nope")


def test_select_takes_one_glob_or_many_and_refuses_a_glob_matching_nothing():
    rules = load_rules()
    one = [r.id for r in select_rules(rules, select="*hovercard*")]
    assert one == [r.id for r in select_rules(rules, select=["*hovercard*"])]
    assert one and all("hovercard" in i for i in one)
    with pytest.raises(ValueError, match="'nope.*' matches no rule"):
        select_rules(rules, select=["whitespace.*", "nope.*"])
    for bad in ([""], [3]):
        with pytest.raises(ValueError, match="glob"):
            select_rules(rules, select=bad)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("starts_before_trigger = 3", "only 'replace' rules"),  # a drop-line rule
        ("starts_before_trigger = -1", "0 or more"),
        ("starts_before_trigger = 'near'", "must be an integer"),
    ],
)
def test_starts_before_trigger_is_checked(tmp_path, extra, message):
    text = GOOD.replace('trigger = ["ADVERTISEMENT"]', f'trigger = ["ADVERTISEMENT"]\n{extra}')
    if "-1" in extra:
        text = text.replace('kind = "drop-line"', 'kind = "replace"')
    (p,) = problems(tmp_path, text)
    assert p.field == "starts_before_trigger" and message in p.message


def test_starts_before_trigger_needs_a_trigger(tmp_path):
    text = GOOD.replace('kind = "drop-line"', 'kind = "replace"').replace(
        'trigger = ["ADVERTISEMENT"]', "starts_before_trigger = 2"
    )
    (p,) = problems(tmp_path, text)
    assert p.field == "starts_before_trigger" and "needs trigger" in p.message


@pytest.mark.parametrize("pattern", ["AD)(VERT", "(AD", "AD\\", "[AD"])
def test_line_pattern_that_does_not_compile_alone(tmp_path, pattern):
    """A line rule's pattern is compiled inside its line wrapper (what the engine runs); one
    that only compiles there, like 'AD)(VERT', is still refused."""
    (p,) = problems(tmp_path, GOOD.replace("pattern = 'ADVERTISEMENT'", f"pattern = '{pattern}'"))
    assert p.field == "pattern" and "does not compile" in p.message


REPLACE = """
[[rule]]
id = "demo.sponsor"
description = "Remove sponsor tags."
kind = "replace"
pattern = '(?P<word>Sponsored) by (\\w+)'
replacement = 'REPL'
trigger = ["Sponsored"]

[[rule.change]]
input = "Sponsored by Acme today."
output = "X today."

[[rule.keep]]
input = "Sponsored content is marked."
"""


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ("\\\\g<nope>", "lacks (the pattern has 2 group(s), named word)"),
        ("\\\\3", "refers to a group the pattern lacks"),
        ("\\\\10", "refers to a group the pattern lacks"),
        ("\\\\g<9>", "not a valid template"),
        ("\\\\q", "not a valid template: bad escape"),
        ("a\\\\", "not a valid template"),
        ("\\\\g<word", "not a valid template"),
        ("\\\\N{NO SUCH CHARACTER}", "not a valid template"),
    ],
)
def test_replacement_naming_a_missing_group_is_a_load_error(tmp_path, replacement, message):
    (p,) = problems(tmp_path, REPLACE.replace("'REPL'", f'"{replacement}"'))
    assert (p.rule, p.field, p.line) == ("demo.sponsor", "replacement", 2)
    assert message in p.message


@pytest.mark.parametrize("replacement", ["\\\\g<word>", "\\\\2", "\\\\g<0>", "\\\\1 \\\\n", ""])
def test_valid_replacements_load(tmp_path, replacement):
    text = REPLACE.replace("'REPL'", f'"{replacement}"')
    (rule,) = load_rules([write(tmp_path, text)])
    assert rule.replacement == replacement.replace("\\\\n", "\\n").replace("\\\\", "\\")


@pytest.mark.parametrize(
    "pattern",
    ["(\\w+) \\1", "(AD) \\g<1>", "(?:AD)(?(1)x|y)", "(AD(?1)?)", "(?R)?AD", "(?P<_r0>AD)"],
)
def test_line_rule_refers_to_groups_by_name_only(tmp_path, pattern):
    (p,) = problems(tmp_path, GOOD.replace("pattern = 'ADVERTISEMENT'", f"pattern = '{pattern}'"))
    assert p.field == "pattern" and "line rule cannot refer to groups by number" in p.message


@pytest.mark.parametrize("pattern", ["(?P<w>AD) (?P=w)", "[\\1]AD", "\\\\1AD", "AD\\d"])
def test_line_rule_named_references_and_escapes_load(tmp_path, pattern):
    text = GOOD.replace("pattern = 'ADVERTISEMENT'", f"pattern = '{pattern}'")
    assert load_rules([write(tmp_path, text)])


@pytest.mark.parametrize("flag", ["(?r)", "(?f)", "(?w)", "(?p)", "(?e)", "(?b)", "(?V1)"])
def test_global_flags_that_would_leak_are_refused(tmp_path, flag):
    for pattern in (f"{flag}ADVERTISEMENT", f"ADVERT{flag}ISEMENT"):
        (p,) = problems(tmp_path, GOOD.replace("'ADVERTISEMENT'", f"'{pattern}'", 1))
        assert p.field == "pattern" and "inline flags" in p.message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('kind = "drop-line"', 'kind = "drop-line"\nmax_chars = 0', "max_chars"),
        ('description = "Drop advertisement lines."', 'description = "  "', "description"),
        ('input = "The ADVERTISEMENT', 'url = 5\ninput = "The ADVERTISEMENT', "keep[0].url"),
        ('input = "The ADVERTISEMENT', 'publisher = []\ninput = "The ADVERTISEMENT',
         "keep[0].publisher"),
    ],
)  # fmt: skip
def test_other_gaps_are_load_errors(tmp_path, old, new, field):
    (p,) = problems(tmp_path, GOOD.replace(old, new))
    assert (p.rule, p.field) == ("demo.ad-line", field)


def test_cli_refuses_a_bad_replacement_before_cleaning(tmp_path):
    from typer.testing import CliRunner

    from cleaner.cli import app

    rules = write(tmp_path, REPLACE.replace("'REPL'", "'\\g<nope>'"))
    res = CliRunner().invoke(app, ["clean", "--rules", str(rules)], input="Sponsored by Acme.\n")
    assert res.exit_code == 3
    assert f"{rules}:2: rule 'demo.sponsor' field 'replacement': refers to a group" in res.output
    assert "Traceback" not in res.output and "IndexError" not in res.output


@pytest.mark.parametrize("trigger", ["trigger = []", 'trigger = ["AD\\nX"]'])
def test_a_line_rule_needs_triggers_without_newlines(tmp_path, trigger):
    (p,) = problems(tmp_path, GOOD.replace('trigger = ["ADVERTISEMENT"]', trigger))
    assert p.field == "trigger" and "line rule needs trigger" in p.message


def test_a_problem_of_a_whole_file_reads_as_one_sentence(tmp_path) -> None:
    """A file that cannot be read said 'path:: cannot read the file' (an empty rule field)."""
    from cleaner.ruleset.load import RuleLoadError, load_rules

    missing = tmp_path / "gone.toml"
    with pytest.raises(RuleLoadError) as info:
        load_rules([missing])
    assert str(info.value).startswith(f"{missing}: cannot read the file")
