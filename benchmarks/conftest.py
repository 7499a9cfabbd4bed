"""The benchmark corpus: the repo's corpus/ plus ../shared/corpus/real when present.

Run: ``pytest benchmarks/ --benchmark-only --benchmark-timer=time.process_time`` (one core;
CPU time keeps the figures honest when other processes share the machine). Every benchmark
cleans the same documents, so MB/s and the ratios engine/naive and engine/floor compare like
with like.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))


@dataclass(frozen=True)
class Doc:
    text: str
    url: str | None
    publisher: str | None


def corpus_files() -> list[Path]:
    """Repo corpus/ files, then every file of ../shared/corpus/real (when present)."""
    files = sorted((ROOT / "corpus").rglob("*.jsonl")) + sorted((ROOT / "corpus").rglob("*.txt"))
    real = SHARED / "corpus" / "real"
    if real.is_dir():
        files += sorted(real.glob("*.jsonl"))
    return files


def load_corpus(files: list[Path] | None = None) -> list[Doc]:
    """The documents of ``files`` (records without a ``text`` string are skipped)."""
    docs: list[Doc] = []
    for path in corpus_files() if files is None else files:
        if path.suffix == ".txt":
            docs.append(Doc(path.read_text(encoding="utf-8"), None, None))
            continue
        with path.open("rb") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = orjson.loads(line)
                if isinstance(rec.get("text"), str):
                    docs.append(Doc(rec["text"], rec.get("url"), rec.get("publisher")))
    return docs


def megabytes(docs: list[Doc]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


@pytest.fixture(scope="session")
def corpus() -> list[Doc]:
    docs = load_corpus()
    CORPUS_MB.append(megabytes(docs))
    if not docs:
        pytest.skip("no corpus: add corpus/ files or ../shared/corpus/real")
    return docs


#: best-round seconds per benchmark name, filled as the benchmarks run (for the ratios)
TIMINGS: dict[str, float] = {}
CORPUS_MB: list[float] = []


@pytest.fixture(scope="session")
def timings() -> dict[str, float]:
    return TIMINGS


def pytest_terminal_summary(terminalreporter) -> None:
    tr = terminalreporter
    from benchmarks import test_bench_targets

    if test_bench_targets.TARGETS:
        tr.section("issue 15 targets")
        test_bench_targets.summary(tr.write_line)
    if not TIMINGS:
        return
    tr.section("cleaner throughput")
    for name, secs in TIMINGS.items():
        if not secs:
            continue  # --benchmark-disable
        mbps = CORPUS_MB[0] / secs if CORPUS_MB else 0.0
        tr.write_line(f"{name:<24} {secs * 1e3:10.2f} ms {mbps:10.1f} MB/s")
    floor = TIMINGS.get("floor")
    for name, secs in TIMINGS.items():
        if not name.startswith("engine[") or not secs:
            continue
        ruleset = name[len("engine[") : -1]
        naive = TIMINGS.get(f"naive[{ruleset}]")
        if naive:
            tr.write_line(f"naive/engine [{ruleset}]   {naive / secs:8.2f} x  (target >= 10)")
        if floor:
            tr.write_line(f"engine/floor [{ruleset}]   {secs / floor:8.2f} x  (target <= 30)")
        if TIMINGS.get("floor2"):
            tr.write_line(f"engine/floor2 [{ruleset}]  {secs / TIMINGS['floor2']:8.2f} x  "
                          "(floor2: 'zqxjv', the floor DESIGN.md measured)")  # fmt: skip
