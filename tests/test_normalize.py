"""Every Unicode and whitespace normalization rule, alone and together."""

from __future__ import annotations

import doctest

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, clean
from cleaner.families import whitespace
from cleaner.families.whitespace import (
    blank_lines,
    collapse_spaces,
    trailing_spaces,
    unicode_spaces,
)
from cleaner.model import splice


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
def test_whitespace_functions_equal_their_regex(text: str) -> None:
    """The whitespace functions are exact replacements for the regexes they stand for."""
    assert splice(text, trailing_spaces(text)) == regex.sub(r"[ \t]+(?=\n)", "", text)
    assert splice(text, collapse_spaces(text)) == regex.sub(r" {2,}", " ", text)
    assert unicode_spaces(text) == [
        (m.start(), m.end(), " ")
        for m in regex.finditer(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]", text)
    ]
    assert blank_lines(text) == [
        (m.start(), m.end(), "\n\n") for m in regex.finditer(r"\n{3,}", text)
    ]


def test_unicode_spaces_equal_the_class_on_every_code_point() -> None:
    text = "".join(map(chr, range(0x110000)))
    expected = [
        (m.start(), m.end(), " ")
        for m in regex.finditer(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]", text)
    ]
    assert unicode_spaces(text) == expected
    assert len(expected) == 16


def test_whitespace_doctests() -> None:
    assert doctest.testmod(whitespace).failed == 0
