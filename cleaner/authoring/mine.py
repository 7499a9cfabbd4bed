"""Mine recurring junk that the current rules leave: the counting half of ``cleaner rules mine``.

One pass over cleaned documents. Each line, each line head ending in a separator
("ALSO READ :", "Read more:") and each short sentence of a multi-sentence line is reduced to a
*skeleton*: numbers (also "4.2k", "12:30"), URLs and @handles become placeholders, and every run
of capitalized words becomes a slot whose value (the *fill*) is remembered, so that
"4.2k SHARES Facebook Twitter" and "978 SHARES Facebook Twitter" are one template and
"Ann Lee contributed." and "Bo Park contributed." are another. Per group (publisher, domain,
any field, or the whole input) a skeleton is counted once per document.

Memory is bounded: counts are kept under a hash of the key in a dict of at most ``max_keys``
entries, pruned of the rarest keys when full (lossy counting: a template is missed only if it
does not recur before that many other distinct lines arrive); a skeleton seen in ``promote``
documents becomes a :class:`Candidate` (at most ``max_candidates``, the rarest evicted) that
keeps reservoir samples of its occurrences and of lines where its literal text occurs as
content. :mod:`cleaner.authoring.mine_rules` turns candidates into reviewed-ready rules.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

#: placeholder characters (private use) of a skeleton
NUM, URL, AT, CAP, MONTH = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?(?!\w)"
)
_NUMBER = r"\d+(?:[.,:/]\d+)*(?:[kKmMbB]|st|nd|rd|th)?(?: ?[ap]\.m\.| ?[AP]M)?(?!\w)"
_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
#: between two capitalized words of one run: "Ann Lee", "Ann Lee, Bo Park and Cy Dunn"
JOIN = r"(?: |, (?:and )?| and )"
TOKEN = regex.compile(
    r"(?P<url>https?://\S+)|(?P<at>@\w+)"
    rf"|(?P<num>{_NUMBER})|(?P<month>{_MONTHS})"
    rf"|(?P<cap>{_WORD}(?:{JOIN}(?!{_MONTHS}){_WORD})*)"
)
#: bullets and dashes before a line's text ("—Updated at", "- Updated at", "• Read more")
BULLET_RE = regex.compile(r"^[-—–•*·>]+ ?")
_SLOTS = regex.compile(f"[{NUM}{URL}{AT}{CAP}{MONTH}]")
#: regex of each placeholder in a rule's pattern
SLOT_RE = {
    NUM: _NUMBER.removesuffix(r"(?!\w)"),
    MONTH: _MONTHS.removesuffix(r"(?!\w)"),
    URL: r"https?://\S+",
    AT: r"@\w+",
}
#: a line head ending in a separator, followed by more text: "ALSO READ : ...", "Watch: ..."
HEAD_RE = regex.compile(r"^(?=[^\s:|»]{2})([^:|»\n]{2,40}?) ?([:|»]) (?=\S)")
#: a sentence boundary inside a line (the next sentence starts with a capital, digit or quote;
#: not after an abbreviation such as "Rep." or "U.S.")
SENTENCE_RE = regex.compile(
    r"(?<![\s(\"“]\p{Lu}[\p{L}.]{0,4}\.|^\p{Lu}[\p{L}.]{0,4}\.)"
    r"(?<=[.!?…][\"”’)]?) +(?=[\p{Lu}\d\"“‘(\[])| +[|—] +"
)
WORD_RE = regex.compile(r"\S+")
#: a credit at the end of a caption line: "... at the rally. (Ann Lee/Agency Images)"
TAIL_RE = regex.compile(r"(?<=\S) \((?P<who>\p{Lu}[^()/\n]{1,60})/(?P<src>[^()\n]{2,40})\)$")
#: kinds of unit that are part of a line (a sentence, a line-end credit), not a whole line
INLINE = ("span", "tail")
#: most distinct fills kept per candidate (then those seen once are dropped)
MAX_FILLS = 50
#: most groups remembered per candidate
MAX_GROUPS = 50


@lru_cache(maxsize=1 << 14)
def skeleton(text: str) -> tuple[str, tuple[str, ...]]:
    """(skeleton, fills): varying parts replaced by placeholders, capitalized runs' values.
    When too little literal text would be left (under 4 letters in its longest literal part),
    the capitalized runs stay literal: "Share on Facebook" is its own template."""
    out: list[str] = []
    fills: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text):
        out.append(text[pos : m.start()])
        kind = m.lastgroup
        if kind == "cap":
            out.append(CAP)
            fills.append(m.group())
        else:
            out.append({"num": NUM, "url": URL, "at": AT, "month": MONTH}[kind])
        pos = m.end()
    out.append(text[pos:])
    skel = "".join(out)
    if fills and _weak(skel):
        return fill_in(skel, tuple(fills)), ()
    return skel, tuple(fills)


def tail_skeleton(unit: str) -> tuple[str, tuple[str, ...]]:
    """A caption credit "(Ann Lee/Agency Images)": the name is the slot, the source literal."""
    who, src = unit[1:-1].split("/", 1)
    return f"({CAP}/{src})", (who,)


def _weak(skel: str) -> bool:
    """Whether no literal part of the skeleton has 4 letters (a URL or @handle is enough)."""
    if URL in skel or AT in skel:
        return False
    return not any(sum(map(str.isalpha, c)) >= 4 for c in _SLOTS.split(skel))


@lru_cache(maxsize=1 << 12)
def segments(line: str) -> tuple[str, ...]:
    """The sentences of a line (split at sentence ends and ' | ' separators)."""
    return tuple(s for s in SENTENCE_RE.split(line) if s)


def is_prose(line: str) -> bool:
    """A content sentence: 8 or more words, ends like a sentence, mostly lowercase words."""
    words = WORD_RE.findall(line)
    if len(words) < 8 or line[-1] not in '.!?…"”’)':
        return False
    return sum(w[0].islower() for w in words) * 2 >= len(words)


def host(url: str) -> str:
    """The URL's host without ``www.``."""
    rest = url.split("://", 1)[-1]
    h = rest.split("/", 1)[0].split(":", 1)[0].casefold()
    return h[4:] if h.startswith("www.") else h


