"""Per-family, per-source removal and content loss on the dev corpora in ../shared (read only).

Run: ``PYTHONPATH=. python benchmarks/eval_families.py [--show FAMILY] [--lost] [--json OUT]``

Sources, each measured on its own (never pooled):

* real  = real/other_artifacts.jsonl (labelled), real/clean_news.jsonl (must lose nothing);
* real2 = real2/artifacts.jsonl (labelled), real2/clean.jsonl (must lose nothing);
* real3 = real3/web.jsonl (unlabelled: the signatures find the junk), real3/multilingual.jsonl
  (17 languages, must lose nothing; edits are reported per language).

A family's share removed is 1 - (signature matches after cleaning / matches before), with each
family's preset (default or extended). The signatures below are written here, independently of
the rules, from the shapes of the junk (line form and inline form). A content unit is a sentence
of 8+ words (or 40+ word characters, for scripts without spaces) that holds no signature match;
a content line is lost when one of its units does not survive word for word, in order. The
first line of a document (its headline) counts as a unit whatever its length.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from cleaner import Cleaner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_artifacts import read_jsonl, shared_dir  # noqa: E402  (the same corpus helpers)
from signatures import SIGNATURES  # noqa: E402

COMPILED = {f: re.compile(p) for f, (_, p) in SIGNATURES.items()}
ANY = re.compile("|".join(f"(?:{p})" for _, p in SIGNATURES.values()))
WORD = re.compile(r"[^\W_]+")
SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,300}>")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))


def count(text: str) -> Counter:
    return Counter({f: len(rx.findall(text)) for f, rx in COMPILED.items()})


def words(text: str) -> str:
    """The words of ``text``, after the markup the rules are meant to unescape or strip."""
    text = html.unescape(TAG.sub(" ", text)).translate(INVISIBLE)
    return " ".join(WORD.findall(text))


def lost_lines(text: str, out: str) -> list[str]:
    """Lines of ``text`` with a content unit whose words do not survive in ``out``.

    On a line that holds a signature match only the sentences before the match count (what
    follows inline junk may be its continuation: a teaser headline, a promo's next sentence).
    The first line counts whole when it has 5+ words and no signature (a headline)."""
    flat = " " + words(out) + " "
    lost = []
    first = True
    for line in text.replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        m = ANY.search(line)
        head = first and m is None and len(words(line).split()) >= 5
        units = [line] if head else SENTENCE.split(line[: m.start()] if m else line)
        if m and units:
            units.pop()  # the sentence the match starts in
        for unit in units:
            w = words(unit)
            short = len(w.split()) < 8 and len(w.replace(" ", "")) < 40
            if not w or (short and not head):
                continue
            if f" {w} " not in flat:
                lost.append(line)
                break
        first = False
    return lost


def measure(
    docs: list[dict], cleaner: Cleaner, show: str | None, show_lost: bool, per_lang: bool = False
) -> dict:
    """Signature counts before/after, lost lines, and edits per rule (per language if asked)."""
    before: Counter = Counter()
    after: Counter = Counter()
    lost = lines = 0
    edits: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        text = d["text"]
        res = cleaner.explain(text, publisher=d.get("publisher"))
        out = res.text
        before.update(count(text))
        left = count(out)
        after.update(left)
        if show and left[show]:
            for m in COMPILED[show].finditer(out):
                print(f"  left [{d['id']}]: {out[max(0, m.start() - 80) : m.end() + 80]!r}")
        bad = lost_lines(text, out)
        lost += len(bad)
        lines += sum(1 for line in text.split("\n") if line.strip())
        if show_lost:
            for line in bad:
                print(f"  lost [{d['id']}]: {line[:200]!r}")
        if per_lang:
            for e in res.edits:
                if e.rule.split(".")[0] not in ("unicode", "whitespace"):
                    edits[d.get("lang", "?")][e.rule] += 1
    return {"before": before, "after": after, "lost": lost, "lines": lines, "edits": edits}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", help="print what is left of this family (its preset)")
    ap.add_argument("--lost", action="store_true", help="print the content lines lost")
    ap.add_argument("--only", help="comma-separated source files (e.g. real3/web.jsonl)")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared/corpus not found (set CLEANER_SHARED); nothing to evaluate")
        return 0
    corpus = shared / "corpus"
    cleaners = {"default": Cleaner(preset="default"), "extended": Cleaner(preset="extended")}
    files = [
        "real/other_artifacts.jsonl", "real/clean_news.jsonl", "real2/artifacts.jsonl",
        "real2/clean.jsonl", "real3/web.jsonl", "real3/multilingual.jsonl",
    ]  # fmt: skip
    if args.only:
        files = [f for f in files if f in args.only.split(",")]
    results: dict[str, dict[str, dict]] = {}
    for name in files:
        docs = read_jsonl(corpus / name)
        results[name] = {
            p: measure(docs, c, args.show if p == SIGNATURES.get(args.show or "", ("",))[0]
                       else None, args.lost and p == "default", "multilingual" in name)
            for p, c in cleaners.items()
        }  # fmt: skip

    print("== share of each family removed (signature matches before -> after, its preset)")
    print(f"{'family':20s} " + " ".join(f"{n.split('.')[0]:>26s}" for n in files))
    table: dict[str, dict[str, list]] = {}
    for fam, (preset, _) in SIGNATURES.items():
        cells = []
        for name in files:
            r = results[name][preset]
            b, a = r["before"][fam], r["after"][fam]
            table.setdefault(fam, {})[name] = [b, a]
            cells.append(f"{b:5d}->{a:<4d} {1 - a / b:6.1%}" if b else "-")
        print(f"{fam:20s} ({preset[:3]}) " + " ".join(f"{c:>26s}" for c in cells))
    print("== content lines lost (lines with a content unit that did not survive)")
    for name in files:
        for p in cleaners:
            r = results[name][p]
            print(f"{name:28s} {p:8s} lines {r['lines']:6d} lost {r['lost']}")
    for name in files:
        edits = results[name]["default"]["edits"]
        if edits:
            print(f"== edits per language, default preset ({name})")
            for lang in sorted(edits):
                rules = ", ".join(f"{k} {v}" for k, v in edits[lang].most_common())
                print(f"  {lang}: {sum(edits[lang].values())} ({rules})")
    if args.json:
        out = {
            "families": table,
            "lost": {n: {p: results[n][p]["lost"] for p in cleaners} for n in files},
        }
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
