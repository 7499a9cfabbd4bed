"""Clean a batch at a time: :func:`clean_batch` over a list of strings, a dict of columns
(``datasets.Dataset.map(batched=True)``, pandas via ``df.to_dict("list")``), or a pyarrow
Table / RecordBatch (Ray ``map_batches(batch_format="pyarrow")``, Spark ``mapInArrow``).
See docs/batch.md for recipes."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=8)
def _cleaner(preset: str, select: tuple[str, ...] | None):
    from cleaner.api import Cleaner

    return Cleaner(preset, select)


def clean_batch(
    batch: Any,
    *,
    text_column: str = "text",
    preset: str = "default",
    select: str | list[str] | tuple[str, ...] | None = None,
    cleaner: Any = None,
    url_column: str | None = "url",
) -> Any:
    """The batch with its text cleaned, in the same shape it came in.

    * ``list[str]`` -> ``list[str]``;
    * ``dict`` of columns -> a new dict, ``text_column`` replaced, other columns kept;
    * ``pyarrow.Table`` / ``RecordBatch`` -> the same type, ``text_column`` replaced.

    Nulls (``None``) stay null. ``cleaner`` (a :class:`cleaner.Cleaner`) overrides
    ``preset``/``select``; otherwise one cleaner per (preset, select) is built and cached per
    process, so worker processes compile the rules once. A ``url_column``, when present, lets
    publisher-scoped rules apply.
    """
    if cleaner is None:
        from cleaner.ruleset.load import as_list

        globs = as_list(select)  # one glob (a str) or several
        cleaner = _cleaner(preset, tuple(globs) if globs is not None else None)
    c = cleaner

    def run(texts, urls=None) -> list:
        urls = urls if urls is not None else [None] * len(texts)
        return [None if t is None else c.clean(t, url=u if isinstance(u, str) else None)
                for t, u in zip(texts, urls, strict=True)]  # fmt: skip

    if isinstance(batch, list):
        return run(batch)
    if isinstance(batch, dict):
        if text_column not in batch:
            raise KeyError(f"no column {text_column!r} in the batch (columns: {list(batch)})")
        urls = list(batch[url_column]) if url_column and url_column in batch else None
        return {**batch, text_column: run(list(batch[text_column]), urls)}
    mod = type(batch).__module__
    if mod.startswith("pyarrow"):
        import pyarrow as pa

        names = batch.schema.names
        if text_column not in names:
            raise KeyError(f"no column {text_column!r} in the batch (columns: {names})")
        i = names.index(text_column)
        urls = batch.column(url_column).to_pylist() if url_column in names else None
        col = pa.array(run(batch.column(i).to_pylist(), urls), type=pa.string())
        if isinstance(batch, pa.Table):
            return batch.set_column(i, text_column, col)
        arrays = [col if j == i else batch.column(j) for j in range(len(names))]
        return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)
    if mod.startswith("pandas"):
        out = batch.copy()
        urls = list(batch[url_column]) if url_column in batch else None
        out[text_column] = run(list(batch[text_column]), urls)
        return out
    raise TypeError(f"clean_batch takes a list of str, a dict of columns, a pyarrow Table or "
                    f"RecordBatch, or a pandas DataFrame, not {type(batch).__name__}")  # fmt: skip
