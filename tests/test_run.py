"""`cleaner run`: formats, rejects-never-loss for every bad-input class, resume, --jobs."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.pipeline.records import InputError
from cleaner.pipeline.shards import shard_names

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    "Senator Jane Roe Jane Q. RoeSenate passes the bill MORE said\u00a0so.  ",
    "The mayor of Springvale  opened a bridge.\n\n\n\nIt is long.",
    "Plain text with nothing to fix.",
]


def jsonl(docs: list[str] | None = None, n: int = 3) -> bytes:
    docs = docs or DOCS
    return b"".join(
        json.dumps({"id": i, "text": docs[i % len(docs)]}).encode() + b"\n" for i in range(n)
    )


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["run", *args, "--quiet"])
    return res.exit_code, res.output


def manifest(out: Path, name: str) -> dict:
    return json.loads((out / f"{name}.manifest.json").read_text())


def rejects(out: Path, name: str) -> list[dict]:
    p = out / f"{name}.rejects.jsonl"
    return [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []


def check_balanced(out: Path, name: str) -> dict:
    m = manifest(out, name)
    c = m["counts"]
    assert c["input"] == c["output"] + c["rejected"]
    assert len(rejects(out, name)) == c["rejected"]
    lines = (out / f"{name}.jsonl").read_bytes().splitlines()
    assert len(lines) == c["output"]
    return m


def test_clean_jsonl_keeps_fields_and_writes_manifest(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl())
    code, _ = run(str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    rows = [json.loads(x) for x in (tmp_path / "out/a.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2]
    assert rows[0]["text"] == "Senator Jane Roe said so."
    m = check_balanced(tmp_path / "out", "a")
    assert m["counts"] == {"input": 3, "output": 3, "rejected": 0, "changed": 2,
                           "passed_through": 0}  # fmt: skip
    assert len(m["ruleset"]["sha256"]) == 64 and m["cleaner_version"]
    assert not list((tmp_path / "out").glob(".*tmp*"))


# --- every bad-input class: processed, or rejected with file, line, offset and reason ---------


@pytest.mark.parametrize(
    "line, reason",
    [
        (b'{"text": "a", oops}', "malformed JSON"),
        (b'{"text": "caf\xe9"}', "invalid UTF-8"),
        (b'{"text": "a\x00b"}', "NUL byte"),
        (b'{"text": "a\\u0000b"}', "text contains NUL"),
        (b'{"id": 7}', "no 'text' field"),
        (b'{"text": null}', "field 'text' is null"),
        (b'{"text": ["a"]}', "field 'text' is an array"),
        (b"[1, 2]", "not a JSON object"),
    ],
)
def test_bad_line_is_rejected_with_location(tmp_path, line, reason):
    good = b'{"text": "fine."}\n'
    src = tmp_path / "d.jsonl"
    src.write_bytes(good + line + b"\n" + good)
    code, out = run(str(src), "--out", str(tmp_path / "o"))
    assert code == 1
    m = check_balanced(tmp_path / "o", "d")
    assert m["counts"]["output"] == 2 and m["counts"]["rejected"] == 1
    (rej,) = rejects(tmp_path / "o", "d")
    assert rej["reason"].startswith(reason)
    assert (rej["file"], rej["line"], rej["offset"]) == (str(src), 2, len(good))
    assert "input 3 = output 2 + rejected 1" in out


def test_bom_is_processed(tmp_path):
    src = tmp_path / "bom.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + jsonl(n=2))
    assert run(str(src), "--out", str(tmp_path / "o"))[0] == 0
    assert check_balanced(tmp_path / "o", "bom")["counts"]["output"] == 2


def test_truncated_gzip_keeps_records_before_the_cut(tmp_path):
    data = gzip.compress(jsonl(n=2000), mtime=0)
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(data[: len(data) - 40])
    assert run(str(src), "--out", str(tmp_path / "o"))[0] == 1
    m = check_balanced(tmp_path / "o", "cut")
    assert 1000 < m["counts"]["output"] < 2000
    (rej,) = rejects(tmp_path / "o", "cut")
    assert rej["reason"].startswith("truncated or corrupt compressed input")
    assert rej["line"] == m["counts"]["output"] + 1


def test_truncated_zstd_keeps_records_before_the_cut(tmp_path):
    zstd = pytest.importorskip("zstandard")
    raw = jsonl(n=5000)  # three zstd blocks: the cut keeps the first ones
    data = zstd.ZstdCompressor(level=3).compress(raw)
    src = tmp_path / "cut.jsonl.zst"
    src.write_bytes(data[: len(data) * 3 // 4])
    assert run(str(src), "--out", str(tmp_path / "o"))[0] == 1
    m = check_balanced(tmp_path / "o", "cut")
    assert 0 < m["counts"]["output"] < 5000
    assert rejects(tmp_path / "o", "cut")[0]["reason"].startswith("truncated")
    whole = tmp_path / "whole.jsonl.zst"
    whole.write_bytes(data)
    assert run(str(whole), "--out", str(tmp_path / "o"))[0] == 0
    assert manifest(tmp_path / "o", "whole")["counts"]["output"] == 5000


def _compressed(suffix: str, data: bytes) -> bytes:
    if suffix.endswith(".zst"):
        zstd = pytest.importorskip("zstandard")
        return zstd.ZstdCompressor(level=3).compress(data)
    return gzip.compress(data, mtime=0)


@pytest.mark.parametrize("suffix", [".txt.gz", ".txt.zst", ".html.gz"])
def test_truncated_compressed_document_is_rejected_naming_the_file(tmp_path, suffix):
    """A whole-file document whose compressed stream breaks is rejected, with why, and the run
    goes on to the next file (it was 'Aborted!', exit 1, nothing written and no file named)."""
    if suffix.startswith(".html"):
        pytest.importorskip("trafilatura")
    words = " ".join(f"word{i}" for i in range(30000))
    body = f"<html><body><article><p>{words}</p></article></body></html>"
    body = body if "html" in suffix else words
    data = _compressed(suffix, body.encode())
    src = tmp_path / f"cut{suffix}"
    src.write_bytes(data[: len(data) * 2 // 3])
    (tmp_path / "fine.txt").write_text("A fine  text.")
    code, out = run(str(src), str(tmp_path / "fine.txt"), "--out", str(tmp_path / "o"))
    assert code == 1, out
    assert check_balanced(tmp_path / "o", "fine")["counts"]["output"] == 1
    m = check_balanced(tmp_path / "o", "cut")
    assert m["counts"] == {**m["counts"], "input": 1, "output": 0, "rejected": 1}
    (rej,) = rejects(tmp_path / "o", "cut")
    assert rej["file"] == str(src)
    assert rej["reason"].startswith(
        "truncated or corrupt compressed input: the document cannot be read whole"
    )


def test_truncated_csv_keeps_the_rows_before_the_cut(tmp_path):
    table = "id,text\n" + "".join(f"{i},row {i} of the table\n" for i in range(5000))
    data = gzip.compress(table.encode(), mtime=0)
    src = tmp_path / "cut.csv.gz"
    src.write_bytes(data[: len(data) * 2 // 3])
    assert run(str(src), "--out", str(tmp_path / "o"))[0] == 1
    m = check_balanced(tmp_path / "o", "cut")
    assert 0 < m["counts"]["output"] < 5000
    (rej,) = rejects(tmp_path / "o", "cut")
    assert rej["reason"].startswith(
        f"truncated or corrupt compressed input: after row {m['counts']['output']}:"
    )
    assert rej["line"] == m["counts"]["output"] + 2  # (the header, then one line a row)


@pytest.mark.slow
def test_oversized_document_is_rejected_and_neighbours_kept(tmp_path):
    from cleaner.pipeline.readers import MAX_DOC_BYTES  # the default --max-doc-bytes (16 MiB)

    big = json.dumps({"text": "word " * (MAX_DOC_BYTES // 5 + 1)}).encode()  # just over it
    src = tmp_path / "big.jsonl"
    src.write_bytes(b'{"text": "a."}\n' + big + b'\n{"text": "b."}\n')
    assert run(str(src), "--out", str(tmp_path / "o"))[0] == 1
    m = check_balanced(tmp_path / "o", "big")
    assert m["counts"]["output"] == 2
    (rej,) = rejects(tmp_path / "o", "big")
    assert rej["reason"].startswith("document too large") and rej["line"] == 2
    assert f"{len(big)} bytes" in rej["reason"] and "first 4096 bytes" in rej["reason"]
    assert rej["raw"] == big[:4096].decode()  # a bounded prefix, said so in the reason


def test_every_class_in_one_dump_balances(tmp_path):
    src = tmp_path / "all.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + b'{"text": "ok."}\n{"text": "caf\xe9"}\n{"text": "a\x00"}\n'
                    b'{"t": 1}\n{"text": 3}\nnope\n{"text": "ok again."}\n')  # fmt: skip
    code, out = run(str(src), "--out", str(tmp_path / "o"))
    assert code == 1
    m = check_balanced(tmp_path / "o", "all")
    assert m["counts"]["input"] == 7 and m["counts"]["output"] == 2
    assert m["reject_reasons"] == {"invalid UTF-8": 1, "NUL byte": 1, "no 'text' field": 1,
                                   "field 'text' is a number, not a string": 1,
                                   "malformed JSON": 1}  # fmt: skip


# --- formats -------------------------------------------------------------------------------


def test_output_formats_round_trip(tmp_path):
    pytest.importorskip("zstandard")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl())
    for fmt in ("jsonl.gz", "jsonl.zst", "parquet", "txt"):
        assert run(str(src), "--out", str(tmp_path / fmt), "--out-format", fmt)[0] == 0
    plain = tmp_path / "plain"
    run(str(src), "--out", str(plain))
    expect = (plain / "a.jsonl").read_bytes()
    assert gzip.decompress((tmp_path / "jsonl.gz/a.jsonl.gz").read_bytes()) == expect
    import zstandard

    zbytes = (tmp_path / "jsonl.zst/a.jsonl.zst").read_bytes()
    assert zstandard.ZstdDecompressor().decompressobj().decompress(zbytes) == expect
    table = pq.read_table(tmp_path / "parquet/a.parquet")
    assert table.column("text").to_pylist()[0] == "Senator Jane Roe said so."
    docs = (tmp_path / "txt/a.txt").read_text().split("\f\n")
    assert len(docs) == 3 and docs[0] == "Senator Jane Roe said so.\n"


def test_parquet_and_csv_inputs(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": [DOCS[0], None], "n": [1, 2]}), tmp_path / "p.parquet")
    (tmp_path / "c.csv").write_text('\ufeffbody,n\n"' + DOCS[1] + '",1\nok,2\n')
    assert run(str(tmp_path / "p.parquet"), "--out", str(tmp_path / "o"))[0] == 1
    assert check_balanced(tmp_path / "o", "p")["counts"]["rejected"] == 1
    assert run(str(tmp_path / "c.csv"), "--out", str(tmp_path / "o2"), "--text-field",
               "body")[0] == 0  # fmt: skip
    rows = [json.loads(x) for x in (tmp_path / "o2/c.jsonl").read_text().splitlines()]
    assert rows[0] == {"n": "1", "body": "The mayor of Springvale opened a bridge.\n\nIt is long."}
    assert rows[1] == {"n": "2", "body": "ok"}


def test_folder_of_txt_and_html_without_extractor(tmp_path, monkeypatch):
    d = tmp_path / "pages"
    d.mkdir()
    (d / "a.txt").write_text(DOCS[0])
    (d / "b.html").write_text("<html><body><p>Hi</p></body></html>")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now raises ImportError
    code, out = run(str(d), "--out", str(tmp_path / "o"))
    assert code == 2 and "pip install 'webtext-cleaner[html]'" in out  # up front, before any work
    assert not (tmp_path / "o").exists()


def test_wet_input(tmp_path):
    pytest.importorskip("fastwarc")
    body = DOCS[0].encode()
    rec = (b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.org/a\r\n"
           b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: text/plain\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
           + b"\r\n\r\n")  # fmt: skip
    (tmp_path / "x.warc.wet").write_bytes(rec * 2)
    assert run(str(tmp_path / "x.warc.wet"), "--out", str(tmp_path / "o"))[0] == 0
    rows = [json.loads(x) for x in (tmp_path / "o/x.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and rows[0]["text"] == "Senator Jane Roe said so."
    assert rows[0]["url"] == "https://example.org/a"


def test_missing_input_is_usage_error(tmp_path):
    assert run(str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o"))[0] == 2


def test_shard_names_are_unique():
    assert shard_names(["d/a/x.jsonl.gz", "d/b/x.jsonl", "-", "d/y.parquet"]) == [
        "a/x", "b/x", "stdin", "y"]  # fmt: skip
    for clash in (["a.jsonl", "a.jsonl.gz"], ["a.jsonl", "a.rejects.jsonl"], ["A.jsonl", "a.csv"]):
        with pytest.raises(InputError, match="would both write"):
            shard_names(clash)


# --- provenance, --jobs and --resume --------------------------------------------------------


def test_provenance_adds_edits(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(n=1))
    run(str(src), "--out", str(tmp_path / "o"), "--provenance")
    row = json.loads((tmp_path / "o/a.jsonl").read_text())
    assert row["cleaner_edits"] and {"rule", "start", "end", "removed"} <= set(
        row["cleaner_edits"][0])  # fmt: skip


def _dumps(tmp_path: Path, files: int, n: int | list[int]) -> list[str]:
    paths = []
    for i in range(files):
        p = tmp_path / f"in{i}.jsonl"
        p.write_bytes(jsonl([d + f" #{i}" for d in DOCS], n=n if isinstance(n, int) else n[i]))
        paths.append(str(p))
    return paths


def _tree(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())
            if not p.name.endswith(".manifest.json")}  # fmt: skip


@pytest.mark.parametrize("files", [1, 3])
def test_jobs_2_is_byte_identical_to_jobs_1(tmp_path, files):
    inputs = _dumps(tmp_path, files, 500)
    run(*inputs, "--out", str(tmp_path / "j1"), "--jobs", "1")
    run(*inputs, "--out", str(tmp_path / "j2"), "--jobs", "2")
    assert _tree(tmp_path / "j1") == _tree(tmp_path / "j2")
    assert len(_tree(tmp_path / "j1")) == files


def test_resume_skips_only_matching_manifests(tmp_path):
    (src,) = _dumps(tmp_path, 1, 3)
    out = tmp_path / "o"
    run(src, "--out", str(out))
    (out / "in0.jsonl").write_bytes(b"tampered\n")
    run(src, "--out", str(out), "--resume")
    assert (out / "in0.jsonl").read_bytes() == b"tampered\n"  # skipped: finished
    run(src, "--out", str(out), "--resume", "--select", "*whitespace*")  # other rule-set hash
    assert (out / "in0.jsonl").read_bytes() != b"tampered\n"


def test_rerun_removes_stale_rejects(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(b"nope\n")
    run(str(src), "--out", str(tmp_path / "o"))
    assert (tmp_path / "o/a.rejects.jsonl").exists()
    src.write_bytes(jsonl(n=1))
    assert run(str(src), "--out", str(tmp_path / "o"))[0] == 0
    assert not (tmp_path / "o/a.rejects.jsonl").exists()


@pytest.mark.slow
def test_sigkill_then_resume_is_byte_identical(tmp_path, procs):
    # three big shards among small ones: whatever order the shards run in, one big shard is
    # still being written when the first manifest appears and the run is killed
    inputs = _dumps(tmp_path, 8, [200, 5000, 200, 5000, 200, 5000, 200, 200])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # two workers whatever the machine: the kill must not leave them behind
    cmd = [sys.executable, "-m", "cleaner", "run", *inputs, "--quiet", "--jobs", "2"]
    subprocess.run([*cmd, "--out", str(tmp_path / "ref")], env=env, check=False)
    out = tmp_path / "killed"
    proc = procs.start([*cmd, "--out", str(out)], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob("*.manifest.json")):
        time.sleep(0.01)
    workers, survivors = procs.sigkill(proc)
    done = len(list(out.glob("*.manifest.json")))
    assert 0 < done < 8, "the run should be killed part-way"
    assert workers and not survivors, "every worker exits with the killed run"
    subprocess.run([*cmd, "--out", str(out), "--resume"], env=env, check=False)
    assert _tree(out) == _tree(tmp_path / "ref")
    assert not list(out.glob(".*tmp*"))  # the killed run's temporary files are gone


def test_stdin_jsonl(tmp_path):
    res = CliRunner().invoke(app, ["run", "-", "--out", str(tmp_path / "o"), "--quiet"],
                             input=jsonl(n=2))  # fmt: skip
    assert res.exit_code == 0
    assert check_balanced(tmp_path / "o", "stdin")["counts"]["output"] == 2


def test_progress_plain_lines_and_quiet(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(n=3))
    res = CliRunner().invoke(app, ["run", str(src), "--out", str(tmp_path / "o")])
    assert "cleaner: shards 1/1; 3 docs" in res.output and "MB/s" in res.output
    res = CliRunner().invoke(app, ["run", str(src), "--out", str(tmp_path / "o"), "--quiet"])
    assert "shards 1/1" not in res.output and "input 3 = output 3 + rejected 0" in res.output


def test_refuses_to_overwrite_its_input(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(jsonl(n=1))
    assert run(str(src), "--out", str(tmp_path))[0] == 2
    assert src.read_bytes() == jsonl(n=1)


def test_warc_html_goes_through_the_extractor(tmp_path, monkeypatch):
    pytest.importorskip("fastwarc")
    import types

    fake = types.ModuleType("cleaner.extract")
    fake.extract_text = lambda html, url=None, mode="default": (  # type: ignore[attr-defined]
        html.decode().split("<p>")[1].split("</p>")[0] + "  "
    )
    monkeypatch.setitem(sys.modules, "cleaner.extract", fake)
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            b"<html><body><p>An   invented page.</p></body></html>")  # fmt: skip
    img = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG"

    def record(payload: bytes) -> bytes:
        return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/p\r\n"
                b"WARC-Record-ID: <urn:uuid:2>\r\nContent-Type: application/http; msgtype=response"
                b"\r\nContent-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload
                + b"\r\n\r\n")  # fmt: skip

    (tmp_path / "x.warc").write_bytes(record(http) + record(img))
    assert run(str(tmp_path / "x.warc"), "--out", str(tmp_path / "o"))[0] == 1
    m = check_balanced(tmp_path / "o", "x")
    assert m["reject_reasons"] == {"response is not HTML (Content-Type 'image/png')": 1}
    row = json.loads((tmp_path / "o/x.jsonl").read_text())
    assert row["text"] == "An invented page." and row["url"] == "https://example.org/p"


@pytest.mark.parametrize("module, name, extra", [
    ("pyarrow.parquet", "p.parquet", "parquet"), ("zstandard", "z.jsonl.zst", "zstd"),
    ("fastwarc.warc", "w.warc", "warc")])  # fmt: skip
def test_missing_extra_names_it(tmp_path, monkeypatch, module, name, extra):
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    (tmp_path / name).write_bytes(b"x")
    res = CliRunner().invoke(app, ["run", str(tmp_path / name), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert f"pip install 'webtext-cleaner[{extra}]'" in res.output


def test_stdin_with_files_and_jobs(tmp_path):
    inputs = _dumps(tmp_path, 2, 5)
    res = CliRunner().invoke(app, ["run", "-", *inputs, "--out", str(tmp_path / "o"), "--quiet",
                                   "--jobs", "2"], input=jsonl(n=4))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "input 14 = output 14 + rejected 0" in res.output


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 18])
def test_byte_ranges_give_every_line_once(tmp_path, size):
    """Byte ranges, each read back as the whole lines starting in it, give exactly the lines
    (numbers and offsets) a single reader gives: BOM, CRLF, blank lines, lines longer than a
    range, no final newline."""
    import io
    import random

    from cleaner.pipeline.lines import LineRange, Lines, byte_ranges

    rnd = random.Random(size)
    parts = [b"\xef\xbb\xbf{}"] + [rnd.choice([b"\n", b"\r\n", b"{}", b"x" * 90, b" "])
                                   for _ in range(500)]  # fmt: skip
    data = b"".join(parts)
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    reader = Lines(io.BytesIO(data), "f")
    expected = [("f", *x) for x in reader]
    got, base = [], 0
    for start, end in byte_ranges(str(path), size):
        lines, count = LineRange("f", str(path), start, end).lines()
        starts = [0 if off == 3 else off for _, _, off, _ in lines]  # the BOM line starts at 0
        assert all(start <= off < end for off in starts)
        got += [(src, base + no, off, line) for src, no, off, line in lines]
        base += count
    assert base == reader.lines
    assert got == expected and len(expected) > 50


def test_append_file_to_a_file_and_to_a_stream(tmp_path):
    """A worker's spooled output reaches the output whole, after what was written before it,
    by sendfile to a file or by plain copies to a stream without a file descriptor."""
    import io

    from cleaner.pipeline.writers import append_file, spool

    data = [b"a" * 70_000, b"b\n", "é\n".encode()]
    with (tmp_path / "out").open("wb", buffering=1 << 20) as out:
        out.write(b"head\n")  # still buffered: must land before the spooled bytes
        append_file(out, spool(str(tmp_path), data))
        out.write(b"tail\n")
    assert (tmp_path / "out").read_bytes() == b"head\n" + b"".join(data) + b"tail\n"
    stream = io.BytesIO()
    path = spool(str(tmp_path), data)
    append_file(stream, path)
    assert stream.getvalue() == b"".join(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # spool files deleted
