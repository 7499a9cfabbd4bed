"""Print MB/s of the engine, the naive reference loop and the floor, then a cProfile top list.

    PYTHONPATH=. python benchmarks/profile_engine.py [--rules SET] [--top N] [FILE.jsonl ...]

Default corpus: the repo's corpus/ plus ../shared/corpus/real (see benchmarks/conftest.py).
``--rules`` picks a rule set of benchmarks/test_bench_engine.py: ``default``, ``no-functions``
(function rules such as the hovercard family, being rewritten, dropped from both the engine and
the naive loop, to see the cost of the engine itself) or ``no-functions+lines`` (plus invented
line rules).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import load_corpus, megabytes  # noqa: E402
from test_bench_engine import RULESETS  # noqa: E402

from cleaner.engine import Engine  # noqa: E402
from cleaner.reference import reference_clean  # noqa: E402

FLOOR = regex.compile("\x00cleaner-floor\x00")


def best_of(fn, repeat: int) -> float:
    """Best CPU time of ``repeat`` runs (seconds; CPU time is robust to other load)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rules", choices=list(RULESETS), default="default")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    docs = load_corpus(args.files or None)
    if not docs:
        sys.exit("no documents: add corpus/ files or ../shared/corpus/real, or name files")
    mb = megabytes(docs)
    t0 = time.perf_counter()
    rules = RULESETS[args.rules]
    engine = Engine(rules, timeout=5.0)
    compile_s = time.perf_counter() - t0

    def run_engine() -> None:
        for d in docs:
            engine.run(d.text, url=d.url, publisher=d.publisher)

    def run_naive() -> None:
        for d in docs:
            reference_clean(rules, d.text, d.url, d.publisher)

    def run_floor() -> None:
        for d in docs:
            FLOOR.search(d.text)

    times = {
        "floor": best_of(run_floor, args.repeat),
        "naive": best_of(run_naive, max(1, args.repeat // 2)),
        "engine": best_of(run_engine, args.repeat),
    }
    print(
        f"{len(docs)} docs, {mb:.2f} MB, {len(rules)} rules, load+compile {compile_s * 1e3:.1f} ms"
    )
    print(f"{'':8} {'ms':>10} {'MB/s':>10}")
    for name, secs in times.items():
        print(f"{name:8} {secs * 1e3:10.2f} {mb / secs:10.1f}")
    print(f"naive/engine  {times['naive'] / times['engine']:6.2f} x   (target >= 10)")
    print(f"engine/floor  {times['engine'] / times['floor']:6.2f} x   (target <= 30)")

    prof = cProfile.Profile()
    prof.runcall(run_engine)
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
