"""Where an Engine's memory goes as rules are added (issue 17: ~1 MB per mined rule).

    python benchmarks/mem_engine.py [--add-rules DRAFT.toml] [--nfa]

tracemalloc sees only the Python heap (about 0.5 MB for the bundled rules); the rest is native
memory of ``ahocorasick_rs`` automata, so this measures RSS around each build: the whole
Engine, and the per-step ``Keep`` automata of ``cleaner.engine.scan`` (one DFA per inline step
over the literals later steps still need). ``--nfa`` builds every automaton as a contiguous NFA
instead (a what-if: the engine is not changed).
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
    import cleaner.engine.scan as scan
    from cleaner.engine.run import Engine
    from cleaner.ruleset.load import load_rules

    keeps: list[tuple[int, int, float]] = []  # (literals, chars, RSS MB) per Keep automaton
    build = scan.Keep.__init__

    def counted(self, ids, literals, placed) -> None:  # type: ignore[no-untyped-def]
        before = rss_mb()
        build(self, ids, literals, placed)
        keeps.append((len(ids), sum(len(literals[i]) for i in ids), rss_mb() - before))

    scan.Keep.__init__ = counted  # type: ignore[method-assign]
    rules = load_rules() + (load_rules(args.add_rules) if args.add_rules else [])
    Engine(rules[:2])
    keeps.clear()
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
    print(
        f"  Keep automata: {len(keeps)}, {sum(k[0] for k in keeps)} literals "
        f"({sum(k[1] for k in keeps)} chars), RSS while building them "
        f"+{sum(k[2] for k in keeps):.1f} MB; whole-text scan literals "
        f"{len(engine.scan_literals or [])}"
    )


if __name__ == "__main__":
    main()
