"""The CLI in a real subprocess: each bad-input class is rejected with file, line and reason."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True,
        cwd=cwd or ROOT, timeout=60,
    )  # fmt: skip


def test_help_explains():
    r = run("--help")
    assert r.returncode == 0
    for word in (b"clean", b"explain", b"rules"):
        assert word in r.stdout
    r = run("clean", "--help")
    assert b"--text-field" in r.stdout and b"rejects" in r.stdout


def test_text_from_stdin():
    r = run("clean", stdin=b"Senator Nora Bell Nora Ann BellBudget passes MORE said so.  \n")
    assert r.returncode == 0
    assert r.stdout == b"Senator Nora Bell said so.\n"
    assert b"read 1, written 1, rejected 0" in r.stderr


def test_bundled_sample(tmp_path):
    out = tmp_path / "out.jsonl"
    r = run("clean", "corpus/sample.jsonl", "-o", str(out))
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["id"] for rec in records] == ["sample-1", "sample-2", "sample-3"]
    assert records[0]["url"] == "https://news.example.org/politics/budget"
    assert records[0]["text"].startswith("WASHINGTON — Senator Nora Bell (D-Ore.) said on Monday")
    assert "READ MORE" not in records[1]["text"]  # links.read-more-inline
    assert "the MORE Act" in records[1]["text"]  # a hard negative stays


BAD = [
    (b'{"id": 1, "text": "fine"}', None),
    (b'{"id": 2, "text": "broken', "malformed JSON"),
    (b'{"id": 3, "body": "no text field"}', "no 'text' field"),
    (b'{"id": 4, "text": 42}', "field 'text' is a number, not a string"),
    (b'{"id": 5, "text": null}', "field 'text' is null, not a string"),
    (b'{"id": 6, "text": "caf\xe9"}', "invalid UTF-8: byte 0xe9"),
    (b'["an", "array"]', "not a JSON object but an array"),
    (b'{"id": 8, "text": "big int", "n": 123456789012345678901234567890}', None),
    (b'{"id": 9, "text": "nested", "m": {"x": [1.5, 18446744073709551616]}}', None),
]


def test_every_bad_record_is_rejected_with_a_reason(tmp_path):
    src = tmp_path / "dump.jsonl"
    src.write_bytes(b"\n".join(line for line, _ in BAD) + b"\n")
    out = tmp_path / "out.jsonl"
    r = run("clean", str(src), "-o", str(out))
    assert r.returncode == 1  # documented: finished, some records rejected
    assert b"Traceback" not in r.stderr
    written = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [w["id"] for w in written] == [1, 8, 9]
    assert written[1]["n"] == 123456789012345678901234567890  # other fields pass through
    assert written[2]["m"] == {"x": [1.5, 18446744073709551616]}  # nested: exact too
    rejects_file = tmp_path / "out.jsonl.rejects.jsonl"
    rejects = [json.loads(x) for x in rejects_file.read_text().splitlines()]
    expected = [(n, reason) for n, (_, reason) in enumerate(BAD, 1) if reason]
    assert [(x["line"], x["file"]) for x in rejects] == [(n, str(src)) for n, _ in expected]
    for rej, (_, reason) in zip(rejects, expected, strict=True):
        assert reason in rej["reason"]
    offsets = [sum(len(line) + 1 for line, _ in BAD[: n - 1]) for n, _ in expected]
    assert [x["offset"] for x in rejects] == offsets
    assert f"read {len(BAD)}, written 3, rejected {len(expected)}".encode() in r.stderr


def test_custom_text_field_and_rejects_path(tmp_path):
    src = tmp_path / "d.jsonl"
    src.write_text('{"body": "a  b"}\n{"text": "x"}\n', encoding="utf-8")
    rej = tmp_path / "rej.jsonl"
    r = run("clean", str(src), "--text-field", "body", "--rejects", str(rej))
    assert r.returncode == 1
    assert json.loads(r.stdout) == {"body": "a b"}
    assert "no 'body' field" in json.loads(rej.read_text())["reason"]


def test_invalid_utf8_text_file(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_bytes(b"fine line\nbad \xff byte\n")
    r = run("clean", str(src), "-o", str(tmp_path / "o.txt"))
    assert r.returncode == 1 and b"Traceback" not in r.stderr
    rej = json.loads((tmp_path / "o.txt.rejects.jsonl").read_text())
    assert rej["line"] == 2 and "invalid UTF-8: byte 0xff" in rej["reason"]


@pytest.mark.parametrize("damage", ["cut", "corrupt block"])
def test_truncated_compressed_text_file_is_rejected(tmp_path, damage):
    """``clean`` on a cut .txt.gz said only 'Aborted!' (exit 1, no file named, nothing in the
    rejects: click turns an EOFError that escapes into that), on a corrupt one it printed a
    zlib traceback."""
    data = bytearray(gzip.compress(" ".join(f"word{i}" for i in range(30000)).encode(), mtime=0))
    if damage == "cut":
        del data[len(data) // 2 :]
    else:
        data[100:103] = bytes(b ^ 0x5A for b in data[100:103])
    src = tmp_path / "cut.txt.gz"
    src.write_bytes(bytes(data))
    r = run("clean", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1 and b"Aborted" not in r.stderr and b"Traceback" not in r.stderr
    assert b"read 1, written 0, rejected 1" in r.stderr
    rej = json.loads((tmp_path / "o.jsonl.rejects.jsonl").read_text())
    assert rej["file"] == str(src) and rej["reason"].startswith("truncated or corrupt compressed")


def _closing(fd: int):
    """A child process that starts with ``fd`` closed (``<&-``, ``>&-`` in a shell)."""
    return lambda: os.close(fd)


@pytest.mark.parametrize("command", ["clean", "explain", "report", "run"])
def test_closed_stdin_is_a_usage_error(tmp_path, command):
    """``-`` with stdin closed was an AttributeError traceback (exit 1)."""
    extra = {"report": ["-o", str(tmp_path / "r.html")], "run": ["--out", str(tmp_path / "o")]}
    r = subprocess.run(
        [sys.executable, "-m", "cleaner", command, "-", *extra.get(command, [])],
        capture_output=True, preexec_fn=_closing(0), cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert b"standard input is closed" in r.stderr


def test_closed_stdout_needs_an_output_file(tmp_path):
    """Without -o, stdout closed is an error naming it (was an AttributeError traceback, also
    with -o given)."""
    src = tmp_path / "a.jsonl"
    src.write_text('{"text": "x  y"}\n')
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src)]
    r = subprocess.run(cmd, stderr=subprocess.PIPE, preexec_fn=_closing(1), cwd=ROOT, timeout=60)
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert b"standard output is closed" in r.stderr
    out = tmp_path / "o.jsonl"
    r = subprocess.run([*cmd, "-o", str(out)], stderr=subprocess.PIPE, preexec_fn=_closing(1),
                       cwd=ROOT, timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text()) == {"text": "x y"}


def test_missing_file_is_a_usage_error(tmp_path):
    r = run("clean", str(tmp_path / "nope.jsonl"))
    assert r.returncode == 2 and b"cannot read" in r.stderr and b"Traceback" not in r.stderr


def test_invalid_rules_exit_3(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nid = 'x.y'\nkind = 'replace'\npattern = '('\n", encoding="utf-8")
    r = run("clean", "--rules", str(bad), stdin=b"text")
    assert r.returncode == 3 and b"Traceback" not in r.stderr
    assert b"field 'pattern'" in r.stderr and b"'x.y'" in r.stderr


def test_explain_prints_each_edit():
    r = run("explain", "corpus/sample.jsonl")
    assert r.returncode == 0
    lines = r.stdout.decode().splitlines()
    cards = [x for x in lines if "thehill.hovercard" in x]
    assert len(cards) == 2 and "corpus/sample.jsonl:1" in cards[0] and "MORE" in cards[0]


def test_rules_list():
    r = run("rules", "list")
    assert r.returncode == 0 and b"thehill.hovercard" in r.stdout and b"MORE" in r.stdout


def test_works_from_any_folder(tmp_path):
    r = run("clean", stdin=b"a  b", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == b"a b\n"


def test_jobs_output_is_byte_identical(tmp_path):
    names = ["Lee", "Moss", "Park", "Quinn", "Reyes"]
    lines = [json.dumps({"id": i, "text": f"Rep. Ann {names[i % 5]} Ann Marie {names[i % 5]}Vote "
                         f"set MORE said  so. #{i}"}) for i in range(300)]  # fmt: skip
    lines[7] = '{"id": 7, "text": '  # one reject in the middle
    src = tmp_path / "many.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        r = run("clean", str(src), "-o", str(out), "--jobs", jobs, "--edits")
        assert r.returncode == 1 and b"read 300, written 299, rejected 1" in r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    first = json.loads(outs[0].splitlines()[0])
    assert first["text"] == "Rep. Ann Lee said so. #0"
    rules = [e["rule"] for e in first["cleaner_edits"]]
    assert rules == ["thehill.hovercard", "whitespace.collapse-spaces"]


def test_jobs_over_many_line_ranges(tmp_path):
    """A JSONL file of several byte ranges (workers read the lines starting in theirs): --jobs 1
    and 2 give the same output, every record is written or rejected, and rejects name the
    right line and byte offset, also past the first range; so does explain."""
    from cleaner.pipeline.lines import RANGE_BYTES

    body = "Rep. Ann Lee Ann Marie LeeVote set MORE said  so. " + "Word " * 1200
    rows = [json.dumps({"id": i, "text": f"{body}#{i}"}).encode() for i in range(400)]
    rows[0] = b"\xef\xbb\xbf" + rows[0]  # a BOM on line 1
    rows[250] = b'{"id": 250, "text": '  # malformed, past the first range
    rows[399] = b'{"id": 399}'
    data = b"\n".join(rows[:200]) + b"\r\n\n" + b"\n".join(rows[200:])  # CRLF, a blank line
    assert len(data) > 2 * RANGE_BYTES and data.index(b'{"id": 250,') > RANGE_BYTES
    src = tmp_path / "big.jsonl"
    src.write_bytes(data)  # no newline at the end
    outs = []
    for jobs in ("1", "2"):
        out, rej = tmp_path / f"o{jobs}.jsonl", tmp_path / f"r{jobs}.jsonl"
        r = run("clean", str(src), "-o", str(out), "--rejects", str(rej), "--jobs", jobs)
        assert r.returncode == 1 and b"read 400, written 398, rejected 2" in r.stderr
        outs.append((out.read_bytes(), rej.read_bytes()))
        assert not list(tmp_path.glob(".cleaner-spool-*"))  # the workers' spool is gone
    assert outs[0] == outs[1]
    texts = [json.loads(x)["text"] for x in outs[0][0].splitlines()]
    assert len(texts) == 398 and texts[0].startswith("Rep. Ann Lee said so. Word")
    rejects = [json.loads(x) for x in outs[0][1].splitlines()]
    assert [(x["line"], x["offset"]) for x in rejects] == [
        (252, data.index(b'{"id": 250,')),
        (401, data.index(b'{"id": 399}')),
    ]
    r = run("explain", str(src))
    assert b"big.jsonl:252: rejected" in r.stderr and b"big.jsonl:401: rejected" in r.stderr
    assert r.stdout.decode().splitlines()[-1].startswith(f"{src}:400  ")  # the last record


PAGE = (
    "<html><body><nav>Home | About</nav><article><p>Senator Nora Bell Nora Ann BellBudget passes "
    "in the Senate MORE said on Monday that the long vote on the state budget would come early in "
    "the week, after months of talks.</p><p>The harbour reopened on Tuesday after a week of "
    "storms, and dock workers said cargo would move again.</p></article></body></html>"
)


def test_html_file_and_folder(tmp_path):
    pytest.importorskip("trafilatura")
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    r = run("clean", str(page))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"Senator Nora Bell said on Monday that the long vote")
    assert b"Home | About" not in r.stdout and b"MORE" not in r.stdout
    r = run("clean", str(tmp_path / "site"))  # text documents only: text out
    assert r.returncode == 0 and r.stdout.startswith(b"Senator Nora Bell said on Monday")
    r = run("clean", str(tmp_path / "site"), "-o", str(tmp_path / "out.jsonl"))
    assert r.returncode == 0
    assert json.loads((tmp_path / "out.jsonl").read_text())["source"] == "a.html"


def test_gzip_jsonl(tmp_path):
    import gzip

    src = tmp_path / "d.jsonl.gz"
    src.write_bytes(gzip.compress(b'{"text": "a  b"}\n{"text": "c"}\n'))
    r = run("clean", str(src))
    assert r.returncode == 0 and r.stdout == b'{"text":"a b"}\n{"text":"c"}\n'


def test_missing_rules_path_is_a_usage_error(tmp_path):
    r = run("clean", "--rules", str(tmp_path / "nope.toml"), stdin=b"a")
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert b"cannot read the rules" in r.stderr and b"nope.toml" in r.stderr
