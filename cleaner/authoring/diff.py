"""Compare two rule sets on a corpus: what ``cleaner rules diff`` reports (data, not text, so an
HTML report can reuse it)."""

from __future__ import annotations

import difflib
import fnmatch
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import regex

from cleaner.engine.run import Engine
from cleaner.model import DEFAULT_TIMEOUT, Rule
from cleaner.ruleset.load import select_rules


@dataclass(frozen=True, slots=True)
class Doc:
    source: str
    text: str
    url: str | None = None
    publisher: str | None = None


@dataclass(slots=True)
class Sample:
    source: str
    before: str  # output of the old rules
    after: str  # output of the new rules
    marked: str  # word diff: [-only in old output-] {+only in new output+}


@dataclass(slots=True)
class LostSnippet:
    snippet: str
    source: str
    also_lost_by_base: bool


@dataclass(slots=True)
class DiffReport:
    documents: int = 0
    changed: int = 0  # documents whose output differs between old and new rules
    hits_old: Counter = field(default_factory=Counter)  # rule id -> edits
    hits_new: Counter = field(default_factory=Counter)
    samples: list[Sample] = field(default_factory=list)
    lost: list[LostSnippet] = field(default_factory=list)

    def rule_rows(self) -> list[tuple[str, int, int]]:
        ids = sorted(set(self.hits_old) | set(self.hits_new))
        return [(i, self.hits_old[i], self.hits_new[i]) for i in ids]

    def to_dict(self) -> dict:
        return {
            "documents": self.documents, "changed": self.changed,
            "rules": [{"rule": i, "old": o, "new": n} for i, o, n in self.rule_rows()],
            "samples": [asdict(s) for s in self.samples],
            "lost": [asdict(x) for x in self.lost],
        }  # fmt: skip


def mark(before: str, after: str) -> str:
    """Word-level diff of two texts: removed words as [-...-], added as {+...+}."""
    a, b = _tokens(before), _tokens(after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return "".join(out)


def chosen_rules(rules: list[Rule], preset: str, select: list[str] | None) -> list[Rule]:
    """The rules of ``preset``, or those matching a ``select`` glob (a glob may match rules of
    one side only: the caller checks it matches some rule on either side)."""
    if select is None:
        return select_rules(rules, preset)
    return [r for r in rules if any(fnmatch.fnmatchcase(r.id, p) for p in select)]


def diff_rulesets(old: list[Rule], new: list[Rule], docs: Iterable[Doc], *,
                  preset: str = "default", select: list[str] | None = None,
                  must_keep: Iterable[str] = (), samples: int = 5,
                  timeout: float | None = DEFAULT_TIMEOUT) -> DiffReport:  # fmt: skip
    """Run both rule sets (``preset``, or the ``select`` globs) over ``docs`` and compare."""
    e_old = Engine(chosen_rules(old, preset, select), timeout=timeout)
    e_new = Engine(chosen_rules(new, preset, select), timeout=timeout)
    keep = [s for s in must_keep if s]
    rep = DiffReport()
    for doc in docs:
        rep.documents += 1
        r_old = e_old.run(doc.text, url=doc.url, publisher=doc.publisher, explain=True)
        r_new = e_new.run(doc.text, url=doc.url, publisher=doc.publisher, explain=True)
        rep.hits_old.update(e.rule for e in r_old.edits)
        rep.hits_new.update(e.rule for e in r_new.edits)
        if r_old.text != r_new.text:
            rep.changed += 1
            if len(rep.samples) < samples:
                rep.samples.append(Sample(doc.source, r_old.text, r_new.text,
                                          mark(r_old.text, r_new.text)))  # fmt: skip
        for s in keep:
            if s in doc.text and s not in r_new.text:
                rep.lost.append(LostSnippet(s, doc.source, s not in r_old.text))
    return rep


def read_docs(paths: Iterable[str | Path], text_field: str = "text",
              rejects: list | None = None) -> Iterable[Doc]:  # fmt: skip
    """Documents from every input format ``cleaner run`` reads (JSONL with optional url and
    publisher, text, Parquet, CSV, HTML ...). Records that cannot be read go to ``rejects``."""
    from cleaner.pipeline.readers import expand_inputs, read_records
    from cleaner.pipeline.records import Reject

    for item in read_records(expand_inputs([str(p) for p in paths]), text_field):
        if isinstance(item, Reject):
            if rejects is not None:
                rejects.append(item)
            continue
        meta = item.data or {}
        name = f"{item.source}:{item.line}" if item.line else item.source
        yield Doc(name, item.text, _str(meta.get("url")), _str(meta.get("publisher")))


def _str(v: object) -> str | None:
    return v if isinstance(v, str) else None


def materialize_base(spec: str, workdir: Path, repo: Path | None = None) -> Path:
    """A rules folder for ``spec``: a path, or ``git:REF`` (the ``rules`` folder of that commit).

    REF must name a commit (``git rev-parse --verify REF^{commit}``); git then sees only the
    resolved hash, never the text a user typed, so ``git:--output=FILE`` cannot become an
    option. Raises :class:`ValueError` with a message when REF is not a commit of the repo."""
    if not spec.startswith("git:"):
        return Path(spec)
    ref = spec[4:]
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise ValueError(f"--base {spec!r}: name a commit after 'git:', e.g. git:origin/main")
    cwd = repo or Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd, spec).decode().strip()
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"],
                  top, spec).decode().strip()  # fmt: skip
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise ValueError(f"--base {spec!r}: {ref!r} is not a commit")
    archive = _git(["archive", "--format=tar", commit, "--", "rules"], top, spec)
    with tempfile.TemporaryFile() as fh:
        fh.write(archive)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(workdir, filter="data")
            else:  # Python 3.11.0-3.11.3 (Debian 12 ships 3.11.2): our own repository's archive
                tar.extractall(workdir)
    return workdir / "rules"


def _git(args: list[str], cwd: Path | str, spec: str) -> bytes:
    """The output of ``git ARGS`` in ``cwd``; a ValueError naming ``spec`` when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise ValueError(f"--base {spec!r}: cannot run git: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip() or "not a commit of this repository"
        raise ValueError(f"--base {spec!r}: {why}")
    return done.stdout


def _tokens(text: str) -> list[str]:
    return regex.findall(r"\w+|\s+|[^\w\s]", text)
