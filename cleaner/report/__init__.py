"""HTML reports of what cleaning removed: streaming statistics and a self-contained page.

``collect`` runs one or two :class:`cleaner.Cleaner` instances over records and gathers
:class:`ReportStats` in bounded memory; ``render_report`` / ``render_diff_report`` turn them into
one HTML file with no network dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cleaner.pipeline.records import Record, Reject, scope
from cleaner.report.html import render_diff_report, render_report
from cleaner.report.stats import SAMPLE, THRESHOLD, ReportStats

__all__ = ["ReportStats", "collect", "render_diff_report", "render_report"]


def _context(item: Record | str) -> tuple[str, str | None, str | None, str]:
    """(text, url, publisher, name) of a record or a plain string."""
    if isinstance(item, str):
        return item, None, None, ""
    url, pub = scope(item.data)
    return item.text, url, pub, f"{item.source}:{item.line}" if item.line else item.source


def _explain(cleaner, item: Record | Reject | str) -> tuple:
    """(item, its edits) — None for a reject."""
    if isinstance(item, Reject):
        return item, None
    text, url, pub, _ = _context(item)
    return item, cleaner.explain(text, url=url, publisher=pub).edits


def _build(spec):
    return spec.build()


def collect(records: Iterable[Record | Reject | str], cleaner, head=None, *, sample: int = SAMPLE,
            seed: int = 0, threshold: float = THRESHOLD, jobs: int = 1, spec=None,
            progress: Callable[[int, int, int], None] | None = None) -> ReportStats:  # fmt: skip
    """Statistics of ``cleaner`` over ``records`` (texts or :class:`Record`; rejects are counted
    in ``stats.rejected`` and skipped). With ``head``, a diff: ``cleaner`` is the old rule set.
    With ``jobs > 1`` and ``spec`` (the :class:`cleaner.pipeline.execute.CleanerSpec` that built
    ``cleaner``), the records are explained on ``jobs`` processes, in order (same statistics).
    ``progress(docs, text bytes, rejects)`` is called per record."""
    stats = ReportStats(sample, seed=seed, threshold=threshold, diff=head is not None)
    if jobs > 1 and spec is not None and head is None:
        from cleaner.pipeline.execute import imap_ordered

        pairs: Iterable[tuple] = imap_ordered(_explain, records, jobs, _build, spec)
    else:
        pairs = (_explain(cleaner, item) for item in records)
    for item, base in pairs:
        if base is None:
            stats.rejected += 1
            if progress is not None:
                progress(1, 0, 1)
            continue
        text, url, pub, name = _context(item)
        head_edits = head.explain(text, url=url, publisher=pub).edits if head is not None else None
        stats.add(text, base, head_edits, name=name)
        if progress is not None:
            progress(1, len(text), 0)
    return stats
