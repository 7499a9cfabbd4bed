"""`cleaner clean --jobs 1/N` and `cleaner run`: wall time, MB/s and peak RSS on a big JSONL, and
CPU per record on small (400-byte) records against a plain orjson loop.

    python benchmarks/bench_jobs.py [--mb 200] [--jobs 2] [--repeat 2] [--input FILE.jsonl]
                                    [--tree DIR ...] [--small 200000]

Without ``--input``, writes a JSONL of about ``--mb`` MB to a temporary folder from the benchmark
corpus (the repo's corpus/ plus ../shared/corpus/real, records repeated with new ids). Every
setting runs in a subprocess, ``--repeat`` times, interleaved (this machine is noisy: only runs
made side by side compare). ``--tree`` (repeatable) runs the same commands with each source tree
on PYTHONPATH (e.g. a checkout of the previous commit and this one), interleaved too, so a
before/after comparison is one run of this script. Checks that every clean run wrote the same
bytes. The small-record part reports CPU seconds (user+sys) of ``cleaner clean --jobs 1`` and of
a plain loop (orjson.loads, Cleaner.clean, orjson.dumps) over the same records: the ratio is the
pipeline's overhead per record.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PLAIN_LOOP = """
import sys, orjson
from cleaner import Cleaner
c = Cleaner()
with open(sys.argv[1], 'rb') as f, open(sys.argv[2], 'wb') as out:
    for line in f:
        d = orjson.loads(line)
        d['text'] = c.clean(d['text'])
        out.write(orjson.dumps(d) + b'\\n')
"""


def make_input(path: Path, megabytes: float) -> None:
    docs = load_corpus(None)
    if not docs:
        sys.exit("no documents: add corpus/ files or ../shared/corpus/real, or pass --input")
    target, size, i = megabytes * 1e6, 0, 0
    with path.open("wb") as f:
        while size < target:
            d = docs[i % len(docs)]
            line = orjson.dumps({"id": i, "url": d.url, "text": d.text}) + b"\n"
            f.write(line)
            size += len(line)
            i += 1


def make_small(path: Path, n: int) -> None:
    """``n`` records of about 400 bytes of text each, cut from the corpus."""
    text = " ".join(d.text for d in load_corpus(None)[:200])
    with path.open("wb") as f:
        for i in range(n):
            start = (i * 397) % max(1, len(text) - 400)
            f.write(orjson.dumps({"id": i, "text": text[start : start + 400]}) + b"\n")


def timed(cmd: list[str], tree: Path) -> tuple[float, float, float]:
    """(wall s, CPU s user+sys, peak RSS MB) of ``cmd`` with ``tree`` on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    if res.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{res.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", res.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", res.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
    assert wall and user and system and rss, res.stderr[-2000:]
    h, m, s = wall.groups()
    return (int(h or 0) * 3600 + int(m) * 60 + float(s),
            float(user.group(1)) + float(system.group(1)), int(rss.group(1)) / 1024)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path)
    ap.add_argument("--mb", type=float, default=200.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--tree", type=Path, action="append", help="source tree (repeatable)")
    ap.add_argument("--small", type=int, default=200_000, help="400-byte records (0: skip)")
    args = ap.parse_args()
    if not shutil.which("/usr/bin/time"):
        sys.exit("needs /usr/bin/time (apt-get install time)")
    trees = [t.resolve() for t in args.tree or [ROOT]]
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        src = args.input or Path(tmp) / "input.jsonl"
        if not args.input:
            make_input(src, args.mb)
        mb = src.stat().st_size / 1e6
        n = str(args.jobs)
        settings = {"clean --jobs 1": ["clean", str(src), "--jobs", "1", "-o"],
                    f"clean --jobs {n}": ["clean", str(src), "--jobs", n, "-o"],
                    f"run --jobs {args.jobs}": ["run", str(src), "--quiet", "--jobs",
                                                str(args.jobs), "--out"]}  # fmt: skip
        results: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
        first: Path | None = None
        for r in range(args.repeat):
            for name, cmd in settings.items():
                for t, tree in enumerate(trees):
                    out = Path(tmp) / f"out-{t}-{r}-{name.replace(' ', '_')}"
                    dest = out if name.startswith("run") else out.with_suffix(".jsonl")
                    res = timed([py, "-m", "cleaner", *cmd, str(dest)], tree)
                    results.setdefault((name, t), []).append(res)
                    if name.startswith("clean"):
                        if first is None:
                            first = dest
                        elif not filecmp.cmp(first, dest, shallow=False):
                            sys.exit(f"{name} ({tree}) wrote different bytes from the first run")
                        if dest != first:
                            dest.unlink()
                    else:
                        shutil.rmtree(dest, ignore_errors=True)
                    print(f"run {r + 1}: {name} [{tree}]: {res[0]:.2f} s", flush=True)
        print(
            f"\n{mb:.1f} MB, {args.repeat} runs each, interleaved; best wall time, and the "
            "CPU time (user+sys, all processes) of the best-CPU run:"
        )
        for (name, t), runs in results.items():
            wall = min(w for w, _, _ in runs)
            cpu = min(c for _, c, _ in runs)
            rss = max(m for _, _, m in runs)
            print(f"  {name:16} {trees[t]}: {wall:6.2f} s  {mb / wall:6.1f} MB/s  CPU {cpu:6.2f} s "
                  f"({mb / cpu:5.1f} MB per CPU-s)  peak RSS {rss:.0f} MB")  # fmt: skip
        print("  clean output bytes identical in every run")
        if args.small:
            small = Path(tmp) / "small.jsonl"
            make_small(small, args.small)
            loop = Path(tmp) / "loop.py"
            loop.write_text(PLAIN_LOOP)
            cpu: dict[str, list[float]] = {}
            for _ in range(args.repeat):
                for tree in trees:
                    res = timed([py, "-m", "cleaner", "clean", str(small), "--jobs", "1", "-o",
                                 str(Path(tmp) / "small-out.jsonl")], tree)  # fmt: skip
                    cpu.setdefault(f"cleaner clean [{tree}]", []).append(res[1])
                res = timed([py, str(loop), str(small), str(Path(tmp) / "loop-out.jsonl")],
                            trees[-1])  # fmt: skip
                cpu.setdefault("plain orjson loop", []).append(res[1])
            base = min(cpu["plain orjson loop"])
            print(f"\n{args.small} records of 400 bytes, CPU s (user+sys), best of {args.repeat}:")
            for name, runs in cpu.items():
                best = min(runs)
                print(f"  {name}: {best:.2f} s  {best / args.small * 1e6:.1f} us/record  "
                      f"x{best / base:.3f} of the plain loop")  # fmt: skip


if __name__ == "__main__":
    main()
