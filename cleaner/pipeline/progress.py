"""Progress for ``cleaner run``, ``clean`` and ``report``: a rich bar on a terminal
(documents/s, MB/s, rejects; a percentage and ETA when the input size is known), plain log lines
every few seconds otherwise (``run`` only), nothing with ``--quiet``. rich is imported only here,
only when a terminal is attached, so ``cleaner --help`` stays fast."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Progress:
    """Counts shards, documents, input bytes and rejects; reports them as they grow."""

    def __init__(self, total_shards: int, quiet: bool = False, stream: TextIO | None = None,
                 every: float = 5.0, total_bytes: int = 0, unit: str = "shards"):  # fmt: skip
        self.stream = stream or sys.stderr
        self.total, self.quiet, self.every, self.unit = total_shards, quiet, every, unit
        self.total_bytes = total_bytes  # the bar's length (input file sizes; 0: shards)
        self.shards = self.docs = self.bytes = self.rejects = self.skipped = 0
        self.t0 = self._last = time.perf_counter()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        if not quiet and self.stream.isatty():
            try:
                from rich.console import Console
                from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
                from rich.progress import Progress as RichProgress
            except ImportError:  # pragma: no cover - rich comes with typer
                return
            self._bar = RichProgress(
                TextColumn("{task.fields[shards]}"), BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                TextColumn("{task.fields[stats]}"), transient=False,
                console=Console(file=self.stream),
            )  # fmt: skip
            self._task = self._bar.add_task("run", total=total_bytes or total_shards or None,
                                            stats="", shards="")  # fmt: skip
            self._bar.start()

    def stats(self) -> str:
        dt = max(time.perf_counter() - self.t0, 1e-9)
        return (f"{self.docs} docs ({self.docs / dt:,.0f}/s), {self.bytes / 1e6:,.1f} MB "
                f"({self.bytes / 1e6 / dt:,.1f} MB/s), {self.rejects} rejected")  # fmt: skip

    def docs_done(self, docs: int, nbytes: int = 0, rejects: int = 0) -> None:
        """In-process updates while a shard runs."""
        self.docs += docs
        self.bytes += nbytes
        self.rejects += rejects
        self._show()

    def shard_done(self, manifest: dict, skipped: bool = False,
                   partial: tuple[int, int, int] = (0, 0, 0)) -> None:  # fmt: skip
        """A shard finished; ``partial`` is what :meth:`docs_done` already counted of it."""
        c = manifest["counts"]
        self.shards += 1
        self.skipped += skipped
        if skipped:  # finished by an earlier run: not part of this run's throughput
            self._show(force=True)
            return
        self.docs += c["input"] - partial[0]
        self.bytes += manifest.get("input_bytes", 0) - partial[1]
        self.rejects += c["rejected"] - partial[2]
        self._show(force=True)

    def _show(self, force: bool = False) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar_update()
            return
        now = time.perf_counter()
        if force and self.shards == self.total or now - self._last >= self.every:
            self._last = now
            print(f"cleaner: {self._count()}{self.stats()}", file=self.stream, flush=True)

    def _bar_update(self) -> None:
        if self._bar is None or self._task is None:
            return
        done = min(self.bytes, self.total_bytes) if self.total_bytes else self.shards
        self._bar.update(self._task, completed=done, stats=self.stats(), shards=self._count())

    def _count(self) -> str:
        if self.total > 1 or self.unit == "shards":
            return f"{self.unit} {self.shards}/{self.total}; "
        return ""

    def close(self) -> None:
        if self._bar is not None:
            self._bar_update()
            self._bar.stop()