@dataclass(slots=True)
class Occurrence:
    """One occurrence of a candidate: the line (or sentence) and its neighbours."""

    doc: str
    text: str  # the unit: a whole line, a line head or a sentence
    line: str  # the line it is in
    prev: str
    next: str
    url: str | None = None
    publisher: str | None = None


@dataclass(slots=True)
class Candidate:
    """A skeleton that recurs in one group: counts, fills and samples."""

    kind: str  # line | head | span
    group: str | None  # None: whole input (or documents without the group field)
    skeleton: str
    key: int  # hash of (kind, group, skeleton)
    docs: int = 0
    fills: Counter = field(default_factory=Counter)  # fill tuple -> documents
    samples: list[Occurrence] = field(default_factory=list)
    seen: int = 0  # occurrences offered to the reservoir
    max_len: int = 0  # longest line (line, head) or sentence (span) it occurred in
    long_prose: int = 0  # occurrences in prose lines (see is_prose)
    bullet: bool = False  # some line occurrence starts with a bullet or dash (line kind)
    positions: set = field(default_factory=set)  # span: first / middle / last
    probe: str = ""  # literal text searched for in other lines (content check)
    probe_docs: int = 0  # documents where ``probe`` occurs inside a prose sentence
    content: list[str] = field(default_factory=list)  # such lines (reservoir)
    content_seen: int = 0
    near: list[str] = field(default_factory=list)  # other lines holding ``probe``
    groups: set = field(default_factory=set)  # groups of its documents (up to MAX_GROUPS)
    last_doc: int = -1
    last_probe_doc: int = -1


@dataclass(slots=True)
class Options:
    """Thresholds of ``cleaner rules mine`` (see docs/mining.md)."""

    min_docs: int = 5  # a candidate must occur in at least this many documents
    family_min_docs: int = 3  # ... or this many when it has a bundled family's shape
    min_share: float = 0.01  # ... and in this share of its group's documents (per group)
    max_content_share: float = 0.02  # most documents with its text as content, per occurrence
    max_chars: int = 200  # longest line a line rule may drop; longer occurrences: prose
    span_chars: int = 120  # longest sentence mined as an inline span
    line_chars: int = 300  # longest line counted at all
    samples: int = 5  # occurrences kept per candidate
    max_rules: int = 50  # most rules proposed (the most frequent first)
    promote: int = 2  # documents after which a skeleton is tracked as a candidate
    max_keys: int = 400_000  # most counted keys held at once (memory bound)
    max_candidates: int = 10_000  # most candidates held at once (memory bound)
    seed: int = 0


