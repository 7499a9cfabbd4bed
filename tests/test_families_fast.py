"""The engine finds what ``finditer`` of a rule's pattern finds, on generated text (invented),
for the rules it tries only at some places: ``starts_before_trigger`` (near their triggers) and
``candidates`` (where the candidates regex matches). Patterns are read from the loaded rules."""

from __future__ import annotations

import functools
import itertools

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.ruleset.load import load_rules

#: the patterns, as the rule files state them (the engine must find what finditer finds)
PATTERNS = {r.id: r.pattern for r in load_rules() if r.pattern is not None}
KEYWORD_LIST_RE = PATTERNS["meta.keyword-list-line"]
CLICK_HERE_RE = PATTERNS["links.click-here-sentence"]
FOLLOW_US_RE = PATTERNS["links.follow-us-sentence"]
NRPLUS_PROMO_RE = PATTERNS["nationalreview.nrplus-promo"]
FOLLOW_RE = PATTERNS["links.follow-sentence"]
NEWSLETTER_WIDGET_RE = PATTERNS["links.newsletter-widget"]
TRUNCATION_MARKER_RE = PATTERNS["meta.truncation-marker"]
GLUED_SENTENCE_RE = PATTERNS["meta.glued-sentence"]


def pieces(*parts: str, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text glued from ``parts``: dense in the shapes the patterns look for."""
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


def regex_spans(pattern: str, text: str, replacement: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), replacement) for m in regex.finditer(pattern, text)]


@functools.cache
def _alone(rule_id: str) -> Cleaner:
    return Cleaner(select=[rule_id], timeout=None)


def engine_spans(rule_id: str, text: str) -> list[tuple[int, int, str]]:
    """The edits of rule ``rule_id`` run alone by the engine, one pass (as ``finditer``)."""
    cleaner = _alone(rule_id)
    cleaner.engine.fixed_point = False
    return [(e.start, e.end, e.replacement) for e in cleaner.explain(text).edits]


#: a line of comma-separated terms, near the keyword-list shape or just off it (the last
#: terms and separators of each list break it, rarely enough that lines of 10 terms are common)
_good_terms = ["fish", "x’y", "sea-bird", "a b", "q" * 38]
_term = st.sampled_from(_good_terms * 6 + ["’t", "q" * 40, "", "."])
_sep = st.sampled_from([", ", ","] * 10 + [",  ", "; "])
_list_line = st.builds(
    lambda indent, first, terms, end: indent + first + "".join(t + s for t, s in terms) + end,
    st.sampled_from(["", " ", "\t "] * 2 + ["\u00a0"]),
    st.sampled_from(["a", "é", "ǆ"] * 2 + ["ª", "A", "“", "1", " "]),
    st.lists(st.tuples(_term, _sep), min_size=8, max_size=12),
    st.sampled_from(["z", "z,", "z \t", "q" * 39, "", "z."]),
)


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_list_line, pieces("\n", ", ", " ", "ab", "é", "A", ".")), max_size=5))
def test_keyword_list_lines_equal_the_regex(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert engine_spans("meta.keyword-list-line", text) == regex_spans(KEYWORD_LIST_RE, text, "")


@pytest.mark.parametrize("first", ["a", "é", "ǆ", "ª", "A", "“", "1", "_"])
@pytest.mark.parametrize("indent", ["", " \t", "\u00a0"])
def test_keyword_list_line_starts(first: str, indent: str) -> None:
    text = f"Title\n{indent}{first}sea, " + "tide, " * 8 + "wind\nBody"
    expected = regex_spans(KEYWORD_LIST_RE, text, "")
    assert engine_spans("meta.keyword-list-line", text) == expected
    assert bool(expected) == (first in "aéǆ" and indent != "\u00a0")


#: "word.Word" joints, near the glued-sentence shape or just off it
_joint = st.builds(
    lambda before, upper, lower, after: before + "." + upper + lower + after,
    st.sampled_from(["ab", "xé", "ß", "aB", "1a", "a", "ªb", "U.S"]),
    st.sampled_from(["A", "É", "Ǆ", "D", "ǅ", "a", "“", "1"]),
    st.sampled_from(["b", "éé", "q" * 20, "q" * 21, "", "B", "bc."]),
    st.sampled_from([" ", ",", ";", ":", ".", "\n", "", "x"]),
)


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_joint, pieces("ab", ".", " ", "A", "\n")), max_size=6).map("".join))
def test_glued_sentences_equal_the_regex(text: str) -> None:
    assert engine_spans("meta.glued-sentence", text) == regex_spans(GLUED_SENTENCE_RE, text, ". ")


#: click-here prompts in and out of the rule's shape
_click = st.builds(
    lambda before, space, phrase, tail, end: before + space + phrase + tail + end,
    st.sampled_from([".", "!", "?", ":", '"', "”", ")", " -", "\t—", "a", "-", "\n", ",", ""]),
    st.sampled_from([" ", "", "  "]),
    st.sampled_from(["Click here", "CLICK HERE", "Click Here", "click here", "Click hereafter"]),
    st.sampled_from([" for more", "", " x" * 40, " x" * 41, " now!", "\nnext", "s"]),
    st.sampled_from([".", ". ", ".\n", '."', ".”", ".x", "", "!"]),
)


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_click, pieces(", click here", ",click here", ".", " ")), max_size=5))
def test_click_here_sentence_equals_the_regex(parts: list[str]) -> None:
    text = "".join(parts)
    assert engine_spans("links.click-here-sentence", text) == regex_spans(CLICK_HERE_RE, text, "")


#: follow-us sentences in and out of the rule's shape
_follow = st.builds(
    lambda before, filler, core, handles, end: before + filler + core + handles + end,
    st.sampled_from(["", ". ", "! ", '" ', ".", ")", "\n", "a ", ", ", ") "]),
    st.sampled_from(["", "Sign up and ", "x" * 100 + " ", "x" * 119 + " ", "x" * 120 + " ",
                     "a.b ", "e.g. ", "x" * 50 + "." + "x" * 69 + " "]),
    st.sampled_from(["follow us on Twitter", "Follow @ab_1 on Facebook", "follow @ on Twitter",
                     "follow us on Myspace", "unfollow us on Twitter",
                     "Reach him at a@b.c or follow him on Instagram",
                     "Email them at x or follow her on Twitter",
                     "Contact her at " + "s" * 60 + " or follow her on Twitter",
                     "Contact her at " + "s" * 61 + " or follow her on Twitter"]),
    st.sampled_from(["", " @ab", " at @ab", " here", " at  ", " @ab here"]),
    st.sampled_from([".", ". ", "!", "?", "", "\n", ".x"]),
)  # fmt: skip


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_follow, pieces("ollow us on", "ollow @", ".", " ", "\n")), max_size=4))
def test_follow_us_sentence_equals_the_regex(parts: list[str]) -> None:
    text = "".join(parts)
    assert engine_spans("links.follow-us-sentence", text) == regex_spans(FOLLOW_US_RE, text, "")


#: promo lines in and out of the rule's shape
_promo = st.builds(
    lambda indent, head, middle, tail: indent + head + middle + "Join NRPLUS." + tail,
    st.sampled_from(["", " \t", "x ", "\u00a0", " " * 40, " " * 41]),
    st.sampled_from(["If you liked this piece, ", "Something to Consider If you enjoyed this "
                     "article, ", "If you liked this piece,", "if you liked this piece, "]),
    st.sampled_from(["", "see: ", "x" * 80, "x" * 81, "Join NRPLUS. "]),
    st.sampled_from(["", " MORE", "x" * 900, "x" * 901]),
)  # fmt: skip


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_promo, pieces("Join NRPLUS.", "a", " ")), max_size=4).map("\n".join))
def test_nrplus_promo_lines_equal_the_regex(text: str) -> None:
    got = engine_spans("nationalreview.nrplus-promo", text)
    assert got == regex_spans(NRPLUS_PROMO_RE, text, "")


#: follow prompts in and out of the rule's shape
_follow_bio = st.builds(
    lambda before, space, who, rest, end: before + space + who + " on " + rest + end,
    st.sampled_from([".", "!", "?", '"', "”", '."', "!”", "a", ",", ""]),
    st.sampled_from([" ", "", "  "]),
    st.sampled_from(["Follow him", "You can follow her", "you can follow us", "Follow @a_1",
                     "follow me", "Follow Ana", "Follow Ana Lee", "Follow ANA", "Follow them"]),
    st.sampled_from(["Twitter", "Facebook at @x", "Instagram" + "x" * 120, "Myspace", "Twitterx"]),
    st.sampled_from([".", ". ", ".\n", "", "\n", ".x", " and more. "]),
)  # fmt: skip


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_follow_bio, pieces("ollow ", "Follow ", ".", " ", "\n")), max_size=4))
def test_follow_sentence_equals_the_regex(parts: list[str]) -> None:
    text = "".join(parts)
    assert engine_spans("links.follow-sentence", text) == regex_spans(FOLLOW_RE, text, "")


#: newsletter widget lines in and out of the rule's shape
_widget = st.builds(
    lambda head, core, tail: head + core + tail,
    st.sampled_from(["", "Email ", "x" * 200, "x" * 201, "x" * 500, "x" * 501, "Hi. "]),
    st.sampled_from(["By signing up, you agree", "By clicking submit you agree", "By signing up",
                     "delivered daily to your inbox. Sign up", "delivered to your inbox? Sign up",
                     "delivered hourly to your inbox. Sign up", "to your inbox"]),
    st.sampled_from(["", " now.", "x" * 80, "x" * 81, "x" * 700, "x" * 701]),
)  # fmt: skip


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_widget, pieces("to your inbox", "a", " ")), max_size=4).map("\n".join))
def test_newsletter_widget_equals_the_regex(text: str) -> None:
    expected = regex_spans(NEWSLETTER_WIDGET_RE, text, "")
    assert engine_spans("links.newsletter-widget", text) == expected


#: truncation markers in and out of the rule's shape: every combination is tested
_MARKER_PARTS = (
    ["", " Spr", "Spr", "\nSpr", " " + "q" * 30, "q" * 31, "a b", "…", "[+1", "\u00a0Spr",
     "\x1cSpr", "  ", "Spr\t"],
    ["", "…", "……"],
    ["", " ", "  "],
    ["2668", "1", "12345678", "", "x"],
    [" chars]", " chars", "chars]", " chars] [+5 chars]"],
)  # fmt: skip
_marker = st.tuples(*map(st.sampled_from, _MARKER_PARTS)).map(
    lambda p: p[0] + p[1] + p[2] + "[+" + p[3] + p[4]
)


def test_truncation_markers_every_combination() -> None:
    for word, dots, space, digits, tail in itertools.product(*_MARKER_PARTS):
        text = f"Text{word}{dots}{space}[+{digits}{tail}"
        assert engine_spans("meta.truncation-marker", text) == regex_spans(
            TRUNCATION_MARKER_RE, text, ""
        )


@settings(max_examples=700, deadline=None)
@given(st.lists(st.one_of(_marker, pieces("[+", " ", "a", "…", "\n")), max_size=4).map("".join))
def test_truncation_markers_equal_the_regex(text: str) -> None:
    assert engine_spans("meta.truncation-marker", text) == regex_spans(
        TRUNCATION_MARKER_RE, text, ""
    )
