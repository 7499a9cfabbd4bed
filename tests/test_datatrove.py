"""cleaner.integrations.datatrove.CleanerStep in a small local datatrove pipeline, with
datatrove's own JSONL reader and writer and its stats files."""

from __future__ import annotations

import gzip
import json
import pickle
import re
from pathlib import Path

import pytest

pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.integrations.datatrove import CleanerStep  # noqa: E402
from cleaner.model import apply_edits  # noqa: E402

# Invented text in the shapes the rules remove (a hovercard, NBSP, trailing spaces).
CARD = "Senator Nora Bell Nora Ann BellHarbor bridge vote slips MORE said\u00a0so.  "
DOCS = [
    {"id": "a", "text": CARD, "url": "https://example.org/a"},
    {"id": "b", "text": "A quiet story about the town garden.", "url": "https://example.org/b"},
    {"id": "c", "text": "Plain  words\n\n\n\nand more.", "url": None},
]


def _pipeline(tmp_path: Path, step: CleanerStep, tasks: int = 1) -> tuple[list[dict], dict]:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(tasks):  # one input file per task
        rows = DOCS if i == 0 else [{**d, "id": f"{d['id']}{i}"} for d in DOCS]
        (src / f"part{i}.jsonl").write_text("".join(json.dumps(d) + "\n" for d in rows), "utf-8")
    LocalPipelineExecutor(
        [JsonlReader(str(src)), step, JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=tasks, workers=tasks, logging_dir=str(tmp_path / "logs"),
    ).run()  # fmt: skip
    out = [json.loads(line) for p in sorted((tmp_path / "out").glob("*.jsonl"))
           for line in p.read_text("utf-8").splitlines()]  # fmt: skip
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text("utf-8"))
    mine = next(s for s in stats if "cleaner" in s["name"])["stats"]
    return out, mine


def test_pipeline_cleans_text_and_counts_changes(tmp_path):
    out, stats = _pipeline(tmp_path, CleanerStep())
    c = Cleaner()
    by_id = {d["id"]: d for d in out}
    assert set(by_id) == {"a", "b", "c"}  # nothing dropped
    for d in DOCS:
        assert by_id[d["id"]]["text"] == c.clean(d["text"])
    assert by_id["a"]["text"] == "Senator Nora Bell said so."
    assert by_id["a"]["metadata"]["url"] == "https://example.org/a"
    assert "cleaner_edits" not in by_id["a"]["metadata"]
    assert stats["total"] == 3 and stats["changed"] == 2
    removed = sum(len(d["text"]) - len(by_id[d["id"]]["text"]) for d in DOCS)
    assert stats["chars_removed"]["total"] == removed
    assert not any(k.startswith("rule:") for k in stats)


def test_edits_in_metadata_on_request(tmp_path):
    out, stats = _pipeline(tmp_path, CleanerStep(edits_key="cleaner_edits"))
    by_id = {d["id"]: d for d in out}
    for d in DOCS:
        edits = by_id[d["id"]]["metadata"]["cleaner_edits"]
        assert edits == [e.to_dict() for e in Cleaner().explain(d["text"]).edits]
    card_edits = by_id["a"]["metadata"]["cleaner_edits"]
    assert any("hovercard" in e["rule"] for e in card_edits)
    assert by_id["b"]["metadata"]["cleaner_edits"] == []
    n = sum(len(by_id[d["id"]]["metadata"]["cleaner_edits"]) for d in DOCS)
    assert stats["edits"]["total"] == n
    assert sum(v["total"] if isinstance(v, dict) else v
               for k, v in stats.items() if k.startswith("rule:")) == n  # fmt: skip


def test_two_tasks_on_worker_processes(tmp_path):
    """The step pickles without its compiled rules; each worker builds its own."""
    out, stats = _pipeline(tmp_path, CleanerStep(preset="extended"), tasks=2)
    assert len(out) == 6 and stats["total"] == 6 and stats["changed"] == 4
    assert "Senator Nora Bell said so." in {d["text"] for d in out}


def test_step_options_reach_the_cleaner():
    step = CleanerStep(select=["*whitespace*"], timeout=None, url_key=None)
    assert step.cleaner.select == ["*whitespace*"]
    assert pickle.loads(pickle.dumps(step))._cleaner is None
    doc = Document(text="a\u00a0b  c", id="x", metadata={"url": 3})
    (res,) = step.run(iter([doc]))
    assert res.text == "a\u00a0b c"  # only whitespace rules: the NBSP stays
    text = DOCS[0]["text"]
    step = CleanerStep(edits_key="e")
    (res,) = step.run(iter([Document(text=text, id="y")]))
    from cleaner.model import Edit

    assert apply_edits(text, [Edit(**e) for e in res.metadata["e"]]) == res.text


def test_readme_example_runs(tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(from datatrove.*?)```", readme, re.S)
    assert code and "tasks=8" in code.group(1)
    monkeypatch.chdir(tmp_path)
    Path("dumps").mkdir()
    Path("dumps/a.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS), "utf-8")
    exec(code.group(1).replace("tasks=8", "tasks=1"), {})
    (out,) = Path("clean").glob("*.jsonl.gz")
    rows = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert [r["text"] for r in rows] == [Cleaner().clean(d["text"]) for d in DOCS]
    assert all("cleaner_edits" in r["metadata"] for r in rows)
    assert json.loads(Path("logs/stats.json").read_text("utf-8"))


def test_parquet_writer_with_the_edits_schema(tmp_path):
    """A first batch of unchanged documents (empty edit lists) must not fix the Parquet type."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from datatrove.pipeline.writers import ParquetWriter

    from cleaner.integrations.datatrove import edits_arrow_type

    rows = [{"id": str(i), "text": "Plain text." if i < 4 else "a  b"} for i in range(8)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    meta = pa.struct([("file_path", pa.string()), ("cleaner_edits", edits_arrow_type())])
    schema = pa.schema([("text", pa.string()), ("id", pa.string()), ("metadata", meta)])
    LocalPipelineExecutor(
        [JsonlReader(str(tmp_path / "in")), CleanerStep(edits_key="cleaner_edits"),
         ParquetWriter(str(tmp_path / "out"), batch_size=2, schema=schema)],
        tasks=1, logging_dir=str(tmp_path / "logs"),
    ).run()  # fmt: skip
    (out,) = (tmp_path / "out").glob("*.parquet")
    got = pq.read_table(out).to_pylist()
    assert [r["text"] for r in got] == ["Plain text."] * 4 + ["a b"] * 4
    assert got[0]["metadata"]["cleaner_edits"] == []
    assert got[-1]["metadata"]["cleaner_edits"] == [
        {"rule": "whitespace.collapse-spaces", "start": 1, "end": 3, "removed": "  ",
         "replacement": " "}]  # fmt: skip
