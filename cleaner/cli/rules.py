"""`cleaner rules ...`: list, check, diff, new and docs (the logic is in cleaner.authoring)."""

from __future__ import annotations

from pathlib import Path

import typer

from cleaner.cli import rules_app
from cleaner.cli.common import PresetOpt, RulesOpt, SelectOpt, fail, make_cleaner


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


EXIT_FAILED = 1


@rules_app.command("check")
def check(
    paths: list[Path] = typer.Argument(None, help="Rule files or folders (default: bundled)."),
    fmt: str = typer.Option("text", "--format", help="Output: text or github (annotations)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    corpus: list[Path] = typer.Option(
        None,
        "--corpus",
        help="Corpus files (JSONL/text) for the "
        "trigger check (default: corpus/, ../shared/corpus/real).",
    ),
    sample: int = typer.Option(200, "--sample", help="Documents sampled from the corpus."),
    no_corpus: bool = typer.Option(False, "--no-corpus", help="Test triggers on examples only."),
) -> None:
    """Validate rule files and run every example, trigger and backtracking check."""
    from cleaner.authoring.check import check_rules, default_corpus_files, read_corpus
    from cleaner.authoring.format import format_github, format_text
    from cleaner.cli import EXIT_RULES
    from cleaner.ruleset.load import bundled_rules_dir

    if fmt not in ("text", "github"):
        fail(f"unknown --format {fmt!r}; choose text or github", 2)
    docs = [] if no_corpus else read_corpus(corpus or default_corpus_files(), docs=sample)
    report = check_rules(paths or [bundled_rules_dir()], corpus=docs)
    if as_json:
        import orjson

        typer.echo(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode())
    elif fmt == "github":
        typer.echo(format_github(report))
    else:
        typer.echo(format_text(report))
    if report.load_error:
        raise typer.Exit(EXIT_RULES)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