class Miner:
    """Feed cleaned documents to :meth:`add`; :attr:`candidates` holds what recurs."""

    def __init__(self, options: Options | None = None, scoped: bool = True):
        self.opt = options or Options()
        #: rules mined per group will be scoped to it (publisher, domain): the content check
        #: then looks at the group's documents only
        self.scoped = scoped
        self.counts: dict[int, int] = {}
        self.candidates: dict[int, Candidate] = {}
        self.group_docs: Counter = Counter()
        self.docs = 0
        self.chars = 0
        self.pruned = 0  # keys dropped by pruning (the count is approximate past this)
        self._rng = random.Random(self.opt.seed)
        self._floor = 1  # prune threshold of ``counts``
        self._cfloor = 1  # prune threshold of ``candidates``
        self._automaton: Any = None  # an ahocorasick_rs.AhoCorasick over the probes
        self._probe_cands: list[list[Candidate]] = []
        self._built = 0  # candidates when the automaton was built
        self._new = 0  # candidates added since
        self._built_doc = 0

    # ---------------------------------------------------------------------------- counting

    def units(self, lines: list[str]) -> Iterator[tuple[str, str, int]]:
        """(kind, text, line index) of every unit of a document's lines."""
        opt = self.opt
        for i, line in enumerate(lines):
            if not line:
                continue
            if len(line) <= opt.line_chars:
                yield "line", BULLET_RE.sub("", line) or line, i
                m = HEAD_RE.match(line)
                if m:
                    yield "head", m.group(1) + m.group(2), i
            m = TAIL_RE.search(line)
            if m:  # counted as "(<Name>/Agency Images)": the credited source stays literal
                yield "tail", m.group()[1:], i
            segs = segments(line)
            if len(segs) > 1:
                for seg in segs:
                    if 8 <= len(seg) <= opt.span_chars and " " in seg:
                        yield "span", seg, i

    def add(self, text: str, group: str | None = None, name: str = "",
            url: str | None = None, publisher: str | None = None) -> None:  # fmt: skip
        """Count one cleaned document of ``group``."""
        self.docs += 1
        self.chars += len(text)
        self.group_docs[group] += 1
        doc = self.docs
        lines = [x.strip() for x in text.split("\n")]
        mine: set[int] = set()  # keys occurring in this document
        at: dict[int, set[int]] = {}  # line index -> keys of its units
        # per group, and across the whole input too (templates shared by several groups)
        groups = (group,) if group is None else (group, None)
        if group is not None:
            self.group_docs[None] += 1
        for kind, unit, i in self.units(lines):
            skel, fills = tail_skeleton(unit) if kind == "tail" else skeleton(unit)
            for g in groups:
                self._count(kind, g, group, skel, fills, unit, lines, i, mine, at,
                            (doc, name, url, publisher))  # fmt: skip
        self._content_check(text, lines, group, at, doc)
        if len(self.counts) > self.opt.max_keys:
            self._prune()
        if len(self.candidates) > self.opt.max_candidates:
            self._prune_candidates()

    def _count(self, kind, g, group, skel, fills, unit, lines, i, mine, at, where) -> None:
        """Count one unit under group ``g`` (``group``: the document's own)."""
        counts, cands = self.counts, self.candidates
        doc, name, url, publisher = where
        key = hash((kind, g, skel))
        at.setdefault(i, set()).add(key)
        if key in mine:
            cand = cands.get(key)
            if cand is not None:
                self._sample(cand, unit, lines, i, name, url, publisher, new_doc=False)
            return
        mine.add(key)
        n = counts.get(key, 0) + 1
        counts[key] = n
        fkey = hash((kind, g, skel, fills))
        counts[fkey] = counts.get(fkey, 0) + 1
        cand = cands.get(key)
        if cand is None:
            if n < self.opt.promote or len(skel) > self.opt.line_chars:
                return
            cand = cands[key] = Candidate(kind, g, skel, key, docs=n - 1)
            cand.probe = _probe(skel)
            self._new += 1
        if cand.last_doc != doc:
            cand.last_doc = doc
            cand.docs += 1
            if len(cand.groups) < MAX_GROUPS:
                cand.groups.add(group)
            if fills not in cand.fills:
                cand.fills[fills] = counts[fkey] - 1
            cand.fills[fills] += 1
            if len(cand.fills) > MAX_FILLS:
                cand.fills = Counter({f: n for f, n in cand.fills.items() if n > 1})
        self._sample(cand, unit, lines, i, name, url, publisher, new_doc=True)

    def _sample(self, cand: Candidate, unit: str, lines: list[str], i: int, name: str,
                url, publisher, new_doc: bool) -> None:  # fmt: skip
        line = lines[i]
        size = len(unit) if cand.kind in INLINE else len(line)
        cand.max_len = max(cand.max_len, size)
        if cand.kind == "span":
            pos = line.find(unit)
            cand.positions.add("first" if pos == 0 else
                               "last" if pos + len(unit) == len(line) else "middle")  # fmt: skip
        if not new_doc:
            return
        if cand.kind not in INLINE and is_prose(line):
            cand.long_prose += 1
        if cand.kind == "line" and not cand.bullet and BULLET_RE.match(line):
            cand.bullet = True
        cand.seen += 1
        occ = None
        if len(cand.samples) < self.opt.samples:
            occ = len(cand.samples)  # a new sample, appended below
        else:
            j = self._rng.randrange(cand.seen)
            if j < self.opt.samples:
                occ = j
        if occ is not None:
            prev = next((x for x in reversed(lines[:i]) if x), "")
            nxt = next((x for x in lines[i + 1 :] if x), "")
            if cand.kind in INLINE:
                line = _around(line, unit)
            sample = Occurrence(name, unit, line, _clip(prev, -CONTEXT), _clip(nxt, CONTEXT),
                                url, publisher)  # fmt: skip
            if occ == len(cand.samples):
                cand.samples.append(sample)
            else:
                cand.samples[occ] = sample

    # ------------------------------------------------------------------------ content check

    def _content_check(self, text: str, lines: list[str], group, at: dict[int, set[int]],
                       doc: int) -> None:  # fmt: skip
        """Lines of this document that hold a candidate's literal text but are not one of its
        occurrences: prose ones count against the candidate, all are keep examples."""
        new = self._new
        if new and (new >= self._built or doc - self._built_doc > 2000):  # doubling
            self._build_automaton(doc)
        if self._automaton is None:
            return
        hits = self._automaton.find_matches_as_indexes(text, overlapping=True)
        if not hits:
            return
        starts = []
        pos = 0
        raw = text.split("\n")
        for r in raw:
            starts.append(pos)
            pos += len(r) + 1
        import bisect

        prose: dict[int, list[str]] = {}  # line index -> its prose sentences
        for idx, start, _end in hits:
            li = bisect.bisect_right(starts, start) - 1
            line = lines[li]
            keys = at.get(li, ())
            for cand in self._probe_cands[idx]:
                if cand.last_probe_doc == doc or (self.scoped and cand.group is not None
                                                  and cand.group != group):  # fmt: skip
                    continue
                if cand.key in keys:  # an occurrence, not content
                    continue
                cand.last_probe_doc = doc
                if li not in prose:
                    prose[li] = [x for x in segments(line) if is_prose(x)]
                seg = next((x for x in prose[li] if cand.probe in x), None)
                if seg is not None:
                    cand.probe_docs += 1
                    _keep(cand.content, _around(seg, cand.probe), self._rng,
                          self.opt.samples, cand.probe_docs)  # fmt: skip
                elif len(line) <= self.opt.line_chars:
                    _keep(cand.near, line, self._rng, 3, 0)

    def _build_automaton(self, doc: int) -> None:
        import ahocorasick_rs

        probes: dict[str, list[Candidate]] = {}
        for cand in self.candidates.values():
            if cand.probe:
                probes.setdefault(cand.probe, []).append(cand)
        self._built, self._built_doc, self._new = len(self.candidates), doc, 0
        if not probes:
            self._automaton = None
            return
        self._automaton = ahocorasick_rs.AhoCorasick(list(probes))
        self._probe_cands = list(probes.values())

    # ------------------------------------------------------------------------------ memory

    def _prune(self) -> None:
        """Drop the rarest keys until the dict is at most half full (lossy counting)."""
        while len(self.counts) > self.opt.max_keys // 2:
            before = len(self.counts)
            floor = self._floor
            self.counts = {k: v for k, v in self.counts.items() if v > floor}
            self.pruned += before - len(self.counts)
            self._floor += 1

    def _prune_candidates(self) -> None:
        while len(self.candidates) > self.opt.max_candidates // 2:
            floor = self._cfloor
            self.candidates = {k: c for k, c in self.candidates.items() if c.docs > floor}
            self._cfloor += 1


