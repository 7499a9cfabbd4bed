"""The profiling script reaches into the engine's classes to time them: it must follow when they
move (it broke silently once). It runs on the repo's own corpus here, in a second."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_profile_engine_prints_where_the_time_goes() -> None:
    sample = ROOT / "corpus" / "sample.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "benchmarks/profile_engine.py", str(sample), "--repeat", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "engine/floor" in done.stdout
    # the breakdown wraps the step, line pass and scan methods: each shows up by name
    assert "total" in done.stdout and "line pass (" in done.stdout
    assert "multi-literal scans" in done.stdout and "  rule " in done.stdout
