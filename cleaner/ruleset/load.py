"""Load rule files (TOML) and validate them strictly.

Every problem becomes a :class:`RuleProblem` naming the file, the rule id and the field, with a
message that says what to do. All problems of a load are collected and raised together as one
:class:`RuleLoadError`, so an author fixes a file in one round instead of one error at a time.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import regex

from cleaner.model import KINDS, PRESETS, STAGES, Example, Rule, Where
from cleaner.ruleset.functions import FAMILIES, check_function
from cleaner.ruleset.functions import resolve_function as resolve_function  # re-exported
from cleaner.ruleset.packs import PackError, enable_pack, find_pack

RULE_FIELDS = {
    "id", "description", "kind", "stage", "preset", "pattern", "replacement", "ignore_case",
    "trigger", "function", "max_chars", "starts_before_trigger", "candidates", "where", "change",
    "keep", "todo",
}  # fmt: skip
PACK_FIELDS = {"description", "stage", "preset", "where"}
EXAMPLE_FIELDS = {
    "change": {"name", "input", "output", "note", "url", "publisher"},
    "keep": {"name", "input", "note", "url", "publisher"},
    "todo": {"name", "input", "output", "note", "url", "publisher"},
}
ID_RE = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
#: A rule source that names an installed rule pack instead of a path: "pack:NAME".
PACK_PREFIX = "pack:"
# Global inline flags are allowed only at the very start of a pattern: the engine joins line
# patterns into one alternation, where a flag in the middle would leak into other rules.
INLINE_FLAGS_RE = re.compile(r"\(\?(?:[abefiLmprsuwx]+|V[01])\)")
LEADING_FLAGS_RE = re.compile(r"^\(\?([aiLmsux]+)\)")


@dataclass(frozen=True, slots=True)
class RuleProblem:
    file: str
    rule: str  # rule id, or "" for file-level problems
    field: str
    message: str
    line: int = 0

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        rule = f" rule {self.rule!r}" if self.rule else ""
        fld = f" field {self.field!r}" if self.field else ""
        return f"{where}:{rule}{fld}: {self.message}" if rule or fld else f"{where}: {self.message}"


class RuleLoadError(Exception):
    """One or more rule files are invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def bundled_rules_dir() -> Path:
    """The rules shipped with cleaner: inside the wheel, or the repo's rules/ in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cleaner's bundled rules/ folder is missing; reinstall cleaner")


def as_list(value: str | Path | Iterable | None) -> list | None:
    """None stays None; one str or Path is a list of one; any other iterable becomes a list
    (so ``select="*hovercard*"`` is one glob, not a list of characters)."""
    if value is None:
        return None
    if isinstance(value, (str, Path)):
        return [value]
    return list(value)


def rule_sources(
    rules: str | Path | Iterable[str | Path] | None = None,
    add_rules: str | Path | Iterable[str | Path] | None = None,
    packs: str | Iterable[str] | None = None,
) -> list[str] | None:
    """What a rule set loads, in order: ``rules`` (default: the bundled rules), then
    ``add_rules``, then each enabled pack as ``"pack:NAME"``; None for the bundled rules alone.
    The result is what :func:`load_rules` and :func:`rule_files` take."""
    base, add, names = as_list(rules), as_list(add_rules) or [], as_list(packs) or []
    for name in names:
        if not isinstance(name, str) or not name or name.startswith(PACK_PREFIX):
            raise ValueError(f"{name!r} is not a pack name; see cleaner rules list")
    if base is None and not add and not names:
        return None
    out = [str(p) for p in (base if base is not None else [bundled_rules_dir()])]
    return out + [str(p) for p in add] + [PACK_PREFIX + n for n in names]


def rule_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """The .toml rule files under ``paths`` (files, folders or ``"pack:NAME"``), in a stable
    order: what a rule set's hash must cover. Enables the packs named."""
    files, _, problems = _expand(paths)
    if problems:
        raise RuleLoadError(problems)
    return files