#: characters of context kept on each side of a sample
CONTEXT = 300


def _clip(text: str, n: int) -> str:
    """The first ``n`` characters of ``text`` (the last ``-n`` when negative), at a space."""
    if len(text) <= abs(n):
        return text
    if n > 0:
        cut = text.rfind(" ", 0, n)
        return text[: cut if cut > 0 else n]
    cut = text.find(" ", len(text) + n)
    return text[cut + 1 if cut >= 0 else len(text) + n :]


def _around(line: str, part: str) -> str:
    """``line`` cut to whole words around ``part`` (up to :data:`CONTEXT` characters each side)."""
    pos = line.find(part)
    if pos < 0 or len(line) <= len(part) + 2 * CONTEXT:
        return line
    return _clip(line[:pos], -CONTEXT) + part + _clip(line[pos + len(part) :], CONTEXT)


def _keep(bucket: list[str], line: str, rng: random.Random, size: int, seen: int) -> None:
    """Reservoir sampling of lines (``seen``: lines offered so far, 0 when not counted)."""
    if line in bucket:
        return
    if len(bucket) < size:
        bucket.append(line)
    elif seen and rng.randrange(seen) < size or not seen and rng.random() < 0.2:
        bucket[rng.randrange(size)] = line


def literal_chunks(skel: str) -> list[str]:
    """The literal parts of a skeleton (between placeholders)."""
    return [c for c in _SLOTS.split(skel) if c.strip()]


