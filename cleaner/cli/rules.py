"""`cleaner rules ...`: list, check, diff, new and docs (the logic is in cleaner.authoring)."""

from __future__ import annotations

from pathlib import Path

import typer

from cleaner.cli.common import (
    EXIT_RULES,
    EXIT_USAGE,
    AddRulesOpt,
    PackOpt,
    PresetOpt,
    RulesOpt,
    SelectOpt,
    TextFieldOpt,
    fail,
    make_cleaner,
    rules_app,
)


@rules_app.command("list")
def list_rules(
    preset: PresetOpt = "extended",
    select: SelectOpt = None,
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
) -> None:
    """Show every rule (id, stage, kind, preset and what it removes), then the installed rule
    packs, which run only when enabled with --pack NAME."""
    from cleaner.ruleset.packs import installed_packs

    cleaner = make_cleaner(preset, select, rules, add_rules, packs)
    width = max((len(r.id) for r in cleaner.rules), default=10)
    for r in cleaner.rules:
        scope = f" [only {', '.join(r.where.domains + r.where.publishers)}]" if r.where else ""
        typer.echo(f"{r.id:<{width}}  {r.stage:<10} {r.kind:<9} {r.preset:<8} "
                   f"{r.description}{scope}")  # fmt: skip
    typer.echo(f"{len(cleaner.rules)} rules", err=True)
    installed = installed_packs()
    if not installed:
        typer.echo("no rule packs installed (docs/packs.md says how to write one)", err=True)
        return
    typer.echo("\ninstalled rule packs (enable with --pack NAME):")
    for name, found in installed.items():
        on = " (enabled)" if name in (packs or []) else ""
        for pack in found:
            typer.echo(f"  {name}  {pack.distribution} {pack.version}, "
                       f"module {pack.module}{on}")  # fmt: skip


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
    packs: PackOpt = None,
) -> None:
    """Validate rule files and run every example, trigger and backtracking check (of the
    bundled rules when no PATHS and no --pack are given)."""
    from cleaner.authoring.check import check_rules, default_corpus_files, read_corpus
    from cleaner.authoring.format import format_github, format_text
    from cleaner.ruleset.load import bundled_rules_dir

    if fmt not in ("text", "github"):
        fail(f"unknown --format {fmt!r}; choose text or github", 2)
    docs = [] if no_corpus else read_corpus(corpus or default_corpus_files(), docs=sample)
    chosen: list = [*(paths or []), *_pack_sources(packs)]
    report = check_rules(chosen or [bundled_rules_dir()], corpus=docs)
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
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
    preset: PresetOpt = "default",
    select: SelectOpt = None,
    text_field: TextFieldOpt = "text",
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
    """Compare the old and the new rule set on a corpus.

    The new set is the bundled rules (or --rules), the old one --base (a folder, or git:REF for
    the rules/ folder of a commit); --add-rules and --pack add to both sides, and --preset or
    --select chooses the rules both sides run."""
    import tempfile

    from cleaner.authoring.diff import diff_rulesets, materialize_base, read_docs
    from cleaner.ruleset.load import RuleLoadError, load_rules, rule_sources, select_rules

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
            old = load_rules(rule_sources([old_dir], add_rules, packs))
            new = load_rules(rule_sources(rules or None, add_rules, packs))
            both = {r.id: r for r in [*old, *new]}
            select_rules(list(both.values()), preset, select)  # a glob matching nothing: exit 2
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
        except RuleLoadError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            fail(f"{len(exc.problems)} problem(s) in the rule files", EXIT_RULES)
        unreadable: list = []
        docs = read_docs(corpus, text_field, rejects=unreadable)
        rep = diff_rulesets(old, new, docs, preset=preset, select=select or None,
                            must_keep=keep, samples=samples)  # fmt: skip
        for rej in unreadable:
            typer.echo(f"{rej.source}:{rej.line}: skipped, {rej.reason}", err=True)
        if html is not None:
            _write_diff_html(html, old, new, preset, select or None, corpus, text_field)
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


def _write_diff_html(out: Path, old_rules, new_rules, preset: str, select, corpus,
                     text_field: str) -> None:  # fmt: skip
    """The report's diff view (cleaner.report) of the old against the new rule set."""
    from cleaner.authoring.diff import chosen_rules
    from cleaner.pipeline.readers import expand_inputs, read_records
    from cleaner.report import collect, render_diff_report

    old = _Runner(chosen_rules(old_rules, preset, select))
    new = _Runner(chosen_rules(new_rules, preset, select))
    stats = collect(read_records(expand_inputs([str(c) for c in corpus]), text_field), old, new)
    out.write_text(
        render_diff_report(stats, old.rules, new.rules, inputs=[str(c) for c in corpus]),
        encoding="utf-8",
    )
    typer.echo(f"wrote {out}", err=True)


def _pack_sources(packs: list[str] | None) -> list[str]:
    """``--pack`` names as rule sources; an unknown pack is a usage error (exit 2)."""
    from cleaner.ruleset.load import PACK_PREFIX
    from cleaner.ruleset.packs import find_pack

    for name in packs or []:
        try:
            find_pack(name)
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
    return [PACK_PREFIX + n for n in packs or []]


