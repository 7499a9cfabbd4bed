"""Rule packs as packages, user rules on top of the bundled ones, and one-or-many arguments.

A pack is installed the way pip leaves one: a ``*.dist-info`` folder with ``entry_points.txt``
on ``sys.path`` (importlib.metadata reads exactly that), beside the pack's package.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.pipeline.execute import CleanerSpec
from cleaner.ruleset.load import (
    RuleLoadError,
    load_rules,
    pack_versions,
    rule_files,
    rule_sources,
)
from cleaner.ruleset.packs import installed_packs

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
_n = itertools.count()

PACK_RULES = """
[pack]
description = "Demo pack: promo markers of an invented site."

[[rule]]
id = "demo.promo-marker"
description = "Remove [[PROMO]] markers."
kind = "replace"
pattern = '\\[\\[PROMO\\]\\] ?'
trigger = ["[[PROMO]]"]

[[rule.change]]
input = "Rain today. [[PROMO]] Sun tomorrow."
output = "Rain today. Sun tomorrow."

[[rule.keep]]
input = "The marker [[PROMO is not closed."

[[rule]]
id = "demo.shout"
description = "Remove the ~~SHOUT~~ ribbons."
kind = "function"
function = "{module}.functions:ribbons"
trigger = ["~~SHOUT~~"]

[[rule.change]]
input = "Headline~~SHOUT~~ text."
output = "Headline text."

[[rule.keep]]
input = "A ~~SHOUT~ that is not a ribbon."
"""

FUNCTIONS = """
from cleaner.model import Span
from cleaner.ruleset.registry import function_rule


@function_rule
def ribbons(text: str) -> list[Span]:
    out, i = [], text.find("~~SHOUT~~")
    while i >= 0:
        out.append((i, i + 9, ""))
        i = text.find("~~SHOUT~~", i + 9)
    return out


def not_registered(text: str) -> list[Span]:
    return []


@function_rule
def two_args(text: str, extra: str) -> list[Span]:
    return []