def pack_versions(paths: Iterable[str | Path] | None = None) -> list[str]:
    """ "NAME DISTRIBUTION VERSION" of each pack among ``paths``: a rule-set hash covers them
    with :func:`rule_files`, since a pack's function rules are code, not rule files."""
    out = []
    for item in paths or []:
        if str(item).startswith(PACK_PREFIX):
            pack = find_pack(str(item)[len(PACK_PREFIX) :])
            out.append(f"{pack.name} {pack.distribution} {pack.version}")
    return out


def load_rules(paths: Iterable[str | Path] | None = None) -> list[Rule]:
    """Load and validate every rule under ``paths`` (default: the bundled rules); paths may
    name rule packs as ``"pack:NAME"`` (see :func:`rule_sources`)."""
    rules, problems = load_partial(paths)
    if problems:
        raise RuleLoadError(problems)
    return rules


def load_partial(
    paths: Iterable[str | Path] | None = None,
) -> tuple[list[Rule], list[RuleProblem]]:
    """(the rules of every file under ``paths`` that loads without a problem, every problem):
    a bad file does not hide the good ones from ``cleaner rules check``."""
    files, owners, problems = _expand(paths)
    rules: list[Rule] = []
    for path in files:
        before = len(problems)
        got = _load_file(path, problems, owners)
        if len(problems) == before:
            rules.extend(got)
    seen: dict[str, Rule] = {}
    unique: list[Rule] = []
    for r in rules:
        if r.id in seen:
            first = seen[r.id]
            problems.append(RuleProblem(
                r.file, r.id, "id",
                f"duplicate id: already defined at {first.location}; ids are unique and never "
                "reused, so give this rule a new one", r.line))  # fmt: skip
        else:
            seen[r.id] = r
            unique.append(r)
    return unique, problems


def _expand(paths) -> tuple[list[Path], tuple[str, ...], list[RuleProblem]]:
    """(rule files, packages whose registered functions the files may name, problems)."""
    files: list[Path] = []
    owners = [FAMILIES]
    problems: list[RuleProblem] = []
    for item in [bundled_rules_dir()] if paths is None else paths:
        if str(item).startswith(PACK_PREFIX):
            try:
                pack = enable_pack(str(item)[len(PACK_PREFIX) :])
            except PackError as exc:
                problems.append(RuleProblem(str(item), "", "", str(exc)))
                continue
            owners.append(pack.package)
            item = pack.rules_dir
        p = Path(item)
        if p.is_dir():
            files.extend(sorted(p.rglob("*.toml")))
        else:
            files.append(p)
    return files, tuple(owners), problems


def select_rules(
    rules: list[Rule], preset: str = "default", select: str | Iterable[str] | None = None
) -> list[Rule]:
    """The rules a cleaner runs: those of ``preset``, or, when ``select`` is given (one glob or
    several), every rule whose id matches one of its glob patterns (whatever its preset).
    A ValueError when a glob matches no rule: a typo must not silently run nothing."""
    pats = as_list(select)
    if pats is not None:
        for p in pats:
            if not isinstance(p, str) or not p:
                raise ValueError(f"select {p!r}: a glob over rule ids, e.g. '*hovercard*'")
            if not any(fnmatch.fnmatchcase(r.id, p) for r in rules):
                raise ValueError(f"select {p!r} matches no rule id; see cleaner rules list")
        return [r for r in rules if any(fnmatch.fnmatchcase(r.id, p) for p in pats)]
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    allowed = PRESETS[: PRESETS.index(preset) + 1]
    return [r for r in rules if r.preset in allowed]


# --------------------------------------------------------------------------------------------
# one file


