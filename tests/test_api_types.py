"""The Python API refuses what is not a document (a TypeError), instead of passing it through
as if a rule had failed on it; a batch's nulls stay null."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, clean
from cleaner.batch import clean_batch


@pytest.mark.parametrize("bad", [None, b"bytes  here", 5, ["a"]])
def test_clean_and_explain_refuse_a_non_str(bad):
    c = Cleaner()
    with pytest.raises(TypeError, match="text must be a str"):
        c.clean(bad)
    with pytest.raises(TypeError, match="text must be a str"):
        c.explain(bad)
    with pytest.raises(TypeError, match="text must be a str"):
        clean(bad)


def test_a_list_batch_with_bytes_is_refused_and_none_stays_null():
    assert clean_batch(["a  b", None]) == ["a b", None]
    with pytest.raises(TypeError):
        clean_batch([b"a  b"])


def test_pandas_missing_values_stay_null():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": ["a  b", None, float("nan")]})
    out = clean_batch(df)
    assert out["text"][0] == "a b"
    assert out["text"][1:].isna().all()
