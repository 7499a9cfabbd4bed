"""Shared fixtures: where the third-party corpus lives (tests needing it skip when absent), and
subprocesses that never outlive their test."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"needs the shared corpus at {corpus} (set CLEANER_SHARED)")
    return corpus


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``shared`` skip cleanly when ../shared/corpus is absent."""
    if (SHARED / "corpus").is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared corpus at {SHARED / 'corpus'}")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


def _running(procs: list) -> list:
    """The psutil processes of ``procs`` still running (a zombie has exited: nobody may reap it)."""
    import psutil

    alive = []
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
    return alive


class Procs:
    """The subprocesses a test starts; at its end, whatever the outcome, they and every
    descendant seen are killed."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []
        self.seen: list = []  # psutil processes

    def start(self, cmd: list[str], **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(cmd, **kwargs)
        self.started.append(proc)
        return proc

    def sigkill(self, proc: subprocess.Popen, wait: float = 30) -> tuple[list, list]:
        """SIGKILL ``proc``: (its descendants when killed, those still running after up to
        ``wait`` seconds: a bounded wait for them to go, not a speed check)."""
        import psutil

        kids = psutil.Process(proc.pid).children(recursive=True)
        self.seen += kids
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + wait
        while _running(kids) and time.monotonic() < deadline:
            time.sleep(0.1)
        return kids, _running(kids)

    def close(self) -> None:
        import psutil

        for proc in self.started:
            with contextlib.suppress(psutil.NoSuchProcess):
                self.seen += psutil.Process(proc.pid).children(recursive=True)
            proc.kill()
            proc.wait()
        for p in _running(self.seen):
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()


@pytest.fixture
def procs() -> Iterator[Procs]:
    """Start subprocesses with ``procs.start``; none survives the test (see :class:`Procs`)."""
    tracked = Procs()
    try:
        yield tracked
    finally:
        tracked.close()
