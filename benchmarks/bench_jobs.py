"""`cleaner clean --jobs`: wall time, MB/s, speed-up over --jobs 1 and peak RSS on a big JSONL.

    python benchmarks/bench_jobs.py [--mb 200] [--jobs 2] [--repeat 2] [--input FILE.jsonl]

Without ``--input``, writes a JSONL of about ``--mb`` MB to a temporary folder from the benchmark
corpus (the repo's corpus/ plus ../shared/corpus/real, records repeated with new ids). Runs
``cleaner clean`` in a subprocess per setting, alternating --jobs 1 and --jobs N ``--repeat``
times (this machine is noisy: compare runs made side by side), under ``/usr/bin/time -v`` when
it exists (else wall clock and the children's peak RSS), and checks that every run wrote the
same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import load_corpus  # noqa: E402


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


def run(src: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one ``cleaner clean`` run."""
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--jobs", str(jobs)]
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if timer:
        res = subprocess.run([timer, "-v", *cmd], capture_output=True, text=True)
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
        if wall and rss and res.returncode in (0, 1):
            h, m, s = wall.groups()
            return int(h or 0) * 3600 + int(m) * 60 + float(s), int(rss.group(1)) / 1024
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True)
    wall_s = time.perf_counter() - t0
    if res.returncode not in (0, 1):
        sys.exit(f"cleaner clean failed:\n{res.stderr}")
    return wall_s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path)
    ap.add_argument("--mb", type=float, default=200.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        src = args.input or Path(tmp) / "input.jsonl"
        if not args.input:
            make_input(src, args.mb)
        mb = src.stat().st_size / 1e6
        results: dict[int, list[tuple[float, float]]] = {1: [], args.jobs: []}
        first: Path | None = None
        for r in range(args.repeat):
            for jobs in results:
                out = Path(tmp) / f"out-{jobs}-{r}.jsonl"
                results[jobs].append(run(src, out, jobs))
                if first is None:
                    first = out
                elif not filecmp.cmp(first, out, shallow=False):
                    sys.exit(f"--jobs {jobs} wrote different bytes from the first run")
                print(f"run {r + 1}: --jobs {jobs}: {results[jobs][-1][0]:.2f} s", flush=True)
                if out != first:
                    out.unlink()
        print(f"\n{mb:.1f} MB, {args.repeat} runs each, best wall time:")
        base = min(w for w, _ in results[1])
        for jobs, runs in results.items():
            wall = min(w for w, _ in runs)
            rss = max(m for _, m in runs)
            print(f"  --jobs {jobs}: {wall:6.2f} s  {mb / wall:6.1f} MB/s  x{base / wall:.2f}  "
                  f"peak RSS {rss:.0f} MB")  # fmt: skip
        print("  output bytes identical in every run")


if __name__ == "__main__":
    main()
