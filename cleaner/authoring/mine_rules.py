"""Turn mined candidates (:mod:`cleaner.authoring.mine`) into a draft rule file.

Each candidate that passes the thresholds becomes a rule in the normal format: a pattern
generalized over its template, literal triggers, ``where`` scoped to its group(s), ``max_chars``,
``change`` examples from real occurrences (outputs computed by running the rule), ``keep``
examples from lines where its text occurs as content, and its evidence as comments. A candidate
that cannot be shown to be junk is written commented out, with why. :mod:`mine_check` then
checks the draft as ``cleaner rules check`` does.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace

import regex

from cleaner.authoring.mine import (
    AT,
    BULLET_RE,
    CAP,
    INLINE,
    JOIN,
    MAX_GROUPS,
    MONTH,
    NUM,
    SLOT_RE,
    URL,
    Candidate,
    Miner,
    Occurrence,
    Options,
    is_prose,
    segments,
)
from cleaner.model import Example, Kind, Rule, Stage, Where

#: a capitalized run as a rule matches it (possessive: no backtracking)
NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]*+"
META = set(".^$*+?{}[]\\|()#")
#: most distinct values a slot may take and still be written as an alternation
MAX_ALTERNATIVES = 4
#: what the evidence calls a unit of each kind (default: line)
UNIT_NAMES = {"span": "sentence", "tail": "credit"}
#: most commented-out suggestions written (the most frequent first)
MAX_SUGGESTIONS = 40


@dataclass(slots=True)
class Proposal:
    """One rule of the draft (active, or commented out with ``why_not``)."""

    id: str
    kind: Kind  # drop-line | replace
    description: str
    pattern: str
    trigger: list[str]
    max_chars: int | None
    where: Where | None
    docs: int
    evidence: list[str]
    change: list[Example] = field(default_factory=list)
    keep: list[Example] = field(default_factory=list)
    why_not: str = ""
    sources: list[Candidate] = field(default_factory=list, repr=False)

    @property
    def stage(self) -> Stage:
        """A mined line rule runs where the miner looked, on what the other rules leave: first
        in the last stage (after ``main``'s inline rules, such as a sentence removed from its
        line); a sentence rule stays in ``main`` (the whitespace rules tidy after it)."""
        return "whitespace" if self.kind == "drop-line" else "main"

    def rule(self) -> Rule:
        return Rule(self.id, self.description, self.kind, pattern=self.pattern,
                    stage=self.stage, trigger=tuple(self.trigger),
                    max_chars=self.max_chars or 200,
                    where=self.where, examples=tuple(self.change + self.keep))  # fmt: skip


def escape(text: str) -> str:
    """``text`` as a regex literal, escaping only metacharacters (spaces stay readable)."""
    return "".join("\\" + c if c in META else c for c in text)


def _tokens(skel: str) -> list[tuple[str, str]]:
    """A skeleton as (kind, text) tokens: lit, num, url, at, cap."""
    out: list[tuple[str, str]] = []
    names = {NUM: "num", URL: "url", AT: "at", CAP: "cap", MONTH: "month"}
    buf = ""
    for ch in skel:
        if ch in names:
            if buf:
                out.append(("lit", buf))
                buf = ""
            out.append((names[ch], ch))
        else:
            buf += ch
    if buf:
        out.append(("lit", buf))
    return out


def template(cand: Candidate, general: bool = False) -> tuple[str, str, list[str]]:
    """(regex, readable template, literal parts) of a candidate: a capitalized slot that always
    held the same words stays literal, one with a few values becomes an alternation, one with
    many (or, when ``general``, two or more) becomes a run of capitalized words."""
    slots = cand.skeleton.count(CAP)
    values: list[Counter] = [Counter() for _ in range(slots)]
    for fill, n in cand.fills.items():
        for i, v in enumerate(fill[:slots]):
            values[i][v] += n
    parts: list[str] = []
    shown: list[str] = []
    literal: list[str] = []
    lit = ""
    slot = 0
    for kind, text in _tokens(cand.skeleton):
        if kind == "cap":
            vals = values[slot]
            slot += 1
            if len(vals) == 1:
                kind, text = "lit", next(iter(vals))
            elif 1 < len(vals) <= MAX_ALTERNATIVES and not general:
                alts = sorted(vals, key=lambda v: (-vals[v], v))
                parts.append("(?:" + "|".join(escape(v) for v in alts) + ")")
                shown.append("{" + "|".join(alts) + "}")
            else:
                words = max((len(v.split()) for v in vals), default=1)
                parts.append(f"{NAME_WORD}(?:{JOIN}{NAME_WORD}){{0,{words}}}")
                shown.append("<Name>")
        if kind == "lit":
            parts.append(escape(text))
            shown.append(text)
            lit += text
            continue
        if kind in ("at", "url"):  # in every match: may close a trigger such as '(@'
            lit += "@" if kind == "at" else "http"
        if lit:
            literal.append(lit)
            lit = ""
        if kind != "cap":
            parts.append(SLOT_RE[text])
            shown.append({"num": "<number>", "url": "<url>", "at": "<@handle>",
                          "month": "<month>"}[kind])  # fmt: skip
    if lit:
        literal.append(lit)
    return "".join(parts), "".join(shown), literal


def trigger_of(literal: list[str]) -> str:
    """The longest literal part, trimmed of spaces (every match contains it)."""
    best = max((p.strip() for p in literal), key=len, default="")
    return best[:60].strip() if len(best) > 60 else best


def slug(text: str, n: int = 40) -> str:
    words = regex.findall(r"[a-z0-9]+", text.casefold())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > n:
            break
        out = f"{out}-{w}" if out else w
    return out


class Drafter:
    """Builds :class:`Proposal` s from a :class:`Miner` (``by``: the ``--by`` field)."""

    def __init__(self, miner: Miner, by: str | None = None, prefix: str = "mined"):
        self.miner = miner
        self.opt: Options = miner.opt
        self.by = by
        self.prefix = prefix
        self.ids: set[str] = set()
        self.skipped: Counter[str] = Counter()  # why candidates were left out without a suggestion

    # ------------------------------------------------------------------------ selection

    def proposals(self) -> list[Proposal]:
        """Active proposals first (most documents first), then commented-out suggestions."""
        merged: dict[tuple[str, str], list[Candidate]] = {}
        for cand in self.miner.candidates.values():
            if cand.docs < max(2, self.opt.min_docs // 2):
                self.skipped["too few documents"] += 1
                continue
            skel = cand.skeleton[:-1].rstrip() if cand.kind == "head" else cand.skeleton
            regex_, _shown, literal = template(replace(cand, skeleton=skel))
            trig = trigger_of(literal)
            if sum(c.isalpha() for c in trig) < 3 and not ("@" in trig and len(trig) > 1):
                self.skipped["no literal text to trigger on"] += 1
                continue
            merged.setdefault((cand.kind, cand.skeleton), []).append(cand)
        out = [self._proposal(cands) for cands in merged.values()]
        active = sorted((p for p in out if not p.why_not), key=lambda p: -p.docs)
        if len(active) > self.opt.max_rules:
            self.skipped[f"rules beyond --max-rules {self.opt.max_rules}"] += (
                len(active) - self.opt.max_rules)  # fmt: skip
            active = active[: self.opt.max_rules]
        rest = sorted((p for p in out if p.why_not), key=lambda p: -p.docs)
        self.skipped["suggestions beyond the first 40"] += max(0, len(rest) - MAX_SUGGESTIONS)
        chosen = active + rest[:MAX_SUGGESTIONS]
        for p in chosen:
            self._examples(p, p.sources)
            if not p.why_not and not p.change:
                p.why_not = "no occurrence kept as a change example matches the pattern"
            if not p.why_not and not p.keep:
                p.why_not = "no keep example: no line holds the trigger without being removed"
        return chosen

    def _content_docs(self, cand: Candidate, pattern: str) -> int:
        """Documents where a match of ``pattern`` sits inside a prose sentence: the sampled
        prose lines holding the candidate's literal text, tested, scaled to all of them."""
        if not cand.content:
            return 0
        rx = regex.compile(pattern, regex.V0)
        hits = sum(any(is_prose(s) and rx.search(s) for s in segments(x)) for x in cand.content)
        return round(cand.probe_docs * hits / len(cand.content))

    def _why_not(self, cand: Candidate, pattern: str) -> str:
        opt = self.opt
        group_docs = self.miner.group_docs[cand.group]
        share = cand.docs / group_docs if group_docs else 0.0
        need, what = opt.min_docs, "--min-docs"
        if self._family(cand):
            need, what = min(need, opt.family_min_docs), "--family-min-docs"
        if cand.docs < need:
            return f"seen in {cand.docs} documents, fewer than {what} {need}"
        if cand.group is not None and share < opt.min_share:
            return f"in {share:.1%} of its group's documents, under --min-share {opt.min_share:g}"
        if self.by and cand.group is None and len(cand.groups) < 2:
            return f"across the input it occurs in one {self.by} only (see its own rule)"
        if cand.kind not in INLINE and cand.max_len > opt.max_chars:
            return (f"occurs in lines of up to {cand.max_len} characters (long prose; "
                    f"--max-chars {opt.max_chars})")  # fmt: skip
        family = self._family(cand) is not None
        # a known junk shape tolerates some wordy occurrences ("The Hill's Ann Lee contributed
        # to this report." has 8 words); the content check below still applies
        if cand.long_prose and (not family or cand.long_prose * 2 > cand.docs):
            return (f"{cand.long_prose} of its occurrences are prose sentences (8 or more "
                    "words, mostly lowercase): content, not a template")  # fmt: skip
        if cand.kind == "span" and not family:
            why = _span_like_content(cand, pattern)
            if why:
                return why
        content = self._content_docs(cand, pattern)
        if content > opt.max_content_share * cand.docs:
            return (f"it also occurs inside a content sentence in about {content} documents "
                    f"(--max-content-share {opt.max_content_share:g})")  # fmt: skip
        return ""

    def _template(self, cand: Candidate) -> tuple[str, str, list[str]]:
        """:func:`template`; a known junk shape's varying names are generalized ("<Name>
        contributed to this report." from two names seen)."""
        return template(cand, general=self._family(cand) is not None)

    @staticmethod
    def _family(cand: Candidate) -> tuple[str, str] | None:
        """(signature, bundled rule) when the candidate has the shape of a bundled family."""
        from cleaner.authoring.mine_shapes import family_of

        return family_of(cand.samples[0].text) if cand.samples else None

    def _proposal(self, cands: list[Candidate]) -> Proposal:
        cands.sort(key=lambda c: -c.docs)
        reasons = [self._why_not(c, self._template(c)[0]) for c in cands]
        good = [c for c, r in zip(cands, reasons, strict=True) if not r]
        use = good or cands[:1]
        first = use[0]
        regex_, shown, literal = self._template(first)
        if first.kind == "head":  # the separator may follow a space: trigger on the head
            literal = template(replace(first, skeleton=first.skeleton[:-1].rstrip()))[2]
        trig = trigger_of(literal)
        docs = sum(c.docs for c in use)
        # a template good across the input (in 2+ groups) applies everywhere
        groups = [c.group for c in use if c.group is not None]
        if len(groups) < len(use):
            groups = []
        where = self._where(groups)
        kind, pattern, max_chars, what = self._shape(first, regex_)
        scope = f" ({self.by} {', '.join(groups[:3])}{' ...' if len(groups) > 3 else ''})" \
            if groups else ""  # fmt: skip
        if self.by and not groups:
            spread = max(len(c.groups) for c in use)
            scope = f" (across {spread}{'+' if spread >= MAX_GROUPS else ''} {self.by} values)"
        desc = f"Mined: {what} {_oneline(shown)!r}{scope}."
        rid = self._id(groups, trig if len(slug(trig)) >= 4 else _oneline(shown))
        evidence = self._evidence(use, shown)
        p = Proposal(rid, kind, desc, pattern, [trig], max_chars, where, docs, evidence,
                     why_not="" if good else reasons[0])  # fmt: skip
        if self.by and self.by not in ("publisher", "url", "domain") and groups:
            p.evidence.append(f"mined per {self.by}; `where` cannot name that field, so the "
                              "rule applies to every record: review before keeping it")  # fmt: skip
        p.sources = use
        return p

    def _shape(self, cand: Candidate, body: str) -> tuple[Kind, str, int | None, str]:
        """(kind, pattern, max_chars, verb) for the candidate's kind of unit."""
        cap = min(self.opt.max_chars, max(40, int(cand.max_len * 1.25) + 10))
        if cand.kind == "line":
            lead = f"(?:{BULLET_RE.pattern[1:]})?" if cand.bullet else ""
            return "drop-line", lead + body, cap, "drop the line"
        if cand.kind == "head":
            sep = escape(cand.skeleton[-1])
            head, _shown, _lit = self._template(replace(cand, skeleton=cand.skeleton[:-1].rstrip()))
            return "drop-line", f"{head} ?{sep} [^\\n]+", cap, "drop lines that start with"
        if cand.kind == "tail":
            return "replace", f"(?m) {body}$", None, "remove the line-end credit"
        pattern = f'(?m)(?:^|(?<=[.!?…"”’)] )){body}(?: |$)| [|—] {body}$'
        return "replace", pattern, None, "remove the sentence"

    def _where(self, groups: list[str]) -> Where | None:
        if not groups or self.by not in ("publisher", "url", "domain"):
            return None
        if self.by == "publisher":
            return Where(publishers=tuple(sorted(groups)))
        return Where(domains=tuple(sorted(groups)))

    def _id(self, groups: list[str], trig: str) -> str:
        parts = [self.prefix]
        if len(groups) == 1 and slug(groups[0], 24):
            parts.append(slug(groups[0], 24))
        parts.append(slug(trig) or "rule")
        base = ".".join(parts)
        rid, n = base, 2
        while rid in self.ids:
            rid, n = f"{base}-{n}", n + 1
        self.ids.add(rid)
        return rid

    def _evidence(self, cands: list[Candidate], shown: str) -> list[str]:
        lines = [f"template: {_oneline(shown)!r}"]
        for c in cands[:5]:
            total = self.miner.group_docs[c.group]
            where = f"{self.by} {c.group!r}" if c.group is not None else "the input"
            lines.append(f"{c.docs} of {total} documents ({c.docs / max(1, total):.1%}) of "
                         f"{where}; {len(c.fills) or 1} variant(s); longest "
                         f"{UNIT_NAMES.get(c.kind, 'line')} {c.max_len} chars; "
                         f"prose sentences holding {c.probe!r}: {c.probe_docs} docs")  # fmt: skip
        if len(cands) > 5:
            lines.append(f"... and {len(cands) - 5} more groups")
        fam = self._family(cands[0])
        if fam:
            lines.append(f"shape of the bundled family {fam[1]} (it holds {fam[0]!r}), which "
                         "did not match it: --family-min-docs applies")  # fmt: skip
        for occ in [o for c in cands for o in c.samples][:3]:
            lines.append(f"seen in {occ.doc}: {_clip(occ.line)!r}")
        return lines

    # ------------------------------------------------------------------------- examples

    def _examples(self, p: Proposal, cands: list[Candidate]) -> None:
        from cleaner.engine.run import Engine

        rule = p.rule()
        engine = Engine([rule], timeout=2.0)
        ctx = _context(p.where)
        seen: set[str] = set()
        for occ in [o for c in cands for o in c.samples]:
            if len(p.change) >= 3:
                break
            text = occ.line if p.kind == "replace" else _with_context(occ)
            if text in seen:
                continue
            seen.add(text)
            out = engine.run(text, **ctx).text
            if out != text:
                p.change.append(Example("change", text, out, name=f"seen-{len(p.change) + 1}",
                                        note=f"from {occ.doc}"))  # fmt: skip
        for text in [x for c in cands for x in c.content]:
            if len(p.keep) >= 2:
                break
            if text in seen or not any(t in text for t in p.trigger):
                continue
            seen.add(text)
            if engine.run(text, **ctx).text == text:
                p.keep.append(Example("keep", text, name=f"content-{len(p.keep) + 1}"))
        near = [x for c in cands for x in c.near if x not in seen]
        for text in near[:3]:
            if engine.run(text, **ctx).text == text:
                p.evidence.append(f"left by the rule (junk it misses, or content?): "
                                  f"{_clip(text)!r}")  # fmt: skip
        if not p.keep:
            text = f"A sentence that quotes “{p.trigger[0]}” in passing stays."
            if engine.run(text, **ctx).text == text:
                p.keep.append(Example("keep", text, name="synthetic near miss",
                                      note="no line of the input held the trigger as content; "
                                      "this invented sentence only shows a near miss"))  # fmt: skip


