"""A rule file can name only registered function rules: nothing else runs, nothing is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.families import MODULES
from cleaner.ruleset import registry
from cleaner.ruleset.load import RuleLoadError, load_rules, resolve_function

ROOT = Path(__file__).resolve().parents[1]

RULE = """
[[rule]]
id = "demo.fn"
description = "A function rule."
kind = "function"
function = {name}

[[rule.change]]
input = "a  b"
output = "a b"

[[rule.keep]]
input = "a b"
"""

HOSTILE = [
    # cleaner's own one-argument callables that are not rules
    "cleaner.ruleset.load:resolve_function",
    "cleaner.ruleset.functions:resolve_function",
    "cleaner.ruleset.registry:function_rule",
    "cleaner.ruleset.registry:lookup",
    "cleaner.ruleset.packs:enable_pack",
    "cleaner.pipeline.readers:open_binary",
    "cleaner.api:clean",
    "cleaner:clean",
    "cleaner.cli:main",
    "cleaner.authoring.diff:materialize_base",
    # the standard library
    "os:system",
    "builtins:eval",
    "builtins:exec",
    "builtins:open",
    "subprocess:getoutput",
    "importlib:import_module",
    "pickle:loads",
    # attributes of registered modules that are not registered
    "cleaner.families.markup:html",
    "cleaner.families.markup:_unescape",
    "cleaner.families.markup:regex",
    "cleaner.families.markup:function_rule",
    "cleaner.families.hovercard:_is_name_char",
    "cleaner.families.whitespace:each_char",
    "cleaner.families:MODULES",
    "cleaner.families.__init__:MODULES",
    # a family helper module that is not a registered family module
    "cleaner.families.anchored:find_all",
    "cleaner.families.anchored:spans_at",
    # modules that are not imported yet (must stay so)
    "evilmod:run",
    "cleaner.families.evilmod:run",
    "cleaner.report.html:render_report",
    "cleaner.extract:extract",
    "trafilatura:extract",
    "antigravity:fly",
    # dotted tricks and relative names
    "cleaner.families.markup:tags.__globals__",
    "cleaner.families.markup:tags.__call__",
    "cleaner.families.markup:mojibake.__wrapped__",
    "cleaner.families.markup.tags",
    "cleaner.families.markup:tags:tags",
    ".families.markup:tags",
    "..families.markup:tags",
    "..:tags",
    "..",
    ".",
    ":tags",
    "cleaner.families.markup:",
    "cleaner..families.markup:tags",
    "cleaner.families.markup.:tags",
    "cleaner/families/markup.py:tags",
    "cleaner.families.markup :tags",
    " cleaner.families.markup:tags",
    "cleaner.families.markup:tags ",
    "cleaner.families.markup:tags\n",
    "cleaner.families.markup:tags\x00",
    "CLEANER.FAMILIES.MARKUP:TAGS",
    "",
    # unicode lookalikes (Python identifiers fold some of them: NFKC)
    "cleaner.families.markup:\uff54ags",  # fullwidth t
    "cleaner.fam\u0456lies.markup:tags",  # Cyrillic i
    "cleaner.families.markup:tags\u200b",  # zero-width space
    "cleaner.families.markup:\u1d1bags",  # small capital t
    "cleaner.families.markup:ta\u0261s",  # script g
]


def write_rule(path: Path, name: object) -> Path:
    path.write_text(RULE.format(name=json.dumps(name)), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_function_names_are_load_errors(tmp_path: Path, name: str) -> None:
    with pytest.raises(RuleLoadError) as info:
        load_rules([write_rule(tmp_path / "r.toml", name)])
    (p,) = info.value.problems
    assert (p.rule, p.field, p.line) == ("demo.fn", "function", 2)
    assert p.file.endswith("r.toml")
    assert "not a function name" in p.message or "not a registered function rule" in p.message


def test_nothing_is_imported_or_run_because_a_rule_file_named_it(tmp_path: Path) -> None:
    """In a fresh process: load a file per hostile name; no module appears in sys.modules but
    the registered family modules, and a module in the working folder never runs."""
    (tmp_path / "evilmod.py").write_text(
        "import pathlib\npathlib.Path('PWNED').write_text('x')\ndef run(text):\n    return []\n"
    )
    folder = tmp_path / "rules"
    folder.mkdir()
    for n, name in enumerate(HOSTILE):
        write_rule(folder / f"r{n:03}.toml", name)
    script = (
        "import sys, json\n"
        "from cleaner.ruleset.load import load_rules, RuleLoadError\n"
        "before = set(sys.modules)\n"
        "try:\n"
        f"    load_rules([{str(folder)!r}])\n"
        "except RuleLoadError as exc:\n"
        "    print(json.dumps([len(exc.problems), sorted(set(sys.modules) - before)]))\n"
    )
    env = {"PYTHONPATH": f"{ROOT}{':'}{tmp_path}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    problems, new_modules = json.loads(out.stdout)
    assert problems == len(HOSTILE)
    assert not (tmp_path / "PWNED").exists()
    family = [m for m in new_modules if m.startswith("cleaner.")]
    imported = {"cleaner.families.anchored", "cleaner.families.hovercard_prefilter"}
    assert set(family) <= {*MODULES, *imported}  # imported: by the family modules
    assert "evilmod" not in new_modules
    assert not {"trafilatura", "antigravity", "cleaner.report.html", "cleaner.extract"} & set(
        new_modules
    )


def test_a_non_string_function_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(RuleLoadError) as info:
        load_rules([write_rule(tmp_path / "r.toml", 3)])
    (p,) = info.value.problems
    assert p.field == "function" and "must be a string" in p.message


def test_every_bundled_function_rule_is_registered_in_a_family_module() -> None:
    named = {r.function for r in load_rules() if r.function}
    assert named and named <= set(registry.registered(("cleaner.families",)))
    for name in named:
        assert name.partition(":")[0] in MODULES
        assert callable(resolve_function(name))
    for path in (ROOT / "cleaner" / "families").glob("*.py"):
        if "@function_rule" in path.read_text("utf-8"):
            assert f"cleaner.families.{path.stem}" in MODULES, path


def test_resolve_function_refuses_what_is_not_registered() -> None:
    with pytest.raises(LookupError):
        resolve_function("os:system")
    with pytest.raises(LookupError):
        resolve_function("cleaner.families.markup:_unescape")


def test_only_module_level_functions_can_be_registered() -> None:
    def inner(text: str) -> list:
        return []

    with pytest.raises(TypeError, match="module-level"):
        registry.function_rule(inner)


def test_of_every_callable_in_cleaner_only_the_registered_rules_may_be_named() -> None:
    """The old check accepted any one-argument callable under cleaner. (168 of them)."""
    import importlib
    import pkgutil

    import cleaner
    from cleaner.ruleset.functions import check_function

    skip = ("cleaner.integrations",)  # optional third-party imports
    names = set()
    for info in pkgutil.walk_packages(cleaner.__path__, "cleaner."):
        if info.name.startswith(skip) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        names |= {f"{info.name}:{a}" for a, v in vars(module).items() if callable(v)}
    accepted = {n for n in names if not check_function(n, ("cleaner.families",))}
    assert len(names) > 300
    assert accepted == set(registry.registered(("cleaner.families",)))