class _Runner:
    """What the report's ``collect`` needs of a cleaner, for a list of rules."""

    def __init__(self, rules: list) -> None:
        from cleaner.engine.run import Engine

        self.rules = rules
        self.engine = Engine(rules)

    def explain(self, text: str, *, url: str | None = None, publisher: str | None = None):
        return self.engine.run(text, url=url, publisher=publisher, explain=True)


@rules_app.command("mine")
def mine(
    inputs: list[Path] = typer.Argument(
        ..., metavar="INPUT...", help="Files or folders to mine (any input cleaner reads)."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="The draft rule file to write."),
    by: str = typer.Option(
        None,
        "--by",
        help="Mine per group: publisher, domain (from url), or "
        "any record field (default: the whole input).",
    ),
    min_docs: int = typer.Option(
        5, "--min-docs", min=2, help="Documents a template must occur in."
    ),
    family_min_docs: int = typer.Option(
        3,
        "--family-min-docs",
        min=2,
        help="Documents a template with the shape of a bundled "
        "family (it holds a bundled rule's trigger word) must occur in.",
    ),
    min_share: float = typer.Option(
        0.01,
        "--min-share",
        min=0.0,
        max=1.0,
        help="Share of its group's documents a template must occur in (with --by).",
    ),
    max_content_share: float = typer.Option(
        0.02,
        "--max-content-share",
        min=0.0,
        help="Most "
        "documents (per occurrence) where the template's "
        "text sits inside a content sentence.",
    ),
    max_chars: int = typer.Option(
        200,
        "--max-chars",
        min=10,
        help="Longest line a mined rule drops; a template seen in longer lines is prose.",
    ),
    samples: int = typer.Option(5, "--samples", min=1, help="Occurrences kept per template."),
    max_rules: int = typer.Option(
        50, "--max-rules", min=1, help="Most rules proposed (the most frequent first)."
    ),
    prefix: str = typer.Option("mined", "--id-prefix", help="First part of the rule ids."),
    max_keys: int = typer.Option(
        400_000,
        "--max-keys",
        min=1000,
        help="Most counted templates held at once (bounds memory).",
    ),
    no_check: bool = typer.Option(False, "--no-check", help="Skip the rules check of the draft."),
    text_field: str = typer.Option("text", "--text-field", help="Field that holds the text."),
    preset: PresetOpt = "default",
    rules: RulesOpt = None,
    add_rules: AddRulesOpt = None,
    packs: PackOpt = None,
) -> None:
    """Find junk the current rules leave (recurring lines, line heads, sentences) and write it
    as draft rules, with examples and evidence, for a person to review."""
    import time

    from cleaner.authoring.mine import SCOPING, Miner, Options, group_of
    from cleaner.authoring.mine_check import draft
    from cleaner.cli.common import EXIT_USAGE, pipeline_errors
    from cleaner.pipeline.readers import check_extras, expand_inputs, read_records
    from cleaner.pipeline.records import Reject

    if by == "url":
        by = "domain"
    cleaner = make_cleaner(preset, None, rules, add_rules, packs)
    opt = Options(min_docs=min_docs, family_min_docs=family_min_docs, min_share=min_share,
                  max_content_share=max_content_share,
                  max_chars=max_chars, samples=samples, max_keys=max_keys,
                  max_rules=max_rules)  # fmt: skip
    miner = Miner(opt, scoped=by in SCOPING)
    rejected = 0
    start = time.perf_counter()
    size = 0
    with pipeline_errors("no draft written"):
        paths = expand_inputs([str(p) for p in inputs])
        check_extras(paths)
        size = sum(Path(p).stat().st_size for p in paths if p != "-")
        for rec in read_records(paths, text_field):
            if isinstance(rec, Reject):
                rejected += 1
                continue
            group, url, pub = group_of(rec.data, by)
            text = cleaner.clean(rec.text, url=url, publisher=pub)
            miner.add(text, group, f"{rec.source}:{rec.line}" if rec.line else rec.source,
                      url, pub)  # fmt: skip
    mined = time.perf_counter() - start
    text, props, drafter = draft(miner, by, [str(p) for p in inputs], prefix, check=not no_check)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, "utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_USAGE)
    active = sum(not p.why_not for p in props)
    mb = size / 1e6
    typer.echo(f"read {miner.docs} documents ({mb:.1f} MB, {rejected} rejected) in {mined:.1f}s "
               f"({mb / max(mined, 1e-9):.1f} MB/s); {len(miner.candidates)} recurring templates"
               f"; wrote {output}: {active} rules, {len(props) - active} commented out",
               err=True)  # fmt: skip
    if not active:
        typer.echo("no rule proposed: the draft holds only commented-out suggestions (a rule "
                   "file needs at least one rule: uncomment one to use it)", err=True)  # fmt: skip
        raise typer.Exit(EXIT_FAILED)
    typer.echo(f"review it: cleaner rules check {output}; cleaner report "
               f"{' '.join(str(p) for p in inputs[:1])} --draft {output}", err=True)  # fmt: skip
