"""What a rule check reports: :class:`Failure` (one failed check, with what to do) and
:class:`CheckReport` (a run's totals), shared by the checker, the trigger checks and the formats."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: seconds a pattern may spend on one example or corpus document before it counts as backtracking
TIMEOUT = 2.0
MAX_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed check: which rule, where, what was expected, what happened, what to do."""

    rule: str
    file: str
    line: int
    check: str
    expected: str
    got: str
    fix: str
    diff: str = ""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class CheckReport:
    rules: int = 0
    total: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    load_error: bool = False

    @property
    def passed(self) -> int:
        return self.total - len(self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {"ok": self.ok, "rules": self.rules, "passed": self.passed, "total": self.total,
                "seconds": round(self.seconds, 3), "invalid_files": self.load_error,
                "failures": [f.to_dict() for f in self.failures]}  # fmt: skip


def visible(text: str) -> str:
    """``text`` with invisible and unusual whitespace characters shown as escapes."""
    out = []
    for ch in text:
        if ch in "\n ":
            out.append(ch)
        elif ch == "\t":
            out.append("\\t")
        elif not ch.isprintable() or (ch.isspace() and ch != " ") or ch in "\u00ad\u200b\ufeff":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)
