"""What ``cleaner rules check`` prints (text blocks, GitHub annotations) and what
``cleaner rules new`` writes (a placeholder rule)."""

from __future__ import annotations

from pathlib import Path

from cleaner.authoring.failures import CheckReport, Failure


def format_failure(f: Failure) -> str:
    """One failure as a readable block: rule, file:line, check, expected, got, diff, fix."""
    lines = [f"FAIL {f.rule}  {f.location}  [{f.check}]",
             f"  expected: {_indent(f.expected)}", f"  got:      {_indent(f.got)}"]  # fmt: skip
    if f.diff:
        lines.append("  diff:\n" + "\n".join("    " + x for x in f.diff.split("\n")))
    lines.append(f"  fix:      {f.fix}")
    return "\n".join(lines)


def format_text(report: CheckReport) -> str:
    blocks = [format_failure(f) for f in report.failures]
    verdict = "ok" if report.ok else "FAILED"
    blocks.append(
        f"{report.passed}/{report.total} checks passed, {report.rules} rules, "
        f"{len(report.failures)} failures ({report.seconds:.2f}s): {verdict}"
    )
    return "\n\n".join(blocks)


def format_github(report: CheckReport) -> str:
    """GitHub Actions annotations: one ``::error file=...,line=...::message`` per failure."""
    out = []
    for f in report.failures:
        msg = f"{f.rule}: {f.check}: expected {f.expected}; got {f.got}. {f.fix}"
        if f.diff:
            msg += "\n" + f.diff
        out.append(f"::error file={_prop(_relative(f.file))},line={f.line or 1},"
                   f"title={_prop(f.rule + ': ' + f.check)}::{_data(msg)}")  # fmt: skip
    out.append(f"{report.passed}/{report.total} checks passed, {report.rules} rules")
    return "\n".join(out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(file: str) -> str:
    try:
        return Path(file).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file


def _indent(text: str) -> str:
    return text.replace("\n", "\n            ")


def scaffold(rule_id: str, kind: str = "replace", stage: str | None = None) -> str:
    """A [[rule]] table with placeholders for ``cleaner rules new``."""
    body = [f'[[rule]]\nid = "{rule_id}"', 'description = "TODO: what this rule removes."',
            f'kind = "{kind}"']  # fmt: skip
    if stage and stage != "main":
        body.append(f'stage = "{stage}"')
    if kind == "function":
        body.append('function = "cleaner.families.TODO:find"')
    else:
        body.append("pattern = '''TODO-pattern'''")
    if kind == "replace":
        body.append('replacement = ""')
    body.append('trigger = ["TODO"]')
    body += ["", "[[rule.change]]", 'name = "TODO: the shape this example shows"',
             'input = "TODO: a sentence with the junk TODO-pattern in it."',
             'output = "TODO: a sentence with the junk in it."', "",
             "[[rule.keep]]", 'name = "TODO: a near miss that contains the trigger"',
             'input = "TODO: text with the trigger that must stay unchanged."']  # fmt: skip
    return "\n".join(body) + "\n"
