"""Evaluate the hovercard family on the shared real corpus (skips cleanly when it is absent).

Reports:

* gold: ``Cleaner(select=["*hovercard*"])`` on hovercard.gold.jsonl, exact text and exact spans;
* residuals: every hovercard-like span left by the default pipeline on hovercard.jsonl, i.e. a
  ``MORE`` outside the known legitimate contexts, and a name glued to a capitalised word
  (``…SmithSenate…``); each residual is judged, and the ones judged not hovercards say why;
* clean_news: documents the hovercard family changes (target 0) and the default pipeline's
  hovercard edits there.

Usage: ``PYTHONPATH=. python benchmarks/eval_hovercard.py [-v]`` (``CLEANER_SHARED`` overrides
where ../shared is).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import regex

from cleaner import Cleaner

_DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED = Path(os.environ.get("CLEANER_SHARED", _DEFAULT_SHARED))
REAL = SHARED / "corpus" / "real"

_MORE = regex.compile(r"MORE(?![\p{L}\p{M}\d])")
# Legitimate MORE: next to an all-caps word ("READ MORE", "NO MORE TAX", "WANT MORE?"), a label
# ("MORE:", "(MORE"), a name ("MORE Act"), or glued after an apostrophe ("B’MORE").
_LEGIT_BEFORE = regex.compile(r"(?:\b\p{Lu}{2,}[\p{Lu}\d!?.,]*\s+|[(’'\[]|\p{Lu}\s+and\s+)$")
_LEGIT_AFTER = regex.compile(r"^(?::|\s+\p{Lu}{2,}\b|\s+Act\b|\?|!)")
# A capitalised name word glued to a capitalised word, with a name word before it.
_GLUED = regex.compile(
    r"(?<![\p{L}\p{M}@#/.\d_-])(?:\p{Lu}\p{Ll}+ ){1,4}(\p{Lu}\p{Ll}+)(\p{Lu}\p{Ll}+)"
)
_CAMEL_PREFIXES = ("Mc", "Mac", "De", "Di", "Du", "La", "Le", "Van", "Von", "St")


def _load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def reconstruct(record: dict) -> str:
    """The original text of a gold record: ``gold`` with the ``removed`` spans put back."""
    gold, parts, pos, gpos = record["gold"], [], 0, 0
    for start, end, removed in sorted(record["removed"]):
        parts.append(gold[gpos : gpos + start - pos])
        gpos += start - pos
        parts.append(removed)
        pos = end
    parts.append(gold[gpos:])
    return "".join(parts)


def gold_score(cards: Cleaner) -> tuple[int, int, int, int, list[str]]:
    """(documents exact, documents, spans exact, spans, ids of documents that differ)."""
    records = _load(REAL / "hovercard.gold.jsonl")
    docs_ok = spans_ok = spans = 0
    wrong = []
    for r in records:
        text = reconstruct(r)
        res = cards.explain(text)
        got = {(e.start, e.end) for e in res.edits}
        want = {(s, e) for s, e, _ in r["removed"]}
        spans += len(want)
        spans_ok += len(got & want)
        if res.text == r["gold"] and got == want:
            docs_ok += 1
        else:
            wrong.append(r["id"])
    return docs_ok, len(records), spans_ok, spans, wrong


def residuals(text: str, vocabulary: Counter) -> list[tuple[str, str, str]]:
    """Hovercard-like spans left in ``text``: (kind, context, judgement; "" = hovercard)."""
    out = []
    for m in _MORE.finditer(text):
        before, after = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 20]
        legit = _LEGIT_BEFORE.search(before) or _LEGIT_AFTER.match(after)
        out.append(("MORE", before + "[MORE]" + after, "legitimate MORE context" if legit else ""))
    for m in _GLUED.finditer(text):
        left, right = m.group(1), m.group(2)
        word = left + right
        ctx = text[max(0, m.start() - 30) : m.end() + 30]
        if left in _CAMEL_PREFIXES or len(left) <= 2:
            why = "name with an inner capital (Mc-, De-, …)"
        elif vocabulary[word]:
            why = f"word also written so in clean news ({vocabulary[word]}×)"
        elif text.count(word) >= 2:
            why = "repeated in the same document (a brand or handle)"
        else:
            why = ""
        out.append(("glued", ctx, why))
    return out


def main(verbose: bool = False) -> int:
    if not REAL.is_dir():
        print(f"skipped: shared corpus not found at {REAL} (set CLEANER_SHARED)")
        return 0
    cards, pipeline = Cleaner(select=["*hovercard*"]), Cleaner()
    docs_ok, docs, spans_ok, spans, wrong = gold_score(cards)
    print(f"gold: {docs_ok}/{docs} documents exact, {spans_ok}/{spans} spans exact")
    for i in wrong:
        print(f"  differs: {i}")

    news = [r["text"] for r in _load(REAL / "clean_news.jsonl")]
    vocabulary: Counter = Counter()
    for t in news:
        vocabulary.update(regex.findall(r"\p{Lu}\p{Ll}+\p{Lu}\p{L}*", t))
    changed = sum(cards.clean(t) != t for t in news)
    pipe_cards = sum(e.rule == "thehill.hovercard" for t in news for e in pipeline.explain(t).edits)
    print(f"clean_news: {changed}/{len(news)} documents changed by the hovercard family; "
          f"{pipe_cards} hovercard edits in the default pipeline")  # fmt: skip

    hover = _load(REAL / "hovercard.jsonl")
    size = sum(len(r["text"].encode()) for r in hover)
    t0 = time.perf_counter()
    results = [pipeline.explain(r["text"]) for r in hover]
    elapsed = time.perf_counter() - t0
    edits = sum(e.rule == "thehill.hovercard" for res in results for e in res.edits)
    triggers = sum(r["text"].count("MORE") for r in hover)
    print(f"hovercard.jsonl: {len(hover)} documents, {triggers} MORE, {edits} hovercards removed "
          f"by the default pipeline ({size / elapsed / 1e6:.1f} MB/s incl. explain)")  # fmt: skip

    found = [
        (r["id"], *x)
        for r, res in zip(hover, results, strict=True)
        for x in residuals(res.text, vocabulary)
    ]
    real = [x for x in found if not x[3]]
    judged = [x for x in found if x[3]]
    print(f"residual hovercard-like spans: {len(real)} (target 0); "
          f"{len(judged)} more judged not hovercards")  # fmt: skip
    for doc, kind, ctx, _ in real:
        print(f"  RESIDUAL {doc} {kind}: {ctx!r}")
    reasons = Counter(why for *_, why in judged)
    for why, n in reasons.most_common():
        print(f"  not a hovercard ({n}): {why}")
    if verbose:
        for doc, kind, ctx, why in judged:
            print(f"    {doc} {kind}: {ctx!r} -> {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv[1:]))
