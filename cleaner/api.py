"""The public Python interface: :func:`clean` and :class:`Cleaner`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from cleaner.engine.run import Engine
from cleaner.model import DEFAULT_TIMEOUT, Result, Rule
from cleaner.ruleset.load import load_rules, select_rules


class Cleaner:
    """A rule set loaded and compiled once, ready to clean many documents.

    ``preset`` picks the rules (``"default"``: safe on any corpus; ``"extended"``: adds rules
    that remove bylines, datelines and the like). ``select`` instead runs exactly the rules whose
    id matches one of its glob patterns, e.g. ``["*hovercard*"]`` (no normalization unless
    selected). ``rules`` loads rule files from other paths instead of the bundled ones.
    ``timeout`` bounds the regex time per document; a document past it passes through unchanged
    with ``Result.error`` set.
    """

    def __init__(
        self,
        preset: str = "default",
        select: Iterable[str] | None = None,
        *,
        rules: Iterable[str | Path] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
    ):
        catalogue = load_rules(rules) if rules is not None else _bundled()
        self.preset = preset
        self.select = list(select) if select is not None else None
        self.rules: list[Rule] = select_rules(catalogue, preset, self.select)
        self.engine = Engine(self.rules, timeout=timeout)

    def clean(self, text: str, *, url: str | None = None, publisher: str | None = None) -> str:
        """The clean text."""
        return self.engine.run(text, url=url, publisher=publisher).text

    def explain(self, text: str, *, url: str | None = None, publisher: str | None = None) -> Result:
        """The clean text and every edit (rule id, offsets into ``text``, removed text)."""
        return self.engine.run(text, url=url, publisher=publisher, explain=True)

    def __repr__(self) -> str:
        how = f"select={self.select!r}" if self.select is not None else f"preset={self.preset!r}"
        return f"Cleaner({how}, {len(self.rules)} rules)"


@lru_cache(maxsize=1)
def _bundled() -> list[Rule]:
    return load_rules()


@lru_cache(maxsize=4)
def _default_cleaner(preset: str) -> Cleaner:
    return Cleaner(preset)


def clean(text: str, *, url: str | None = None, publisher: str | None = None) -> str:
    """Clean ``text`` with the default rule set."""
    return _default_cleaner("default").clean(text, url=url, publisher=publisher)
