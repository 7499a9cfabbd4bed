"""Cleaning on many cores: a picklable :class:`CleanerSpec`; :func:`imap_ordered`, which maps a
function over items on local processes in input order (state built once per worker), with
:func:`imap_clean` on top; and :func:`executor`, the one executor abstraction for whole tasks
(local processes or a Dask cluster) that ``cleaner run`` spreads its shards over.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from cleaner.extras import install_hint
from cleaner.pipeline.records import TIMEOUT

_BUILT: dict[tuple, Any] = {}  # Cleaners built in this process, by spec

#: One unit of work for a worker: (text, url, publisher).
Job = tuple[str, "str | None", "str | None"]


@dataclass(frozen=True)
class CleanerSpec:
    """How to build a :class:`cleaner.Cleaner`; small and picklable, so it travels to workers."""

    preset: str = "default"
    select: tuple[str, ...] | None = None
    rules: tuple[str, ...] | None = None
    timeout: float | None = TIMEOUT
    explain: bool = False  # return Result (text + edits) instead of str
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def build(self):
        """The Cleaner; built once per process for equal specs (so a worker that cleans many
        shards compiles the rules once)."""
        if "cleaner" not in self._cache:
            # the hash is in the key: a long-lived worker must not reuse rules edited since
            key = (self.preset, self.select, self.rules, self.timeout, self.ruleset()[1])
            if key not in _BUILT:
                from cleaner.api import Cleaner

                _BUILT[key] = Cleaner(self.preset, self.select, rules=self.rules,
                                      timeout=self.timeout)  # fmt: skip
            self._cache["cleaner"] = _BUILT[key]
        return self._cache["cleaner"]

    def __getstate__(self) -> dict:
        return {k: getattr(self, k) for k in ("preset", "select", "rules", "timeout", "explain")}

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_cache", {})

    def ruleset(self) -> tuple[str, str]:
        """(rule-set id, sha256): the hash covers the bytes of every loaded rule file plus
        preset/select, so a changed rule file or selection never matches an old manifest."""
        from cleaner.ruleset.load import rule_files

        h = hashlib.sha256()
        for p in rule_files(self.rules):
            data = Path(p).read_bytes()
            h.update(len(data).to_bytes(8, "big") + data)
        sel = self.select
        how = f"select={','.join(sel)}" if sel is not None else f"preset={self.preset}"
        h.update(how.encode())
        digest = h.hexdigest()
        return f"{how};rules={'bundled' if self.rules is None else len(self.rules)}", digest


def clean_one(spec: CleanerSpec, job: Job) -> Any:
    """Clean one (text, url, publisher) with the spec's cleaner: a str, or a Result if explain."""
    c = spec.build()
    text, url, pub = job
    if spec.explain:
        return c.explain(text, url=url, publisher=pub)
    return c.clean(text, url=url, publisher=pub)


_STATE: Any = None


def _init_state(factory: Callable[[Any], Any], arg: Any, creator: int) -> None:
    global _STATE
    _worker_init(creator)
    _STATE = factory(arg)  # e.g. compile the rules, once per worker


def _run_batch(fn: Callable[[Any, Any], Any], batch: list) -> list:
    return [fn(_STATE, x) for x in batch]


def _batches(
    items: Iterable, size: int, weight: Callable[[Any], int] | None = None
) -> Iterator[list]:
    """Lists of ``size`` items, or of items whose ``weight`` adds up to ``size``."""
    if weight is None:
        it = iter(items)
        while chunk := list(islice(it, size)):
            yield chunk
        return
    chunk, total = [], 0
    for x in items:
        chunk.append(x)
        total += weight(x)
        if total >= size:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def imap_ordered(
    fn: Callable[[Any, Any], Any],
    items: Iterable,
    jobs: int,
    factory: Callable[[Any], Any],
    arg: Any,
    batch_size: int = 64,
    weight: Callable[[Any], int] | None = None,
) -> Generator[Any, None, None]:
    """``fn(state, item)`` for every item, in input order, on ``jobs`` processes: this one and
    ``jobs - 1`` workers; ``state`` is ``factory(arg)``, built once per process (in the workers
    by the pool initializer). This process hands each batch to the workers while they have
    fewer than three batches each, else cleans it itself, so it never idles while they work and
    no third process competes for the cores. At most ``4 * jobs`` batches are in flight, so
    memory stays bounded. ``weight``: what an item counts towards ``batch_size`` (default 1).
    ``jobs <= 1`` runs in this process, with no pool. ``fn`` and ``factory`` must be picklable
    (module-level)."""
    if jobs <= 1:
        state = factory(arg)
        for x in items:
            yield fn(state, x)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    # three batches queued per worker: fewer idle gaps than two (measured: 200 MB, --jobs 2)
    window, ahead = 4 * jobs, 3 * (jobs - 1)
    own = None  # this process's state, built when it first takes a batch
    # not multiprocessing.Pool: its worker-handler thread wakes up whenever a result waits in
    # the pipe, and burnt ~1 s of the main process's CPU per 200 MB (--jobs 2)
    with ProcessPoolExecutor(jobs - 1, mp.get_context(), initializer=_init_state,
                             initargs=(factory, arg, os.getpid())) as pool:  # fmt: skip
        inflight: deque = deque()  # futures, and lists of results made here
        try:
            for batch in _batches(items, batch_size, weight):
                if sum(isinstance(f, Future) and not f.done() for f in inflight) < ahead:
                    inflight.append(pool.submit(_run_batch, fn, batch))
                else:
                    if own is None:
                        own = factory(arg)
                    inflight.append([fn(own, x) for x in batch])
                while inflight and (isinstance(inflight[0], list) or inflight[0].done()):
                    yield from _results(inflight.popleft())
                if len(inflight) >= window:
                    yield from _results(inflight.popleft())
            while inflight:
                yield from _results(inflight.popleft())
        finally:  # stopped early (an error, Ctrl-C, the caller gave up): drop queued batches
            pool.shutdown(wait=True, cancel_futures=True)


