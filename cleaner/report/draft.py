"""The report section for a draft rule file (``cleaner report INPUT --draft DRAFT``): what each
draft rule would remove, with a few removed spans highlighted in their context, so a person
reviews mined rules (``cleaner rules mine``) before keeping them.

The page is the diff view of the rule set without and with the draft (``render_diff_report``);
this module records the draft rules' edits while that diff is collected (:class:`Recording`)
and renders the section that goes first on the page.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from cleaner.model import Edit, Result, Rule

#: characters of context shown on each side of a removed span
CONTEXT = 90
#: removed spans shown per draft rule (a reservoir sample of all of them)
SNIPPETS = 4


@dataclass(slots=True)
class Snippet:
    doc: int  # 0-based index of the document in the input
    before: str
    removed: str
    after: str


@dataclass(slots=True)
class RuleTally:
    edits: int = 0
    docs: int = 0
    removed: int = 0
    seen: int = 0
    snippets: list[Snippet] = field(default_factory=list)


class DraftStats:
    """Per draft rule: edits, documents, removed characters and a sample of removed spans."""

    def __init__(self, rule_ids: Iterable[str], seed: int = 0):
        self.tally = {rid: RuleTally() for rid in rule_ids}
        self.docs = 0
        self._rng = random.Random(seed)

    def add(self, text: str, edits: list[Edit]) -> None:
        index = self.docs
        self.docs += 1
        counted: set[str] = set()
        for e in edits:
            t = self.tally.get(e.rule)
            if t is None:
                continue
            t.edits += 1
            t.removed += max(0, e.end - e.start - len(e.replacement))
            if e.rule not in counted:
                counted.add(e.rule)
                t.docs += 1
            t.seen += 1
            snip = Snippet(index, text[max(0, e.start - CONTEXT) : e.start], e.removed,
                           text[e.end : e.end + CONTEXT])  # fmt: skip
            if len(t.snippets) < SNIPPETS:
                t.snippets.append(snip)
            else:
                j = self._rng.randrange(t.seen)
                if j < SNIPPETS:
                    t.snippets[j] = snip


class Recording:
    """A cleaner that also records its draft rules' edits in ``stats`` (the head of the diff)."""

    def __init__(self, cleaner, stats: DraftStats):
        self.cleaner = cleaner
        self.rules = cleaner.rules
        self.stats = stats

    def explain(self, text: str, *, url: str | None = None,
                publisher: str | None = None) -> Result:  # fmt: skip
        res = self.cleaner.explain(text, url=url, publisher=publisher)
        self.stats.add(text, res.edits)
        return res


def render_section(stats: DraftStats, rules: Iterable[Rule]) -> str:
    """The HTML section: one block per draft rule, those that remove the most first."""
    rules = list(rules)
    order = sorted(rules, key=lambda r: (-stats.tally[r.id].removed, r.id))
    removing = sum(1 for r in rules if stats.tally[r.id].edits)
    out = ["<section id='draft'><h2>Draft rules: what each would remove</h2>",
           f"<p>{len(rules)} draft rules; {removing} remove something from these "
           f"{stats.docs:,} documents. Review each one: keep it, fix it, or delete it. "
           "“Show in the sample” filters the documents below to the rule.</p>"]  # fmt: skip
    for r in order:
        t = stats.tally[r.id]
        scope = ""
        if r.where is not None:
            scope = f"; only {escape(', '.join(r.where.domains + r.where.publishers))}"
        out.append(
            f"<section class='rule' id='draft-{escape(r.id)}'><h3>{escape(r.id)}</h3>"
            f"<p>{escape(r.description)}</p><p class='ex'>{escape(r.kind)}: "
            f"{escape(r.pattern or r.function or '')}{scope}</p>"
            f"<p>{t.edits:,} edits in {t.docs:,} documents, {t.removed:,} characters removed"
        )
        if not t.edits:
            out.append(" — it removes nothing here.</p></section>")
            continue
        out.append(f" — <a href='#rule={escape(r.id)}'>show in the sample</a></p><ul>")
        for s in sorted(t.snippets, key=lambda s: s.doc):
            out.append(
                f"<li>document #{s.doc + 1}: <span class='ex'>…{escape(s.before)}"
                f"<mark class='rm new' aria-label='removed by {escape(r.id)}'>"
                f"{escape(s.removed)}</mark>{escape(s.after)}…</span></li>"
            )
        out.append("</ul></section>")
    out.append("</section>")
    return "".join(out)


def insert_section(page: str, section: str) -> str:
    """``page`` with ``section`` placed first in its main part."""
    return page.replace("<main>", "<main>" + section, 1)
