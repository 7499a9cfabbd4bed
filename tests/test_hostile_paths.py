"""Hostile paths and arguments found by a red-team pass: each is one clear line and an exit
code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def sub(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True,
                          env=env, timeout=120, cwd=cwd)  # fmt: skip


@pytest.mark.parametrize("out", [".", "/"])
def test_output_that_is_a_folder_without_a_name_is_a_usage_error(tmp_path, out):
    (tmp_path / "a.jsonl").write_text('{"text":"a  b"}\n', encoding="utf-8")
    r = sub("clean", "a.jsonl", "-o", out, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert b"Traceback" not in r.stderr
    assert b"it is a folder" in r.stderr
