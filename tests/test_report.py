"""The HTML report: streaming statistics, sampling, rendering, the diff view and the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.model import Edit
from cleaner.report import ReportStats, collect, render_diff_report, render_report
from cleaner.report.stats import MAX_DOC_CHARS, MAX_MARKS, SAMPLE, THRESHOLD

# Invented text reproducing the hovercard shape (a display name, full name, headlines, MORE).
CARD = ("Governor Nora BellNora Ann BellHarbor bridge vote slips a week Bell names new budget "
        "chief MORE said on Friday that  the plan works.")  # fmt: skip
PLAIN = "A quiet story about the town garden.\nNothing here should change."


def _docs(n: int) -> list[str]:
    return [CARD + f" Item {i}." if i % 3 == 0 else PLAIN + f" Item {i}." for i in range(n)]


class _Marks(HTMLParser):
    """Collects the highlighted spans (mark.rm) and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        for key in ("src", "href"):
            if (a.get(key) or "").startswith(("http:", "https:", "//")):
                self.external.append(a[key])
        if tag == "mark" and "rm" in (a.get("class") or "").split():
            self.marks.append(a)


def _parse(page: str) -> _Marks:
    p = _Marks()
    p.feed(page)
    return p


def test_totals_match_the_cleaner():
    cl = Cleaner()
    docs = _docs(30)
    stats = collect(docs, cl, sample=5)
    assert stats.docs == 30
    assert stats.chars_in == sum(map(len, docs))
    assert stats.base.chars_out == sum(len(cl.clean(d)) for d in docs)
    assert stats.base.docs_changed == 10
    hover = stats.base.rules["thehill.hovercard"]
    assert hover.edits == 10 and hover.docs == 10
    removed = len("Nora Ann BellHarbor bridge vote slips a week Bell names new budget chief MORE")
    assert hover.removed == 10 * removed
    assert sum(stats.histogram) == 30


def test_reservoir_sample_is_bounded_uniform_and_reproducible():
    def run(seed: int) -> list[int]:
        st = ReportStats(10, seed=seed)
        for i in range(1000):
            st.add(f"doc {i}", [], name=str(i))
        assert len(st.sample) == 10
        return [d.index for d in st.sample_sorted]

    assert run(1) == run(1)
    assert run(1) != run(2)
    # Not just the first documents: Algorithm R keeps late ones too.
    assert max(run(1)) >= 100
    # Uniform: over many seeds each half of the stream gets about half the sample.
    late = sum(i >= 500 for s in range(200) for i in run(s))
    assert 0.4 < late / 2000 < 0.6


def test_flagged_documents_keep_the_largest_shares():
    st = ReportStats(0, threshold=0.5, max_listed=3)
    for i in range(10):
        text = "x" * 100
        gone = 40 + 5 * i  # 40 % ... 85 %
        st.add(text, [Edit("r.cut", 0, gone, text[:gone], "")], name=f"d{i}")
    names = [name for _share, _i, name, _c in st.flagged_sorted]
    assert names == ["d9", "d8", "d7"]
    assert st.sample == []


def test_page_is_self_contained_and_highlights_every_edit():
    cl = Cleaner()
    docs = _docs(9)
    page = render_report(collect(docs, cl, sample=100), cl.rules)
    p = _parse(page)
    assert p.external == []
    assert "<script src" not in page and "@import" not in page and "url(" not in page
    n_edits = sum(len(cl.explain(d).edits) for d in docs)
    assert len(p.marks) == n_edits
    hover = [m for m in p.marks if m["data-rules"] == "thehill.hovercard"]
    assert len(hover) == 3
    for m in p.marks:
        assert m["tabindex"] == "0"
        assert m["data-rules"] in (m["aria-label"] or "")
    # Every rule linked from the page has its anchor in the rules section, with its examples.
    for href in p.hrefs:
        assert href[1:] in p.ids, href
    assert "rule-thehill.hovercard" in p.ids
    assert "Governor Nora Bell said on Friday" in page  # the rule's change example
    # Totals and both charts are there.
    assert ">Documents<b>9</b>" in page
    assert page.count("class='chart'") == 2
    assert "data-rule='thehill.hovercard'" in page
    assert "class='hist'" in page


