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

from cleaner.engine.reference import reference_clean  # noqa: E402
from cleaner.engine.run import Engine  # noqa: E402

FLOOR = regex.compile("\x00cleaner-floor\x00")
#: the floor DESIGN.md measured (463 MB/s there): an absent literal of ordinary letters, whose
#: first character the search meets often; the NUL literal above is the strictest floor
LETTERS_FLOOR = regex.compile("zqxjv")


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
    ap.add_argument("--top", type=int, default=0, help="also print a cProfile top N")
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

    def run_letters_floor() -> None:
        for d in docs:
            LETTERS_FLOOR.search(d.text)

    times = {
        "floor": best_of(run_floor, args.repeat),
        "floor2": best_of(run_letters_floor, args.repeat),
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
    print(f"engine/floor  {times['engine'] / times['floor']:6.2f} x   (target <= 20)")
    print(
        f"engine/floor2 {times['engine'] / times['floor2']:6.2f} x   (floor2: 'zqxjv', as in "
        "DESIGN.md)"
    )

    print("\nwhere the engine's time goes (wall clock, best of 3; timing adds some overhead):")
    for name, secs in breakdown(engine, docs).items():
        print(f"  {secs * 1e3:8.2f} ms  {name}")
    if args.top:
        prof = cProfile.Profile()
        prof.runcall(run_engine)
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(args.top)


def breakdown(engine: Engine, docs, repeat: int = 3) -> dict[str, float]:
    """Time spent per part of the engine: each stage's line pass, multi-literal scans, gate
    checks, and each inline rule's own work, by wrapping those methods while the corpus runs."""
    import cleaner.engine.lines as L
    import cleaner.engine.run as E
    import cleaner.engine.scan as G
    import cleaner.engine.steps as S

    best: dict[str, float] = {}
    saved = (S.InlineStep.spans, L.LinePass.spans, G.Scan.matches, E.Engine._open, G.Scan.update)
    acc: dict[str, float] = {}

    def timed(fn, key):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                name = key(args)
                acc[name] = acc.get(name, 0.0) + time.perf_counter() - t0

        return wrapper

    S.InlineStep.spans = timed(saved[0], lambda a: f"rule {a[0].id}")
    L.LinePass.spans = timed(saved[1], lambda a: f"line pass ({len(a[0].rules)} rules)")
    G.Scan.matches = timed(saved[2], lambda a: "multi-literal scans")
    E.Engine._open = timed(saved[3], lambda a: "gate checks (scan dispatch, probes)")
    G.Scan.update = timed(saved[4], lambda a: "scan updates after edits")
    try:
        for _ in range(repeat):
            acc.clear()
            t0 = time.perf_counter()
            for d in docs:
                engine.run(d.text, url=d.url, publisher=d.publisher)
            acc["total"] = time.perf_counter() - t0
            for k, v in acc.items():
                best[k] = min(best.get(k, v), v)
    finally:
        S.InlineStep.spans, L.LinePass.spans, G.Scan.matches, E.Engine._open, G.Scan.update = saved
    return dict(sorted(best.items(), key=lambda kv: -kv[1]))


if __name__ == "__main__":
    main()
