"""`cleaner rules mine`: wall time, MB/s and peak RSS on a big JSONL (memory must stay bounded).

    python benchmarks/bench_mine.py [--mb 200] [--input FILE.jsonl] [-- MINE OPTIONS...]

Without ``--input``, writes a JSONL of about ``--mb`` MB from the benchmark corpus (as
bench_jobs.py does: records repeated with new ids, so every line recurs: the worst case for the
number of candidates). Runs ``cleaner rules mine`` in a subprocess under ``/usr/bin/time -v``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_jobs import make_input  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path)
    ap.add_argument("--mb", type=float, default=200.0)
    ap.add_argument("rest", nargs="*", help="more `cleaner rules mine` options (after --)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        src = args.input or Path(tmp) / "input.jsonl"
        if not args.input:
            make_input(src, args.mb)
        mb = src.stat().st_size / 1e6
        cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "cleaner", "rules", "mine", str(src),
               "-o", str(Path(tmp) / "draft.toml"), *args.rest]  # fmt: skip
        res = subprocess.run(cmd, capture_output=True, text=True)
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
        if res.returncode != 0 or not wall or not rss:
            sys.exit(f"cleaner rules mine failed:\n{res.stderr}")
        h, m, s = wall.groups()
        secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
        cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)",
                                               res.stderr))  # fmt: skip
        summary = next((x for x in res.stderr.splitlines() if x.startswith("read ")), "")
        print(f"{mb:.0f} MB in {secs:.1f}s wall, {cpu:.1f}s CPU: {mb / secs:.2f} MB/s wall, "
              f"{mb / cpu:.2f} MB per CPU second, peak RSS {int(rss.group(1)) / 1024:.0f} MB"
              f"\n{summary}")  # fmt: skip


if __name__ == "__main__":
    main()