@rules_app.command("diff")
def diff(
    base: str = typer.Option(..., "--base", help="Old rules: a folder, or git:REF."),
    corpus: list[Path] = typer.Option(
        ..., "--corpus", help="Corpus files (JSONL or text); more files may follow as arguments."
    ),
    more: list[Path] = typer.Argument(None, metavar="[FILE]...", help="More corpus files."),
    rules: list[Path] = typer.Option(None, "--rules", help="New rules (default: bundled)."),
    preset: str = typer.Option("default", "--preset", "-p", help="Preset both sides run."),
    samples: int = typer.Option(5, "--samples", help="Before/after samples to show."),
    fail_if_removes: Path = typer.Option(
        None,
        "--fail-if-removes",
        help="File of must-keep snippets, one per line: fail when one disappears.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    html: Path = typer.Option(
        None,
        "--html",
        help="Also write the HTML view: spans removed only by the new set, only by the old set.",
    ),
) -> None:
    """Compare the old and the new rule set on a corpus."""
    import tempfile
    from subprocess import CalledProcessError

    from cleaner.authoring.diff import diff_rulesets, materialize_base, read_docs
    from cleaner.cli import EXIT_RULES, EXIT_USAGE
    from cleaner.ruleset.load import RuleLoadError, load_rules

    corpus = [*corpus, *(more or [])]
    keep: list[str] = []
    if fail_if_removes is not None:
        try:
            keep = [x for x in fail_if_removes.read_text("utf-8").splitlines() if x.strip()]
        except OSError as exc:
            fail(f"cannot read {fail_if_removes}: {exc}", EXIT_USAGE)
    for p in corpus:
        if not p.is_file():
            fail(f"corpus file not found: {p}", EXIT_USAGE)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            old_dir = materialize_base(base, Path(tmp))
            old, new = load_rules([old_dir]), load_rules(rules or None)
        except CalledProcessError as exc:
            fail(
                f"cannot read {base}: {(exc.stderr or b'').decode(errors='replace').strip()}",
                EXIT_USAGE,
            )
        except RuleLoadError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            fail(f"{len(exc.problems)} problem(s) in the rule files", EXIT_RULES)
        unreadable: list = []
        rep = diff_rulesets(old, new, read_docs(corpus, rejects=unreadable), preset=preset,
                            must_keep=keep, samples=samples)  # fmt: skip
        for rej in unreadable:
            typer.echo(f"{rej.source}:{rej.line}: skipped, {rej.reason}", err=True)
        if html is not None:
            _write_diff_html(html, old_dir, rules, preset, corpus)
    if as_json:
        import orjson

        typer.echo(orjson.dumps(rep.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        typer.echo(f"{rep.changed}/{rep.documents} documents changed")
        width = max((len(i) for i, _, _ in rep.rule_rows()), default=4)
        typer.echo(f"{'rule':<{width}}  {'old':>7}  {'new':>7}")
        for rid, o, n in rep.rule_rows():
            flag = "" if o == n else f"  ({n - o:+d})"
            typer.echo(f"{rid:<{width}}  {o:>7}  {n:>7}{flag}")
        for s in rep.samples:
            typer.echo(f"\n--- {s.source} ([-old only-] {{+new only+}})\n{s.marked}")
        for lost in rep.lost:
            also = " (the base loses it too)" if lost.also_lost_by_base else ""
            typer.echo(f"LOST must-keep snippet {lost.snippet!r} in {lost.source}{also}")
    if rep.lost:
        raise typer.Exit(EXIT_FAILED)


@rules_app.command("new")
def new(
    rule_id: str = typer.Argument(..., metavar="ID", help="The new rule's id, e.g. site.junk."),
    file: Path = typer.Option(
        None,
        "--file",
        help="Rule file to append to (default: rules/<group>/<first part of the id>.toml).",
    ),
    group: str = typer.Option("generic", "--group", help="Folder under rules/ for a new file."),
    kind: str = typer.Option("replace", "--kind", help="replace, drop-line, cut-tail, function."),
    stage: str = typer.Option("main", "--stage", help="normalize, main or whitespace."),
    rules_dir: Path = typer.Option(Path("rules"), "--rules-dir", help="The rules folder."),
) -> None:
    """Append a rule skeleton (pattern and examples to fill in) to a rule file."""
    from cleaner.authoring.format import scaffold
    from cleaner.cli import EXIT_USAGE
    from cleaner.model import KINDS, STAGES
    from cleaner.ruleset.load import ID_RE, RuleLoadError, load_rules

    if not ID_RE.match(rule_id):
        fail(f"{rule_id!r} is not a valid id: lowercase words joined by '.' or '-'", EXIT_USAGE)
    if kind not in KINDS or stage not in STAGES:
        fail(f"--kind must be one of {KINDS}, --stage one of {STAGES}", EXIT_USAGE)
    try:
        existing = load_rules([rules_dir]) if rules_dir.is_dir() else []
    except RuleLoadError:
        existing = []
    if any(r.id == rule_id for r in existing):
        fail(f"id {rule_id!r} already exists; ids are unique and never reused", EXIT_USAGE)
    prefix = rule_id.split(".")[0]
    if file is None:
        same = [r.file for r in existing if r.id.split(".")[0] == prefix]
        file = Path(same[0]) if same else rules_dir / group / f"{prefix}.toml"
    file.parent.mkdir(parents=True, exist_ok=True)
    old = file.read_text("utf-8") if file.exists() else ""
    sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    file.write_text(old + sep + scaffold(rule_id, kind, stage if not old else None), "utf-8")
    typer.echo(
        f"added {rule_id!r} to {file}; fill in the TODOs, then run: cleaner rules check {file}"
    )


@rules_app.command("docs")
def docs(
    output: Path = typer.Option(Path("docs/rules.md"), "--output", "-o", help="Markdown file."),
    check_only: bool = typer.Option(False, "--check", help="Fail when the file is stale."),
    rules: list[Path] = typer.Option(None, "--rules", help="Rules (default: bundled)."),
) -> None:
    """Write Markdown docs of every rule (or, with --check, fail when they are stale)."""
    from cleaner.authoring.docs import render
    from cleaner.ruleset.load import bundled_rules_dir

    cleaner = make_cleaner("extended", None, rules)
    roots = rules or [bundled_rules_dir()]
    text = render(cleaner.rules, roots[0] if len(roots) == 1 and roots[0].is_dir() else None)
    if check_only:
        current = output.read_text("utf-8") if output.exists() else None
        if current != text:
            fail(f"{output} is stale: run `cleaner rules docs` and commit it", EXIT_FAILED)
        typer.echo(f"{output} is up to date ({len(cleaner.rules)} rules)")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, "utf-8")
    typer.echo(f"wrote {output} ({len(cleaner.rules)} rules)")


def _write_diff_html(out: Path, old_dir: Path, new_rules, preset: str, corpus) -> None:
    """The report's diff view (cleaner.report) of the old against the new rule set."""
    from cleaner.api import Cleaner
    from cleaner.pipeline.readers import read_records
    from cleaner.report import collect, render_diff_report

    old = Cleaner(preset, rules=[old_dir])
    new = Cleaner(preset, rules=new_rules or None)
    stats = collect(read_records([str(c) for c in corpus]), old, new)
    out.write_text(
        render_diff_report(stats, old.rules, new.rules, inputs=[str(c) for c in corpus]),
        encoding="utf-8",
    )
    typer.echo(f"wrote {out}", err=True)
