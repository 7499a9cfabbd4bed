"""Which Python functions a rule file may name, checked at load.

A rule's ``function = "module:name"`` must be exactly the name of a function registered with
:func:`cleaner.ruleset.registry.function_rule`, in :data:`cleaner.families.MODULES` or in the
package of an enabled rule pack. Nothing a rule file names is imported: only the bundled
family modules are (when a rule names one of them, compared as exact strings), and a pack's
module when the user enables the pack.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import sys
from collections.abc import Callable

from cleaner.families import MODULES
from cleaner.ruleset import registry

#: "module:function" in ASCII (fullmatch); whether it may be named is the registry's call
FUNCTION_RE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*", re.ASCII)
#: The package of the bundled function rules; an enabled pack adds its own package.
FAMILIES = "cleaner.families"


def resolve_function(spec: str) -> Callable:
    """The registered function rule ``spec`` ("cleaner.families.hovercard:find"); LookupError
    when there is none (the loader reports that as a load error first)."""
    found = _registered(spec)
    if found is None:
        raise LookupError(f"{spec!r} is not a registered function rule")
    return found.function


def function_settles(spec: str) -> bool:
    """Whether the registered function rule ``spec`` finds nothing in its own output
    (``@function_rule(settles=True)``)."""
    found = _registered(spec)
    return found is not None and found.settles


def check_function(spec: str, owners: tuple[str, ...]) -> str:
    """Why a rule may not name ``spec`` (a message for the rule's ``function`` field), or "".
    ``owners``: the packages whose registered functions this load may use."""
    if not FUNCTION_RE.fullmatch(spec):
        return (f"{spec!r} is not a function name: write 'module:function', e.g. "
                "'cleaner.families.markup:tags'")  # fmt: skip
    found = _registered(spec)
    if found is None or not registry.under(spec, owners):
        for family in MODULES:  # list them all
            importlib.import_module(family)
        names = ", ".join(registry.registered(owners))
        return (
            f"{spec!r} is not a registered function rule: a rule may name only functions "
            f"decorated with @function_rule in {', '.join(owners)} (registered: {names})"
        )
    try:
        inspect.signature(found.function).bind("text")
    except TypeError:
        sig = inspect.signature(found.function)
        return f"{spec!r} must take one argument, the text, but its signature is {sig}"
    except ValueError:  # no signature to inspect (a builtin): cannot be checked
        return f"{spec!r} has no signature to check; a rule function is written in Python"
    for module in found.needs:
        if _missing(module):
            return (f"{spec!r} needs the module {module!r}, which is not installed: "
                    f"pip install {module}")  # fmt: skip
    return ""


def _registered(spec: str) -> registry.FunctionRule | None:
    module = spec.partition(":")[0]
    for family in MODULES:  # import a bundled family module only, and only by its own name
        if module == family and family not in sys.modules:
            importlib.import_module(family)
    return registry.lookup(spec)


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):
        return True