def _load_file(path: Path, problems: list[RuleProblem], owners: tuple[str, ...]) -> list[Rule]:
    file = str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
        data = tomllib.loads(raw)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(RuleProblem(file, "", "", f"cannot read the file: {exc}"))
        return []
    except tomllib.TOMLDecodeError as exc:
        problems.append(RuleProblem(file, "", "", f"not valid TOML: {exc}"))
        return []
    except RecursionError:  # (tomllib parses nested arrays and tables recursively)
        problems.append(RuleProblem(file, "", "", "not valid TOML: nested too deeply"))
        return []
    lines = _table_lines(raw)
    unknown = set(data) - {"pack", "rule"}
    for key in sorted(unknown):
        problems.append(RuleProblem(
            file, "", key, "unknown top-level key; a rule file holds one [pack] table and "
            "[[rule]] tables"))  # fmt: skip
    pack = data.get("pack", {})
    if not isinstance(pack, dict):
        problems.append(RuleProblem(file, "", "pack", "must be a table: [pack]"))
        pack = {}
    for key in sorted(set(pack) - PACK_FIELDS):
        problems.append(
            RuleProblem(
                file, "", f"pack.{key}", f"unknown field; [pack] accepts {sorted(PACK_FIELDS)}"
            )
        )
    entries = data.get("rule", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(RuleProblem(file, "", "rule", "rules are [[rule]] tables"))
        return []
    if not entries:
        problems.append(RuleProblem(file, "", "rule", "the file defines no [[rule]]"))
    rules = []
    for n, entry in enumerate(entries):
        rule_lines = lines[n] if n < len(lines) else {"rule": 0}
        rule = _build_rule(file, entry, pack, rule_lines, problems, owners)
        if rule is not None:
            rules.append(rule)
    return rules


def _table_lines(raw: str) -> list[dict]:
    """Line numbers of each [[rule]] header and of its example tables, in file order."""
    out: list[dict] = []
    for no, text in enumerate(raw.splitlines(), 1):
        s = text.strip()
        if s == "[[rule]]":
            out.append({"rule": no, "change": [], "keep": [], "todo": []})
        elif out and s in ("[[rule.change]]", "[[rule.keep]]", "[[rule.todo]]"):
            out[-1][s[7:-2]].append(no)
    return out


def _build_rule(file, entry, pack, lines, problems, owners) -> Rule | None:
    rid = entry.get("id")
    line = lines["rule"]
    start = len(problems)

    def bad(fld: str, msg: str) -> None:
        problems.append(RuleProblem(file, rid if isinstance(rid, str) else "", fld, msg, line))

    if rid is None:
        bad("id", "missing; every rule needs a unique id such as 'publisher.what-it-removes'")
    elif not isinstance(rid, str) or not ID_RE.match(rid):
        bad("id", f"{rid!r} is not a valid id: use lowercase words joined by '.' or '-'")
    for key in sorted(set(entry) - RULE_FIELDS):
        bad(key, f"unknown field; a rule accepts {', '.join(sorted(RULE_FIELDS))}")

    def get(fld, typ, default=None, required=False, inherit=False):
        value = entry.get(fld, pack.get(fld, default) if inherit else default)
        if value is None:
            if required:
                bad(fld, "missing")
            return default
        if typ is int and isinstance(value, bool) or not isinstance(value, typ):
            bad(fld, f"must be {_typename(typ)}, not {type(value).__name__}")
            return default
        return value

    description = get("description", str, "", required=True)
    kind = get("kind", str, "replace", required=True)
    if kind not in KINDS:
        bad("kind", f"{kind!r} is not a rule kind; choose one of {', '.join(KINDS)}")
    stage = get("stage", str, "main", inherit=True)
    if stage not in STAGES:
        bad("stage", f"{stage!r} is not a stage; choose one of {', '.join(STAGES)}")
    preset = get("preset", str, "default", inherit=True)
    if preset not in PRESETS:
        bad("preset", f"{preset!r} is not a preset; choose one of {', '.join(PRESETS)}")
    pattern = get("pattern", str)
    replacement = get("replacement", str, "")
    ignore_case = get("ignore_case", bool, False)
    trigger = get("trigger", list, [])
    if any(not isinstance(t, str) or not t for t in trigger):
        bad("trigger", "must be a list of non-empty literal strings")
        trigger = []
    function = get("function", str)
    max_chars = get("max_chars", int, 200)
    reach = get("starts_before_trigger", int)
    candidates = get("candidates", str)
    where = _build_where(get("where", dict, None, inherit=True), bad)

    if kind == "function":
        if function is None:
            if "function" not in entry:
                bad("function", "missing: a function rule names 'module:function'")
        elif why := check_function(function, owners):
            bad("function", why)
        if pattern is not None:
            bad("pattern", "a function rule has no pattern; the function finds its own matches")
    elif kind in KINDS:
        if function is not None:
            bad("function", f"only 'function' rules name a function, not {kind!r} rules")
        if pattern is None:
            bad("pattern", f"missing: a {kind!r} rule needs a regex pattern")
        else:
            compiled = _check_pattern(pattern, ignore_case, bad, kind in ("drop-line", "cut-tail"))
            if compiled is not None and kind == "replace":
                _check_replacement(compiled, replacement, bad)
    if kind != "replace" and "replacement" in entry:
        bad("replacement", f"only 'replace' rules have a replacement, not {kind!r} rules")
    if kind not in ("drop-line", "cut-tail") and "max_chars" in entry:
        bad("max_chars", "only line rules (drop-line, cut-tail) have max_chars")
    elif max_chars < 1:
        bad("max_chars", "must be 1 or more: the longest line the rule removes")
    if not description.strip():
        bad("description", "must say what the rule removes")
    line_rule = kind in ("drop-line", "cut-tail")
    if (
        line_rule
        and isinstance(entry.get("trigger", []), list)
        and not line_triggers_ok(trigger, candidates)
    ):
        bad("trigger", LINE_TRIGGER_PROBLEM)
    if reach is not None:
        if kind != "replace":
            bad("starts_before_trigger", "only 'replace' rules have it (line rules run "
                "only on lines with a trigger; a function finds its own matches)")  # fmt: skip
        elif not trigger:
            bad("starts_before_trigger", "needs trigger: it says where matches start relative "
                "to the trigger literals")  # fmt: skip
        elif reach < 0:
            bad("starts_before_trigger", "must be 0 or more characters")

    if candidates is not None:
        _check_candidates(candidates, kind, bad)

    examples = _build_examples(entry, lines, bad)
    if not any(e.kind == "change" for e in examples):
        bad("change", "no change example: add [[rule.change]] with an input and its exact output")
    if not any(e.kind == "keep" for e in examples):
        bad("keep", "no keep example: add [[rule.keep]] with text that contains the trigger "
            "but must stay unchanged")  # fmt: skip
    if len(problems) > start:
        return None
    return Rule(
        id=rid, description=description, kind=kind, stage=stage, preset=preset,
        pattern=pattern, replacement=replacement, ignore_case=ignore_case,
        trigger=tuple(trigger), function=function, max_chars=max_chars,
        starts_before_trigger=reach, candidates=candidates, where=where,
        examples=tuple(examples), file=file, line=line,
    )  # fmt: skip


#: why a line rule's triggers were refused (at load, and by the engine for rules built in code)
LINE_TRIGGER_PROBLEM = (
    "a line rule needs trigger literals, none with a newline: add `trigger = [...]`, the "
    "literal(s) one of which every line it matches holds (or `candidates`, a regex that "
    "matches in every such line); the engine tries only those lines"
)


def line_triggers_ok(trigger: Iterable[str], candidates: str | None = None) -> bool:
    """Whether a line rule's triggers (and candidates) let the engine find its lines: some
    gate, no trigger spanning two lines."""
    trigger = tuple(trigger)
    return bool(trigger or candidates is not None) and not any("\n" in t for t in trigger)


def _check_candidates(candidates: str, kind: str, bad) -> None:
    """``candidates``: a regex (compiled as patterns are) that says where a replace rule's
    matches start (with ``starts_before_trigger`` too: where in the reach before a trigger),
    or which lines a line rule can remove (beside or instead of ``trigger``)."""
    if kind == "function":
        bad("candidates", "a function finds its own matches; only pattern rules have it")
    if why := _too_deep(_parens(candidates)[1]):
        bad("candidates", why)
        return
    try:
        regex.compile(candidates, regex.V0)
    except regex.error as exc:
        bad("candidates", f"is not a valid regex: {exc}")


def line_source(pattern: str, ignore_case: bool) -> str:
    """A line rule's pattern as the engine matches a line: a scoped group that allows
    surrounding spaces and tabs (compiled with ``regex.V0``)."""
    flags = "i" if ignore_case else ""
    m = LEADING_FLAGS_RE.match(pattern)
    if m:
        flags += m.group(1)
        pattern = pattern[m.end() :]
    body = f"(?{flags}:{pattern})" if flags else f"(?:{pattern})"
    return f"[ \\t]*{body}[ \\t]*"


#: how deep groups may nest in a rule's regex: the regex module's parser recurses once per level
#: and overflows Python's stack near 200 (where depends on the caller's stack, so a pattern just
#: under that compiled at load and failed in the engine); no real rule nests 10 deep
MAX_GROUP_DEPTH = 64


def _parens(pattern: str) -> tuple[bool, int]:
    """Whether each ``(`` of ``pattern`` (outside escapes and character classes) is closed, in
    order, and how deep they nest. When balanced, the pattern inside its line wrapper compiles
    only if it compiles alone."""
    depth = deepest = i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: to its first unescaped ']' after an optional '^' and ']'
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i += pattern[i : i + 1] == "]"
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False, deepest
        i += 1
    return depth == 0, deepest


def _too_deep(deepest: int) -> str:
    """Why groups nested ``deepest`` deep are too deep for the regex parser, or ""."""
    if deepest <= MAX_GROUP_DEPTH:
        return ""
    return f"its groups nest {deepest} deep, at most {MAX_GROUP_DEPTH}: flatten them"


def _check_pattern(pattern: str, ignore_case: bool, bad, line: bool = False):
    """The compiled pattern (as the engine compiles it), or None after reporting a problem."""
    flags = LEADING_FLAGS_RE.match(pattern)
    if INLINE_FLAGS_RE.search(pattern[flags.end() if flags else 0 :]):
        bad("pattern", "inline flags such as (?i) may appear only at the start of the pattern, "
            "and only a, i, L, m, s, u, x (or use ignore_case = true)")  # fmt: skip
        return None
    if line and (why := _line_pattern_problem(pattern)):
        bad("pattern", why)
        return None
    balanced, deepest = _parens(pattern)
    if why := _too_deep(deepest):
        bad("pattern", why)
        return None
    compiled = None
    if line and balanced:
        # what the engine compiles (the regex cache keeps it): one compile instead of two
        try:
            compiled = regex.compile(line_source(pattern, ignore_case), regex.V0)
        except regex.error:
            pass  # compiled alone below, for an error message about the rule's own pattern
    try:
        if compiled is None:
            flags = regex.V0 | (regex.IGNORECASE if ignore_case else 0)
            compiled = regex.compile(pattern, flags)
    except regex.error as exc:
        bad("pattern", f"does not compile: {exc}")
        return None
    if compiled.fullmatch(""):
        bad("pattern", "matches the empty string; a rule must match at least one character")
        return None
    return compiled


#: References by number (\1, \g<1>, (?P=1)), recursion ((?R), (?1), (?+1)) and the engine's
#: own group names (_r0 ...): line rules run joined into one alternation, where numbers shift.
_NUMBERED_REF_RE = re.compile(
    r"\\(?:[1-9]|g<[+-]?\d+>)|\(\?(?:R|[+-]?\d+|\(\d|&_r\d|P[=>]\d|P[<=>]_r\d|<_r\d)\)?"
)


def _line_pattern_problem(pattern: str) -> str:
    """Why a line rule's pattern cannot run joined with the others, or "" (outside classes)."""
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "[":  # skip a character class (as _parens does)
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i += pattern[i : i + 1] == "]"
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c in "\\(" and (m := _NUMBERED_REF_RE.match(pattern, i)):
            return (f"'{m.group()}': a line rule cannot refer to groups by number or recurse, "
                    "because line rules run joined into one pattern; name the group, "
                    "(?P<word>...), and refer to it as (?P=word)")  # fmt: skip
        elif c == "\\":
            i += 1
        i += 1
    return ""


def _check_replacement(compiled: regex.Pattern, replacement: str, bad) -> None:
    """A replacement template may refer only to groups the pattern has: expand it against a
    match of a pattern with the same groups, each matching the empty string."""
    if "\\" not in replacement:
        return
    names = {i: name for name, i in compiled.groupindex.items()}
    same = "".join(f"(?P<{names[i]}>)" if i in names else "()"
                   for i in range(1, compiled.groups + 1))  # fmt: skip
    match = regex.compile(same, regex.V0).match("")
    assert match is not None
    has = f"{compiled.groups} group(s)" + (f", named {', '.join(sorted(compiled.groupindex))}"
                                           if compiled.groupindex else "")  # fmt: skip
    try:
        match.expand(replacement)
    except IndexError:
        bad("replacement", f"refers to a group the pattern lacks (the pattern has {has})")
    except regex.error as exc:
        bad("replacement", f"is not a valid template: {exc} (write a backslash as \\\\, "
            "a group as \\1 or \\g<name>)")  # fmt: skip


def _build_where(value, bad) -> Where | None:
    if value is None:
        return None
    extra = set(value) - {"domains", "publishers"}
    if extra:
        bad("where", f"unknown keys {sorted(extra)}; 'where' accepts domains and publishers")
    domains, publishers = value.get("domains", []), value.get("publishers", [])
    for key, items in (("domains", domains), ("publishers", publishers)):
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            bad(f"where.{key}", "must be a list of non-empty strings")
            return None
    if not domains and not publishers:
        bad("where", "give at least one of domains or publishers")
        return None
    return Where(tuple(d.casefold() for d in domains), tuple(publishers))


def _build_examples(entry, lines, bad) -> list[Example]:
    out = []
    for kind in ("change", "keep", "todo"):
        items = entry.get(kind, [])
        if not isinstance(items, list):
            bad(kind, f"examples are [[rule.{kind}]] tables")
            continue
        for n, ex in enumerate(items):
            label = f"{kind}[{n}]"
            if not isinstance(ex, dict):
                bad(label, f"examples are [[rule.{kind}]] tables")
                continue
            for key in sorted(set(ex) - EXAMPLE_FIELDS[kind]):
                hint = " (a keep example has no output: it must stay unchanged)" if (
                    kind == "keep" and key == "output") else ""  # fmt: skip
                bad(f"{label}.{key}", f"unknown field{hint}")
            for key in ("url", "publisher", "name", "note"):
                if key in ex and not isinstance(ex[key], str):
                    bad(f"{label}.{key}", f"must be a string, not {type(ex[key]).__name__}")
            text = ex.get("input")
            if not isinstance(text, str) or not text:
                bad(f"{label}.input", "missing or not a non-empty string")
                continue
            output = ex.get("output")
            if kind == "change":
                if not isinstance(output, str):
                    bad(f"{label}.output", "missing: a change example gives the exact output")
                    continue
                if output == text:
                    bad(f"{label}.output", "equals the input; use [[rule.keep]] for text that "
                        "must not change")  # fmt: skip
                    continue
            line_list = lines.get(kind, [])
            out.append(Example(
                kind=kind, input=text, output=output if isinstance(output, str) else None,
                name=str(ex.get("name", "")) or f"{kind}-{n + 1}", note=str(ex.get("note", "")),
                url=ex.get("url"), publisher=ex.get("publisher"),
                line=line_list[n] if n < len(line_list) else lines.get("rule", 0),
            ))  # fmt: skip
    return out


def _typename(typ) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", list: "a list",
            dict: "a table"}.get(typ, typ.__name__)  # fmt: skip
