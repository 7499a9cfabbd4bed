"""Optional dependencies: the distribution's name, the pip command that installs an extra, and
:class:`MissingExtra`, raised (naming that command) when a file or option needs a library that is
not installed. Imports nothing heavy: :func:`require` only looks the module up."""

from __future__ import annotations

import sys
from types import ModuleType

#: The name on the package index (``pip install webtext-cleaner``); the import name and the
#: command are ``cleaner``. Every install hint comes from :func:`install_hint`.
DISTRIBUTION = "webtext-cleaner"


def install_hint(extra: str | None = None) -> str:
    """The pip command that installs cleaner, with ``extra`` (e.g. ``"parquet"``) when given."""
    return f"pip install '{DISTRIBUTION}[{extra}]'" if extra else f"pip install {DISTRIBUTION}"


class MissingExtra(ImportError):
    """An input needs an optional dependency; the message names the pip extra."""


def need(module: str, extra: str, what: str) -> ModuleType:
    """``module``, imported; :class:`MissingExtra` naming ``extra`` when it is missing."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{what} needs {module!r}: {install_hint(extra)}") from exc


def require(module: str, extra: str, what: str) -> None:
    """Like :func:`need`, without importing the module (a cheap up-front check)."""
    import importlib.util

    top = module.split(".")[0]  # a compiled submodule may have no spec before its parent loads
    try:
        found = importlib.util.find_spec(top) is not None and sys.modules.get(module, 0) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise MissingExtra(f"{what} needs {module!r}: {install_hint(extra)}")
