"""The public Python interface: :func:`clean` and :class:`Cleaner`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from cleaner.engine.run import Engine
from cleaner.model import DEFAULT_TIMEOUT, Result, Rule
from cleaner.ruleset.load import as_list, load_rules, rule_sources, select_rules


class Cleaner:
    """A rule set loaded and compiled once, ready to clean many documents.

    ``preset`` picks the rules (``"default"``: safe on any corpus; ``"extended"``: adds rules
    that remove bylines, datelines and the like). ``select`` instead runs exactly the rules whose
    id matches one of its glob patterns, e.g. ``"*hovercard*"`` or ``["*hovercard*", "unicode.*"]``
    (no normalization unless selected); a glob that matches no rule is a ValueError.
    ``rules`` loads rule files (files or folders) from other paths *instead of* the bundled
    ones; ``add_rules`` loads them *on top of* the bundled ones (or of ``rules``); ``packs``
    enables installed rule packs by name (``cleaner rules list`` shows them; docs/packs.md).
    Each of them takes one str/Path or a list. ``timeout`` bounds the regex time per document;
    a document past it passes through unchanged with ``Result.error`` set.

    Invalid rule files raise :class:`cleaner.ruleset.load.RuleLoadError` (every problem with
    file, rule id and field); an unknown pack or preset raises ValueError.
    """

    def __init__(
        self,
        preset: str = "default",
        select: str | Iterable[str] | None = None,
        *,
        rules: str | Path | Iterable[str | Path] | None = None,
        add_rules: str | Path | Iterable[str | Path] | None = None,
        packs: str | Iterable[str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        """Load the rules (bundled, or ``rules`` instead of them: files or folders of ``*.toml``;
        ``add_rules`` on top; installed ``packs`` by name), keep those of ``preset`` or matching
        ``select``, and compile them."""
        sources = rule_sources(rules, add_rules, packs)
        catalogue = load_rules(sources) if sources is not None else _bundled()
        self.preset = preset
        self.select = as_list(select)
        self.rules: list[Rule] = select_rules(catalogue, preset, self.select)
        self.engine = Engine(self.rules, timeout=timeout)

    def clean(self, text: str, *, url: str | None = None, publisher: str | None = None) -> str:
        """The clean text."""
        _check_text(text)
        return self.engine.run(text, url=url, publisher=publisher).text

    def explain(self, text: str, *, url: str | None = None, publisher: str | None = None) -> Result:
        """The clean text and every edit (rule id, offsets into ``text``, removed text)."""
        _check_text(text)
        return self.engine.run(text, url=url, publisher=publisher, explain=True)

    def __repr__(self) -> str:
        how = f"select={self.select!r}" if self.select is not None else f"preset={self.preset!r}"
        return f"Cleaner({how}, {len(self.rules)} rules)"


def _check_text(text: object) -> None:
    """A document is a str: anything else (None, bytes, a number) is a caller's mistake, not a
    document to pass through with an error."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")


@lru_cache(maxsize=1)
def _bundled() -> list[Rule]:
    return load_rules()


@lru_cache(maxsize=4)
def _default_cleaner(preset: str) -> Cleaner:
    return Cleaner(preset)


def clean(text: str, *, url: str | None = None, publisher: str | None = None) -> str:
    """Clean ``text`` with the default rule set."""
    return _default_cleaner("default").clean(text, url=url, publisher=publisher)
