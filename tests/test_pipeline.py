"""One pipeline for `cleaner clean` and `cleaner run` (issue 20), and its doors for hostile input
and unusable paths (issue 14: 1, 6, 7, 8, 9). Each test names the requirement it proves."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOC = "Senator Jane Roe Jane Q. RoeSenate passes the bill MORE said\u00a0so.  "


def cli(*args: str, input: bytes | None = None) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args), input=input)
    return res.exit_code, res.output


def sub(*args: str, stdin: bytes | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin,
                          capture_output=True, env=env, timeout=120, **kw)  # fmt: skip


def jsonl(n: int, tag: str = "") -> bytes:
    return b"".join(json.dumps({"id": f"{tag}{i}", "text": f"{DOC} {tag}{i}"}).encode() + b"\n"
                    for i in range(n))  # fmt: skip


def rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def manifests(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(out.rglob("*.manifest.json"))]


# --- 20.1 folders ---------------------------------------------------------------------------


def test_folders_read_every_format_recursively(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    d = tmp_path / "dumps"
    (d / "sub" / "deeper").mkdir(parents=True)
    (d / "a.jsonl").write_bytes(jsonl(3, "a"))
    (d / "sub" / "b.jsonl.gz").write_bytes(gzip.compress(jsonl(2, "b")))
    pq.write_table(pa.table({"text": ["p1", "p2"]}), d / "sub" / "deeper" / "c.parquet")
    (d / "sub" / "d.csv").write_text("text,n\nrow one,1\n")
    (d / "e.txt").write_text("A plain text document.\n")
    (d / "notes.bin").write_bytes(b"\x00\x01")  # not a readable suffix: left out
    code, out = cli("run", str(d), "--out", str(tmp_path / "o"), "--quiet")
    assert code == 0, out
    assert "input 9 = output 9 + rejected 0" in out
    assert {m["output"] for m in manifests(tmp_path / "o")} == {
        "a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl", "e.jsonl"}  # fmt: skip
    assert (tmp_path / "o/sub/deeper/c.jsonl").exists()
    for _ in range(2):  # the second time, the output inside the folder is not an input
        code, out = cli("clean", str(d), "-o", str(d / "all.jsonl"))
        assert code == 0 and "read 9, written 9" in out
        assert len(rows(d / "all.jsonl")) == 9


def test_folder_with_nothing_readable_is_an_error(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.bin").write_bytes(b"x")
    for cmd in (["run", str(tmp_path / "d"), "--out", str(tmp_path / "o")],
                ["clean", str(tmp_path / "d")]):  # fmt: skip
        code, out = cli(*cmd)
        assert code == 2 and "no file to read" in out


# --- 20.2 never overwrite or delete what is not ours ----------------------------------------


@pytest.mark.parametrize("how", ["same", "dot", "symlink", "jobs"])
def test_clean_refuses_to_overwrite_its_input(tmp_path, monkeypatch, how):
    src = tmp_path / "x.jsonl"
    src.write_bytes(jsonl(3))
    monkeypatch.chdir(tmp_path)
    out = {"same": "x.jsonl", "dot": "./x.jsonl", "jobs": "x.jsonl", "symlink": "link.jsonl"}[how]
    if how == "symlink":
        (tmp_path / "link.jsonl").symlink_to(src)
    extra = ["--jobs", "2"] if how == "jobs" else []
    code, msg = cli("clean", "x.jsonl", "-o", out, *extra)
    assert code == 2 and "would be overwritten" in msg
    assert src.read_bytes() == jsonl(3)


def test_only_our_own_temporary_files_are_removed(tmp_path):
    src = tmp_path / "in" / "data.jsonl"
    src.parent.mkdir()
    src.write_bytes(jsonl(2))
    out = tmp_path / "o"
    (out / ".build.tmpdir").mkdir(parents=True)
    (out / ".notes.tmp").write_text("mine")
    (out / ".x.jsonl.tmp123").write_text("mine too")
    stale = out / ".data.jsonl.cleaner-999999-0123456789abcdef.tmp"  # a dead run's
    stale.write_text("")
    for fmt in ("txt", "jsonl"):
        assert cli("run", str(src), "--out", str(out), "--out-format", fmt, "--quiet")[0] == 0
    assert (out / ".build.tmpdir").is_dir() and (out / ".notes.tmp").exists()
    assert (out / ".x.jsonl.tmp123").exists() and src.exists() and not stale.exists()
    assert (out / "data.txt").read_text().startswith("Senator Jane Roe said so.")
    stale = tmp_path / ".o.jsonl.cleaner-999999-0123456789abcdef.tmp"  # a killed `clean -o`'s
    stale.write_text("")
    assert cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))[0] == 0
    assert not stale.exists() and (tmp_path / "in" / "data.jsonl").exists()


# --- 20.3 shard names never collide -----------------------------------------------------------


def test_same_file_names_in_different_folders_all_come_out(tmp_path):
    for rel, tag in (("a/x.jsonl", "a"), ("b/x.jsonl", "b"), ("x-2.jsonl", "c")):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_bytes(jsonl(4, tag))
    inputs = [str(tmp_path / r) for r in ("a/x.jsonl", "b/x.jsonl", "x-2.jsonl")]
    out = tmp_path / "o"
    code, msg = cli("run", *inputs, "--out", str(out), "--quiet")
    assert code == 0 and "input 12 = output 12" in msg
    ids = sorted(r["id"] for f in out.rglob("*.jsonl") for r in rows(f))
    assert ids == sorted(f"{t}{i}" for t in "abc" for i in range(4))


def test_shard_collisions_are_refused(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(jsonl(1))
    (tmp_path / "a.rejects.jsonl").write_bytes(jsonl(1))
    code, msg = cli("run", str(tmp_path), "--out", str(tmp_path / "o"))
    assert code == 2 and "would both write" in msg


# --- 20.4 --resume knows its input ---------------------------------------------------------------


def test_resume_cleans_a_changed_input_again(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(2, "old"))
    out = tmp_path / "o"
    cli("run", str(src), "--out", str(out), "--quiet")
    m = manifests(out)[0]
    assert m["input_fingerprint"]["size"] == len(jsonl(2, "old"))
    code, msg = cli("run", str(src), "--out", str(out), "--quiet", "--resume")
    assert "(1 skipped as finished)" in msg
    src.write_bytes(jsonl(2, "new"))  # replaced: same name, same size, other content
    os.utime(src, ns=(m["input_fingerprint"]["mtime_ns"],) * 2)  # even the same mtime
    code, msg = cli("run", str(src), "--out", str(out), "--quiet", "--resume")
    assert "(0 skipped as finished)" in msg
    assert [r["id"] for r in rows(out / "a.jsonl")] == ["new0", "new1"]


# --- 20.5 output format follows the output name ----------------------------------------------


def test_output_format_follows_the_name(tmp_path):
    zstd = pytest.importorskip("zstandard")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(3))
    assert cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))[0] == 0
    plain = (tmp_path / "o.jsonl").read_bytes()
    assert cli("clean", str(src), "-o", str(tmp_path / "o.jsonl.gz"))[0] == 0
    assert gzip.decompress((tmp_path / "o.jsonl.gz").read_bytes()) == plain
    assert cli("clean", str(src), "-o", str(tmp_path / "o.jsonl.zst"), "--jobs", "2")[0] == 0
    z = zstd.ZstdDecompressor().decompressobj().decompress((tmp_path / "o.jsonl.zst").read_bytes())
    assert z == plain
    assert cli("clean", str(src), "-o", str(tmp_path / "o.parquet"))[0] == 0
    assert pq.read_table(tmp_path / "o.parquet").column("id").to_pylist() == ["0", "1", "2"]
    assert cli("clean", str(src), "-o", str(tmp_path / "o.txt"))[0] == 0
    assert (tmp_path / "o.txt").read_text().count("\f\n") == 2


# --- 20.6 atomic output, interrupts ------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["clean", "run", "run-pool"])
def test_sigterm_leaves_the_previous_output_and_no_temp(tmp_path, cmd):
    srcs = [tmp_path / f"big{i}.jsonl" for i in range(1 if cmd != "run-pool" else 3)]
    for src in srcs:
        src.write_bytes(jsonl(60000))
    out = tmp_path / ("o.jsonl" if cmd == "clean" else "o")
    if cmd == "clean":
        out.write_bytes(b"previous\n")
        args = ["clean", str(srcs[0]), "-o", str(out), "--jobs", "2"]
    else:  # run: one file (its records on a pool), or three (shards on a pool)
        args = ["run", *map(str, srcs), "--out", str(out), "--quiet", "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], env=env,
                            stderr=subprocess.PIPE)  # fmt: skip
    where = tmp_path if cmd == "clean" else out
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(where.glob(".*.cleaner-*")):
        time.sleep(0.01)  # wait until the run writes its temporary file
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and err.count(b"\n") == 1 and b"interrupted" in err
    assert not [p for p in tmp_path.rglob(".*") if ".cleaner-" in p.name]
    if cmd == "clean":
        assert out.read_bytes() == b"previous\n"
    else:  # finished shards may be kept (a manifest says which)
        assert b"--resume" in err
        if cmd == "run":
            assert not list(out.glob("*.jsonl"))


@pytest.mark.parametrize("cmd", ["clean", "run", "run-pool"])
def test_sigkill_leaves_no_worker_behind(tmp_path, procs, cmd):
    """Every local pool: its workers exit soon after the main process is SIGKILLed."""
    import psutil

    srcs = [tmp_path / f"big{i}.jsonl" for i in range(1 if cmd != "run-pool" else 3)]
    for src in srcs:
        src.write_bytes(jsonl(60000))
    if cmd == "clean":
        args = ["clean", str(srcs[0]), "-o", str(tmp_path / "o.jsonl"), "--jobs", "2"]
    else:  # run: one file (its records on a pool), or three (shards on a pool)
        args = ["run", *map(str, srcs), "--out", str(tmp_path / "o"), "--quiet", "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = procs.start([sys.executable, "-m", "cleaner", *args], env=env)

    def working() -> bool:  # a temporary file written, and the pool started
        temp = [p for p in tmp_path.rglob(".*") if ".cleaner-" in p.name]
        return bool(temp) and bool(psutil.Process(proc.pid).children())

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not working():
        time.sleep(0.01)
    workers, survivors = procs.sigkill(proc)
    assert workers, "the run should have had worker processes"
    assert not survivors, "every worker exits with the killed run"


# --- 20.7 linear reading; 14.9 a too-large line is never held whole --------------------------


class Recorder(io.BufferedReader):
    """Records the largest piece any read returned."""

    biggest = 0

    def readline(self, size=-1):  # type: ignore[override]
        line = super().readline(size)
        Recorder.biggest = max(Recorder.biggest, len(line))
        return line


def test_too_large_line_is_rejected_while_read(tmp_path):
    from cleaner.pipeline.lines import Lines

    data = b'{"text": "a"}\n{"text": "' + b"x" * 5_000_000 + b'"}\n{"text": "b"}\n'
    Recorder.biggest = 0
    got = list(Lines(Recorder(io.BytesIO(data)), "f", max_bytes=10_000))  # type: ignore[arg-type]
    assert Recorder.biggest <= 1 << 20  # read in bounded pieces, never whole
    assert [x[0] for x in got if isinstance(x, tuple)] == [1, 3]
    (rej,) = [x for x in got if not isinstance(x, tuple)]
    assert rej.line == 2 and "5000012 bytes" in rej.reason and len(rej.raw) == 4096
    assert "first 4096 bytes" in rej.reason


def test_max_doc_bytes_in_clean_and_run(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(b'{"text": "ok"}\n' + json.dumps({"text": "y" * 9000}).encode() + b"\n")
    code, _ = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--max-doc-bytes", "5000")
    (rej,) = rows(tmp_path / "o.jsonl.rejects.jsonl")
    assert code == 1 and rej["reason"].startswith("document too large") and rej["line"] == 2
    assert len(rej["raw"]) == 4096
    code, _ = cli("run", str(src), "--out", str(tmp_path / "r"), "--max-doc-bytes", "5000", "-q")
    assert code == 1 and manifests(tmp_path / "r")[0]["counts"]["rejected"] == 1


# --- 20.8 progress ------------------------------------------------------------------------------


def test_progress_on_a_terminal_only(tmp_path):
    from cleaner.pipeline.progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    p = Progress(0, stream=stream, total_bytes=1000, unit="files")
    p.docs_done(10, 500, 1)
    p.close()
    shown = stream.getvalue()
    assert "50%" in shown and "10 docs" in shown and "1 rejected" in shown
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(2))
    r = sub("clean", str(src), "-o", str(tmp_path / "o.jsonl"))  # stderr is not a terminal
    assert r.stderr.decode().count("\n") == 1 and r.stderr.startswith(b"cleaner: read 2")


def test_report_takes_stdin_and_jobs(tmp_path):
    r = sub("report", "-", "-o", str(tmp_path / "r.html"), stdin=jsonl(3))
    assert r.returncode == 0, r.stderr
    assert b"3 documents" in r.stderr and (tmp_path / "r.html").exists()
    (tmp_path / "a.jsonl").write_bytes(jsonl(300))
    for jobs in ("1", "2"):
        code, _ = cli("report", str(tmp_path / "a.jsonl"), "-o", str(tmp_path / f"{jobs}.html"),
                      "--jobs", jobs)  # fmt: skip
        assert code == 0
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


# --- 20.9 missing extras are named up front ----------------------------------------------------


@pytest.mark.parametrize("cmd", ["clean", "run"])
def test_missing_html_extra_exits_2_up_front(tmp_path, monkeypatch, cmd):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now raises ImportError
    (tmp_path / "p.html").write_text("<html><body><p>Hi</p></body></html>")
    out = ["-o", str(tmp_path / "o.jsonl")] if cmd == "clean" else ["--out", str(tmp_path / "o")]
    code, msg = cli(cmd, str(tmp_path / "p.html"), *out)
    assert code == 2 and "pip install 'webtext-cleaner[html]'" in msg
    assert not (tmp_path / "o.jsonl").exists() and not (tmp_path / "o").exists()


def test_clean_html_names_the_missing_extra(monkeypatch):
    from cleaner.extract import clean_html
    from cleaner.extras import MissingExtra

    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(MissingExtra, match=r"pip install 'webtext-cleaner\[html\]'"):
        clean_html("<p>Hi</p>", timeout=None)


# --- 20.10 small things -------------------------------------------------------------------------


def test_stdin_text_starting_with_a_brace_is_text():
    text = b"{Editor's note} The mayor spoke.\nA second line.\n"
    code, out = cli("clean", input=text)
    assert code == 0 and out.startswith("{Editor's note} The mayor spoke.\nA second line.")
    code, out = cli("clean", "--format", "jsonl", input=text)
    assert code == 1 and "rejected 2" in out


def test_one_output_format_per_run(tmp_path):
    (tmp_path / "a.txt").write_text("First document.")
    (tmp_path / "b.txt").write_text("Second document.")
    (tmp_path / "c.jsonl").write_bytes(jsonl(1))
    code, out = cli("clean", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 0 and "First document.\n\f\nSecond document.\n" in out
    r = sub("clean", str(tmp_path / "a.txt"), str(tmp_path / "c.jsonl"))
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert recs[0] == {"source": str(tmp_path / "a.txt"), "text": "First document."}
    assert recs[1]["text"].startswith("Senator Jane Roe said so.")


def test_empty_text_file_is_no_document(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    code, out = cli("clean", str(tmp_path / "e.txt"))
    assert code == 0 and "read 0, written 0, rejected 0" in out


def test_negative_jobs_is_a_usage_error(tmp_path):
    assert cli("clean", "--jobs", "-1", input=b"x")[0] == 2
    assert cli("run", "-", "--out", str(tmp_path), "--jobs", "-1", input=b"x")[0] == 2


def test_stale_rejects_file_is_removed_by_a_clean_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("clean", input=b'{"text": 1}\n')[0] == 1
    assert (tmp_path / "cleaner.rejects.jsonl").exists()
    assert cli("clean", input=b'{"text": "fine"}\n')[0] == 0
    assert not (tmp_path / "cleaner.rejects.jsonl").exists()


def test_explain_uses_the_records_url_like_clean(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "scoped.toml").write_text("""
[[rule]]
id = "test.scoped"
description = "Remove the invented marker ZAPME on example.org pages."
kind = "replace"
pattern = "ZAPME "
replacement = ""
trigger = ["ZAPME"]
where = {domains = ["example.org"]}

