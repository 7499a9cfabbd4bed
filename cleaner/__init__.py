"""cleaner: turn scraped web and news text into clean text, with a record of every edit.

>>> from cleaner import clean
>>> clean("Senator Jane Roe Jane Q. RoeSenate passes the bill MORE said\\u00a0so.  ")
'Senator Jane Roe said so.'

The distribution is ``webtext-cleaner`` on the package index (``cleaner.extras.DISTRIBUTION``);
the import name and the command are ``cleaner``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from cleaner.api import Cleaner, clean
from cleaner.extras import DISTRIBUTION
from cleaner.model import Edit, Result

if TYPE_CHECKING:  # at run time they are imported on first use, by __getattr__ below
    from cleaner.batch import clean_batch
    from cleaner.extract import clean_html

__all__ = ["Cleaner", "Edit", "Result", "__version__", "clean", "clean_batch", "clean_html"]


@cache
def _version() -> str:
    """The installed distribution's version; in a source checkout, pyproject.toml's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        import tomllib
        from pathlib import Path

        try:
            with open(Path(__file__).resolve().parents[1] / "pyproject.toml", "rb") as f:
                return str(tomllib.load(f)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


def __getattr__(name: str) -> Any:
    """``__version__``, ``clean_html`` and ``clean_batch``, on first use (they cost start-up
    time that ``cleaner --help`` and ``import cleaner`` need not pay)."""
    if name == "__version__":
        return _version()
    if name == "clean_html":  # HTML extraction: the ``html`` extra
        from cleaner.extract import clean_html

        return clean_html
    if name == "clean_batch":
        from cleaner.batch import clean_batch

        return clean_batch
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
