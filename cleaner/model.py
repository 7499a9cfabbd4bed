"""The data the rest of cleaner passes around: rules, their examples, edits and results.

A rule file is TOML (see rules/README.md); ``cleaner.ruleset.load`` turns each ``[[rule]]`` table
into a frozen :class:`Rule`. Nothing here compiles or runs anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Stage = Literal["normalize", "main", "whitespace"]
Kind = Literal["replace", "drop-line", "cut-tail", "function"]

#: Stages run in this order; rules run inside their stage (see ``cleaner.engine.run``).
STAGES: tuple[Stage, ...] = ("normalize", "main", "whitespace")
#: an edit in the coordinates of the text a rule saw: (start, end, replacement); a function rule
#: returns a sorted, non-overlapping list of them
Span = tuple[int, int, str]
KINDS: tuple[Kind, ...] = ("replace", "drop-line", "cut-tail", "function")
#: ``default`` is safe on any corpus; ``extended`` adds rules that remove text some gold
#: standards keep (bylines, datelines, copyright lines ...).
PRESETS: tuple[str, ...] = ("default", "extended")
#: seconds of regex work per document before the document passes through unchanged with
#: ``Result.error`` set (``Cleaner(timeout=...)``, ``cleaner rules diff``)
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Example:
    """One example of a rule: ``change`` (input -> exact output), ``keep`` or ``todo``."""

    kind: Literal["change", "keep", "todo"]
    input: str
    output: str | None = None
    name: str = ""
    note: str = ""
    url: str | None = None
    publisher: str | None = None
    line: int = 0  # line of the example's table in its rule file (0 when unknown)


@dataclass(frozen=True, slots=True)
class Where:
    """Restricts a rule to records whose URL host or publisher matches."""

    domains: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    _folded: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_folded", frozenset(p.casefold() for p in self.publishers))

    def matches(self, url: str | None, publisher: str | None) -> bool:
        if publisher and publisher.casefold() in self._folded:
            return True
        if url and self.domains:
            host = _host(url)
            return any(host == d or host.endswith("." + d) for d in self.domains)
        return False


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].split(":", 1)[0].casefold()


@dataclass(frozen=True, slots=True)
class Rule:
    """A cleaning rule as written in its rule file, validated but not compiled."""

    id: str
    description: str
    kind: Kind
    stage: Stage = "main"
    preset: str = "default"
    pattern: str | None = None
    replacement: str = ""
    ignore_case: bool = False
    trigger: tuple[str, ...] = ()
    function: str | None = None
    max_chars: int = 200
    #: every match starts at most this many characters before an occurrence of one of the
    #: triggers: the engine tries the pattern only there (``replace`` rules; None: anywhere)
    starts_before_trigger: int | None = None
    #: a regex whose matches start wherever a match of ``pattern`` can start (a superset): the
    #: engine tries the pattern only at those starts (``replace`` rules; None: anywhere)
    candidates: str | None = None
    where: Where | None = None
    examples: tuple[Example, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def examples_of(self, kind: str) -> list[Example]:
        return [e for e in self.examples if e.kind == kind]


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to a document: ``text[start:end]`` (offsets into the INPUT) became
    ``replacement``. ``removed`` is the input text that was replaced."""

    rule: str
    start: int
    end: int
    removed: str
    replacement: str

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "removed": self.removed,
            "replacement": self.replacement,
        }


@dataclass(slots=True)
class Result:
    """What :meth:`cleaner.Cleaner.explain` returns: the clean text and every edit."""

    text: str
    edits: list[Edit] = field(default_factory=list)
    #: ``None``, or why the document passed through unchanged (e.g. a regex time limit).
    error: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Replay ``edits`` (sorted, non-overlapping, input offsets) on ``text``."""
    parts: list[str] = []
    pos = 0
    for e in edits:
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def splice(text: str, spans: list[Span]) -> str:
    """Apply sorted, non-overlapping ``spans`` to ``text``."""
    parts: list[str] = []
    pos = 0
    for start, end, repl in spans:
        parts.append(text[pos:start])
        parts.append(repl)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
