"""Check that a rule rewrite (say a regex turned into a faster function) changes no output.

    PYTHONPATH=. python benchmarks/compare_rules_exact.py --base git:main [RULE_ID ...]

Compares the old rule files (``--base``: a folder or ``git:REF``) with the worktree's on every
document of ../shared/corpus/real and real2 (or ``--corpus`` files) and on three variants of
each (paragraph breaks doubled, halved, sentences glued at '. '), by text and by every edit
(rule, offsets, removed text, replacement): each named rule alone (engine and naive reference),
then the default and extended pipelines. Prints identical/total per comparison; exits 1 on any
difference. ``cleaner rules diff`` reports *what* changed; this only says *whether*.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import orjson

from cleaner.authoring.diff import materialize_base
from cleaner.engine.reference import reference_clean
from cleaner.engine.run import Engine
from cleaner.model import Result, Rule
from cleaner.ruleset.load import load_rules, select_rules

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import SHARED  # noqa: E402

Doc = tuple[str, str | None, str | None]


def read(files: list[Path]) -> list[Doc]:
    docs: list[Doc] = []
    for path in files:
        with path.open("rb") as f:
            for line in f:
                rec = orjson.loads(line) if line.strip() else {}
                if isinstance(rec.get("text"), str):
                    docs.append((rec["text"], rec.get("url"), rec.get("publisher")))
    return docs


def variants(docs: list[Doc]) -> list[Doc]:
    out: list[Doc] = []
    for text, url, pub in docs:
        for old, new in (("\n", "\n\n"), ("\n\n", "\n"), (". ", ".")):
            out.append((text.replace(old, new), url, pub))
    return out


def key(res: Result) -> tuple:
    return res.text, [(e.rule, e.start, e.end, e.removed, e.replacement) for e in res.edits]


def compare(name: str, old: list[Rule], new: list[Rule], docs: list[Doc], naive: bool) -> int:
    """Print and return the number of documents whose output differs."""
    e_old, e_new = Engine(old, timeout=None), Engine(new, timeout=None)
    differ = changed = 0
    for text, url, pub in docs:
        a = e_old.run(text, url=url, publisher=pub, explain=True)
        b = e_new.run(text, url=url, publisher=pub, explain=True)
        bad = key(a) != key(b)
        if naive and not bad:
            bad = not (reference_clean(old, text, url, pub) == reference_clean(new, text, url, pub)
                       == a.text)  # fmt: skip
        differ += bad
        changed += a.text != text
    print(f"{name:48} identical {len(docs) - differ}/{len(docs)}  (docs changed: {changed})")
    return differ


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rules", nargs="*", help="rule ids to compare alone as well")
    ap.add_argument("--base", required=True, help="old rules: a folder, or git:REF")
    ap.add_argument("--corpus", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.corpus or sorted((SHARED / "corpus" / "real").glob("*.jsonl")) + sorted(
        (SHARED / "corpus" / "real2").glob("*.jsonl")
    )
    docs = read(files)
    if not docs:
        sys.exit("no documents: name --corpus files or provide ../shared/corpus")
    more = variants(docs)
    with tempfile.TemporaryDirectory() as tmp:
        old_rules = load_rules([materialize_base(args.base, Path(tmp))])
    new_rules = load_rules()
    print(f"{len(docs)} documents + {len(more)} variants")
    bad = 0
    for rid in args.rules:
        old = select_rules(old_rules, "default", [rid])
        new = select_rules(new_rules, "default", [rid])
        bad += compare(f"{rid} alone", old, new, docs, naive=True)
        bad += compare(f"{rid} alone, variants", old, new, more, naive=False)
    for preset in ("default", "extended"):
        old, new = select_rules(old_rules, preset, None), select_rules(new_rules, preset, None)
        bad += compare(f"pipeline {preset}", old, new, docs, naive=False)
        bad += compare(f"pipeline {preset}, variants", old, new, more, naive=False)
    print("differences:", bad)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
