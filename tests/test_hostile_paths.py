"""Hostile paths and arguments found by a red-team pass: each is one clear line and an exit
code, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def sub(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True,
                          env=env, timeout=60, cwd=cwd)  # fmt: skip


def _fed_fifo(path: Path, data: bytes) -> tuple[Path, threading.Thread]:
    """A named pipe at ``path`` and the thread that writes ``data`` into it once read."""
    os.mkfifo(path)

    def feed() -> None:
        with open(path, "wb") as f:
            f.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return path, writer


@pytest.mark.parametrize("out", [".", "/"])
def test_output_that_is_a_folder_without_a_name_is_a_usage_error(tmp_path, out):
    (tmp_path / "a.jsonl").write_text('{"text":"a  b"}\n', encoding="utf-8")
    r = sub("clean", "a.jsonl", "-o", out, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert b"Traceback" not in r.stderr
    assert b"it is a folder" in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_named_jsonl_is_read_whole(tmp_path):
    """A FIFO has no size: splitting it into byte ranges read nothing (exit 0, records lost)."""
    fifo, writer = _fed_fifo(tmp_path / "in.jsonl", b'{"text":"one"}\n{"text":"two  words"}\n')
    r = sub("clean", str(fifo), "-j", "1", cwd=tmp_path)
    writer.join(10)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [b'{"text":"one"}', b'{"text":"two words"}']
    assert b"read 2, written 2" in r.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_sigterm_stops_a_read_that_never_ends(tmp_path, fmt):
    """An endless line (skipped past --max-doc-bytes) never reached a stop check: SIGTERM was
    ignored (and a JSONL device read as empty)."""
    import signal
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "-f", fmt, "/dev/zero",
                          "-o", str(tmp_path / "out.jsonl")], stderr=subprocess.PIPE,
                         env=env)  # fmt: skip
    time.sleep(3)
    p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail("SIGTERM did not stop cleaner clean /dev/zero")
    assert p.returncode == 130, err
    assert b"interrupted" in err
    assert sorted(x.name for x in tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_run_reads_a_named_pipe_once(tmp_path):
    """``run`` fingerprinted a FIFO by reading its head: the records were consumed, and the
    shard's reader then waited forever for a second writer."""
    fifo, _ = _fed_fifo(tmp_path / "in.jsonl", b'{"text":"one"}\n{"text":"two"}\n')
    try:
        r = sub("run", str(fifo), "--out", str(tmp_path / "out"), "-j", "1", cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("cleaner run hung on a named pipe")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "in.jsonl").read_bytes() == b'{"text":"one"}\n{"text":"two"}\n'


def test_resume_never_skips_stdin(tmp_path):
    """stdin has no fingerprint: None == None made --resume keep the shard of different input."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for text in (b'{"text":"first"}\n', b'{"text":"second"}\n'):
        r = subprocess.run([sys.executable, "-m", "cleaner", "run", "-", "--out", "out",
                            "--resume", "-j", "1"], input=text, capture_output=True, env=env,
                           cwd=tmp_path, timeout=120)  # fmt: skip
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "stdin.jsonl").read_bytes() == b'{"text":"second"}\n'


def test_parquet_output_of_a_field_with_mixed_types_is_one_clear_line(tmp_path):
    """JSONL whose field is a number in one record and a string in another crashed the Parquet
    writer with an ArrowInvalid traceback (exit 1, as if records were rejected)."""
    pytest.importorskip("pyarrow")
    (tmp_path / "in.jsonl").write_text('{"text":"a","x":1}\n{"text":"b","x":"two"}\n',
                                       encoding="utf-8")  # fmt: skip
    (tmp_path / "out.parquet").write_bytes(b"previous")
    r = sub("clean", "in.jsonl", "-o", "out.parquet", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert b"Traceback" not in r.stderr
    assert b"different types" in r.stderr
    assert (tmp_path / "out.parquet").read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.parquet"]


@pytest.mark.parametrize("late_at", [1, 2500])  # in the first batch of rows, and after it
def test_parquet_output_keeps_fields_that_appear_late(tmp_path, late_at):
    """The Parquet schema came from the first record (or the first batch): a field first seen
    later was dropped without a word (exit 0). Every field of every record is kept; a column
    that was all null until then takes the type of its first value."""
    pq = pytest.importorskip("pyarrow.parquet")
    with (tmp_path / "in.jsonl").open("w", encoding="utf-8") as f:
        for i in range(3000):
            row: dict = {"text": f"doc {i}", "maybe": None if i < 1500 else f"v{i}"}
            if i == late_at:
                row["late"] = {"a": i}
            f.write(json.dumps(row) + "\n")
    r = sub("clean", "in.jsonl", "-o", "out.parquet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert len(rows) == 3000 and rows[late_at]["late"] == {"a": late_at}
    assert rows[0] == {"text": "doc 0", "maybe": None, "late": None}
    assert rows[2999]["maybe"] == "v2999"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.parquet"]


def test_a_folder_names_what_it_skips(tmp_path):
    """A folder's files of other suffixes, broken links and devices were skipped without a
    word: the user could not tell a dump file was left out. One line per folder names them."""
    d = tmp_path / "dumps"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.jsonl").write_text('{"text":"one"}\n', encoding="utf-8")
    (d / "data.xml").write_text("<x/>", encoding="utf-8")
    (d / "gone.jsonl").symlink_to(tmp_path / "missing.jsonl")
    (d / ".hidden.xml").write_text("x", encoding="utf-8")
    for cmd in (["clean", "dumps", "-o", "out.jsonl"], ["run", "dumps", "--out", "out"]):
        r = sub(*cmd, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert b"dumps: skipped 2 entries it does not read" in r.stderr, r.stderr
        assert b"data.xml" in r.stderr and b"gone.jsonl" in r.stderr
        assert b".hidden" not in r.stderr
        assert b"read 1, written 1" in r.stderr or b"input 1 = output 1" in r.stderr
