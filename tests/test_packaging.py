"""Packaging hygiene: one version, the distribution name in every install hint, license, types."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import cleaner
from cleaner.extras import DISTRIBUTION, install_hint

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_one_version_number():
    assert cleaner.__version__ == PROJECT["version"]
    r = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"cleaner {PROJECT['version']} ({DISTRIBUTION})\n"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {PROJECT['version']}" in changelog


def test_distribution_name_and_hints():
    assert PROJECT["name"] == DISTRIBUTION == "webtext-cleaner"
    assert PROJECT["scripts"] == {"cleaner": "cleaner.cli:main"}
    assert install_hint("parquet") == "pip install 'webtext-cleaner[parquet]'"
    assert install_hint() == "pip install webtext-cleaner"
    assert set(PROJECT["optional-dependencies"]) >= {"zstd", "parquet", "warc", "dask", "html"}


def test_no_install_hint_names_the_wrong_project():
    """`cleaner` on the package index is an unrelated project: no text may tell users to
    install it (`pip install cleaner`, `'cleaner[html]'`)."""
    wrong = re.compile(r"pip install [\"']?cleaner\b|[\"'`]cleaner\[")
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", *ROOT.glob("docs/*.md"),
             *(ROOT / "cleaner").rglob("*.py"), ROOT / ".pre-commit-hooks.yaml"]  # fmt: skip
    bad = [f"{p.relative_to(ROOT)}:{no}: {line.strip()}"
           for p in files if p.exists()
           for no, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
           if wrong.search(line)]  # fmt: skip
    assert bad == []


def test_license_typed_and_python_floor():
    assert PROJECT["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert (ROOT / "cleaner" / "py.typed").exists()
    assert PROJECT["requires-python"] == ">=3.11"
    assert "Python ≥ 3.11" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_lazy_public_functions():
    """clean_html and clean_batch are the real functions (signature, docstring), imported on
    first use; an unknown attribute is still an AttributeError."""
    from cleaner.batch import clean_batch
    from cleaner.extract import clean_html

    assert cleaner.clean_batch is clean_batch and cleaner.clean_html is clean_html
    assert cleaner.clean_batch(["a  b", None]) == ["a b", None]
    try:
        cleaner.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = readme.split("this is what `.ci/run` runs):\n\n", 1)[1].splitlines()[0].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == command


def test_readme_names_the_real_output_files(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("DIR/<shard>.manifest.json", "DIR/<shard>.jsonl", "DIR/<shard>.rejects.jsonl"):
        assert name in readme
    src = tmp_path / "sample.jsonl"
    src.write_text('{"text": "Plain  words."}\nnot json\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "cleaner", "run", str(src), "--out",
                        str(tmp_path / "out"), "--quiet"], capture_output=True, cwd=ROOT,
                       timeout=120)  # fmt: skip
    assert r.returncode == 1, r.stderr  # one record rejected
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "sample.jsonl", "sample.manifest.json", "sample.rejects.jsonl"]  # fmt: skip


def test_dir_lists_the_lazy_names():
    assert {"__version__", "clean_batch", "clean_html", "Cleaner"} <= set(dir(cleaner))
