"""Where an Engine's memory goes as rules are added (issue 17: ~1 MB per mined rule).

    python benchmarks/mem_engine.py [--add-rules DRAFT.toml] [--nfa]

tracemalloc sees only the Python heap (about 0.5 MB for the bundled rules); the rest is native
memory of the ``ahocorasick_rs`` automaton, so this measures RSS around the build of the whole
Engine. ``--nfa`` builds the automaton as a contiguous NFA instead (a what-if: the engine is
not changed).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    """Resident set size of this process (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--add-rules", type=Path, action="append", default=[])
    ap.add_argument("--nfa", action="store_true")
    args = ap.parse_args()
    import ahocorasick_rs

    if args.nfa:
        nfa = ahocorasick_rs.Implementation.ContiguousNFA

        class Impl:  # every automaton as a contiguous NFA
            DFA = ContiguousNFA = nfa

        ahocorasick_rs.Implementation = Impl  # type: ignore[misc]
    from cleaner.engine.run import Engine
    from cleaner.ruleset.load import load_rules

    rules = load_rules() + (load_rules(args.add_rules) if args.add_rules else [])
    Engine(rules[:2])
    gc.collect()
    tracemalloc.start()
    before = rss_mb()
    engine = Engine(rules)
    gc.collect()
    after = rss_mb()
    traced = tracemalloc.get_traced_memory()[0] / 1e6
    kinds = Counter(r.kind for r in rules)
    print(
        f"{len(rules)} rules ({dict(kinds)}){' [NFA]' if args.nfa else ''}: Engine RSS "
        f"+{after - before:.1f} MB, of it Python heap (tracemalloc) {traced:.1f} MB"
    )
    print(f"  scan literals {len(engine.scan_literals or [])}")


if __name__ == "__main__":
    main()
