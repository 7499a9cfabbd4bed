"""Junk left and content lost, without and with mined draft rules (``cleaner rules mine``).

    python benchmarks/eval_mine.py --draft D.toml [--draft ...] --junk FILE... --content FILE...

Cleans every file with the default rules, then with the default rules plus the drafts
(``Cleaner(add_rules=drafts)``). For ``--junk``
files: lines of the output matching each junk signature below (my own regexes, one per family;
a line counts once, under its first family). For ``--content`` files: lines of the default
output that the drafts remove (every one is a loss: these files are clean news). Prints tables;
``--show N`` prints N lost lines and N junk lines left.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cleaner.api import Cleaner  # noqa: E402
from cleaner.pipeline.readers import read_input  # noqa: E402
from cleaner.pipeline.records import Record  # noqa: E402

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
#: junk families left by the default rules: a signature per family, tested on each output line
SIGNATURES = {
    "share": r"\bSHARES?\b|^Share (?:on|this)\b|Facebook Twitter|^Tweet$|^Email$|^Print$",
    "read-more": r"^(?:Read|READ) (?:more|More|MORE)\b|^(?:ALSO|Also) (?:READ|Read)\b|^Related:",
    "follow": r"^Follow\b|^Follow (?:us|@)|Follow .{0,40} on (?:Twitter|Facebook|Instagram)",
    "copyright": r"Copyright ©|©\s*\d{4}|All rights reserved",
    "updated": r"^[-—–\s]*(?:This (?:report|story|article) (?:was|has been) )?"
    r"[Uu]pdated (?:at|on)\b",
    "contributed": r"^[^.]{0,60}\bcontributed(?: to this report)?\.$",
    "newsletter": r"[Ss]ign up for|[Ss]ubscribe to our|[Nn]ewsletter",
    "byline-label": r"^Authors?:$|^By [A-Z][\w.'-]+ [A-Z]",
    "ads": r"Advertisement|Your ads will be inserted|Sponsored",
    "photo-credit": r"\(?Photo:|/Getty|AP Photo|\(Associated Press\)|Image (?:copyright|caption)",
    "tweet": rf"pic\.twitter\.com|\(@\w+\) {MONTH} \d{{1,2}}, \d{{4}}|Retweets? \d",
    "disclaimer": r"The views expressed",
    "click-here": r"[Cc]lick here",
    "breaking": r"^BREAKING\b",
    "bare-url": r"^https?://\S+$",
}
SIG = {k: regex.compile(v) for k, v in SIGNATURES.items()}


def records(path: str):
    for rec in read_input(path):
        if isinstance(rec, Record):
            d = rec.data or {}
            url = d.get("url") if isinstance(d.get("url"), str) else None
            pub = d.get("publisher") if isinstance(d.get("publisher"), str) else None
            yield rec.text, url, pub


def family(line: str) -> str | None:
    return next((k for k, rx in SIG.items() if rx.search(line)), None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draft", type=Path, action="append", default=[])
    ap.add_argument("--junk", nargs="*", default=[])
    ap.add_argument("--content", nargs="*", default=[])
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    base = Cleaner()
    drafts = [d for d in args.draft if "\n[[rule]]" in d.read_text("utf-8")]  # not all comments
    both = Cleaner(add_rules=drafts)
    print(f"default rules: {len(base.rules)}; with drafts: {len(both.rules)}")
    for path in args.junk:
        before, after, docs = Counter(), Counter(), 0
        left: list[str] = []
        for text, url, pub in records(path):
            docs += 1
            for out, tally in ((base.clean(text, url=url, publisher=pub), before),
                               (both.clean(text, url=url, publisher=pub), after)):  # fmt: skip
                for line in out.split("\n"):
                    fam = family(line.strip())
                    if fam:
                        tally[fam] += 1
                        if tally is after and len(left) < args.show:
                            left.append(f"{fam}: {line.strip()[:140]}")
        total_b, total_a = sum(before.values()), sum(after.values())
        gone = 1 - total_a / total_b if total_b else 0.0
        print(f"\n{path} ({docs} docs): junk lines left by the default rules {total_b}, "
              f"with the drafts {total_a} ({gone:.0%} of it removed)")  # fmt: skip
        for fam in sorted(before, key=lambda f: -before[f]):
            print(f"  {fam:<14} {before[fam]:>5} -> {after[fam]:>5}")
        for x in left:
            print("   left:", x)
    draft_ids = {r.id for r in both.rules} - {r.id for r in base.rules}
    for path in args.content:
        lines, lost, cut, docs = 0, [], [], 0
        for text, url, pub in records(path):
            docs += 1
            a = base.clean(text, url=url, publisher=pub).split("\n")
            b = Counter(both.clean(text, url=url, publisher=pub).split("\n"))
            lines += sum(1 for x in a if x.strip())
            for x in a:
                if not x.strip():
                    continue
                if b[x] > 0:
                    b[x] -= 1
                else:
                    lost.append(x)
            for e in both.explain(text, url=url, publisher=pub).edits:
                if e.rule in draft_ids and "\n" not in e.removed.strip():
                    cut.append(f"{e.rule}: {e.removed.strip()!r}")
        print(f"\n{path} ({docs} docs): {len(lost)} of {lines} content lines changed or "
              f"dropped by the drafts; {len(cut)} edits of draft rules:")  # fmt: skip
        for x, n in Counter(cut).most_common(args.show or 10):
            print(f"   {n:>4} x {x[:150]}")


if __name__ == "__main__":
    main()