def _results(entry) -> list:
    return entry if isinstance(entry, list) else entry.result()


def _build(spec: CleanerSpec) -> CleanerSpec:
    spec.build()
    return spec


def imap_clean(
    records_iter: Iterable[Job | str], cleaner_spec: CleanerSpec, jobs: int, batch_size: int = 64
) -> Iterator[Any]:
    """Clean ``(text, url, publisher)`` tuples (or plain strings) on ``jobs`` processes; results
    (str, or Result when ``cleaner_spec.explain``) come back in input order. ``jobs <= 1``
    cleans in this process, with no pool."""
    norm = ((r, None, None) if isinstance(r, str) else r for r in records_iter)
    return imap_ordered(clean_one, norm, jobs, _build, cleaner_spec, batch_size)


#: how often (seconds) a worker checks that the process that started it is still alive, and how
#: long at most a task it was running may take to unwind once that process is gone
PARENT_POLL, UNWIND = 0.5, 10.0


def _worker_init(creator: int) -> None:
    """The start of every local worker (both pools here; ``creator``: the pid of the process
    that made the pool): it leaves Ctrl-C to that process, which stops it (no traceback per
    worker), and exits soon after that process dies.

    A worker waits for work on its pool's pipe, and a creator killed with SIGKILL never closes
    that pipe for it (forked siblings hold its other end), so without this it would sleep
    forever. A daemon thread polls: the creator is gone when ``os.getppid()`` changes (fork,
    spawn: the worker is re-parented at once) or its pid no longer exists (forkserver: the
    worker's parent is the fork server, which lives as long as its workers); the thread then
    ends the worker with ``os._exit``, after letting a :func:`map_tasks` task it was running
    unwind as on SIGTERM (:func:`_on_term`: it removes its temporary files). Polling rather
    than Linux's ``PR_SET_PDEATHSIG``: portable, works under forkserver, and is not fired by
    the exit of the creator's *thread* that started the worker."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def orphaned() -> bool:
        if os.getppid() != parent:
            return True
        try:
            os.kill(creator, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # pragma: no cover - a pid reused by another user
            pass
        return False

    def watch() -> None:
        while not orphaned():
            time.sleep(PARENT_POLL)
        if _BUSY:  # _on_term: the task unwinds; exit when it has (not run a queued one)
            os.kill(os.getpid(), signal.SIGTERM)
            deadline = time.monotonic() + UNWIND
            while _BUSY and time.monotonic() < deadline:
                time.sleep(0.01)
        os._exit(1)

    threading.Thread(target=watch, name="cleaner-exit-with-parent", daemon=True).start()


_STOP = [False]  # an interrupt was asked for (see :func:`request_stop`)


def request_stop(signum: int | None = None, frame: object = None) -> None:
    """A signal handler for the main process: the first signal asks the pipeline to stop at its
    next :func:`check_stop` (after the current chunk: an exception raised at an arbitrary point,
    e.g. while a worker is forked, can be lost or leave a pool hanging); a second one raises
    KeyboardInterrupt at once (e.g. while waiting for stdin)."""
    if _STOP[0]:
        raise KeyboardInterrupt
    _STOP[0] = True


def check_stop() -> None:
    if _STOP[0]:
        raise KeyboardInterrupt


def reset_stop() -> None:
    _STOP[0] = False


_BUSY = False  # a task of map_tasks runs in this (worker) process


def _on_term(signum, frame) -> None:
    """A worker told to stop mid-task unwinds it (so the task removes its temporary files)."""
    if _BUSY:
        raise KeyboardInterrupt
    os._exit(130)


def _task_worker(creator: int) -> None:
    import signal

    _worker_init(creator)
    signal.signal(signal.SIGTERM, _on_term)


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    global _BUSY
    _BUSY = True
    try:
        return fn(*args)
    finally:
        _BUSY = False


@contextmanager
def executor(engine: str = "local", jobs: int = 1, scheduler: str | None = None,
             workers: int | None = None) -> Iterator[Executor]:  # fmt: skip
    """The one executor abstraction of ``cleaner run``: a :class:`concurrent.futures.Executor`
    of ``jobs`` local processes, or of a Dask cluster (a running scheduler ``tcp://host:port``,
    or a LocalCluster of ``workers`` single-threaded processes; workers must see the output
    folder). dask is imported only here."""
    if engine == "local":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max(1, jobs), mp.get_context(),
                                 initializer=_task_worker,
                                 initargs=(os.getpid(),)) as pool:  # fmt: skip
            try:
                yield pool
            except BaseException:  # interrupted: stop the running tasks too (they clean up)
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.terminate()
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from cleaner.extras import MissingExtra

        msg = f"--engine dask needs 'distributed': {install_hint('dask')}"
        raise MissingExtra(msg) from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or 2, processes=True, threads_per_worker=1,
                               dashboard_address=":0")  # fmt: skip
        client = Client(cluster)
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_tasks(pool: Executor, fn: Callable[..., Any], tasks: list[tuple],
              on_done: Callable[[Any], None]) -> None:  # fmt: skip
    """``fn(*task)`` for every task on ``pool``; ``on_done`` with each result as it finishes.
    The first error cancels the tasks not yet started and is raised."""
    from concurrent.futures import FIRST_COMPLETED, wait

    futures = [pool.submit(_call, fn, *t) for t in tasks]
    pending = set(futures)
    try:
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            check_stop()
            for fut in sorted(done, key=futures.index):
                on_done(fut.result())
    finally:
        for fut in futures:
            fut.cancel()