def _probe(skel: str) -> str:
    """The literal searched for in other lines: the skeleton's longest literal part (an
    @handle's '@' and a URL's 'http' count, as in a rule's trigger)."""
    skel = skel.replace(AT, "@" + CAP).replace(URL, "http" + CAP)
    return max((c.strip() for c in literal_chunks(skel)), key=len, default="")


def fill_in(skel: str, fills: tuple[str, ...]) -> str:
    """The skeleton with its capitalized slots filled back in (other placeholders stay)."""
    it = iter(fills)
    return regex.sub(CAP, lambda _m: next(it, ""), skel)


#: ``--by`` values a rule's ``where`` can express (other fields give unscoped rules)
SCOPING = ("publisher", "url", "domain")


def group_of(data: dict | None, by: str | None) -> tuple[str | None, str | None, str | None]:
    """(group, url, publisher) of a record for ``--by`` (``url``/``domain``: the URL's host)."""
    data = data or {}
    url = data.get("url") if isinstance(data.get("url"), str) else None
    pub = data.get("publisher") if isinstance(data.get("publisher"), str) else None
    if by is None:
        return None, url, pub
    if by in ("url", "domain"):
        return (host(url) or None) if url else None, url, pub
    value = data.get(by)
    if value is None or value == "" or isinstance(value, (dict, list)):
        return None, url, pub
    return str(value), url, pub


def mine(records: Iterable, cleaner, by: str | None = None,
         options: Options | None = None) -> Miner:  # fmt: skip
    """Clean each record (a ``cleaner.pipeline.records.Record``) with ``cleaner``, mine the rest."""
    miner = Miner(options, scoped=by in SCOPING)
    for rec in records:
        group, url, pub = group_of(rec.data, by)
        text = cleaner.clean(rec.text, url=url, publisher=pub)
        name = f"{rec.source}:{rec.line}" if rec.line else rec.source
        miner.add(text, group, name, url, pub)
    return miner
