"""Installed rule packs: Python packages that declare an entry point in the group
``cleaner.packs``, pointing at a module whose folder holds ``rules/*.toml``.

Listing packs reads package metadata only; a pack's module is imported only when the pack is
enabled by name (``--pack NAME``, ``Cleaner(packs=[...])``). Importing it registers the pack's
function rules (:mod:`cleaner.ruleset.registry`). See docs/packs.md.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

GROUP = "cleaner.packs"


@dataclass(frozen=True, slots=True)
class Pack:
    """An installed pack, as its distribution's metadata declares it (nothing imported)."""

    name: str  # the entry point's name: what --pack takes
    module: str  # the entry point's value: the module whose folder holds rules/
    distribution: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} ({self.distribution} {self.version}, module {self.module})"


@dataclass(frozen=True, slots=True)
class EnabledPack:
    """A pack whose module is imported: where its rules are, and under which package its
    function rules must live."""

    pack: Pack
    rules_dir: Path
    package: str


class PackError(Exception):
    """A pack cannot be enabled; the message says which and why."""


def installed_packs() -> dict[str, list[Pack]]:
    """Every installed pack by name (more than one entry when distributions disagree)."""
    from importlib import metadata  # ~40 ms: only when packs are listed or enabled

    out: dict[str, list[Pack]] = {}
    for ep in metadata.entry_points(group=GROUP):
        dist = getattr(ep, "dist", None)
        pack = Pack(ep.name, ep.value, dist.name if dist else "?", dist.version if dist else "?")
        if pack not in out.get(ep.name, []):
            out.setdefault(ep.name, []).append(pack)
    return dict(sorted(out.items()))


def find_pack(name: str) -> Pack:
    """The installed pack called ``name``; a ValueError (a usage error) when there is none."""
    packs = installed_packs()
    found = packs.get(name)
    if not found:
        have = ", ".join(packs) or "none is installed"
        raise ValueError(f"no rule pack named {name!r} (installed packs: {have}); "
                         "see cleaner rules list")  # fmt: skip
    if len(found) > 1:
        raise ValueError(f"rule pack {name!r} is declared by more than one package: "
                         f"{'; '.join(map(str, found))}; uninstall all but one")  # fmt: skip
    return found[0]


def enable_pack(name: str) -> EnabledPack:
    """Import the module of pack ``name`` (registering its function rules) and find its
    rules. ValueError when no such pack is installed, PackError when it is broken."""
    pack = find_pack(name)
    module_name, _, attr = pack.module.partition(":")
    if attr:
        raise PackError(f"rule pack {pack}: the entry point must name a module "
                        f"('{module_name}'), not an object in it")  # fmt: skip
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # the pack's own code: any failure is the pack's problem
        raise PackError(f"rule pack {pack}: cannot import {module_name}: "
                        f"{type(exc).__name__}: {exc}") from None  # fmt: skip
    file = getattr(module, "__file__", None)
    if not file:
        raise PackError(f"rule pack {pack}: module {module_name} has no folder")
    rules_dir = Path(file).resolve().parent / "rules"
    if not rules_dir.is_dir() or not any(rules_dir.rglob("*.toml")):
        raise PackError(f"rule pack {pack}: no rules/*.toml beside {file}")
    is_package = hasattr(module, "__path__")
    package = module_name if is_package else (module_name.rpartition(".")[0] or module_name)
    return EnabledPack(pack, rules_dir, package)
