"""Every Unicode and whitespace normalization rule, alone and together."""

from __future__ import annotations

import doctest

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, clean
from cleaner.families import whitespace
from cleaner.families.whitespace import trailing_spaces
from cleaner.model import splice
from cleaner.ruleset.load import load_rules

PATTERNS = {r.id: r.pattern for r in load_rules() if r.pattern}


def one_pass(rule_id: str, text: str) -> list[tuple[int, int, str]]:
    """The edits of rule ``rule_id`` run alone by the engine, one pass (as ``finditer``)."""
    cleaner = Cleaner(select=[rule_id])
    cleaner.engine.fixed_point = False
    return [(e.start, e.end, e.replacement) for e in cleaner.explain(text).edits]


def finditer(rule_id: str, text: str, replacement: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), replacement) for m in regex.finditer(PATTERNS[rule_id], text)]


@pytest.mark.parametrize(("rule", "text", "expected"), [
    ("unicode.line-breaks", "a\r\nb\rc\u2028d\u2029e\x0cf", "a\nb\nc\nd\ne\nf"),
    ("unicode.spaces", "a\u00a0b\u2002c\u2009d\u202fe\u3000f\u205fg\u1680h", "a b c d e f g h"),
    ("unicode.invisible", "a\u200bb\u00adc\u2060d\ufeffe", "abcde"),
    ("unicode.control-chars", "a\x00b\x07c\x1bd\x7fe\tf\ng", "abcde\tf\ng"),
    ("whitespace.trailing-spaces", "a  \nb\t\nc", "a\nb\nc"),
    ("whitespace.collapse-spaces", "a  b     c d", "a b c d"),
    ("whitespace.blank-lines", "a\n\n\nb\n\n\n\n\nc\n\nd", "a\n\nb\n\nc\n\nd"),
    ("whitespace.document-edges", "\n\n  a\n\nb \n\n", "a\n\nb"),
])  # fmt: skip
def test_each_rule_alone(rule, text, expected):
    assert Cleaner(select=[rule]).clean(text) == expected


def test_zero_width_joiners_stay():
    emoji = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean(f"Family {emoji}") == f"Family {emoji}"


def test_together_paragraph_breaks_stay():
    text = "\r\n  Title\u00a0 here  \r\n\r\n\r\n\r\nFirst\u200b para.\nSame para.\n\nSecond.  \n\n"
    assert clean(text) == "Title here\n\nFirst para.\nSame para.\n\nSecond."


def test_spaces_only_lines_become_one_blank_line():
    assert clean("a\n \n\t\n  \nb") == "a\n\nb"


def test_empty_and_blank_documents():
    assert clean("") == ""
    assert clean(" \n\t\n ") == ""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0\u2000\u200a\u200b\u3000\u2028ab", max_size=40))
def test_whitespace_rules_equal_their_regex(text: str) -> None:
    """The trailing-spaces function equals its regex; the engine's trigger windows of the
    pattern rules find what ``finditer`` of their loaded pattern finds."""
    assert splice(text, trailing_spaces(text)) == regex.sub(r"[ \t]+(?=\n)", "", text)
    assert one_pass("whitespace.collapse-spaces", text) == finditer(
        "whitespace.collapse-spaces", text, " "
    )
    assert one_pass("unicode.spaces", text) == finditer("unicode.spaces", text, " ")
    assert one_pass("whitespace.blank-lines", text) == finditer(
        "whitespace.blank-lines", text, "\n\n"
    )


def test_unicode_spaces_equal_the_class_on_every_code_point() -> None:
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    expected = finditer("unicode.spaces", text, " ")
    assert one_pass("unicode.spaces", text) == expected
    assert len(expected) == 16


def test_whitespace_doctests() -> None:
    assert doctest.testmod(whitespace).failed == 0