[[rule.change]]
name = "marker"
input = "ZAPME The mayor spoke."
output = "The mayor spoke."
url = "https://example.org/a"

[[rule.keep]]
name = "elsewhere"
input = "ZAPME The mayor spoke."
url = "https://other.test/a"
""")
    rec = b'{"url": "https://example.org/x", "text": "ZAPME The mayor spoke."}\n'
    code, out = cli("explain", "-", "--rules", str(tmp_path / "r"), input=rec)
    assert code == 0 and "test.scoped" in out
    code, out = cli("clean", "--rules", str(tmp_path / "r"), input=rec)
    assert '"text":"The mayor spoke."' in out


def test_csv_fields_beyond_the_header_are_rejected(tmp_path):
    (tmp_path / "c.csv").write_text("text,n\nfine,1\ntoo,many,fields\n")
    code, out = cli("clean", str(tmp_path / "c.csv"), "-o", str(tmp_path / "o.jsonl"))
    (rej,) = rows(tmp_path / "o.jsonl.rejects.jsonl")
    assert code == 1 and "3 fields, the header 2" in rej["reason"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_column_named_twice_is_refused(tmp_path, fmt):
    """'id,text,text' kept the last 'text' of each row and dropped the first without a word;
    a Parquet schema with two 'text' fields did the same."""
    src = tmp_path / f"d.{fmt}"
    if fmt == "csv":
        src.write_text("id,text,text\n1,first,second\n")
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        table = pa.table([pa.array(["first"]), pa.array(["second"])], names=["text", "text"])
        pq.write_table(table, src)
    code, out = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert code == 2 and "names 'text' more than once" in out and str(src) in out


def test_a_csv_cut_in_its_header_is_a_reject(tmp_path):
    data = gzip.compress(b"id," + b"x" * 200_000 + b",text\n1,2,3\n", mtime=0)
    src = tmp_path / "h.csv.gz"
    src.write_bytes(data[: len(data) // 2])
    code, out = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    (rej,) = rows(tmp_path / "o.jsonl.rejects.jsonl")
    assert code == 1 and rej["reason"].startswith(
        "truncated or corrupt compressed input: before the header"
    )


@pytest.mark.parametrize("command", ["clean", "run"])
def test_a_worker_that_dies_is_one_clear_line(tmp_path, monkeypatch, command):
    """A worker killed by the kernel (out of memory; by hand: kill -9 on a --jobs 2 worker)
    ended in a BrokenProcessPool traceback and exit 1; now exit 4, the output as it was."""
    from concurrent.futures.process import BrokenProcessPool

    import cleaner.pipeline.stream as stream

    def died(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(stream, "clean_items", died)
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(3))
    out = ["--out", str(tmp_path / "o")] if command == "run" else ["-o", str(tmp_path / "o.jsonl")]
    code, text = cli(command, str(src), *out)
    assert code == 4 and "a worker process died" in text and "Traceback" not in text
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("u.txt", "utf-16"), ("u.jsonl", "utf-16"), ("u.jsonl", "utf-32"), ("u.csv", "utf-16"),
     ("u.txt.gz", "utf-16"), ("-", "utf-16")],
)  # fmt: skip
def test_a_utf16_or_utf32_file_is_refused_naming_the_encoding(tmp_path, name, encoding):
    """A UTF-16 export (Windows tools write them) had each of its lines rejected as invalid
    UTF-8 ('byte 0xff at column 1', then 'NUL byte' for the rest of a JSONL file)."""
    body = '{"text": "a  b"}\n' if ".jsonl" in name else "id,text\n1,a  b\n" if ".csv" in name \
        else "a  b"  # fmt: skip
    data = body.encode(encoding)
    if name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    if name == "-":
        code, out = cli("clean", "-", input=data)
    else:
        (tmp_path / name).write_bytes(data)
        code, out = cli("clean", str(tmp_path / name), "-o", str(tmp_path / "o.jsonl"))
    label = encoding.upper()
    assert code == 2 and f"the file is {label}" in out and f"iconv -f {label} -t UTF-8" in out
    assert ("<stdin>" if name == "-" else name) in out


def test_closed_stdout_is_not_a_reject(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(20000))
    cmd = f"{sys.executable} -m cleaner clean {src} | head -c 100 > /dev/null; " \
          "echo ${PIPESTATUS[0]}"  # fmt: skip
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert r.stdout.strip() == b"141" and b"Traceback" not in r.stderr


def test_corrupt_zstd_keeps_the_records_before_the_damage(tmp_path):
    zstd = pytest.importorskip("zstandard")
    data = zstd.ZstdCompressor(level=1).compress(jsonl(20000))
    assert len(data) < 1 << 20  # within one of the old 1 MiB reads
    cut = len(data) * 3 // 4
    (tmp_path / "c.jsonl.zst").write_bytes(data[:cut] + b"\xff" * 300 + data[cut + 300 :])
    code, out = cli("clean", str(tmp_path / "c.jsonl.zst"), "-o", str(tmp_path / "o.jsonl"))
    assert code == 1
    assert len(rows(tmp_path / "o.jsonl")) > 10000


# --- 14.1 lone surrogates at the doors ---------------------------------------------------------


def test_lone_surrogate_in_other_fields_is_written_back_valid_and_lossless(tmp_path):
    line = b'{"text": "fine.", "title": "lone \\ud800 here", "n": 123456789012345678901234567890}'
    src = tmp_path / "s.jsonl"
    src.write_bytes(line + b"\n")
    for args in (["clean", str(src), "-o", str(tmp_path / "o.jsonl")],
                 ["run", str(src), "--out", str(tmp_path / "r"), "-q"]):  # fmt: skip
        assert cli(*args)[0] == 0
    for out in (tmp_path / "o.jsonl", tmp_path / "r" / "s.jsonl"):
        raw = out.read_bytes()
        raw.decode("utf-8")  # valid UTF-8
        assert b"\\ud800" in raw
        assert json.loads(raw) == json.loads(line)


def test_lone_surrogate_in_other_fields_to_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "s.jsonl"
    src.write_bytes(b'{"text": "fine.", "title": "lone \\ud800 here"}\n')
    assert cli("clean", str(src), "-o", str(tmp_path / "o.parquet"))[0] == 0
    assert pq.read_table(tmp_path / "o.parquet").column("title").to_pylist() == ["lone \ufffd here"]


def test_lone_surrogate_in_the_text_reaches_the_engine(tmp_path):
    from cleaner import Cleaner

    try:
        Cleaner().clean("a\ud800b")
    except UnicodeError:
        pytest.skip("the engine's lone-surrogate policy (issue 14.1, engine side) is not here yet")
    src = tmp_path / "s.jsonl"
    src.write_bytes(b'{"text": "lone \\ud800 here"}\n')
    code, out = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert code == 0, out
    raw = (tmp_path / "o.jsonl").read_bytes()
    raw.decode("utf-8")
    assert "\ud800" not in json.loads(raw)["text"]


def test_invalid_utf8_in_other_csv_columns_rejects_the_row(tmp_path):
    (tmp_path / "c.csv").write_bytes(b"text,title\nfine,ok\nfine,caf\xe9\n")
    code, _ = cli("run", str(tmp_path / "c.csv"), "--out", str(tmp_path / "o"), "-q")
    m = manifests(tmp_path / "o")[0]
    assert code == 1 and m["counts"] == {**m["counts"], "output": 1, "rejected": 1}
    assert m["reject_reasons"] == {"invalid UTF-8 in column 'title' (row 2)": 1}


# --- 14.6 unusable paths -------------------------------------------------------------------------


def test_unusable_paths_are_refused_before_any_work(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(b'{"text": 1}\n')
    (tmp_path / "file").write_text("a file")
    cases = [
        ["clean", str(src), "--rejects", str(tmp_path / "missing/dir/r.jsonl")],
        ["clean", str(src), "-o", str(tmp_path / "missing/o.jsonl")],
        ["clean", str(src), "-o", str(tmp_path)],
        ["run", str(src), "--out", "/proc/x"],
        ["run", str(src), "--out", str(tmp_path / "file")],
    ]
    for args in cases:
        r = sub(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert b"Traceback" not in r.stderr and r.stderr.count(b"\n") == 1
    assert (tmp_path / "file").read_text() == "a file"


def test_disk_full_is_one_line_exit_2_and_no_temp(tmp_path, monkeypatch):
    import errno

    from cleaner.pipeline import writers

    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(3))

    def full(self, *args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writers.Output, "add", full)
    code, out = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert code == 2 and "No space left on device" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(f"{sys.executable} -m cleaner clean {src} > /dev/full", shell=True,
                       capture_output=True, env=env)  # fmt: skip
    assert r.returncode == 2 and b"No space left" in r.stderr and b"Traceback" not in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_device_or_fifo_output_is_written_into_never_replaced(tmp_path):
    """`-o /dev/full` once replaced the device node by a regular file (temp + rename, as root):
    a device or FIFO is written directly; a full device is one line, exit 2, the node intact."""
    import stat
    import threading

    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(3))
    full = tmp_path / "full"  # a /dev/full of our own (the test never risks the real one)
    try:
        os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, AttributeError):
        pass  # not root: the FIFO below still checks the rule
    else:
        code, out = cli("clean", str(src), "-o", str(full))
        assert code == 2 and f"writing {full}: No space left on device" in out
        assert stat.S_ISCHR(full.stat().st_mode)
        full.unlink()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, out = cli("clean", str(src), "-o", str(fifo), "--jobs", "1")
    assert code == 0, out
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and got and got[0].count(b"\n") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "pipe"]  # no temp left


# --- 14.7 Parquet types, unreadable Parquet and WARC ------------------------------------------


def test_parquet_types_pass_through_as_lossless_json(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import decimal

    import pyarrow.parquet as pq

    table = pa.table({
        "text": ["a  b"],
        "ts": pa.array([1_700_000_000_000_000_001], pa.timestamp("ns")),
        "tz": pa.array([1_700_000_000_000_000], pa.timestamp("us", tz="UTC")),
        "price": pa.array([decimal.Decimal("12345678901234567890.25")], pa.decimal128(24, 2)),
        "blob": pa.array([b"\x00\xffbin"], pa.binary()),
    })  # fmt: skip
    pq.write_table(table, tmp_path / "t.parquet")
    code, out = cli("clean", str(tmp_path / "t.parquet"), "-o", str(tmp_path / "o.jsonl"))
    assert code == 0, out
    (row,) = rows(tmp_path / "o.jsonl")
    assert row["text"] == "a b"
    assert row["ts"] == "2023-11-14T22:13:20.000000001"
    assert row["tz"] == "2023-11-14T22:13:20.000000+0000"
    assert row["price"] == "12345678901234567890.25"
    assert base64.b64decode(row["blob"]) == b"\x00\xffbin"


@pytest.mark.parametrize("cmd", ["clean", "run"])
def test_unreadable_parquet_and_warc_exit_2_naming_the_file(tmp_path, cmd):
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("fastwarc")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["x"] * 1000}), tmp_path / "whole.parquet")
    data = (tmp_path / "whole.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    (tmp_path / "bad.warc").write_bytes(b"GARBAGE\r\nnot: a warc\r\n\r\n")
    for name in ("cut.parquet", "bad.warc"):
        out = ["-o" if cmd == "clean" else "--out", str(tmp_path / "o.jsonl")]
        r = sub(cmd, str(tmp_path / name), *out)
        assert r.returncode == 2, r.stderr
        assert name.encode() in r.stderr and b"Traceback" not in r.stderr


def test_truncated_warc_record_is_rejected(tmp_path):
    pytest.importorskip("fastwarc")
    body = DOC.encode()
    rec = (b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.org/a\r\n"
           b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: text/plain\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
           + b"\r\n\r\n")  # fmt: skip
    (tmp_path / "x.wet").write_bytes(rec + rec[:-20])
    code, _ = cli("run", str(tmp_path / "x.wet"), "--out", str(tmp_path / "o"), "-q")
    m = manifests(tmp_path / "o")[0]
    assert code == 1 and m["counts"]["output"] == 1
    assert list(m["reject_reasons"]) == ["truncated record"]


# --- 14.8 non-finite numbers ----------------------------------------------------------------------


@pytest.mark.parametrize("literal", [b"1e400", b"-1e400", b"NaN", b"Infinity"])
def test_non_finite_numbers_never_come_out_as_invalid_json(tmp_path, literal):
    src = tmp_path / "n.jsonl"
    src.write_bytes(b'{"text": "ok", "x": ' + literal + b'}\n{"text": "fine"}\n')
    code, _ = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert code == 1
    assert rows(tmp_path / "o.jsonl") == [{"text": "fine"}]  # strict JSON parses it
    (rej,) = rows(tmp_path / "o.jsonl.rejects.jsonl")
    assert rej["reason"].startswith("number out of range") and rej["line"] == 1


# --- counts always add up, whatever --jobs is --------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_record_ends_in_output_or_rejects(tmp_path, jobs):
    src = tmp_path / "m.jsonl"
    bad = [
        b"nope",
        b'{"text": 1}',
        b'{"x": 1}',
        b'{"text": "caf\xe9"}',
        b'{"a": 1e400, "text": ""}',
    ]
    lines = [jsonl(1, str(i)).strip() if i % 7 else bad[i % 5] for i in range(3000)]
    src.write_bytes(b"\n".join(lines) + b"\n")
    code, out = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--jobs", jobs)
    written, rejected = rows(tmp_path / "o.jsonl"), rows(tmp_path / "o.jsonl.rejects.jsonl")
    assert len(written) + len(rejected) == 3000
    assert sorted(r["line"] for r in rejected) == [i + 1 for i in range(3000) if not i % 7]
    assert f"read 3000, written {len(written)}, rejected {len(rejected)}" in out


def test_passed_through_documents_are_counted_without_edits(tmp_path, monkeypatch):
    """A document the engine passes through (Result.error) is counted in stderr and in the
    manifest, with or without --edits (which also writes the error as 'cleaner_error')."""
    from cleaner.engine.run import Engine
    from cleaner.model import Result

    real = Engine.run

    def run(self, text, **kw):
        if "POISON" in text:
            return Result(text, [], "rule x.y raised ValueError: invented")
        return real(self, text, **kw)

    monkeypatch.setattr(Engine, "run", run)
    src = tmp_path / "p.jsonl"
    src.write_bytes(b'{"text": "fine  text"}\n{"text": "POISON  here"}\n')
    code, out = cli("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert code == 0 and "passed through 1" in out
    assert rows(tmp_path / "o.jsonl")[1] == {"text": "POISON  here"}
    code, out = cli("run", str(src), "--out", str(tmp_path / "r"), "-q")
    assert manifests(tmp_path / "r")[0]["counts"]["passed_through"] == 1
    assert "passed through 1" in out
    cli("clean", str(src), "-o", str(tmp_path / "e.jsonl"), "--edits")
    assert rows(tmp_path / "e.jsonl")[1]["cleaner_error"].startswith("rule x.y raised")


def test_invalid_utf8_in_parquet_and_wet_text_rejects_the_record(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("fastwarc")
    import pyarrow.parquet as pq

    b = pa.array([b"ok", b"caf\xe9", b"lone \xed\xa0\x80 surrogate"], pa.binary())
    text = pa.Array.from_buffers(pa.string(), len(b), b.buffers())  # unvalidated UTF-8
    pq.write_table(pa.table({"text": text, "n": [1, 2, 3]}), tmp_path / "p.parquet")
    body = b"lone \xed\xa0\x80 surrogate"
    (tmp_path / "x.wet").write_bytes(
        b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.org/a\r\n"
        b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: text/plain\r\nContent-Length: "
        + str(len(body)).encode() + b"\r\n\r\n" + body + b"\r\n\r\n")  # fmt: skip
    code, out = cli("run", str(tmp_path / "p.parquet"), str(tmp_path / "x.wet"), "--out",
                    str(tmp_path / "o"), "-q")  # fmt: skip
    assert code == 1 and "input 4 = output 1 + rejected 3" in out
    reasons = [r for m in manifests(tmp_path / "o") for r in m["reject_reasons"]]
    assert sorted(reasons) == ["invalid UTF-8", "invalid UTF-8 in a string column"]


@pytest.mark.parametrize("suffix", [".txt", ".parquet", ".jsonl.gz"])
def test_every_output_format_is_byte_identical_whatever_jobs(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(15000))  # two 1 MiB ranges
    for jobs in ("1", "2"):
        out = tmp_path / f"o{jobs}{suffix}"
        assert cli("clean", str(src), "-o", str(out), "--jobs", jobs)[0] == 0
    assert (tmp_path / f"o1{suffix}").read_bytes() == (tmp_path / f"o2{suffix}").read_bytes()
