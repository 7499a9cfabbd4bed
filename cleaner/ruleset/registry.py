"""The registry of function rules: the only Python functions a rule file may name.

A function becomes nameable by a rule file (``function = "module:name"``) only by being
decorated with :func:`function_rule` in its own module, which registers it under
``"<module>:<name>"``. The loader (:mod:`cleaner.ruleset.load`) looks names up here; it never
imports what a rule file names, only the bundled family modules and the module of a rule pack
the user enabled by name, whose imports register their functions.

This module imports nothing from cleaner, so family modules and installed rule packs may
import it without import cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, overload

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class FunctionRule:
    """A registered rule function and the modules it needs to run (checked at load)."""

    name: str  # "<module>:<function>"
    function: Callable[..., object]
    needs: tuple[str, ...] = ()
    #: it finds nothing in its own output (see :func:`function_rule`)
    settles: bool = False


_REGISTRY: dict[str, FunctionRule] = {}


@overload
def function_rule(fn: F, /) -> F: ...
@overload
def function_rule(*, needs: tuple[str, ...] = (), settles: bool = False) -> Callable[[F], F]: ...


def function_rule(fn=None, /, *, needs: tuple[str, ...] = (), settles: bool = False):
    """Register ``fn`` (a module-level function ``fn(text) -> list[Span]``) as a rule function.

    ``needs`` names modules the function imports when it runs (e.g. ``("ftfy",)``): a rule
    file naming the function fails to load, saying so, when one of them is not installed.
    ``settles``: its edits leave nothing for it to do (``fn`` of its own output is empty, as
    for ``str.strip``), so after it edits, the engine's next round stops before it (``rules
    check`` tests this on every example). Use as ``@function_rule`` or
    ``@function_rule(needs=(...), settles=True)``.
    """

    def register(f: F) -> F:
        if f.__qualname__ != f.__name__:
            raise TypeError(f"{f.__qualname__}: only module-level functions can be rules")
        name = f"{f.__module__}:{f.__name__}"
        _REGISTRY[name] = FunctionRule(name, f, tuple(needs), settles)
        return f

    return register if fn is None else register(fn)


def lookup(name: str) -> FunctionRule | None:
    """The registered function called exactly ``name`` ("module:function"), or None."""
    return _REGISTRY.get(name)


def registered(prefixes: tuple[str, ...] | None = None) -> list[str]:
    """The registered names, sorted; only those of modules under ``prefixes`` when given."""
    return sorted(n for n in _REGISTRY if prefixes is None or under(n, prefixes))


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    module = name.partition(":")[0]
    return any(module == p or module.startswith(p + ".") for p in prefixes)
