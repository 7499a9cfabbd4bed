"""Streaming statistics for a cleaning report: counters, a histogram and a document sample.

Memory is bounded whatever the input size: counters per rule, a fixed histogram, a heap of the
documents that lost the largest share of their text, and a reservoir sample (Algorithm R) of
documents, each stored already cut down to windows of text around its edits.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from cleaner.model import Edit

#: Characters of context kept on each side of an edit in a sampled document.
CONTEXT = 160
#: Documents shown in a report (a uniform random sample), and the share of its text a document
#: must lose to be listed as a likely false positive: the defaults of ``cleaner report``.
SAMPLE = 200
THRESHOLD = 0.5
#: Most characters of text kept for one sampled document (edits included).
MAX_DOC_CHARS = 2400
#: Most highlighted spans kept for one sampled document (later ones are cut off).
MAX_MARKS = 60
#: Bins of the "share of text removed" histogram (0-5 %, 5-10 %, ... 95-100 %).
BINS = 20


@dataclass(slots=True)
class Segment:
    """A piece of a sampled document: plain text, or a span removed by a base/head rule."""

    text: str
    base: str | None = None  # rule id of the base (old) edit covering this piece
    head: str | None = None  # rule id of the head (new) edit covering this piece
    replacement: str = ""  # what the covering edit put in place of the whole span
    gap: bool = False  # marks text left out between windows ("…")


@dataclass(slots=True)
class DocSample:
    """One sampled document, cut down to windows around its edits."""

    index: int  # 0-based position in the input stream
    name: str
    chars: int
    share: float  # share of characters removed (head edits in a diff)
    rules: list[str]
    segments: list[Segment]
    truncated: bool


@dataclass(slots=True)
class RuleCount:
    edits: int = 0
    removed: int = 0  # characters removed (len(removed) - len(replacement), at least 0)
    docs: int = 0


@dataclass(slots=True)
class Side:
    """Counters for one edit list (base, or head in a diff)."""

    chars_out: int = 0
    docs_changed: int = 0
    rules: dict[str, RuleCount] = field(default_factory=dict)

    def add(self, edits: Sequence[Edit]) -> int:
        removed = 0
        seen: set[str] = set()
        for e in edits:
            rc = self.rules.get(e.rule)
            if rc is None:
                rc = self.rules[e.rule] = RuleCount()
            gone = max(0, (e.end - e.start) - len(e.replacement))
            rc.edits += 1
            rc.removed += gone
            removed += gone
            if e.rule not in seen:
                seen.add(e.rule)
                rc.docs += 1
        self.docs_changed += bool(edits)
        return removed


class ReportStats:
    """Collects what a report shows, one document at a time, in bounded memory.

    ``sample``: documents kept (reservoir sampling, reproducible with ``seed``); ``threshold``:
    documents losing more than this share of their text are listed as likely false positives
    (at most ``max_listed``, the largest shares first). Pass ``head_edits`` to :meth:`add` for
    a diff between two rule sets (``edits`` is then the base, the old set).
    """

    def __init__(self, sample: int = SAMPLE, *, seed: int = 0, threshold: float = THRESHOLD,
                 max_listed: int = 100, diff: bool = False) -> None:  # fmt: skip
        self.sample_size = sample
        self.threshold = threshold
        self.max_listed = max_listed
        self.diff = diff
        self.docs = 0
        self.chars_in = 0
        self.base = Side()
        self.head = Side()
        self.only_base = 0  # characters removed only by the base set (diff)
        self.only_head = 0  # characters removed only by the head set (diff)
        self.docs_differ = 0
        self.rejected = 0  # records that could not be read (set by collect)
        self.histogram = [0] * BINS
        # min-heap of (share, -index, name, chars): the documents losing the most
        self.flagged: list[tuple[float, int, str, int]] = []
        self.sample: list[DocSample] = []
        self._rng = random.Random(seed)

    def add(self, text: str, edits: Sequence[Edit], head_edits: Sequence[Edit] | None = None,
            *, name: str = "") -> None:  # fmt: skip
        """Count one document and its edits (and maybe keep it in the sample)."""
        index = self.docs
        self.docs += 1
        n = len(text)
        self.chars_in += n
        removed = self.base.add(edits)
        self.base.chars_out += _out_len(n, edits)
        shown = removed
        if head_edits is not None:
            shown = self.head.add(head_edits)
            self.head.chars_out += _out_len(n, head_edits)
            ob, oh = _only(edits, head_edits)
            self.only_base += ob
            self.only_head += oh
            self.docs_differ += bool(ob or oh)
        share = shown / n if n else 0.0
        self.histogram[min(BINS - 1, int(share * BINS))] += 1
        if share > self.threshold:
            item = (share, -index, name or f"#{index + 1}", n)
            if len(self.flagged) < self.max_listed:
                heapq.heappush(self.flagged, item)
            elif item > self.flagged[0]:
                heapq.heapreplace(self.flagged, item)
        # Reservoir sampling (Algorithm R): every document is kept with probability k/seen.
        if len(self.sample) < self.sample_size:
            self.sample.append(_cut(index, name, text, share, edits, head_edits))
        elif self.sample_size:
            j = self._rng.randrange(self.docs)
            if j < self.sample_size:
                self.sample[j] = _cut(index, name, text, share, edits, head_edits)

    @property
    def flagged_sorted(self) -> list[tuple[float, int, str, int]]:
        """Flagged documents, the largest share first: (share, index, name, chars)."""
        return [(s, -i, nm, c) for s, i, nm, c in sorted(self.flagged, reverse=True)]

    @property
    def sample_sorted(self) -> list[DocSample]:
        return sorted(self.sample, key=lambda d: d.index)

    def rule_ids(self) -> list[str]:
        ids = set(self.base.rules) | set(self.head.rules)
        return sorted(ids)


def _out_len(n: int, edits: Sequence[Edit]) -> int:
    return n - sum(e.end - e.start - len(e.replacement) for e in edits)


def _mask(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    return sorted((e.start, e.end) for e in edits if e.end > e.start)


def _only(base: Sequence[Edit], head: Sequence[Edit]) -> tuple[int, int]:
    """Characters covered only by base edits, and only by head edits."""
    b, h = _mask(base), _mask(head)
    both = _intersect(b, h)
    return sum(e - s for s, e in b) - both, sum(e - s for s, e in h) - both


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _windows(n: int, edits: Sequence[Edit], budget: int) -> tuple[list[tuple[int, int]], bool]:
    """Ranges of the text to show: everything if short, else context around edits."""
    if n <= budget and len(edits) <= MAX_MARKS:
        return [(0, n)], False
    first = sorted(edits, key=lambda e: e.start)[:MAX_MARKS]
    spans = [(max(0, e.start - CONTEXT), min(n, e.end + CONTEXT)) for e in first]
    if not spans:
        return [(0, budget)], True
    if len(edits) > MAX_MARKS:  # stop right after the last edit shown
        spans = [(s, min(e, first[-1].end)) for s, e in spans]
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[tuple[int, int]] = []
    left = budget
    for s, e in merged:
        if left <= 0:
            break
        if e - s > left:
            e = s + left
        out.append((s, e))
        left -= e - s
    return out, True


def _cut(index: int, name: str, text: str, share: float, base: Sequence[Edit],
         head: Sequence[Edit] | None) -> DocSample:  # fmt: skip
    """The document as segments, kept only within windows around its edits."""
    all_edits = list(base) + list(head or [])
    windows, truncated = _windows(len(text), all_edits, MAX_DOC_CHARS)
    marks: list[tuple[int, int, str, str, str]] = []  # start, end, side, rule, replacement
    for side, edits in (("base", base), ("head", head or [])):
        marks += [(e.start, e.end, side, e.rule, e.replacement) for e in edits if e.end > e.start]
    marks.sort()
    lo, hi = windows[0][0], windows[-1][1]
    cuts = {0, len(text)}
    for s, e, *_ in marks:
        if e >= lo and s <= hi:
            cuts.update((max(s, lo), min(e, hi)))
    for s, e in windows:
        cuts.update((s, e))
    points = sorted(cuts)
    segs: list[Segment] = []
    w = m = 0
    open_: list[tuple[int, int, str, str, str]] = []
    for a, b in zip(points, points[1:], strict=False):
        while w < len(windows) and windows[w][1] <= a:
            w += 1
        while m < len(marks) and marks[m][0] <= a:
            open_.append(marks[m])
            m += 1
        open_ = [x for x in open_ if x[1] > a]
        if w == len(windows) or b <= windows[w][0]:
            if not segs or not segs[-1].gap:
                segs.append(Segment("…", gap=True))
            continue
        seg = Segment(text[a:b])
        for s, e, side, rule, rep in open_:
            if s <= a and b <= e:
                setattr(seg, side, rule)
                if rep:
                    seg.replacement = rep
        segs.append(seg)
    rules = sorted({m[3] for m in marks})
    return DocSample(index, name or f"#{index + 1}", len(text), share, rules, segs, truncated)