"""


def make_pack(site: Path, name: str = "demo", rules: str = PACK_RULES, init: str = "") -> str:
    """Install a pack called ``name`` under ``site`` (a fresh module name); return the module."""
    module = f"demo_pack_{os.getpid()}_{next(_n)}"
    pkg = site / module
    (pkg / "rules").mkdir(parents=True)
    (pkg / "__init__.py").write_text(init or f"from {module} import functions  # registers\n")
    (pkg / "functions.py").write_text(FUNCTIONS)
    (pkg / "rules" / "demo.toml").write_text(rules.replace("{module}", module), "utf-8")
    dist = site / f"{module}-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text(f"[cleaner.packs]\n{name} = {module}\n")
    return module


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    site = tmp_path / "site"
    site.mkdir()
    module = make_pack(site)
    monkeypatch.syspath_prepend(str(site))
    return module


TEXT = "Rain today. [[PROMO]] Sun tomorrow.\nHeadline~~SHOUT~~ text.\u00a0"


def test_listing_packs_imports_nothing(pack: str) -> None:
    (found,) = installed_packs()["demo"]
    assert (found.module, found.distribution, found.version) == (pack, pack, "1.2")
    assert pack not in sys.modules


def test_a_pack_runs_only_when_enabled_by_name(pack: str) -> None:
    assert Cleaner().clean(TEXT) == TEXT.replace("\u00a0", "")
    assert pack not in sys.modules  # never silently
    cleaner = Cleaner(packs="demo")  # one name, or a list
    assert cleaner.clean(TEXT) == "Rain today. Sun tomorrow.\nHeadline text."
    assert {"demo.promo-marker", "demo.shout"} <= {r.id for r in cleaner.rules}
    assert len(cleaner.rules) == len(Cleaner().rules) + 2
    assert Cleaner(select="demo.*", packs=["demo"]).clean(TEXT) == (
        "Rain today. Sun tomorrow.\nHeadline text.\u00a0"
    )


def test_unknown_pack_is_a_value_error_naming_the_installed_ones(pack: str) -> None:
    with pytest.raises(ValueError, match="no rule pack named 'nope'.*installed packs: demo"):
        Cleaner(packs=["nope"])


def test_pack_functions_are_checked_like_bundled_ones(pack: str, tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    for fn, message in [
        ("not_registered", "not a registered function rule"),
        ("two_args", "must take one argument, the text, but its signature is (text: str, extra"),
        ("ribbons.__globals__", "not a function name"),
    ]:
        body = PACK_RULES.split("[[rule]]")[2].replace("demo.shout", "demo.extra")
        extra.write_text("[[rule]]" + body.replace("{module}.functions:ribbons",
                                                   f"{pack}.functions:{fn}"))  # fmt: skip
        with pytest.raises(RuleLoadError) as info:
            Cleaner(add_rules=extra, packs="demo")
        (p,) = info.value.problems
        assert (p.file, p.rule, p.field) == (str(extra), "demo.extra", "function")
        assert message in p.message
    # without the pack enabled its registered function is not nameable, even when imported
    extra.write_text("[[rule]]" + body.replace("{module}.functions:ribbons",
                                               f"{pack}.functions:ribbons"))  # fmt: skip
    assert Cleaner(add_rules=[extra], packs=["demo"])
    with pytest.raises(RuleLoadError, match="not a registered function rule"):
        Cleaner(add_rules=[extra])


def test_pack_ids_may_not_collide_with_bundled_ones(tmp_path, monkeypatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    make_pack(site, "clash", PACK_RULES.replace("demo.promo-marker", "markup.tags"))
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(RuleLoadError, match="duplicate id"):
        Cleaner(packs="clash")


@pytest.mark.parametrize(
    ("init", "message"),
    [("raise RuntimeError('boom')", "cannot import .*RuntimeError: boom"),
     ("", "no rules/\\*.toml")],
)  # fmt: skip
def test_a_broken_pack_is_a_load_error(tmp_path, monkeypatch, init, message) -> None:
    site = tmp_path / "site"
    site.mkdir()
    module = make_pack(site, "broken", init=init or "x = 1\n")
    if not init:
        (site / module / "rules" / "demo.toml").unlink()
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(RuleLoadError, match=message):
        Cleaner(packs="broken")
    res = runner.invoke(app, ["clean", "--pack", "broken"], input="x\n")
    assert res.exit_code == 3 and "rule pack broken" in res.output


def test_the_rule_set_hash_covers_pack_files(pack: str) -> None:
    plain = CleanerSpec("default", None, None)
    with_pack = CleanerSpec("default", None, tuple(rule_sources(packs="demo")))
    assert plain.ruleset()[1] != with_pack.ruleset()[1]
    files = rule_files(rule_sources(packs=["demo"]))
    assert files[-1].name == "demo.toml" and pack in str(files[-1])
    assert files[:-1] == rule_files()
    assert pack_versions(rule_sources(packs="demo")) == [f"demo {pack} 1.2"]
    assert pack_versions(None) == []
    assert with_pack.build().clean(TEXT) == "Rain today. Sun tomorrow.\nHeadline text."


def test_cli_lists_enables_checks_and_diffs_packs(pack: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["rules", "list"])
    assert res.exit_code == 0 and "demo.promo-marker" not in res.output
    assert f"installed rule packs (enable with --pack NAME):\n  demo  {pack} 1.2" in res.output
    res = runner.invoke(app, ["rules", "list", "--pack", "demo", "--select", "demo.*"])
    assert res.exit_code == 0 and "demo.shout" in res.output and "(enabled)" in res.output

    res = runner.invoke(app, ["clean", "--pack", "demo", "--format", "text"], input=TEXT)
    assert res.exit_code == 0 and res.stdout.startswith("Rain today. Sun tomorrow.\nHeadline text.")
    res = runner.invoke(app, ["clean", "--pack", "nope"], input="x\n")
    assert res.exit_code == 2 and "no rule pack named 'nope'" in res.output

    res = runner.invoke(app, ["rules", "check", "--pack", "demo", "--no-corpus"])
    assert res.exit_code == 0, res.output
    assert "0 failures" in res.output and ", 2 rules," in res.output

    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT)
    bundled = str(ROOT / "rules")
    res = runner.invoke(app, ["rules", "diff", "--base", bundled, "--corpus", str(corpus),
                              "--pack", "demo", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = {r["rule"]: (r["old"], r["new"]) for r in json.loads(res.stdout)["rules"]}
    assert rows["demo.promo-marker"] == (1, 1) and rows["demo.shout"] == (1, 1)

    res = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), "-j", "1",
                              "--pack", "demo", "-q"])  # fmt: skip
    assert res.exit_code == 0, res.output
    written = (tmp_path / "out" / "c.jsonl").read_text()
    assert "PROMO" not in written and "SHOUT" not in written


def test_pack_rules_in_worker_processes(pack: str, tmp_path: Path) -> None:
    """Workers build their cleaner from the spec: the pack is enabled there by name."""
    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT)
    res = runner.invoke(app, ["clean", str(corpus), "--pack", "demo", "-j", "2"])
    assert res.exit_code == 0 and "PROMO" not in res.stdout and "SHOUT" not in res.stdout


def test_a_real_pack_in_a_subprocess(tmp_path: Path) -> None:
    """The CLI in a fresh interpreter finds the pack through PYTHONPATH, as after pip install."""
    site = tmp_path / "site"
    site.mkdir()
    make_pack(site)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{site}"}
    out = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--pack", "demo"], env=env,
                         input=TEXT, capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stdout.startswith("Rain today. Sun tomorrow.\nHeadline text.")


# --------------------------------------------------------------------------------------------
# --add-rules and one-or-many arguments

EXTRA = """
[[rule]]
id = "mine.sponsor"
description = "Remove 'Sponsored by X.' sentences of an invented site."
kind = "replace"
pattern = 'Sponsored by \\w+\\. ?'
trigger = ["Sponsored by"]

