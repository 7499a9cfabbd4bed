"""clean_batch over lists, dicts of columns, pyarrow and pandas; imap_clean keeps order."""

from __future__ import annotations

import os
import time

import pytest

import cleaner
from cleaner.batch import clean_batch
from cleaner.pipeline.execute import CleanerSpec, imap_clean

DIRTY = "Senator Jane Roe Jane Q. RoeSenate passes the bill MORE said\u00a0so.  "
CLEAN = "Senator Jane Roe said so."


def test_list_of_strings():
    assert clean_batch([DIRTY, "fine.", None]) == [CLEAN, "fine.", None]


def test_exported_lazily_from_package():
    assert cleaner.clean_batch([DIRTY]) == [CLEAN]


def test_dict_of_columns_keeps_other_columns():
    batch = {"id": [1, 2], "text": [DIRTY, "a  b"]}
    out = clean_batch(batch)
    assert out == {"id": [1, 2], "text": [CLEAN, "a b"]}
    assert batch["text"][0] == DIRTY  # the input is not mutated


def test_missing_column_is_a_clear_error():
    with pytest.raises(KeyError, match="body"):
        clean_batch({"text": ["x"]}, text_column="body")


def test_select_runs_only_those_rules():
    assert clean_batch(["a  b\u00a0c"], select=["*whitespace*"]) != clean_batch(["a  b\u00a0c"])


def test_pyarrow_table_and_record_batch():
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"text": [DIRTY, None], "n": [1, 2]})
    out = clean_batch(table)
    assert isinstance(out, pa.Table)
    assert out.column("text").to_pylist() == [CLEAN, None]
    assert out.column("n").to_pylist() == [1, 2]
    rb = clean_batch(table.to_batches()[0])
    assert isinstance(rb, pa.RecordBatch) and rb.column(0).to_pylist() == [CLEAN, None]


def test_pandas_dataframe():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": [DIRTY], "n": [1]})
    assert clean_batch(df)["text"].tolist() == [CLEAN]


@pytest.mark.parametrize("batch", [["fine", None, 5], {"text": ["fine", None, b"x"]}])
def test_a_text_that_is_not_a_string_is_named_by_row(batch):
    """It said only 'text must be a str, not int': which of a million rows?"""
    with pytest.raises(TypeError, match=r"^row 2: a text must be a str or None, not (int|bytes)"):
        clean_batch(batch)


def test_rejects_unknown_types():
    with pytest.raises(TypeError, match="clean_batch takes"):
        clean_batch(42)


@pytest.mark.parametrize("jobs", [1, 2])
def test_imap_clean_is_ordered(jobs):
    docs = [f"doc {i}  {DIRTY}" for i in range(300)]
    got = list(imap_clean(docs, CleanerSpec(), jobs, batch_size=7))
    assert got == [cleaner.clean(d) for d in docs]


def _pid_after(delay: float, x: int) -> tuple[int, int]:
    time.sleep(delay)
    return x, os.getpid()


def test_imap_ordered_cleans_in_the_main_process_too():
    """--jobs 2 is this process and one worker: both clean batches, results stay in order."""
    from cleaner.pipeline.execute import imap_ordered

    got = list(imap_ordered(_pid_after, range(40), 2, float, "0.005", batch_size=2))
    assert [x for x, _ in got] == list(range(40))
    pids = {pid for _, pid in got}
    assert os.getpid() in pids and len(pids) == 2
