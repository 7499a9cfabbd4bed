"""Where one big document's extra cost goes, and what cutting it into blocks would buy.

    python benchmarks/big_document.py [--blocks 16384 65536]

The 15.2 target "one 10 MB document <= 1.5x per MB of the same text as documents" is missed at
~4x. This measures, on the benchmark's 10 MB text (test_bench_targets._big_text), CPU time and
minor page faults of the engine on the whole text, on the same text as documents, and on the
text cut at blank lines (between two non-space characters) into blocks of at least N
characters, each cleaned as a document and joined again. For each block size it says whether
the text *and* every credited edit (rule, span, replacement, mapped back to the whole text) are
the ones the engine gives on the whole text.

What it shows (2026-12-07): the whole text costs 3.6-3.8x the documents. It holds 17 astral
characters (emoji), so CPython stores all of it 4 bytes a character: 40 MB, copied by each of
the ~28 editing steps. Above glibc's largest dynamic mmap threshold (32 MB), each copy maps
fresh pages: ~270,000 minor page faults against ~900 as documents. Without the faults
(``mallopt`` raising the threshold, a what-if run by hand) it is still 2.7x; the same text with
the emoji replaced (2 bytes a character) costs ~1.9x, in Latin-1 (1 byte) ~1.5x: the rest is
copying. Blocks cost what documents cost (0.90x), but they are not exact:

* at 16 KB, one line is kept that the whole text loses: a look-behind
  (``(?<=\\S[ \\t]*\\n(?:[ \\t]*\\n)*)``) reads across the blank line before its block;
* at 64 KB the text is the same, but edits at blocks' ends are credited to
  ``whitespace.document-edges`` (a block's edge) instead of the rule that made them.

Exact blocks need a proof, per rule, of how far it reads across a blank line (and which rules
read a document's edges), and the blocks cleaned step by step together, each step seeing its
neighbours' current text.

Measured again on 2026-12-08 (another machine): 4.32x (257,718 faults), 2 bytes 2.64x, 1 byte
1.85x, blocks of 64 KB 1.07x (same text, 2 of 8,922 edits credited elsewhere). Per part, with
profile_engine.breakdown: the rules cost on the whole text what they cost on the documents;
the 28 splices cost 779 ms of 1,283 (4 bytes), 238 of 739 (2 bytes), 47 of 451 (1 byte), and
moving the scan's ~24,000 hits after each edit 124-171 ms (20-30 ms as documents). Moving the
hits by runs between edits (slices, a bisect per edit) took that to 102 ms but cost news 1%
more instructions: not kept. A sound block scheme cannot come from per-rule locality alone on
the default rules: a rule may empty a block's first line and leave a newline at the seam, which
``whitespace.blank-lines`` then merges across it (credited to it on the whole text, to nothing
or ``document-edges`` in blocks); a ``cut-tail`` rule cuts to the end of the document, not of
its block; ``document-edges`` reads only the document's two ends.

A design that would be exact (worked out, not built): cut only at "\\n\\n" between two
non-space characters and clean each block *as a document* (the separators kept outside);
accept a block's result only if no step's edit (before composing) touched its first or last
character (then its edges, and so each seam, stayed as they were through every step), else
clean the two blocks of that seam together again; only if the rounds that changed a block
without shortening it number, over all blocks, fewer than the round limit (a whole-text round
is such a round only where some block's is); and only when every slot whose gates are open on
the whole text is proven seam-safe: for a pattern, no match on A + "\\n\\n" + B differs from
its matches on A and on B (an automaton over the classes newline / other space / other
character, look-arounds and ``\\Z`` included); for a function, a declared claim that ``rules
check`` tests, as it tests ``settles``. The engine sees each step's spans: a span at 0 or at
the text's end is the edge check. The first obstacle on the default rules:
``meta.keyword-list-line`` drops a line only when it is not the document's first, so it reads
the newline before B's first line (not seam-safe), and its gate (',') is open on any long text.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import regex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.conftest import load_corpus  # noqa: E402
from benchmarks.test_bench_targets import _big_text  # noqa: E402
from cleaner.api import Cleaner  # noqa: E402
from cleaner.engine.run import Engine  # noqa: E402
from cleaner.model import Edit, Result  # noqa: E402

T = TypeVar("T")
#: a block boundary: a blank line between two non-space characters
BOUNDARY = regex.compile(r"(?<=\S)\n\n(?=\S)")
ASTRAL = regex.compile("[\U00010000-\U0010ffff]")


def measured(f: Callable[[], T]) -> tuple[T, float, int]:
    """``f()``, its CPU seconds and its minor page faults."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    t = time.process_time()
    out = f()
    t = time.process_time() - t
    after = resource.getrusage(resource.RUSAGE_SELF)
    return out, t, after.ru_minflt - before.ru_minflt


def blocks(text: str, size: int) -> list[tuple[int, str]]:
    """``text`` cut at the first boundary past each ``size`` characters: (offset, block)."""
    out, lo = [], 0
    while True:
        m = BOUNDARY.search(text, lo + size)
        if m is None:
            out.append((lo, text[lo:]))
            return out
        out.append((lo, text[lo : m.start()]))
        lo = m.end()


def clean_all(engine: Engine, texts: list[str]) -> list[Result]:
    return [engine.run(t) for t in texts]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, nargs="*", default=[1 << 14, 1 << 16])
    args = ap.parse_args()
    docs, big = _big_text(load_corpus())
    engine = Cleaner().engine
    engine.run(big.text)  # compile every rule first
    whole, t_whole, f_whole = measured(lambda: engine.run(big.text))
    _, t_docs, f_docs = measured(lambda: [engine.run(d.text) for d in docs])
    print(f"text: {len(big.text):,} characters, {len(docs)} documents joined by blank lines")
    print(f"whole text:   {t_whole * 1000:6.0f} ms  {f_whole:8,} minor page faults")
    print(f"as documents: {t_docs * 1000:6.0f} ms  {f_docs:8,} minor page faults")
    print(f"whole / documents: {t_whole / t_docs:.2f}")
    narrow = ASTRAL.sub("\u2605", big.text)  # (a 2-byte character for each astral one)
    for name, text in (
        ("2 bytes", narrow),
        ("1 byte", narrow.encode("latin-1", "replace").decode("latin-1")),
    ):
        _, t, faults = measured(partial(engine.run, text))
        print(
            f"the same text stored {name} a character: / documents {t / t_docs:.2f}, "
            f"{faults:,} faults"
        )
    explained = engine.run(big.text, explain=True).edits
    for size in args.blocks:
        cut = blocks(big.text, size)
        out, t, faults = measured(partial(clean_all, engine, [b for _, b in cut]))
        text = "\n\n".join(r.text for r in out)
        edits: list[Edit] = []
        for off, b in cut:
            for e in engine.run(b, explain=True).edits:
                edits.append(Edit(e.rule, e.start + off, e.end + off, e.removed, e.replacement))
        same_edits = edits == explained
        print(
            f"blocks of >= {size:,}: {len(cut)} blocks, {t * 1000:6.0f} ms, {faults:,} faults, "
            f"/ documents {t / t_docs:.2f}; same text: {text == whole.text}, "
            f"same edits: {same_edits} ({len(edits):,} vs {len(explained):,})"
        )


if __name__ == "__main__":
    main()