def test_removed_text_shows_exactly_in_marks():
    st = ReportStats(5)
    text = "Keep this. DROP ME please. Keep that."
    st.add(text, [Edit("x.drop", 11, 19, "DROP ME ", "")])
    page = render_report(st)
    assert re.search(r"<mark [^>]*data-rules='x\.drop'[^>]*>DROP ME </mark>", page)
    assert "Keep this. <mark" in page and "</mark>please. Keep that." in page


def test_text_is_escaped():
    st = ReportStats(5)
    text = "<script>alert(1)</script> & more"
    st.add(text, [Edit("x.tag", 0, 8, "<script>", "")])
    page = render_report(st)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_control_characters_are_shown_not_written_raw(tmp_path):
    """A raw NUL or escape character makes git, grep and file take the page for binary data;
    the bundled rules' examples hold some (unicode.control-chars), documents may too."""
    st = ReportStats(5)
    text = "Bell\x07 and ESC\x1b[0m and NEL\x85 stay. Tab\tand\nnewline too."
    st.add(text, [Edit("x.bell", 4, 5, "\x07", "")])
    page = render_report(st, Cleaner().rules)
    assert re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page) == []
    assert "Bell<mark" in page and ">\\x07</mark>" in page
    assert "ESC\\x1b[0m and NEL\\x85 stay. Tab\tand\nnewline" in page
    assert "NUL\\x00 gone" in page  # unicode.control-chars' example
    out = tmp_path / "r.html"
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "Form\x0cfeed and bell\x07."}) + "\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["report", str(src), "-o", str(out)]).exit_code == 0
    data = out.read_bytes()
    assert b"\x00" not in data and re.findall(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data) == []


def test_long_documents_are_cut_around_their_edits():
    filler = "Plain sentence that stays. " * 2000  # ~54,000 characters
    text = filler + "JUNKJUNK" + filler
    st = ReportStats(1)
    st.add(text, [Edit("x.junk", len(filler), len(filler) + 8, "JUNKJUNK", "")])
    doc = st.sample[0]
    shown = sum(len(s.text) for s in doc.segments if not s.gap)
    assert doc.truncated and shown <= MAX_DOC_CHARS
    assert [s.text for s in doc.segments if s.base] == ["JUNKJUNK"]
    assert doc.segments[0].gap and doc.segments[-1].gap


def test_many_edits_are_capped_per_document():
    text = "ab " * 1000
    edits = [Edit("x.b", 3 * i + 1, 3 * i + 2, "b", "") for i in range(1000)]
    st = ReportStats(1)
    st.add(text, edits)
    doc = st.sample[0]
    assert doc.truncated
    assert sum(1 for s in doc.segments if s.base) == MAX_MARKS


def test_thousand_sampled_documents_stay_under_5_mb():
    cl = Cleaner()
    para = ("Officials said the harbor bridge vote would slip by a week while engineers check "
            "the cables again.  ")  # fmt: skip
    docs = []
    for i in range(1000):
        body = (para * (20 + i % 200)).replace("vote", CARD, 3)  # up to ~21,000 characters
        docs.append(body + f"\n\n\n\nEnd {i}.")
    stats = collect(docs, cl, sample=1000)
    assert len(stats.sample) == 1000
    page = render_report(stats, cl.rules)
    size = len(page.encode("utf-8"))
    assert size < 5_000_000, size
    assert len(_parse(page).marks) > 3000


def _diff_stats(docs):
    old = Cleaner()  # default preset
    new = Cleaner(select=["thehill.*", "whitespace.collapse-spaces"])
    return old, new, collect(docs, old, new, sample=50)


def test_diff_counts_spans_only_in_one_set():
    docs = _docs(6) + ["Line with a trailing space \nnext line", "Tabs\u00a0and\u00a0nbsp."]
    old, new, st = _diff_stats(docs)
    assert st.diff
    # The old (default) set also trims, normalizes and folds blank lines; the new subset does not.
    assert st.only_base > 0
    assert st.only_head == 0
    assert set(st.head.rules) <= {"thehill.hovercard", "whitespace.collapse-spaces"}
    assert st.head.rules["thehill.hovercard"].edits == st.base.rules["thehill.hovercard"].edits
    assert st.docs_differ >= 2


