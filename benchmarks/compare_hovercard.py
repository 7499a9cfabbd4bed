"""Check that a rewrite of the hovercard finder changes no span, and time it against the old one.

    PYTHONPATH=. python benchmarks/compare_hovercard.py [--base main] [--html] [--rounds N]

Loads ``find`` from ``cleaner/families/hovercard.py`` and its prefilter at git ``--base`` (default
``main``) and compares its spans with the worktree's on every document of corpus/ and
../shared/corpus/real, real2, real3 (``--html``: also every page of ../shared/corpus/html, raw and
as extracted text), on seeded mutations of each document that holds MORE (cut at random points,
names re-cased, accents and non-Latin letters inserted, spaces glued and unglued near a MORE), and
on generated strings of invented name-like words that share initials, typos, particles and suffixes
(the shapes where candidates overlap, which real text seldom has). Prints the number of differences
(exits 1 on any), then the CPU time of both ``find`` over the benchmark corpus's documents holding
MORE (benchmarks/conftest.py ``load_corpus``), interleaved, best of N rounds.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable

from benchmarks.compare_rules_exact import read
from benchmarks.conftest import ROOT, SHARED, load_corpus
from cleaner.families import hovercard

Find = Callable[[str], list]
_ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ú", "n": "ñ", "c": "ç", "A": "Á"}
_FOREIGN = ["\u0301", "ª", "º", "ж", "Ω", "ł", "ǅ", "\u00a0", "\u200b", "’", "“", "ß", "İ"]


def _load(ref: str, name: str) -> types.ModuleType | None:
    """The module ``cleaner/families/<name>.py`` as it is at git ``ref`` (None if absent)."""
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:cleaner/families/{name}.py"],
        capture_output=True, text=True,
    )  # fmt: skip
    if shown.returncode:
        return None
    module = types.ModuleType(f"{name}_base")
    exec(compile(shown.stdout, f"{ref}:{name}.py", "exec"), module.__dict__)  # noqa: S102
    return module


def old_find(ref: str) -> Find:
    """``find`` as it is in ``cleaner/families/hovercard.py`` at git ``ref``, with the prefilter
    of that ref (not the worktree's, which may have changed)."""
    key = "cleaner.families.hovercard_prefilter"
    prefilter = _load(ref, "hovercard_prefilter")
    saved = sys.modules.get(key)
    if prefilter is not None:
        sys.modules[key] = prefilter
    try:
        module = _load(ref, "hovercard")
    finally:
        if saved is not None:
            sys.modules[key] = saved
    if module is None:
        sys.exit(f"no cleaner/families/hovercard.py at {ref}")
    return module.find


def texts(html: bool) -> list[str]:
    files = sorted((ROOT / "corpus").rglob("*.jsonl"))
    for sub in ("real", "real2", "real3"):
        files += sorted((SHARED / "corpus" / sub).glob("*.jsonl"))
    out = [text for text, _, _ in read(files)]
    out += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    if html:
        from cleaner.extract import extract_text

        for page in sorted((SHARED / "corpus" / "html").rglob("*.html")):
            raw = page.read_bytes()
            out.append(raw.decode("utf-8", "replace"))
            out.append(extract_text(raw))
    return out


def mutate(text: str, rng: random.Random) -> str:
    """``text`` with one to four edits near a MORE (or a random cut of it)."""
    mores = [i for i in range(len(text)) if text.startswith("MORE", i)]
    for _ in range(rng.randint(1, 4)):
        at = rng.choice(mores) if mores and rng.random() < 0.9 else rng.randrange(len(text) + 1)
        at = max(0, min(len(text), at + rng.randint(-120, 10)))
        op = rng.randrange(6)
        if op == 0:  # cut: keep a stretch that starts or ends at ``at``
            text = text[at:] if rng.random() < 0.5 else text[: at + rng.randint(0, 200)]
        elif op == 1:  # re-case the word at ``at``
            j = text.find(" ", at)
            j = len(text) if j < 0 else j
            word = text[at:j]
            word = rng.choice([word.lower(), word.upper(), word.swapcase(), word.capitalize()])
            text = text[:at] + word + text[j:]
        elif op == 2:  # accent a letter, or insert a letter or mark the fast path cannot read
            c = text[at : at + 1]
            new = _ACCENTED.get(c) or rng.choice(_FOREIGN)
            text = text[:at] + new + text[at + (c in _ACCENTED) :]
        elif op == 3:  # glue: drop the next space
            j = text.find(" ", at)
            text = text if j < 0 else text[:j] + text[j + 1 :]
        elif op == 4:  # unglue: a space (or two) at ``at``
            text = text[:at] + rng.choice([" ", "  ", " Jr. ", "\n"]) + text[at:]
        else:  # repeat a stretch before MORE (two cards, a name twice)
            k = max(0, at - rng.randint(5, 60))
            text = text[:at] + text[k:at] + text[at:]
    return text


# Invented words for generated strings: names one typo apart, shared initials, camel heads,
# particles, suffixes, nicknames, accents, a letter the fast path cannot read, headline glue.
_WORDS = (
    "Dale Dal Dalle Rook Rooke Rok Lee Leo Lea Ann Anne Jon John Joan Mc McRae Rae Ray Doe Dow "
    "(Bo) Bo J. Jr. Sr. III de van Vander Varnsey Varsney Vance Ola ola Olaf Núñez Nunez O’Shea "
    "Shea Budget Senate 2024 “Not 'We $5B Poll: Bill Bell Bella Belle Ωmega Zoë e\u0301 ª"
).split()


def generated(n: int, rng: random.Random) -> list[str]:
    """``n`` strings of 3-14 invented words joined by zero to two spaces, ending with MORE."""
    out = []
    for _ in range(n):
        words = rng.choices(_WORDS, k=rng.randint(3, 14))
        seps = rng.choices([" ", " ", " ", "", "  ", ", "], k=len(words))
        body = "".join(w + s for w, s in zip(words, seps, strict=True)).strip()
        head = rng.choice(["", "Sen. ", "said ", "x ", "MORE ", "line\n"])
        out.append(head + body + rng.choice([" MORE", "MORE", " MORE said.", " MORE, who"]))
    return out


def compare(old: Find, new: Find, docs: list[str], label: str) -> int:
    differ = 0
    for text in docs:
        a, b = old(text), new(text)
        if a != b:
            differ += 1
            if differ <= 5:
                print(f"  DIFFERS ({label}): {text[:80]!r}…\n    old {a}\n    new {b}")
    print(f"{label}: {len(docs) - differ}/{len(docs)} identical")
    return differ


def timing(old: Find, new: Find, rounds: int) -> None:
    docs = [d.text for d in load_corpus() if "MORE" in d.text]
    mores = sum(t.count("MORE") for t in docs)
    best = {"old": float("inf"), "new": float("inf")}
    for _ in range(rounds):
        for name, fn in (("old", old), ("new", new)):
            t0 = time.process_time()
            for t in docs:
                fn(t)
            best[name] = min(best[name], time.process_time() - t0)
    print(f"find over {len(docs)} documents with MORE ({mores} MORE), CPU, best of {rounds}: "
          f"old {best['old'] * 1e3:.1f} ms, new {best['new'] * 1e3:.1f} ms, "
          f"new/old {best['new'] / best['old']:.2f}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="main")
    ap.add_argument("--html", action="store_true")
    ap.add_argument("--variants", type=int, default=6, help="mutations per MORE document")
    ap.add_argument("--generated", type=int, default=200_000, help="generated strings")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    old, new = old_find(args.base), hovercard.find
    docs = texts(args.html)
    bad = compare(old, new, docs, "documents")
    rng = random.Random(15)
    mutants = [mutate(t, rng) for t in docs if "MORE" in t for _ in range(args.variants)]
    bad += compare(old, new, mutants, "mutations")
    bad += compare(old, new, generated(args.generated, rng), "generated")
    timing(old, new, args.rounds)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