#: punctuation that marks a span as a label, credit or link rather than a sentence
LABEL_CHARS = set("():/|@©#•»«[]")


def _span_like_content(cand: Candidate, pattern: str) -> str:
    """Why a recurring sentence reads as content, or "": a prose sentence, or names around
    common words with no label punctuation ('<Name> said.', '<Name> asked.')."""
    sample = next((o.text for o in cand.samples if o is not None), "")
    if sample and is_prose(sample):
        return "the sentence itself is prose (8 or more words, mostly lowercase)"
    literal = "".join(regex.split(r"[\ue000-\ue004]", cand.skeleton))
    if LABEL_CHARS & set(literal):
        return ""
    varying = any(len({f[i] for f in cand.fills if i < len(f)}) > 1
                  for i in range(cand.skeleton.count(CAP)))  # fmt: skip
    if varying or CAP in cand.skeleton and len(literal.split()) <= 1:
        return ("a name and common words with no label punctuation (such as an attribution, "
                "'<Name> said.') reads as content")  # fmt: skip
    return ""


def _context(where: Where | None) -> dict:
    if where is None:
        return {}
    if where.domains:
        return {"url": f"https://{where.domains[0]}/"}
    return {"publisher": where.publishers[0]}


def _with_context(occ: Occurrence) -> str:
    return "\n".join(x for x in (occ.prev, occ.line, occ.next) if x)


