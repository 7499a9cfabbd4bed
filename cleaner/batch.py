"""Clean a batch at a time: :func:`clean_batch` over a list of strings, a dict of columns
(``datasets.Dataset.map(batched=True)``, pandas via ``df.to_dict("list")``), or a pyarrow
Table / RecordBatch (Ray ``map_batches(batch_format="pyarrow")``, Spark ``mapInArrow``).
See docs/batch.md for recipes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from cleaner.api import Cleaner

#: list[str | None], dict[str, Sequence], pyarrow.Table / RecordBatch or pandas.DataFrame
Batch = TypeVar("Batch")


@lru_cache(maxsize=8)
def _cleaner(preset: str, select: tuple[str, ...] | None) -> Cleaner:
    from cleaner.api import Cleaner

    return Cleaner(preset, select)


def clean_batch(
    batch: Batch,
    *,
    text_column: str = "text",
    preset: str = "default",
    select: str | list[str] | tuple[str, ...] | None = None,
    cleaner: Cleaner | None = None,
    url_column: str | None = "url",
) -> Batch:
    """The batch with its text cleaned, in the same shape it came in.

    * ``list[str]`` -> ``list[str]``;
    * ``dict`` (any mapping) of columns -> a new dict, ``text_column`` replaced, other columns
      kept;
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
    return _clean(batch, cleaner, text_column, url_column)


def _clean(data: Any, c: Cleaner, text_column: str, url_column: str | None) -> Any:
    """:func:`clean_batch` on one of its four shapes, told apart at run time."""

    def run(texts: Sequence[str | None], urls: Sequence[Any] | None = None) -> list[str | None]:
        urls = urls if urls is not None else [None] * len(texts)
        try:
            return [None if t is None else c.clean(t, url=u if isinstance(u, str) else None)
                    for t, u in zip(texts, urls, strict=True)]  # fmt: skip
        except TypeError:  # name the row (found only now: no cost per row)
            row = next((i for i, t in enumerate(texts) if t is not None and type(t) is not str),
                       None)  # fmt: skip
            if row is None:
                raise
            raise TypeError(f"row {row}: a text must be a str or None, "
                            f"not {type(texts[row]).__name__}") from None  # fmt: skip

    if isinstance(data, list):
        return run(data)
    if isinstance(data, Mapping):  # a dict, or datasets' LazyBatch in Dataset.map(batched=True)
        if text_column not in data:
            raise KeyError(f"no column {text_column!r} in the batch (columns: {list(data)})")
        urls = list(data[url_column]) if url_column and url_column in data else None
        return {**data, text_column: run(list(data[text_column]), urls)}
    mod = type(data).__module__
    if mod.startswith("pyarrow"):
        import pyarrow as pa

        names = data.schema.names
        if text_column not in names:
            raise KeyError(f"no column {text_column!r} in the batch (columns: {names})")
        i = names.index(text_column)
        urls = data.column(url_column).to_pylist() if url_column in names else None
        col = pa.array(run(data.column(i).to_pylist(), urls), type=pa.string())
        if isinstance(data, pa.Table):
            return data.set_column(i, text_column, col)
        arrays = [col if j == i else data.column(j) for j in range(len(names))]
        return pa.RecordBatch.from_arrays(arrays, schema=data.schema)
    if mod.startswith("pandas"):
        out = data.copy()
        urls = list(data[url_column]) if url_column in data else None
        col = data[text_column]  # (a missing value is NaN or NA there: it stays null)
        texts = [None if m else t for t, m in zip(col, col.isna(), strict=True)]
        out[text_column] = run(texts, urls)
        return out
    raise TypeError(f"clean_batch takes a list of str, a dict of columns, a pyarrow Table or "
                    f"RecordBatch, or a pandas DataFrame, not {type(data).__name__}")  # fmt: skip