def test_render_diff_report_marks_old_only_and_both():
    docs = ["A trailing space \nnext line", CARD]
    old, new, st = _diff_stats(docs)
    page = render_diff_report(st, old.rules, new.rules)
    marks = _parse(page).marks
    old_only = [m for m in marks if "old" in m["class"].split()]
    both = [m for m in marks if not {"old", "new"} & set(m["class"].split())]
    assert any("whitespace.trailing-spaces" in m["aria-label"] for m in old_only)
    assert all("only by old rule" in m["aria-label"] for m in old_only)
    assert any("removed by both" in m["aria-label"] and "thehill.hovercard" in m["aria-label"]
               for m in both)  # fmt: skip
    assert "Removed only by old" in page and "Removed only by new" in page


def test_diff_new_only_spans():
    text = "one  two"
    st = ReportStats(5, diff=True)
    st.add(text, [], [Edit("x.space", 3, 5, "  ", " ")])
    assert (st.only_base, st.only_head) == (0, 2)
    page = render_diff_report(st)
    (m,) = _parse(page).marks
    assert "new" in m["class"].split() and "only by new rule x.space" in m["aria-label"]


def test_cli_writes_report(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": d, "id": i}) + "\n" for i, d in enumerate(_docs(12)))
                   + "not json\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", str(src), "-o", str(out), "--sample", "4"])
    assert res.exit_code == 1, res.output  # one record rejected
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert ">Documents<b>12</b>" in page
    assert page.count("<article class='doc'") == 4
    assert "12 documents" in res.output and "1 records could not be read" in res.output


def test_cli_gzip_text_and_missing_file(tmp_path):
    import gzip

    gz = tmp_path / "in.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"text": CARD}) + "\n")
    txt = tmp_path / "a.txt"
    txt.write_text(PLAIN, encoding="utf-8")
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", str(gz), str(txt), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert ">Documents<b>2</b>" in out.read_text(encoding="utf-8")
    res = CliRunner().invoke(app, ["report", str(tmp_path / "nope.jsonl"), "-o", str(out)])
    assert res.exit_code == 2


@pytest.mark.parametrize("sample", [0, 3])
def test_sample_size_option(sample):
    st = collect(_docs(10), Cleaner(), sample=sample)
    assert len(st.sample) == sample
    assert render_report(st).count("<article class='doc'") == sample


def test_memory_does_not_grow_with_the_input():
    import tracemalloc

    def held(n: int) -> int:
        tracemalloc.start()
        st = ReportStats(50, threshold=0.1, max_listed=20)
        for i in range(n):
            text = f"Document {i}. " + "Some words that stay. " * 400  # ~8,800 characters
            st.add(text, [Edit(f"r.{i % 7}", 0, 9, text[:9], "")], name=f"doc-{i}")
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(st.sample) == 50 and len(st.flagged) <= 20
        return size

    small, large = held(500), held(5000)  # 4.4 MB vs 44 MB of text
    assert large < 1.5 * small + 200_000, (small, large)


def test_rules_diff_writes_the_html_diff_view(tmp_path):
    """`cleaner rules diff --html` renders the report's diff view of old against new rules."""
    import shutil
    import subprocess
    import sys

    from cleaner.ruleset.load import bundled_rules_dir

    old = tmp_path / "old"
    shutil.copytree(bundled_rules_dir(), old)
    shutil.rmtree(old / "by-publisher")  # the old set lacks the publisher packs
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"text": "Senator Nora Bell Nora Ann BellBudget passes MORE said so."}\n', encoding="utf-8"
    )
    out = tmp_path / "diff.html"
    r = subprocess.run(
        [sys.executable, "-m", "cleaner", "rules", "diff", "--base", str(old), "--corpus",
         str(corpus), "--html", str(out)], capture_output=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "thehill.hovercard" in page and "Nora Ann BellBudget passes MORE" in page


def test_cli_defaults_are_the_report_defaults() -> None:
    """``cleaner report`` spells its defaults out (importing the report module at start-up
    costs 8 ms): they must stay the report's own."""
    import inspect

    from cleaner.cli.report import report

    params = inspect.signature(report).parameters
    assert (params["sample"].default, params["threshold"].default) == (SAMPLE, THRESHOLD)