def _oneline(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, n: int = 120) -> str:
    text = _oneline(text)
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------------- TOML


def toml_str(text: str) -> str:
    """A TOML string: a literal string when possible (regexes stay readable), else basic."""
    if "'" not in text and text.isprintable():
        return f"'{text}'"
    if "'''" not in text and not text.endswith("'") and text.isprintable():
        return f"'''{text}'''"
    return _basic(text)


def _basic(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def render(p: Proposal) -> str:
    """One proposal as TOML (every line commented out when it is not proposed)."""
    out = [f"# {line}" for line in p.evidence]
    out += [
        "[[rule]]",
        f"id = {_basic(p.id)}",
        f"description = {_basic(p.description)}",
        f"kind = {_basic(p.kind)}",
    ]
    if p.stage != "main":
        out.append(f"stage = {_basic(p.stage)}")
    out += [f"pattern = {toml_str(p.pattern)}",
            f"trigger = [{', '.join(_basic(t) for t in p.trigger)}]"]  # fmt: skip
    if p.kind == "drop-line" and p.max_chars:
        out.append(f"max_chars = {p.max_chars}")
    if p.where is not None:
        key, vals = ("domains", p.where.domains) if p.where.domains else \
            ("publishers", p.where.publishers)  # fmt: skip
        out.append(f"where = {{{key} = [{', '.join(_basic(v) for v in vals)}]}}")
    for ex in p.change + p.keep:
        out += ["", f"[[rule.{ex.kind}]]", f"name = {_basic(ex.name)}"]
        if ex.note:
            out.append(f"note = {_basic(ex.note)}")
        out.append(f"input = {_basic(ex.input)}")
        if ex.kind == "change":
            out.append(f"output = {_basic(ex.output or '')}")
    if p.why_not:
        return "\n".join([f"# NOT PROPOSED: {p.why_not}"] + [f"# {x}" if x else "#" for x in
                                                              out]) + "\n"  # fmt: skip
    return "\n".join(out) + "\n"


def render_file(props: list[Proposal], header: list[str]) -> str:
    head = "".join(f"# {x}\n" for x in header)
    return head + "\n" + "\n".join(render(p) for p in props)


# ------------------------------------------------------------------------------- check
