"""Shared fixtures: where the third-party corpus lives (tests needing it skip when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"needs the shared corpus at {corpus} (set CLEANER_SHARED)")
    return corpus


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``shared`` skip cleanly when ../shared/corpus is absent."""
    if (SHARED / "corpus").is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared corpus at {SHARED / 'corpus'}")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)
