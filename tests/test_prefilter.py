"""The literal prefilter (cleaner.engine.prefilter) is sound: wherever a pattern matches, one of
its derived literals occurs in the text; refused syntax keeps the declared triggers."""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.engine.prefilter import gate_literals, required_literals
from cleaner.engine.reference import reference_explain
from cleaner.engine.run import Engine
from cleaner.model import Rule

ALPHABET = "abAB \n."
_leaf = st.one_of(
    st.sampled_from(["a", "b", "A", "ab", "ba", " ", r"\.", "\\n", "aB"]),
    st.sampled_from(["[ab]", "[^a]", "[a-c]", "[Bb]", ".", r"\w", r"\s", "[ .]"]),
    st.sampled_from(["^", "$", r"\b", r"\B", r"\A", r"\Z"]),
)


def _extend(inner):
    return st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]}|{t[2]})"),
        inner.map(lambda p: f"({p})"),
        st.tuples(
            inner, st.sampled_from(["?", "*", "+", "{2}", "{1,3}", "{2,}", "??", "*?", "++", "?+"])
        ).map(lambda t: f"(?:{t[0]}){t[1]}"),
        st.tuples(st.sampled_from(["(?=", "(?!", "(?<=", "(?<!"]), inner).map(
            lambda t: f"{t[0]}{t[1]})"
        ),
        inner.map(lambda p: f"(?i:{p})"),
        inner.map(lambda p: f"(?>{p})"),
        inner.map(lambda p: f"({p})\\1"),
    )


PATTERNS = st.tuples(
    st.sampled_from(["", "", "(?x)", "(?s)", "(?m)", "(?a)"]),
    st.recursive(_leaf, _extend, max_leaves=8),
).map("".join)


def _present(literals: tuple[str, ...], text: str, ignore_case: bool) -> bool:
    if ignore_case:
        return any(regex.search(regex.escape(s), text, regex.I | regex.V0) for s in literals)
    return any(s in text for s in literals)


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(PATTERNS, st.booleans(), st.data())
def test_a_match_implies_a_derived_literal_in_the_text(pattern, ignore_case, data) -> None:
    try:
        compiled = regex.compile(pattern, regex.V0 | (regex.I if ignore_case else 0))
    except regex.error:
        return
    literals = required_literals(pattern, ignore_case)
    if literals is None:
        return
    assert literals and all(literals)
    # texts that match often: built from the pattern's literals, and arbitrary ones
    pieces = st.sampled_from([*literals, *ALPHABET, *(s.upper() for s in literals)])
    text = data.draw(
        st.one_of(st.text(ALPHABET, max_size=20), st.lists(pieces, max_size=6).map("".join))
    )
    if compiled.search(text):
        assert _present(literals, text, ignore_case), (pattern, literals, text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.from_regex(r"(?:[ab .]|\(\?:a\|b\)|\(\?=a\)|b\?){1,8}", fullmatch=True), st.data())
def test_matching_texts_contain_a_literal(pattern, data) -> None:
    """Texts drawn to match (``from_regex`` of the pattern itself)."""
    literals = required_literals(pattern)
    if literals is None:
        return
    text = data.draw(st.from_regex(pattern))
    if regex.search(pattern, text, regex.V0):
        assert _present(literals, text, False), (pattern, literals, text)


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
