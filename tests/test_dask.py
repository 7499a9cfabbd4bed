"""`cleaner run --engine dask` on a real 2-worker LocalCluster matches --engine local byte for
byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

pytest.importorskip("distributed")


def _tree(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())
            if not p.name.endswith(".manifest.json")}  # fmt: skip


def test_dask_local_cluster_matches_local(tmp_path):
    inputs = []
    for i in range(3):
        p = tmp_path / f"in{i}.jsonl"
        rows = [{"id": j, "text": f"Doc {i}.{j}  has   spaces\u00a0here.  "} for j in range(200)]
        p.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n")
        inputs.append(str(p))
    runner = CliRunner()
    local = runner.invoke(app, ["run", *inputs, "--out", str(tmp_path / "local"), "--quiet"])
    assert local.exit_code == 1, local.output  # one reject per file
    res = runner.invoke(app, ["run", *inputs, "--out", str(tmp_path / "dask"), "--quiet",
                              "--engine", "dask", "--workers", "2"])  # fmt: skip
    assert res.exit_code == 1, res.output
    assert "input 603 = output 600 + rejected 3" in res.output
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
    assert len(_tree(tmp_path / "dask")) == 6


def test_dask_scheduler_address_matches_local(tmp_path):
    from distributed import LocalCluster

    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"text": f"Doc {j}  x\u00a0y. "}) + "\n" for j in range(50)))
    runner = CliRunner()
    runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "local"), "--quiet"])
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=":0") as cluster:  # fmt: skip
        res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "dask"), "--quiet",
                                  "--engine", "dask", "--scheduler",
                                  cluster.scheduler_address])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
