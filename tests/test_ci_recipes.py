"""Rule CI for users' repositories (docs/ci.md): the pre-commit hook and the GitHub Actions steps,
run on an invented rule file in a scratch git repository."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
RULE = """\
[pack]
description = "Invented site junk."

[[rule]]
id = "site.read-more"
description = "Drop lines that only say READ MORE."
kind = "drop-line"
pattern = 'READ MORE'
trigger = ["READ MORE"]

[[rule.change]]
input = "Body.\\nREAD MORE\\nMore body."
output = "Body.\\nMore body."

[[rule.keep]]
input = "Ask them to READ MORE books."
"""
SECOND = """
[[rule]]
id = "site.share-line"
description = "Drop lines that only say SHARE THIS."
kind = "drop-line"
pattern = 'SHARE THIS'
trigger = ["SHARE THIS"]

[[rule.change]]
input = "Body.\\nSHARE THIS\\nMore body."
output = "Body.\\nMore body."

[[rule.keep]]
input = "Please SHARE THIS with friends."
"""
DOCS = ["A town garden opens.\nSHARE THIS\nVolunteers planted beans.",
        "The ferry runs late.\nREAD MORE\nPassengers waited an hour.",
        "Nothing to remove in this invented story."]  # fmt: skip


def cleaner_cmd(command: str) -> list[str]:
    """A documented `cleaner ...` command line, run with this checkout's package."""
    args = shlex.split(command)
    assert args[0] == "cleaner", command
    return [sys.executable, "-m", "cleaner", *args[1:]]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_pre_commit_hook_manifest():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["cleaner-rules-check"]
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["types"] == ["toml"]
    files = re.compile(hook["files"])
    assert files.search("rules/site.toml") and files.search("pkg/rules/generic/ads.toml")
    assert not files.search("pyproject.toml")
    if shutil.which("pre-commit"):
        r = subprocess.run(["pre-commit", "validate-manifest", ".pre-commit-hooks.yaml"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
        assert r.returncode == 0, r.stdout + r.stderr


def test_pre_commit_hook_entry_checks_the_files_it_is_given(tmp_path):
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    entry = [*cleaner_cmd(hook["entry"]), *hook.get("args", [])]
    (tmp_path / "rules").mkdir()
    good = tmp_path / "rules" / "site.toml"
    good.write_text(RULE, encoding="utf-8")
    r = run([*entry, "rules/site.toml"], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 failures" in r.stdout
    # a wrong example output fails the commit, naming the rule, the file and the line
    bad = tmp_path / "rules" / "bad.toml"
    wrong = RULE.replace('site.read-more"', 'site.bad"')
    wrong = wrong.replace('output = "Body.\\nMore body."', 'output = "Body.\\nMORE\\nMore body."')
    bad.write_text(wrong, "utf-8")
    r = run([*entry, "rules/site.toml", "rules/bad.toml"], tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "FAIL site.bad" in r.stdout and "rules/bad.toml:" in r.stdout
    # a file that does not load: exit 3, the problem named with file and field
    bad.write_text(RULE.replace('kind = "drop-line"', 'kind = "drop-lines"'), "utf-8")
    r = run([*entry, "rules/bad.toml"], tmp_path)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "rules/bad.toml" in r.stdout and "kind" in r.stdout


def _workflow_commands() -> list[str]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: rules\n.*?)```", text, re.S)
    assert block, "docs/ci.md has no GitHub Actions workflow"
    steps = yaml.safe_load(block.group(1))["jobs"]["rules"]["steps"]
    return [s["run"] for s in steps if s.get("run", "").startswith("cleaner ")]


def test_github_actions_steps(tmp_path):
    commands = _workflow_commands()
    assert [c.split()[:3] for c in commands] == [["cleaner", "rules", "check"],
                                                 ["cleaner", "rules", "diff"]]  # fmt: skip
    assert "--format github" in commands[0] and "--base git:origin/main" in commands[1]
    repo = tmp_path / "repo"
    (repo / "rules").mkdir(parents=True)
    (repo / "corpus").mkdir()
    (repo / "rules" / "site.toml").write_text(RULE, encoding="utf-8")
    (repo / "corpus" / "sample.jsonl").write_text(
        "".join(json.dumps({"text": d}) + "\n" for d in DOCS), encoding="utf-8")  # fmt: skip
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    git += ["-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"],
                 ["update-ref", "refs/remotes/origin/main", "HEAD"]):  # fmt: skip
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    with (repo / "rules" / "site.toml").open("a", encoding="utf-8") as f:
        f.write(SECOND)  # the pull request adds a rule

    check = run(cleaner_cmd(commands[0]), repo)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "::error" not in check.stdout and "checks passed, 2 rules" in check.stdout
    diff = run(cleaner_cmd(commands[1]), repo)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert "1/3 documents changed" in diff.stdout
    assert re.search(r"site\.share-line +0 +1 +\(\+1\)", diff.stdout)

    # a failing check becomes a GitHub annotation on the rule's file and line
    broken = RULE.replace("Ask them to READ MORE books.", "READ MORE")
    (repo / "rules" / "site.toml").write_text(broken, encoding="utf-8")
    check = run(cleaner_cmd(commands[0]), repo)
    assert check.returncode == 1
    assert re.search(r"^::error file=rules/site\.toml,line=\d+,title=site\.read-more", check.stdout,
                     re.M)  # fmt: skip
