"""The literal prefilter (cleaner.engine.prefilter) is sound: wherever a pattern matches, one of
its derived literals occurs in the text; refused syntax keeps the declared triggers."""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner.engine.prefilter import gate_literals, required_literals
from cleaner.engine.reference import reference_explain
from cleaner.engine.run import Engine
from cleaner.model import Rule

ALPHABET = "abAB \n."
#: pieces of pattern, each with a text it matches (anchors and lookarounds: "", which may fail)
_LITERALS = [("a", "a"), ("b", "b"), ("A", "A"), ("ab", "ab"), ("ba", "ba"), (" ", " "),
             (r"\.", "."), (r"\n", "\n"), ("aB", "aB")]  # fmt: skip
_CLASSES = [("[ab]", "b"), ("[^a]", "B"), ("[a-c]", "c"), ("[Bb]", "B"), (".", "a"),
            (r"\w", "b"), (r"\s", "\n"), ("[ .]", ".")]  # fmt: skip
_ZERO = ["^", "$", r"\b", r"\B", r"\A", r"\Z"]
#: syntax ``regex`` reads otherwise than ``re`` (or not at all): refused, or still sound
_REGEX_ONLY = ["{e<=1}", "{1<=e<=2}", r"\p{Lu}", "[[:upper:]]", "(?<n>a)", r"\K", r"\X", "{,2}",
               "{ 1}", "[a--b]", "[a[b]]", r"\N{LATIN SMALL LETTER A}", r"\m"]  # fmt: skip
_leaf = st.one_of(
    st.sampled_from(_LITERALS),
    st.sampled_from(_LITERALS),
    st.sampled_from(_CLASSES),
    st.sampled_from([(z, "") for z in _ZERO]),
)
_QUANTIFIERS = {"?": (0, 1), "*": (0, 3), "+": (1, 3), "{2}": (2, 2), "{1,3}": (1, 3),
                "{2,}": (2, 4), "??": (0, 1), "*?": (0, 3), "++": (1, 3), "?+": (0, 1)}  # fmt: skip


def _copies(lo: int, hi: int, k: int) -> int:
    return lo + k % (hi - lo + 1)


#: a group around a piece: (open, close, the text it matches from the piece's)
_WRAPS = [("(", ")", str), ("(?>", ")", str), ("(?i:", ")", str.swapcase),
          ("(", ")\\1", lambda s: s * 2)]  # fmt: skip


def _quantified(inner):
    return st.tuples(inner, st.sampled_from(list(_QUANTIFIERS)), st.integers(0, 4)).map(
        lambda t: (f"(?:{t[0][0]}){t[1]}", t[0][1] * _copies(*_QUANTIFIERS[t[1]], t[2]))
    )


def _extend(inner):
    concat = st.lists(inner, min_size=2, max_size=3).map(
        lambda ps: ("".join(p for p, _ in ps), "".join(s for _, s in ps))
    )
    return st.one_of(
        concat,
        st.tuples(inner, inner, st.booleans()).map(
            lambda t: (f"(?:{t[0][0]}|{t[1][0]})", t[t[2]][1])
        ),
        _quantified(inner),
        st.tuples(st.sampled_from(["(?=", "(?!", "(?<=", "(?<!"]), inner).map(
            lambda t: (f"{t[0]}{t[1][0]})", "")
        ),
        st.tuples(st.sampled_from(_WRAPS), inner).map(
            lambda t: (t[0][0] + t[1][0] + t[0][1], t[0][2](t[1][1]))
        ),
    )


_TREE = st.recursive(_leaf, _extend, max_leaves=5)
#: (pattern, a text it often matches): a sequence of pieces, leaves and trees
PATTERNS = st.tuples(
    st.sampled_from(["", "", "(?x)", "(?s)", "(?m)", "(?a)"]),
    st.lists(st.one_of(_leaf, _quantified(_leaf), _TREE), min_size=1, max_size=5),
).map(lambda t: (t[0] + "".join(p for p, _ in t[1]), "".join(s for _, s in t[1])))


def _present(literals: tuple[str, ...], text: str, ignore_case: bool) -> bool:
    if ignore_case:
        return any(regex.search(regex.escape(s), text, regex.I | regex.V0) for s in literals)
    return any(s in text for s in literals)


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(PATTERNS, st.booleans(), st.text(ALPHABET, max_size=6), st.text(ALPHABET, max_size=6))
@example(("a(?:b)?a", "aba"), False, "", "")  # an optional piece inside a run
@example((r"(?:\w|a)", "b"), False, "", "")  # a class in an alternation
@example(("(?:a|b[^a])", "bB"), False, "", "")
@example(("x(?!a)", "x"), False, "", "")  # a negative lookaround requires nothing
@example(("(?:a)*b", "b"), False, "", "")
@example(("(?i:a)b", "Ab"), False, "", "")  # scoped IGNORECASE: refused without ignore_case
@example(("(?<=ab)c", "abc"), True, "", "")
def test_a_match_implies_a_derived_literal_in_the_text(sample, ignore_case, before, after) -> None:
    """Texts: a text built to match the pattern (which may not, with anchors, lookarounds and
    backreferences), with arbitrary text around it."""
    _check(*sample, ignore_case, before, after)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(PATTERNS, st.sampled_from(_REGEX_ONLY), st.integers(0, 2), st.text(ALPHABET, max_size=6))
