"""Edit provenance: map each rule's edits back to offsets in the input text.

Rules run one after another, each on the text the previous one produced, so a rule reports its
edits in the coordinates of *its* input. :func:`compose` folds such a step into the list of edits
so far, kept in coordinates of the *original* input, crediting every removed character to the
rule that removed it:

* input text a step removes becomes an edit of that step's rule;
* text an earlier edit wrote and a later step removes is taken out of the earlier edit's
  replacement (the earlier rule still removed what it removed from the input);
* a step's replacement goes where its match starts: into its own edit, or into the earlier
  edit's replacement when the match starts inside it.

Edits are never merged, so adjacent edits of different rules stay separate, and a rule's edit
removes only text that rule matched (a whitespace rule removes whitespace only). Applying the
composed edits to the input reproduces the output exactly (``model.apply_edits``).
"""

from __future__ import annotations

from cleaner.model import Edit

#: an edit in original coordinates, while composing: (start, end, replacement, rule id)
_Acc = tuple[int, int, str, str]


def compose(original: str, acc: list[_Acc], spans: list[_Acc]) -> list[_Acc]:
    """Fold one step's ``spans`` (sorted, non-overlapping, in the coordinates of the text the
    step saw, each with its rule id) into ``acc`` (edits of ``original`` so far, in order).

    Linear in ``len(acc) + len(spans)``. Edits that end up changing nothing are dropped.
    """
    return _Composer(original, acc).fold(spans)


class _Composer:
    """The state of one :func:`compose`: a walk over ``acc`` in step with the spans."""

    def __init__(self, original: str, acc: list[_Acc]):
        self.original = original
        self.acc = acc
        self.out: list[_Acc] = []
        self.i = 0  # the next edit of acc not yet passed
        self.shift = 0  # step coordinates - original ones, before acc[i]
        self.parts: list[str] | None = None  # acc[i]'s new replacement so far, once touched
        self.copied = 0  # how much of acc[i]'s replacement ``parts`` accounts for

    def fold(self, spans: list[_Acc]) -> list[_Acc]:
        acc, n = self.acc, len(self.acc)
        for cs, ce, repl, rule in spans:
            # earlier edits wholly before this span are done
            while self.i < n and acc[self.i][0] + self.shift + len(acc[self.i][2]) <= cs:
                self._pass()
            if cs == ce:  # an insertion: inside an earlier replacement, or an edit of its own
                if self.i < n and acc[self.i][0] + self.shift < cs:
                    self._cut(cs - acc[self.i][0] - self.shift, 0, repl)
                elif repl:
                    self.out.append((cs - self.shift, cs - self.shift, repl, rule))
                continue
            pos, ins = cs, repl  # the replacement goes where the span starts
            while pos < ce:
                acs = acc[self.i][0] + self.shift if self.i < n else ce
                if pos < acs:  # input text no earlier edit touched: this rule removes it
                    b = min(acs, ce)
                    s, e = pos - self.shift, b - self.shift
                    if ins != self.original[s:e]:
                        self.out.append((s, e, ins, rule))
                    pos, ins = b, ""
                    continue
                # text an earlier edit wrote: it leaves that edit's replacement
                take = min(ce, acs + len(acc[self.i][2])) - pos
                self._cut(pos - acs, take, ins)
                pos, ins = pos + take, ""
                if pos < ce:
                    self._pass()
        while self.i < n:
            self._pass()
        return self.out

    def _cut(self, off: int, take: int, ins: str) -> None:
        """In acc[i]'s replacement (as the step saw it), ``take`` characters at ``off`` become
        ``ins``."""
        r = self.acc[self.i][2]
        if self.parts is None:
            self.parts = []
        self.parts.append(r[self.copied : off])
        self.parts.append(ins)
        self.copied = off + take

    def _pass(self) -> None:
        """acc[i] is done: emit it (with its new replacement, unless that changes nothing)."""
        s, e, r, rule = self.acc[self.i]
        if self.parts is None:
            self.out.append(self.acc[self.i])
        else:
            new = "".join(self.parts) + r[self.copied :]
            if new != self.original[s:e]:
                self.out.append((s, e, new, rule))
            self.parts, self.copied = None, 0
        self.shift += len(r) - (e - s)
        self.i += 1


def to_edits(original: str, acc: list[_Acc]) -> list[Edit]:
    """Finish composing: attach the removed text."""
    return [Edit(rule, start, end, original[start:end], repl) for start, end, repl, rule in acc]
