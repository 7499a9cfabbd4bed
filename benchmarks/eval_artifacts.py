"""Evaluate the artifact rule packs on the real corpora in ../shared (read at run time only).

Run: ``PYTHONPATH=. python benchmarks/eval_artifacts.py [--show FAMILY]``

Reports, for each artifact family, the instances found by detection regexes written here
(independent of the rules) in real/other_artifacts.jsonl and real2/artifacts.jsonl, before and
after cleaning with the default and the extended preset; damaged content lines on the clean
corpora; the share of gold tokens the default preset removes on html/*/gold.jsonl; and
idempotence violations (clean(clean(x)) != clean(x)) on every document of ../shared/corpus.
Exits non-zero when a target is missed (>= 95% removal for default families, 0 damaged lines,
< 0.2% gold tokens removed, 0 idempotence violations).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

from cleaner import Cleaner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from signatures import SIGNATURES  # noqa: E402

WHY_EXTENDED = {
    "copyright": "CleanEval and dragnet gold keep copyright lines",
    "embedded_tweet": "a tweet quoted in a story is often content (gold standards keep quotes)",
    "caps_teaser": "ALL-CAPS lines are also headings, acronyms tables and shouted quotes",
    "cnn_dateline": "a dateline is part of the article text in most gold standards",
    "dailymail_header": "a byline/date header: gold standards keep bylines and dates",
    "byline": "CleanEval and dragnet gold keep bylines",
    "url_line": "aeb and dragnet gold keep lines that are only a link (product and source links)",
}
ANY_ARTIFACT = re.compile("|".join(f"(?:{p})" for _, p in SIGNATURES.values()))
WORD = re.compile(r"\w+")
#: zero-width characters the normalize stage removes (they split words for \\w+).
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))


def shared_dir() -> Path | None:
    env = os.environ.get("CLEANER_SHARED")
    path = Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"
    return path if (path / "corpus").is_dir() else None


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def count(text: str) -> Counter:
    return Counter({f: len(re.findall(p, text)) for f, (_, p) in SIGNATURES.items()})


def removal(docs: list[dict], cleaners: dict[str, Cleaner], show: str | None) -> dict:
    before: Counter = Counter()
    after = {p: Counter() for p in cleaners}
    for d in docs:
        before.update(count(d["text"]))
        for p, c in cleaners.items():
            out = c.clean(d["text"], publisher=d.get("publisher"))
            left = count(out)
            after[p].update(left)
            if show and p == "default" and left[show]:
                for m in re.finditer(SIGNATURES[show][1], out):
                    print(f"  left [{d['id']}]: {out[max(0, m.start() - 60) : m.end() + 60]!r}")
    return {"before": before, "after": after}


def damage(docs: list[dict], cleaner: Cleaner, show: bool) -> tuple[int, int]:
    """Content lines (12+ words, no artifact signature) whose words do not all survive in order."""
    checked = damaged = 0
    for d in docs:
        out = " ".join(WORD.findall(cleaner.clean(d["text"], publisher=d.get("publisher"))))
        for line in d["text"].split("\n"):
            words = WORD.findall(line.translate(INVISIBLE))
            if len(words) < 12 or ANY_ARTIFACT.search(line):
                continue
            checked += 1
            if " ".join(words) not in out:
                damaged += 1
                if show:
                    print(f"  damaged [{d['id']}]: {line[:160]!r}")
    return checked, damaged


def gold_loss(docs: list[dict], cleaner: Cleaner) -> tuple[int, int]:
    total = lost = 0
    for d in docs:
        gold = d.get("gold_text") or ""
        toks = Counter(gold.split())
        kept = Counter(cleaner.clean(gold, url=d.get("url")).split())
        total += sum(toks.values())
        lost += sum((toks - kept).values())
    return total, lost


def idempotence(texts: list[str], cleaners: dict[str, Cleaner], show: bool) -> int:
    bad = 0
    for t in texts:
        for c in cleaners.values():
            once = c.clean(t)
            if c.clean(once) != once:
                bad += 1
                if show:
                    print(f"  not idempotent ({c.preset}): {once[:120]!r}")
    return bad


def after_trafilatura(html_dir: Path, cleaners: dict[str, Cleaner], verbose: bool) -> None:
    """Pages through trafilatura, then the rules: what the rules remove, and on the trafilatura
    benchmark whether its 'with' snippets survive and its 'without' snippets go."""
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed; skipped")
        return
    removed: Counter = Counter()
    snippets = {"with": Counter(), "without": Counter()}
    for gold_file in sorted(html_dir.glob("*/gold.jsonl")):
        for d in read_jsonl(gold_file):
            page = gold_file.parent / f"{d['id']}.html"
            if not page.is_file():
                continue
            text = trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or ""
            result = cleaners["default"].explain(text, url=d.get("url"))
            for e in result.edits:
                if e.removed.strip() and e.rule.split(".")[0] not in ("unicode", "whitespace"):
                    removed[e.rule] += 1
                    if verbose:
                        print(f"  [{gold_file.parent.name}/{d['id']}] {e.rule}: {e.removed[:90]!r}")
            for key in ("with", "without"):
                for snip in d.get(key) or []:
                    snippets[key]["n"] += 1
                    snippets[key]["before"] += snip in text
                    snippets[key]["after"] += snip in result.text
    print("edits by rule (default):", ", ".join(f"{r} {n}" for r, n in removed.most_common()))
    w, wo = snippets["with"], snippets["without"]
    print(
        f"trafilatura benchmark: 'with' snippets kept {w['before']} -> {w['after']} of {w['n']}; "
        f"'without' snippets present {wo['before']} -> {wo['after']} of {wo['n']}"
    )


def corpus_texts(root: Path) -> list[str]:
    texts = []
    for path in sorted(root.rglob("*.jsonl")):
        for d in read_jsonl(path):
            for key in ("text", "gold_text", "gold"):
                if isinstance(d.get(key), str):
                    texts.append(d[key])
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", help="print what is left of this family after the default preset")
    ap.add_argument("--verbose", action="store_true", help="print damaged lines and violations")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared/corpus not found (set CLEANER_SHARED); nothing to evaluate")
        return 0
    corpus = shared / "corpus"
    cleaners = {"default": Cleaner("default"), "extended": Cleaner("extended")}
    ok = True

    print(
        "== artifact removal (instances: before -> after default / extended; "
        "per source: real = other_artifacts.jsonl, real2 = artifacts.jsonl)"
    )
    sources = {
        "real": read_jsonl(corpus / "real/other_artifacts.jsonl"),
        "real2": read_jsonl(corpus / "real2/artifacts.jsonl"),
    }
    per = {name: removal(docs, cleaners, args.show) for name, docs in sources.items()}
    for fam, (preset, _) in SIGNATURES.items():
        n = sum(r["before"][fam] for r in per.values())
        if not n:
            continue
        left = {p: sum(r["after"][p][fam] for r in per.values()) for p in cleaners}
        frac = {p: 1 - left[p] / n for p in cleaners}
        target = frac[preset] >= 0.95
        ok &= target
        split = " ".join(
            f"{name} {r['before'][fam]}->{r['after'][preset][fam]}"
            for name, r in per.items()
            if r["before"][fam]
        )
        note = "" if preset == "default" else f"  [extended: {WHY_EXTENDED[fam]}]"
        print(
            f"{fam:20s} {n:5d} -> {left['default']:4d} / {left['extended']:4d}   removed "
            f"{frac['default']:6.1%} / {frac['extended']:6.1%}  {'ok' if target else 'MISS'}"
            f"  ({split}){note}"
        )

    print("== content damage (lines of 12+ words without an artifact)")
    for name in ("real/clean_news.jsonl", "real2/clean.jsonl"):
        for preset, c in cleaners.items():
            checked, bad = damage(read_jsonl(corpus / name), c, args.verbose)
            ok &= preset != "default" or bad == 0
            print(f"{name:24s} {preset:8s} lines {checked:6d} damaged {bad}")

    print(
        "== gold tokens removed by the default preset (target < 0.2%; trafilatura's gold has "
        "no gold_text, see its snippets below)"
    )
    for gold in sorted((corpus / "html").glob("*/gold.jsonl")):
        total, lost = gold_loss(read_jsonl(gold), cleaners["default"])
        _, lost_ext = gold_loss(read_jsonl(gold), cleaners["extended"])
        share = lost / total if total else 0.0
        ok &= share < 0.002
        ext = f"{lost_ext / total:.3%}" if total else "-"
        print(
            f"{gold.parent.name:12s} tokens {total:8d} removed {lost:6d} ({share:.3%})"
            f"   [extended, for information: {ext}]"
        )

    print("== real pages after trafilatura (html/*/<id>.html)")
    after_trafilatura(corpus / "html", cleaners, args.verbose)

    print("== idempotence on every document of ../shared/corpus")
    texts = corpus_texts(corpus)
    bad = idempotence(texts, cleaners, args.verbose)
    ok &= bad == 0
    print(f"documents {len(texts)} x 2 presets: violations {bad}")
    print("ALL TARGETS MET" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
