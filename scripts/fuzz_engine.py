"""The long fuzz campaign over the engine (issue 14.10): random inputs built from the shapes of
tests/test_fuzz.py, checked as it checks them, at both presets (that ``clean`` agrees with
``explain`` on every 8th input: a third of the cost for the rarest failure). Failures are
counted by class (exception and first line) with the first input of each, instead of stopping at
the first.

    PYTHONPATH=. nice python scripts/fuzz_engine.py --inputs 500000 --seed 1 > fuzz1.log

Prints a progress line every 5,000 inputs and a summary at the end (or on Ctrl-C or TERM).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import signal
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("test_fuzz", ROOT / "tests" / "test_fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(rnd: random.Random, pieces: list[str]) -> str:
    """Up to 60 parts: a shape piece (most), a run of one whitespace character, or random code
    points (surrogates included)."""
    parts = []
    for _ in range(rnd.randrange(61)):
        kind = rnd.random()
        if kind < 0.65:
            parts.append(rnd.choice(pieces))
        elif kind < 0.8:
            parts.append(
                rnd.choice([" ", "\n", "\t", "\r\n", "\u00a0", " \n"]) * rnd.randint(1, 300)
            )
        else:
            parts.append("".join(chr(rnd.randrange(0x110000)) for _ in range(rnd.randrange(41))))
    return "".join(parts)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, _stop)  # background jobs ignore SIGINT: stop with TERM
    fuzz = _fuzz_module()
    pieces = [p for ps in fuzz.SHAPES.values() for p in ps]
    rnd = random.Random(args.seed)
    failures: dict[str, tuple[int, str]] = {}
    start = time.perf_counter()
    n = 0
    try:
        for n in range(1, args.inputs + 1):
            text = generate(rnd, pieces) if n % 5 else generate(rnd, fuzz.SHAPES["names"])
            try:
                fuzz.check(text, same_as_clean=n % 8 == 0)
            except Exception as exc:  # noqa: BLE001 - every failure is counted by class
                key = f"{type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"
                if key not in failures:
                    print(f"new failure class at input {n}: {key}: {text!r:.300}", flush=True)
                count, first = failures.get(key, (0, repr(text)[:300]))
                failures[key] = (count + 1, first)
            if n % 5_000 == 0:
                print(f"{n} inputs, {time.perf_counter() - start:.0f} s, "
                      f"{sum(c for c, _ in failures.values())} failures", flush=True)  # fmt: skip
    except KeyboardInterrupt:
        pass
    print(f"done: {n} inputs (seed {args.seed}) in {time.perf_counter() - start:.0f} s")
    for key, (count, first) in sorted(failures.items(), key=lambda kv: -kv[1][0]):
        print(f"FAIL x{count}: {key}\n  first input: {first}")


if __name__ == "__main__":
    main()
