"""Check that gating rules on literals derived from their patterns (cleaner/engine/prefilter.py)
changes no output: the engine as it is vs the engine gated on declared triggers only.

    PYTHONPATH=. python benchmarks/compare_prefilter.py [--html]

Every document of corpus/ and ../shared/corpus/real, real2, real3 (with ``--html``: also the
text trafilatura extracts from ../shared/corpus/html), and three variants of each (see
compare_rules_exact.py), default and extended presets, by text, error and every edit. Prints
identical/total per preset; exits 1 on any difference.
"""

from __future__ import annotations

import sys
from unittest import mock

from benchmarks.compare_rules_exact import Doc, read, variants
from benchmarks.conftest import ROOT, SHARED
from cleaner.engine import run, steps
from cleaner.model import Result
from cleaner.ruleset.load import load_rules, select_rules


def documents(html: bool) -> list[Doc]:
    files = sorted((ROOT / "corpus").rglob("*.jsonl"))
    for sub in ("real", "real2", "real3"):
        files += sorted((SHARED / "corpus" / sub).glob("*.jsonl"))
    docs = read(files)
    if html:
        from cleaner.extract import extract_text

        for page in sorted((SHARED / "corpus" / "html").rglob("*.html")):
            text = extract_text(page.read_bytes())
            if text:
                docs.append((text, None, None))
    return docs + variants(docs)


def key(res: Result) -> tuple:
    return (
        res.text,
        res.error,
        [(e.rule, e.start, e.end, e.removed, e.replacement) for e in res.edits],
    )


def main() -> None:
    docs = documents("--html" in sys.argv)
    print(f"{len(docs)} documents (with variants)")
    rules = load_rules()
    bad = 0
    for preset in ("default", "extended"):
        chosen = select_rules(rules, preset, None)
        new = run.Engine(chosen, timeout=None)
        with mock.patch.object(steps, "gate_literals", lambda r: r.trigger):
            old = run.Engine(chosen, timeout=None)
        moved = [
            a.id
            for a, b in zip(new.slots, old.slots, strict=True)
            if isinstance(a, steps.InlineStep) and a.gates != b.gates
        ]
        print(f"{preset}: gated on derived literals: {', '.join(moved) or 'none'}")
        differ = 0
        for text, url, pub in docs:
            a = old.run(text, url=url, publisher=pub, explain=True)
            b = new.run(text, url=url, publisher=pub, explain=True)
            differ += key(a) != key(b)
        print(f"{preset}: identical {len(docs) - differ}/{len(docs)}")
        bad += differ
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
