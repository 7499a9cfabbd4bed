"""The hot loop: apply a compiled rule set to one document.

Semantics (the naive reference in ``cleaner.engine.reference`` states them rule by rule):

* Surrogate code points (a lone ``\ud800``, which no UTF-8 writer can encode) are replaced
  first, as edits of ``unicode.lone-surrogate`` (:func:`lone_surrogates`).
* Stages run in order: ``normalize``, ``main``, ``whitespace``.
* Inside a stage, line rules (``drop-line``, ``cut-tail``) run first, then ``replace`` and
  ``function`` rules in the order they are listed. A line rule looks at one line at a time,
  (without its newline, surrounding spaces and tabs allowed) and only at lines of at most
  ``max_chars`` characters: ``drop-line`` removes the line and its newline, ``cut-tail`` removes
  the line and everything after it. On each line the first matching line rule decides. Dropped
  lines between an empty line (or the start) and an empty line take the empty line after them.
* A ``replace`` rule substitutes every match; a ``function`` rule returns its own edits.
* The stages run again while they change the text (bounded): cleaning twice == once.
* A document whose rule raises or runs past the time limit passes through unchanged, with
  ``Result.error`` naming the rule and the exception.

What makes it fast (see benchmarks/ and DESIGN.md): the line passes and inline steps of all
stages run in one flat loop over their *slots*, in order, skipping from one open slot to the
next with one bit mask of open gates per text state. Every rule is gated by its literal triggers
(:mod:`cleaner.engine.scan`), and ``where`` is checked before any of them. One Aho-Corasick scan
(``ahocorasick_rs``) finds every trigger literal of all stages, with its position, once per
document; after each edit it keeps the occurrences outside the edit and scans only around it, so
the scan is never redone, not even by the next pass. Frequent single characters are tested with
``in`` (memchr speed), ``ignore_case`` triggers with one case-insensitive literal search (exact
for every case variant). Without the scan, each literal costs one ``in`` or stdlib ``re``
search, only ASCII triggers while the text is ASCII. Line rules (:mod:`cleaner.engine.lines`)
use the positions: a line is tried only against the rules whose triggers occur in it, other
lines cost nothing (every line rule has triggers). A ``replace`` rule with
``starts_before_trigger`` is tried once per trigger occurrence, one with ``candidates`` once per
start of a candidate match, not at every position (:mod:`cleaner.engine.steps`). Everything that
can be computed when the rules load is computed then. Exactness relies on the trigger claim (a
rule matches only where one of its triggers occurs), which the rule tests check;
tests/test_reference.py checks the engine against the ungated reference, tests/test_gates.py the
kept-up-to-date scan against a fresh one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from time import perf_counter

import regex

from cleaner.engine.edits import compose, to_edits
from cleaner.engine.lines import LinePass, RuleError, RuleTimeout
from cleaner.engine.scan import (
    Probe,
    Scan,
    multi_literal_available,
    scanned,
)
from cleaner.engine.steps import InlineStep, compile_step
from cleaner.model import STAGES, Result, Rule, Span, splice

#: the stages run again over a document while its text changes: as long as each pass shortens
#: it (which must end: a rule that peels one copyright notice a pass, say), and at most this
#: many passes that change it without shortening it. Almost always the second pass finds
#: nothing left to do.
MAX_ROUNDS = 4
#: a document may grow to twice its length and this many characters more: a rule that grows it
#: further (a hostile or broken rule file: 'a' -> 400 a's a pass) is stopped with an error after
#: its step, so growth cannot compound over steps and passes; the one step still makes its own
#: copy (checking each step's length before it is made cost 0.9% more on 400-character
#: documents). No bundled rule grows a text by more than a space a match.
MAX_GROWTH = 1 << 16


def another_round(before: str, after: str, unshortened: int) -> tuple[bool, int]:
    """Whether the stages run again after a pass turned ``before`` into ``after``, and the
    count of passes so far that changed the text without shortening it."""
    if after == before:
        return False, unshortened
    if len(after) < len(before):
        return True, unshortened
    return unshortened + 1 < MAX_ROUNDS, unshortened + 1


class DocumentTimeout(Exception):
    """A rule ran past the per-document time limit, or the document had used it up before the
    rule began (``before``: the steps and scans before it took the time, not the rule)."""

    def __init__(self, rule: str, limit: float | None, before: bool = False):
        what = f"the {limit:g}s per-document regex time limit" if limit else "a time limit"
        if before:
            message = f"the document used up {what} before rule {rule!r} (in the steps before it)"
        else:
            message = f"rule {rule!r} exceeded {what}"
        super().__init__(message)
        self.rule = rule


#: with at least this many trigger literals (see :func:`cleaner.engine.scan.scanned`), one
#: Aho-Corasick scan beats one scan per literal (measured on news text: ~55 ms vs ~150 ms for 66
#: literals over 7.5 MB)
MULTI_LITERAL_MIN = 16


class Engine:
    """A rule set compiled once; :meth:`run` cleans one document.

    ``multi_literal``: find the trigger literals of all stages with one Aho-Corasick scan
    (``ahocorasick_rs``, a dependency; the engine works without it), kept up to date through
    every edit, instead of one scan per literal. ``None``: when importable and the rules have
    at least :data:`MULTI_LITERAL_MIN` such literals. Same output either way.
    """

    def __init__(
        self, rules: list[Rule], timeout: float | None = None, *, multi_literal: bool | None = None
    ):
        self.rules = rules
        self.timeout = timeout
        #: pass the stages again while the text changes (False: one pass; for tests that
        #: compare one pass of a rule with its regex)
        self.fixed_point = True
        #: every line pass and inline step, in the order a round runs them (a stage's line pass,
        #: then its inline steps, stage after stage); slot k is bit k of the gate masks
        self.slots: list[LinePass | InlineStep] = []
        use = multi_literal
        if use is None:
            scannable = {t for r in rules if not r.ignore_case for t in r.trigger if scanned(t)}
            use = len(scannable) >= MULTI_LITERAL_MIN
        use = use and multi_literal_available()
        ids: dict[str, int] | None = {} if use else None
        for stage in STAGES:
            in_stage = [r for r in rules if r.stage == stage]
            line_rules = [r for r in in_stage if r.kind in ("drop-line", "cut-tail")]
            if line_rules:
                self.slots.append(LinePass(line_rules, ids, stage))
            self.slots += [
                compile_step(r, ids) for r in in_stage if r.kind in ("replace", "function")
            ]
        #: the slots' gates (see :meth:`_open`): the slots without gates, those opened by a
        #: literal of the scan (literal id -> mask), by a probe (for any text, and the probes
        #: that can occur in ASCII text)
        self.always = 0
        self.by_literal: dict[int, int] = {}
        probes: dict[Probe, int] = {}
        ascii_probes: dict[Probe, int] = {}
        its_probes: tuple[Probe, ...]
        its_ascii: tuple[Probe, ...]
        for k, slot in enumerate(self.slots):
            bit = 1 << k
            if isinstance(slot, LinePass):
                # (without the scan, or with a pattern among its finders, only its candidates
                # search can tell)
                if ids is None or slot.probes is None or slot.ascii_probes is None:
                    self.always |= bit
                its_probes, its_ascii = slot.probes or (), slot.ascii_probes or ()
            else:
                if not slot.gates:
                    self.always |= bit
                its_probes, its_ascii = slot.probes, slot.ascii_probes
            for i in slot.scan_ids:
                self.by_literal[i] = self.by_literal.get(i, 0) | bit
            for p in its_probes:
                probes[p] = probes.get(p, 0) | bit
            for p in its_ascii:
                ascii_probes[p] = ascii_probes.get(p, 0) | bit
        self.by_probe = _split(probes)
        self.by_ascii_probe = _split(ascii_probes)
        self.all_slots = (1 << len(self.slots)) - 1
        #: the literals of the multi-literal scan, or ``None`` (one scan per literal)
        self.scan_literals = list(ids) if ids else None
        self.automaton = None
        self.pad = 0  # the longest scan literal's length - 1
        if self.scan_literals:
            import ahocorasick_rs

            # a DFA: 1.4x faster to scan than the default NFA (measured: benchmarks/)
            self.automaton = ahocorasick_rs.AhoCorasick(
                self.scan_literals, implementation=ahocorasick_rs.Implementation.DFA
            )
            self.pad = max(map(len, self.scan_literals)) - 1

    def run(
        self,
        text: str,
        *,
        url: str | None = None,
        publisher: str | None = None,
        explain: bool = False,
    ) -> Result:
        """Clean ``text``. With ``explain``, also compose the edits into input offsets.

        The stages run again while they change the text (see :data:`MAX_ROUNDS`), so cleaning
        the output again changes nothing. A document whose rule raises, or runs past
        the time limit, passes through unchanged with ``Result.error`` naming the rule.
        """
        original = text
        acc: list | None = [] if explain else None
        limit = self.timeout
        deadline = time.perf_counter() + limit if limit else 0.0
        try:
            if self.automaton is None and not text.isascii() and _ANY_SURROGATE.search(text):
                text, acc = _repair(text, acc)
            try:
                text, acc = self._rounds(text, url, publisher, acc, original, deadline)
            except UnicodeEncodeError:  # the scan cannot encode a lone surrogate
                if not _ANY_SURROGATE.search(original):
                    raise
                text, acc = _repair(original, [] if explain else None)
                text, acc = self._rounds(text, url, publisher, acc, original, deadline)
        except RuleTimeout as exc:
            # a rule times out only under a limit
            return Result(original, [], str(DocumentTimeout(exc.rule, limit, exc.before)))
        except RuleError as exc:
            return Result(original, [], str(exc))
        except Exception as exc:  # noqa: BLE001 - one document must not stop a run
            return Result(original, [], f"the engine raised {type(exc).__name__}: {exc}")
        if acc is not None:
            return Result(text, to_edits(original, acc))
        return Result(text)

    def _rounds(self, text, url, publisher, acc, original, deadline):
        """Pass the stages over ``text`` until it stops changing (see :data:`MAX_ROUNDS`)."""
        unshortened = 0
        # one scan for every round: kept up to date through every edit, so the next round
        # starts from its hits instead of scanning the text again
        scan = Scan(self.automaton, self.pad) if self.automaton is not None else None
        until = len(self.slots) - 1  # the first round runs every slot (-1: there are none)
        while until >= 0:
            before = text
            text, acc, until = self._round(
                text, url, publisher, acc, original, deadline, scan, until
            )
            if text is before:  # (the common case, without a call)
                break
            again, unshortened = another_round(before, text, unshortened)
            if not (again and self.fixed_point):
                break
        return text, acc

    def _open(self, present: set[int] | None, text: str, is_ascii: bool, wanted: int) -> int:
        """Mask of the slots among ``wanted`` whose gates are open on ``text``, whose scanned
        literals are ``present`` (``None``: no scan)."""
        mask = self.always
        if present:
            by_literal = self.by_literal
            for i in present:
                mask |= by_literal.get(i, 0)
        mask &= wanted
        closed = wanted ^ mask  # (not ``wanted & ~mask``: see :meth:`_round` on negative masks)
        # (only for slots not yet open: a probe may search the whole text)
        literals, searches = self.by_ascii_probe if is_ascii else self.by_probe
        for literal, bits in literals:
            if bits & closed and literal in text:
                mask |= bits
        for search, bits in searches:
            if bits & closed and search(text) is not None:
                mask |= bits
        return mask & wanted

    def _round(self, text, url, publisher, acc, original, deadline, scan, until):
        """One pass of every slot; returns the text (the same object if nothing changed), the
        edits so far, and the last slot the next round must run (-1: none). A rule that raises
        or runs out of time raises :class:`RuleError` / :class:`RuleTimeout` naming it.
        ``scan``: the document's :class:`Scan` (or None), updated through every edit.

        ``until``: that slot, from the previous round: the last that edited, or the one before
        it when that one settles (finds nothing in its own output: a line pass, whose line's
        fate depends on the line alone; a function rule that says so). The slots after it saw
        that round's output and found nothing to do: while this round has not changed the
        text, they would see it again, so the round runs only the slots up to it (exact, and
        often the second round's first slots are all it runs, or none).
        """
        limit = self.timeout
        resume = -1  # what this round returns as ``until``
        slots = self.slots
        is_ascii = text.isascii()
        present = None
        if scan is not None:
            if not is_ascii:
                scan.matches(text)  # now: it raises on a lone surrogate before any rule runs
            present = scan.present(text)
        # the slots whose gates are open, in order
        todo = self._open(present, text, is_ascii, (2 << until) - 1)
        while todo:
            # the next slot, in order (masks hold one bit per slot: no negative numbers, which
            # cost CPython a two's complement copy of a long int per operation)
            rest = todo & (todo - 1)
            low = todo ^ rest
            todo = rest
            k = low.bit_length() - 1
            slot = slots[k]
            if isinstance(slot, LinePass):
                try:
                    found = slot.spans(text, is_ascii, url, publisher, deadline, scan)
                except TimeoutError:
                    raise RuleTimeout(slot.name) from None
                except (RuleTimeout, UnicodeEncodeError):
                    raise
                except Exception as exc:
                    raise RuleError(slot.name, exc) from exc
                if not found:
                    continue
                if acc is not None:
                    acc = compose(original, acc, found)
                text = splice(text, [f[:3] for f in found])
                if scan is not None:
                    scan.update(text, found)
            else:
                if slot.where is not None and not slot.where.matches(url, publisher):
                    continue
                left = None  # the seconds left, checked before each step
                if limit:
                    left = deadline - perf_counter()
                    if left <= 0:
                        raise RuleTimeout(slot.id, before=True)
                try:
                    spans = slot.spans(text, left, scan)
                except TimeoutError:
                    raise RuleTimeout(slot.id) from None
                except Exception as exc:
                    raise RuleError(slot.id, exc) from exc
                if not spans:
                    continue
                if acc is not None:
                    acc = compose(original, acc, [(*sp, slot.id) for sp in spans])
                text = splice(text, spans)
                if len(text) > (len(original) << 1) + MAX_GROWTH:  # (line rules only delete)
                    raise RuleError(slot.id, ValueError(
                        f"it grew the document from {len(original):,} to {len(text):,} "
                        f"characters (at most twice its length + {MAX_GROWTH:,})"))  # fmt: skip
                if scan is not None:
                    scan.update(text, spans)
            resume = k - 1 if slot.settles else k  # (a slot that settles: see above)
            # the edits may open or close the gates of every later slot
            is_ascii = text.isascii()
            if scan is not None:
                present = scan.present(text)
            todo = self._open(present, text, is_ascii, self.all_slots ^ ((low << 1) - 1))
        return text, acc, resume


#: the rule id the engine credits with replacing lone surrogates (a rule file cannot spell one:
#: TOML strings hold Unicode scalar values only, so this step lives here, before every stage)
SURROGATE_RULE = "unicode.lone-surrogate"
#: a surrogate (one class: ~800 MB/s, where the alternation below crawls at ~30)
_ANY_SURROGATE = regex.compile("[\ud800-\udfff]")
#: a high surrogate followed by a low one (a UTF-16 pair left in a str), or a lone one
_SURROGATE = regex.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _split(
    masks: dict[Probe, int],
) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[Callable[[str], object], int], ...]]:
    """Probes with the masks of the slots they open: the literals (tested with ``in``), and
    the search callables."""
    literals = tuple((p, m) for p, m in masks.items() if isinstance(p, str))
    searches = tuple((p, m) for p, m in masks.items() if not isinstance(p, str))
    return literals, searches


def lone_surrogates(text: str) -> list[Span]:
    """Surrogate code points, which no UTF-8 writer can encode: a pair becomes the character
    it stands for, a lone one U+FFFD (the replacement character)."""
    out: list[Span] = []
    for m in _SURROGATE.finditer(text):
        g = m.group()
        if len(g) == 2:
            out.append((m.start(), m.end(), g.encode("utf-16", "surrogatepass").decode("utf-16")))
        else:
            out.append((m.start(), m.end(), "\ufffd"))
    return out


def _repair(text: str, acc: list | None) -> tuple[str, list | None]:
    """``text`` without surrogates, and ``acc`` with that edit (when explaining)."""
    spans = lone_surrogates(text)
    if acc is not None:
        acc = compose(text, acc, [(*sp, SURROGATE_RULE) for sp in spans])
    return splice(text, spans), acc
