"""The docs/batch.md recipes that can run on one machine (Hugging Face datasets, pandas), run as
written on an invented dump.jsonl; each test skips when its library is missing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parents[1]
CARD = "Senator Nora Bell Nora Ann BellHarbor bridge vote slips MORE said\u00a0so.  "
ROWS = [{"id": 1, "text": CARD, "url": "https://example.org/a"},
        {"id": 2, "text": "Plain  words.", "url": "https://example.org/b"},
        {"id": 3, "text": "A quiet story about the town garden.", "url": None}]  # fmt: skip


def recipe(section: str) -> str:
    """The first Python block under the docs/batch.md heading ``## {section}``."""
    text = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(section)}\n.*?```python\n(.*?)```", text, re.S | re.M)
    assert m, f"no python recipe under '## {section}' in docs/batch.md"
    return m.group(1)


@pytest.fixture
def dump(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    rows = [{**r, "body": r["text"]} for r in ROWS]  # the recipes' "another column"
    Path("dump.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return tmp_path


def expected(preset: str = "default") -> list[str]:
    c = Cleaner(preset)
    return [c.clean(r["text"], url=r["url"]) for r in ROWS]


def test_hugging_face_datasets_recipe(dump, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(dump / "hf"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", dump / "hf" / "datasets")
    code = recipe("Hugging Face datasets")
    assert "num_proc=8" in code
    scope: dict = {}
    exec(code.replace("num_proc=8", "num_proc=2"), scope)  # two cores here
    ds = scope["ds"]  # "text" cleaned with the default preset, then "body" with "extended"
    assert ds.column_names == ["id", "text", "url", "body"]
    assert list(ds["id"]) == [1, 2, 3]
    assert list(ds["text"]) == expected()
    assert list(ds["body"]) == expected("extended")
    assert list(ds["text"])[0] == "Senator Nora Bell said so."


def test_pandas_recipe(dump):
    pytest.importorskip("pandas")
    code = recipe("pandas")
    scope: dict = {}
    exec(code, scope)
    df = scope["df"]
    assert list(df.columns) == ["id", "text", "url", "body"]
    assert df["text"].tolist() == expected()
    # the alternative in the recipe's comment: a list of strings in, a list out
    alternative = re.search(r"# or: (.*)", code)
    assert alternative
    scope["df"] = scope["pd"].read_json("dump.jsonl", lines=True)
    exec(alternative.group(1), scope)
    assert scope["df"]["text"].tolist() == [Cleaner().clean(r["text"]) for r in ROWS]
