"""HTML reports of what cleaning removed: streaming statistics and a self-contained page.

``collect`` runs one or two :class:`cleaner.Cleaner` instances over records and gathers
:class:`ReportStats` in bounded memory; ``render_report`` / ``render_diff_report`` turn them into
one HTML file with no network dependency.
"""

from __future__ import annotations

from collections.abc import Iterable

from cleaner.pipeline.records import Record, Reject
from cleaner.report.html import render_diff_report, render_report
from cleaner.report.stats import SAMPLE, THRESHOLD, ReportStats

__all__ = ["ReportStats", "collect", "render_diff_report", "render_report"]


def collect(records: Iterable[Record | Reject | str], cleaner, head=None, *, sample: int = SAMPLE,
            seed: int = 0, threshold: float = THRESHOLD) -> ReportStats:  # fmt: skip
    """Statistics of ``cleaner`` over ``records`` (texts or :class:`Record`; rejects are counted
    in ``stats.rejected`` and skipped). With ``head``, a diff: ``cleaner`` is the old rule set."""
    stats = ReportStats(sample, seed=seed, threshold=threshold, diff=head is not None)
    for item in records:
        if isinstance(item, Reject):
            stats.rejected += 1
            continue
        if isinstance(item, str):
            text, url, pub, name = item, None, None, ""
        else:
            meta = item.data or {}
            url = meta.get("url") if isinstance(meta.get("url"), str) else None
            pub = meta.get("publisher") if isinstance(meta.get("publisher"), str) else None
            text = item.text
            name = f"{item.source}:{item.line}" if item.line else item.source
        base = cleaner.explain(text, url=url, publisher=pub).edits
        head_edits = head.explain(text, url=url, publisher=pub).edits if head is not None else None
        stats.add(text, base, head_edits, name=name)
    return stats