[[rule.change]]
input = "Sponsored by Acme. News."
output = "News."

[[rule.keep]]
input = "Sponsored by nobody, the show ran."
"""


def test_add_rules_run_on_top_of_the_bundled_rules(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(EXTRA)
    text = "Sponsored by Acme. Romeo &amp; Juliet\u00a0 "
    assert Cleaner(rules=str(extra)).clean(text) == "Romeo &amp; Juliet\u00a0 "  # instead of
    for add in (extra, str(extra), [extra]):
        assert Cleaner(add_rules=add).clean(text) == "Romeo & Juliet"  # on top of
    res = runner.invoke(app, ["clean", "--add-rules", str(extra), "--format", "text"], input=text)
    assert res.exit_code == 0 and res.stdout == "Romeo & Juliet\n"
    res = runner.invoke(app, ["explain", "-", "--add-rules", str(extra)], input=text)
    assert res.exit_code == 0 and "mine.sponsor" in res.output


def test_select_is_one_glob_not_characters() -> None:
    one = Cleaner(select="*hovercard*")
    assert one.rules and all("hovercard" in r.id for r in one.rules)
    assert [r.id for r in one.rules] == [r.id for r in Cleaner(select=["*hovercard*"]).rules]
    with pytest.raises(ValueError, match="'nope' matches no rule"):
        Cleaner(select="nope")


@pytest.mark.parametrize("command", ["clean", "explain", "report", "run", "rules list"])
def test_a_select_glob_matching_nothing_is_a_usage_error(command, tmp_path: Path) -> None:
    corpus = tmp_path / "c.txt"
    corpus.write_text("Some text.")
    args = {"clean": ["clean", str(corpus)], "explain": ["explain", str(corpus)],
            "report": ["report", str(corpus), "-o", str(tmp_path / "r.html")],
            "run": ["run", str(corpus), "--out", str(tmp_path / "out")],
            "rules list": ["rules", "list"]}[command]  # fmt: skip
    res = runner.invoke(app, [*args, "--select", "*hovercard*", "--select", "no-such-rule*"])
    assert res.exit_code == 2, res.output
    assert "select 'no-such-rule*' matches no rule id" in res.output


def test_every_command_takes_the_same_rule_options() -> None:
    import typer.main

    group = typer.main.get_command(app)
    rules_group = group.commands["rules"]  # type: ignore[attr-defined]
    commands = {**{k: group.commands[k] for k in ("clean", "explain", "report", "run")},
                "rules diff": rules_group.commands["diff"],
                "rules list": rules_group.commands["list"]}  # fmt: skip
    wanted = {"--preset", "--select", "--rules", "--add-rules", "--pack"}
    for name, cmd in commands.items():
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert wanted <= opts, (name, wanted - opts)


def test_load_rules_takes_pack_sources_and_rejects_bad_names() -> None:
    with pytest.raises(ValueError, match="not a pack name"):
        rule_sources(packs=["pack:x"])
    with pytest.raises(ValueError, match="not a pack name"):
        rule_sources(packs=[""])
    assert rule_sources() is None
    assert load_rules(rule_sources(rules=ROOT / "rules")) == load_rules()


def test_rules_check_flags_a_pack_id_that_a_bundled_rule_has(tmp_path, monkeypatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    make_pack(site, "clash", PACK_RULES.replace("demo.promo-marker", "markup.tags"))
    monkeypatch.syspath_prepend(str(site))
    res = runner.invoke(app, ["rules", "check", "--pack", "clash", "--no-corpus"])
    assert res.exit_code == 3, res.output
    assert "FAIL markup.tags" in res.output and "the bundled rule at" in res.output


def test_the_worked_example_of_docs_packs_md(tmp_path: Path, monkeypatch) -> None:
    """Build the pack from the code blocks of docs/packs.md, install it as pip would (a
    dist-info with the entry point), check it and clean with it."""
    import re
    import tomllib

    doc = (ROOT / "docs" / "packs.md").read_text("utf-8")
    files = {m.group(2): m.group(3)
             for m in re.finditer(r"```(\w+)\n# file: (\S+)\n(.*?)```", doc, re.S)}  # fmt: skip
    assert len(files) == 4
    project = tomllib.loads(files.pop("pyproject.toml"))
    ((name, module),) = project["project"]["entry-points"]["cleaner.packs"].items()
    site = tmp_path / "site"
    for path, text in files.items():
        target = site / Path(path).relative_to("src")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    dist = site / "acme_cleaner_rules-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-cleaner-rules\n"
                                   "Version: 0.1.0\n")  # fmt: skip
    (dist / "entry_points.txt").write_text(f"[cleaner.packs]\n{name} = {module}\n")
    monkeypatch.syspath_prepend(str(site))
    res = runner.invoke(app, ["rules", "check", "--pack", name, "--no-corpus"])
    assert res.exit_code == 0 and ", 2 rules, 0 failures" in res.output, res.output
    record = {"text": "Markets\nACME ▲1.2% BOLT ▼0.4%\nThe harbour [Tap to expand] was quiet.",
              "url": "https://acmedaily.example/a"}  # fmt: skip
    args = ["clean", "--pack", name, "--format", "jsonl"]
    res = runner.invoke(app, args, input=json.dumps(record) + "\n")
    assert json.loads(res.stdout)["text"] == "Markets\nThe harbour was quiet."


def test_clean_batch_takes_one_select_glob() -> None:
    from cleaner.batch import clean_batch

    texts = ["Romeo &amp; Juliet\u00a0 "]
    assert clean_batch(texts, select="markup.entities") == ["Romeo & Juliet\u00a0 "]
    assert clean_batch(texts, select=["markup.entities"]) == ["Romeo & Juliet\u00a0 "]
    with pytest.raises(ValueError, match="matches no rule"):
        clean_batch(texts, select="nope")
