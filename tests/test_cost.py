"""The proven work bound (cleaner/engine/cost.py) that lets short calls skip the time limit."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.api import Cleaner
from cleaner.engine.cost import (
    BUDGET,
    LONGEST,
    Unbounded,
    _leading_run,
    _read,
    _sequence,
    _shape,
    safe_length,
    search_work,
    stdlib_twin,
)
from cleaner.engine.lines import LinePass
from cleaner.engine.steps import InlineStep


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+b",  # nested unbounded repeats: exponential
        r"(a|a)*b",  # two ways per iteration, unbounded
        r"(\w+\s?)+$",
        r"(?:x{0,38}, ?){8,}",  # a variable body repeated without bound
    ],
)
def test_catastrophic_shapes_get_no_useful_bound(pattern) -> None:
    assert safe_length(pattern) < 40


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<=\w+)x",  # variable look-behind: regex reads it, re does not
        r"(?:cat){e<=1}",  # fuzzy matching: re would read literal text
        r"a\Kb",
        r"[[:alpha:]]+",
        r"(?r)abc",
        r"(",
    ],
)
def test_syntax_the_bound_does_not_read_keeps_the_limit(pattern) -> None:
    assert safe_length(pattern) == 0


def test_bounded_and_possessive_shapes_are_proved_for_long_texts() -> None:
    assert safe_length("zqxjv") > 100_000 and safe_length(r"\p{Lu}\p{Ll}{1,20}[ ,;:]") > 10_000
    assert safe_length(r" [ \t]*+[a-z]") > 1000  # possessive: one way
    assert safe_length(r" [ \t]*[a-z]") < safe_length(r" [ \t]*+[a-z]")
    # a run costs its length at every start of a search: quadratic, so proved for shorter texts
    assert 1000 < safe_length(r"[\ufeff\u200b]++") < safe_length(r"[\ufeff\u200b]") < LONGEST


def test_the_bound_grows_with_the_text_and_respects_the_budget() -> None:
    items = _shape(_read(r"[ \t]*(?:Share|Tweet)[ \t]*", False))
    works = [_sequence(items, n)[1] for n in (0, 10, 100, 1000)]
    assert works == sorted(works) and works[0] < works[-1]
    n = safe_length(r"[ \t]*(?:Share|Tweet)[ \t]*")
    assert search_work(items, n) <= BUDGET < search_work(items, 2 * n)  # (a power of two)


def test_a_run_after_a_character_it_cannot_hold_is_linear() -> None:
    """The runs of ``[ \\t]*`` after each newline never overlap: the whole search is linear,
    proved for texts 250x longer; where a run may start with the character before it (a space,
    a category, a property: unsure), the bound stays quadratic."""
    linear = safe_length(r"\n[ \t]*[a-z]")
    assert linear >= 1 << 19 and safe_length(r"\n[ \t]*+\p{Ll}") == linear
    general = _shape(_read(r"\n[ \t]*[a-z]", False))
    assert search_work(general, linear) > BUDGET  # (what the general bound says)
    assert safe_length(r"x[^x]*+y") == linear and safe_length(r"\n\n[^\n]*y") >= linear // 2
    quadratic = (r" [ \t]*[a-z]", r"\n\s*[a-z]", r"\p{Zs}[ \t]*x", r"[\n ][ \t]*x", r"(?s)\n.*x")
    for pattern in quadratic:
        assert safe_length(pattern) <= 2048, pattern
    assert safe_length(r"\n[ \t]*[a-z]", ignore_case=True) <= 2048  # (case folding: unsure)
    assert safe_length(r"(?i)k[K]*+x") <= 2048  # ('k' and 'K' are one letter there)


#: one-character pieces, as regex sources, over characters that tell them apart
_PIECES = st.one_of(
    st.sampled_from([".", "(?s:.)", r"\s", r"\w", r"\d", r"\S", r"\p{Ll}", r"[^\p{Ll}\n]", "-"]),
    st.sampled_from("\n\t ax-").map(regex.escape),
    st.builds(
        lambda neg, chars, rng: (
            f"[{'^' if neg else ''}{regex.escape(chars, special_only=True)}{rng}]"
        ),
        st.booleans(),
        st.text("\n\t abcxz", min_size=1, max_size=4),
        st.sampled_from(["", "a-c", "0-9", "\\x00-\\x1f", "\\u2000-\\u200a"]),
    ),
)
_PROBES = "\n\t abcxyzA0-_.\x00\x1f\x85\xa0é\u2003\u2028\ue000"


@settings(max_examples=500, deadline=None)
@given(_PIECES, _PIECES)
def test_a_run_is_called_disjoint_only_when_no_character_matches_both(first, body) -> None:
    """What makes the linear bound sound: when :func:`_leading_run` finds a run, no character
    matches both the piece before it and the repeated one (tried on characters that tell
    classes apart)."""
    try:
        if _leading_run(_read(f"{first}{body}*", False)) is None:
            return
    except Unbounded:  # (syntax the bound does not read: no bound at all)
        return
    both = [c for c in _PROBES if regex.fullmatch(first, c) and regex.fullmatch(body, c)]
    assert not both, (first, body, both)


def test_one_attempt_costs_less_than_a_search() -> None:
    p = r"[ \t]*(?:Advertisement|ADVERTISEMENT):?[ \t]*"
    assert safe_length(p, search=False) > safe_length(p)


def test_the_engine_skips_the_limit_only_on_proved_short_texts() -> None:
    engine = Cleaner().engine
    steps = [s for s in engine.slots if isinstance(s, InlineStep) and s.rule is not None]
    for step in steps:
        step.compile()
    glued = next(s for s in steps if s.id == "meta.glued-sentence")
    assert glued.safe > 400 and glued.starts_safe > 400  # bounded shapes only
    keyword = next(s for s in steps if s.id == "meta.keyword-list-line")
    assert keyword.safe < 400  # (?:...){8,}: no proof, the limit stays
    assert keyword.starts_safe >= 1 << 19  # its candidates: a linear search (after a newline)
    lines = next(s for s in engine.slots if isinstance(s, LinePass))
    assert 0 < max(lines.safe) and min(lines.safe) == 0


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+",
        r"\bcat",
        r"(?i)cat",
        r"\p{Lu}",
        r"[\d]",
        r"\s",
        r"(?i:a)b",
        r"a{e<=1}",
        r"\X",
        r"(?<=a+)b",
    ],  # fmt: skip
)
def test_stdlib_twin_refuses_what_depends_on_unicode_tables_or_case(pattern) -> None:
    assert stdlib_twin(pattern) is None


def _twins() -> list[str]:
    from cleaner.engine.lines import line_pattern
    from cleaner.ruleset.load import load_rules

    found = []
    for r in load_rules():
        if r.kind in ("drop-line", "cut-tail"):
            found.append(line_pattern(r))
        elif r.pattern and not r.ignore_case:
            found.append(r.pattern)
        if r.candidates:
            found.append(r.candidates)
    return [p for p in found if stdlib_twin(p) is not None]


TWINS = _twins()
#: characters near every class boundary the bundled patterns draw (ASCII, Latin-1, quotes,
#: dashes, spaces, controls, a surrogate-free astral letter)
ALPHABET = "aZ09 \t\n\r.,:;!?'\"()[]-_/@#&*|=<>“”‘’—–…•\u00a0\u200b\u2028\x0b\x0c\x85é\U0001d400"


def test_the_bundled_rules_have_twins() -> None:
    assert len(TWINS) > 20  # line rules, candidates, unicode and whitespace patterns


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TWINS), st.text(alphabet=ALPHABET, max_size=60))
def test_a_twin_matches_exactly_as_regex_does(pattern, text) -> None:
    theirs = regex.compile(pattern, regex.V0)
    ours = stdlib_twin(pattern)
    assert ours is not None
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)]
    assert bool(ours.fullmatch(text)) == bool(theirs.fullmatch(text))
