"""Throughput (MB/s) of the hovercard family on the shared real corpus (skipped when absent).

Run: ``python -m pytest benchmarks/test_bench_hovercard.py --benchmark-only``. Each benchmark
cleans every document of one file once per round; ``extra_info`` holds the MB/s.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.families.hovercard import find

_DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED = Path(os.environ.get("CLEANER_SHARED", _DEFAULT_SHARED))
FILES = ["hovercard.jsonl", "clean_news.jsonl"]


def _texts(name: str) -> list[str]:
    path = SHARED / "corpus" / "real" / name
    if not path.is_file():
        pytest.skip(f"needs {path} (set CLEANER_SHARED)")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def _run(benchmark, texts: list[str], fn) -> None:
    size = sum(len(t.encode("utf-8")) for t in texts)

    def once() -> int:
        return sum(len(fn(t)) for t in texts)

    benchmark.pedantic(once, rounds=5, iterations=1, warmup_rounds=1)
    benchmark.extra_info["MB"] = round(size / 1e6, 3)
    if benchmark.stats is not None:  # None under --benchmark-disable
        benchmark.extra_info["MB/s"] = round(size / benchmark.stats.stats.mean / 1e6, 2)


@pytest.mark.parametrize("name", FILES)
def test_bench_find(benchmark, name: str) -> None:
    """The detector alone (``find``), gated on MORE like the engine."""
    _run(benchmark, _texts(name), find)


@pytest.mark.parametrize("name", FILES)
def test_bench_hovercard_rule(benchmark, name: str) -> None:
    """``Cleaner(select=["*hovercard*"]).clean``: the rule through the engine."""
    _run(benchmark, _texts(name), Cleaner(select=["*hovercard*"]).clean)


@pytest.mark.parametrize("name", FILES)
def test_bench_default_pipeline(benchmark, name: str) -> None:
    """The default pipeline (normalization, hovercards, whitespace)."""
    _run(benchmark, _texts(name), Cleaner().clean)
