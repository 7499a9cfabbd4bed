"""`cleaner rules ...`: list rules (check, diff, new and docs build on cleaner.ruletest)."""

from __future__ import annotations

import typer

from cleaner.cli import rules_app
from cleaner.cli.common import PresetOpt, RulesOpt, SelectOpt, make_cleaner


@rules_app.command("list")
def list_rules(
    preset: PresetOpt = "extended",
    select: SelectOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Show every rule: id, stage, kind, preset and what it removes."""
    cleaner = make_cleaner(preset, select, rules)
    width = max((len(r.id) for r in cleaner.rules), default=10)
    for r in cleaner.rules:
        scope = f" [only {', '.join(r.where.domains + r.where.publishers)}]" if r.where else ""
        typer.echo(f"{r.id:<{width}}  {r.stage:<10} {r.kind:<9} {r.preset:<8} "
                   f"{r.description}{scope}")  # fmt: skip
    typer.echo(f"{len(cleaner.rules)} rules", err=True)
