"""The report in a real browser: headless Chromium runs its script, we read the DOM after it.

Needs Debian's chromium (`apt-get install -y chromium`); skipped with a message otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.report import collect, render_report

CHROMIUM = next((p for p in (os.environ.get("CLEANER_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome"))
                 if p), None)  # fmt: skip
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium not installed (apt-get update && apt-get install -y chromium); "
    "the browser test of the HTML report is skipped",
)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]  # fmt: skip

CARD = ("Governor Nora BellNora Ann BellHarbor bridge vote slips a week Bell names new budget "
        "chief MORE said on Friday.")  # fmt: skip


def _chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    docs = []
    for i in range(12):
        if i % 2 == 0:
            docs.append(f"Story {i}. {CARD}")
        else:
            docs.append(f"Story {i} has  two spaces and trailing space \nthen more.")
    cl = Cleaner()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(collect(docs, cl, sample=12), cl.rules), encoding="utf-8")
    return path


def _articles(dom: str) -> list[str]:
    return re.findall(r"<article [^>]*>", dom)


def test_chart_and_highlights_render(report, tmp_path):
    dom = _chromium(tmp_path, report.as_uri(), "--dump-dom").stdout
    # The per-rule chart: one bar per rule per metric, the hovercard among them.
    assert len(re.findall(r"<rect class=\"bar\" data-rule=\"thehill.hovercard\"", dom)) == 2
    # Highlighted spans, keyboard-focusable and labelled with their rule.
    marks = re.findall(r"<mark [^>]*>", dom)
    hover = [m for m in marks if 'data-rules="thehill.hovercard"' in m]
    assert len(hover) == 6
    assert all('tabindex="0"' in m and "removed by thehill.hovercard" in m for m in hover)
    # The script ran: no filter, every sampled document shown.
    assert "Showing all 12 sampled documents." in dom
    assert not any("hidden" in a for a in _articles(dom))
    shot = tmp_path / "report.png"
    _chromium(tmp_path, report.as_uri(), f"--screenshot={shot}", "--window-size=1200,2400")
    assert shot.stat().st_size > 10_000


def test_filter_by_rule_from_url_hash(report, tmp_path):
    dom = _chromium(tmp_path, report.as_uri() + "#rule=thehill.hovercard", "--dump-dom").stdout
    assert 'data-filter="thehill.hovercard"' in dom
    assert "Showing 6 of 12 sampled documents with rule thehill.hovercard." in dom
    arts = _articles(dom)
    shown = [a for a in arts if "hidden" not in a]
    assert len(arts) == 12 and len(shown) == 6
    assert all("thehill.hovercard" in a for a in shown)
    # Spans of other rules are dimmed, the filtered rule's are not.
    marks = re.findall(r"<mark [^>]*>", dom)
    assert all("dim" not in m for m in marks if 'data-rules="thehill.hovercard"' in m)
    assert any("dim" in m for m in marks if "whitespace." in m)


def test_narrow_window_screenshot(report, tmp_path):
    shot = tmp_path / "narrow.png"
    _chromium(tmp_path, report.as_uri(), f"--screenshot={shot}", "--window-size=360,1600")
    assert shot.stat().st_size > 5_000