def test_regex_only_syntax_is_refused_or_sound(sample, token, where, before) -> None:
    """The same, with syntax that ``regex`` reads otherwise than ``re`` (or only ``regex``
    reads) at the start, in the middle or at the end."""
    pattern, matching = sample
    cut = (0, len(pattern) // 2, len(pattern))[where]
    _check(pattern[:cut] + token + pattern[cut:], matching, False, before, "a")


def _check(pattern: str, matching: str, ignore_case: bool, before: str, after: str) -> None:
    try:
        compiled = regex.compile(pattern, regex.V0 | (regex.I if ignore_case else 0))
    except regex.error:
        return
    literals = required_literals(pattern, ignore_case)
    if literals is None:
        return
    assert literals and all(literals)
    text = before + matching + after
    if compiled.search(text):
        assert _present(literals, text, ignore_case), (pattern, literals, text)


@pytest.mark.parametrize(
    ("pattern", "ignore_case", "expected"),
    [
        (r"\bthe zq12x\b", False, ("the zq12x",)),
        (r"colou?r", False, ("color", "colour")),
        (r"(?:Getty|AP) Images", False, ("AP Images", "Getty Images")),
        (r"\n{2,}Advertisement\n", False, ("Advertisement\n",)),
        (r"x(?=Read more)", False, ("Read more",)),
        (r"(?x) Read \s more  # comment", False, ("Read",)),
        (r"READ more", True, ("READ more",)),
        (r"a*|b", False, None),
        (r"(?!abc)x", False, ("x",)),
    ],
)
def test_derived(pattern, ignore_case, expected) -> None:
    assert required_literals(pattern, ignore_case) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"[[:alpha:]]+ing",
        r"\p{L}ing",
        r"(?:foo){e<=1}",
        r"foo{1<=e<=2}",
        r"\Kfoo",
        r"\mfoo\M",
        r"(?|(a)|(b))foo",
        r"(?V1)[a--b]foo",
        r"[a--b]foo",
        r"[a&&b]foo",
        r"(?<name>foo)",  # regex-only named group syntax: ``re`` refuses it
        r"(?i)foo",  # an inline IGNORECASE in a rule without ignore_case
        r"a(?i:foo)",
        r"\L<words>foo",
        r"(?r)foo",
        r"\N{BULLET} foo",
        r"\Xfoo",
        r"\ud800foo",  # a lone surrogate: the engine replaces them before any rule runs
    ],
)
def test_refused(pattern) -> None:
    assert required_literals(pattern) is None


def _rule(pattern: str, trigger: tuple[str, ...], **kw) -> Rule:
    return Rule("t.rule", "d", "replace", pattern=pattern, trigger=trigger, **kw)


def test_gate_literals_prefers_the_more_selective_set() -> None:
    assert gate_literals(_rule(r"\bthe zq1x\b", ("the",))) == ("the zq1x",)
    assert gate_literals(_rule(r"qzx1vq\d", ("qzx1vq",))) == ("qzx1vq",)  # not longer
    assert gate_literals(_rule(r"[a-z]+ing", ("ing",))) == ("ing",)
    assert gate_literals(_rule(r"(?:foo){e<=1}", ("fo",))) == ("fo",)  # refused
    near = _rule(r"Getty Images", ("Getty",), starts_before_trigger=10)
    assert gate_literals(near) == ("Getty",)  # needs its triggers' positions


@pytest.mark.parametrize("multi", [False, True])
def test_engine_gated_on_derived_literals(multi) -> None:
    """The engine runs a rule gated on a derived literal exactly where the reference does."""
    rules = [
        _rule(r"\bthe zq1x\b", ("the",)),
        Rule("t.ci", "d", "replace", pattern=r"READ (?:more|on)", trigger=("read",),
             ignore_case=True),
        Rule("t.after", "d", "replace", pattern=r"zq1x", replacement="the zq1x", trigger=("zq",)),
    ]  # fmt: skip
    engine = Engine(rules, multi_literal=multi)
    for text in ["the zq1x and the", "the zq1 x", "Read More. the", "read on, zq1x", ""]:
        expected = reference_explain(rules, text)
        got = engine.run(text, explain=True)
        assert (got.text, got.edits) == (expected.text, expected.edits)
