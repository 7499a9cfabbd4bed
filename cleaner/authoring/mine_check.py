"""Check a mined draft as ``cleaner rules check`` does and write it: :func:`draft`.

An example that fails the check is dropped, a rule that still fails is commented out with the
failure, so the draft passes ``cleaner rules check`` as written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import regex

from cleaner.authoring.mine import Miner
from cleaner.authoring.mine_rules import Drafter, Proposal, _clip, render_file

#: rules checked with one set of engines (a check compiles an engine per rule: bounded memory)
CHECK_CHUNK = 25


def self_check(props: list[Proposal], header: list[str], corpus=None,
               rounds: int = 3) -> list[Proposal]:  # fmt: skip
    """Run ``cleaner rules check`` on the draft: drop examples that fail, comment out rules
    that still fail (with the failure), until it passes."""
    from cleaner.authoring.check import check_rules, default_corpus_files, read_corpus

    if corpus is None:
        corpus = read_corpus(default_corpus_files())
    for n in range(rounds + 1):
        active = [p for p in props if not p.why_not]
        if not active:
            return props
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "draft.toml"
            path.write_text(render_file(active, header), "utf-8")
            report = check_rules([path], corpus, chunk=CHECK_CHUNK)
        if report.ok:
            return props
        by_id = {p.id: p for p in active}
        if report.load_error:
            for f in report.failures:
                if f.rule in by_id:
                    by_id[f.rule].why_not = f"invalid rule: {f.got}"
            if not any(f.rule in by_id for f in report.failures):
                raise RuntimeError("the draft does not load: "
                                   + "; ".join(f.got for f in report.failures))  # fmt: skip
            continue
        for f in report.failures:
            p = by_id.get(f.rule)
            if p is None or p.why_not:
                continue
            name = regex.search(r"'([^']*)'$", f.check)
            examples = p.change + p.keep
            hit = [e for e in examples if name and e.name == name.group(1)]
            if hit and n < rounds:
                p.change = [e for e in p.change if e not in hit]
                p.keep = [e for e in p.keep if e not in hit]
                if not p.change or not p.keep:
                    p.why_not = f"rules check: {f.check}: {_clip(f.got, 200)}"
            else:
                p.why_not = f"rules check: {f.check}: {_clip(f.got, 200)}"
    return props


def draft(miner: Miner, by: str | None, inputs: list[str], prefix: str = "mined",
          check: bool = True) -> tuple[str, list[Proposal], Drafter]:  # fmt: skip
    """The draft rule file's text, its proposals and the drafter (for its skip counts)."""
    drafter = Drafter(miner, by, prefix)
    props = drafter.proposals()
    scope = f", per {by}" if by else ""
    header = [
        f"Draft rules mined by `cleaner rules mine` from {miner.docs} documents{scope}: "
        f"{', '.join(Path(i).name for i in inputs[:5])}{' ...' if len(inputs) > 5 else ''}",
        "Review every rule before keeping it: `cleaner report INPUT --draft THIS_FILE`, "
        "`cleaner rules check THIS_FILE`.",
        "Rules commented out (NOT PROPOSED) could not be shown to be junk; the reason is given.",
        f"Thresholds: --min-docs {miner.opt.min_docs}, --family-min-docs "
        f"{miner.opt.family_min_docs}, --min-share {miner.opt.min_share:g}, "
        f"--max-content-share {miner.opt.max_content_share:g}, --max-chars {miner.opt.max_chars}",
    ]
    if check:
        props = self_check(props, header)
    active = [p for p in props if not p.why_not]
    props = active + [p for p in props if p.why_not]
    return render_file(props, header), props, drafter
