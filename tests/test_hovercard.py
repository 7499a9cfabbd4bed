"""The Hill hovercards: every real shape (invented names), one edit per card, real-data scores.

The rule's own examples (alone, through the pipeline, twice == once) run in
tests/test_rule_examples.py like every rule's; these tests add the shapes and properties that
are the hovercard finder's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.families import hovercard
from cleaner.families.hovercard import find
from cleaner.ruleset.load import load_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "corpus" / "hovercard" / "cards.jsonl"


@pytest.fixture(scope="module")
def cards() -> Cleaner:
    return Cleaner(select=["*hovercard*"])


@pytest.fixture(scope="module")
def pipeline() -> Cleaner:
    return Cleaner()


def _examples(kind: str) -> list:
    rules = [r for r in load_rules() if "hovercard" in r.id]
    assert rules, "no hovercard rule loaded"
    return [pytest.param(e, id=e.name or e.input[:30]) for r in rules for e in r.examples_of(kind)]


SHAPES = [
    # (input, output): shapes not already covered by the rule's own examples
    ("Rep. Max Orr Maxwell Orr MORE, who chairs the panel, agreed.",
     "Rep. Max Orr, who chairs the panel, agreed."),
    ("Sen. Pia Lorne Pia Jane Lorne“Not today”: Lorne blocks vote MORE (D-Minn.) said no.",
     "Sen. Pia Lorne (D-Minn.) said no."),
    ("Gov. Ray Tull Jr. Raymond (Ray) Tull Jr.Tull signs tax cut MORE (R) spoke.",
     "Gov. Ray Tull Jr. (R) spoke."),
    ("It was Rep. Gus Marlowe Augustus Marlowe2 bills move ahead MORE.",
     "It was Rep. Gus Marlowe."),
    ("Sen. Nora Bell  Nora  Ann BellBudget passes  MORE said.", "Sen. Nora Bell said."),
    ("Rep. Ida Varnsey Ida Mae VarsneyBudget passes MORE said.", "Rep. Ida Varnsey said."),
    ("Rep. Bea Holt Beatrice Ann HoltBudget talks stall MORE\n"
     "Sen. Cal Reyes Calvin Reyes MORE said.",
     "Rep. Bea Holt\nSen. Cal Reyes said."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_more_shapes(cards: Cleaner, text: str, expected: str) -> None:
    assert cards.clean(text) == expected


@pytest.mark.parametrize("example", _examples("change"))
def test_explain_shows_one_edit_per_card(cards: Cleaner, example) -> None:
    result = cards.explain(example.input)
    assert len(result.edits) == example.input.count("MORE")
    for edit in result.edits:
        assert edit.rule == "thehill.hovercard"
        assert edit.removed == example.input[edit.start : edit.end]
        assert edit.removed.endswith("MORE") and edit.replacement == ""
        assert "MORE" not in edit.removed[:-4]


def test_explain_removed_text_is_the_whole_card(cards: Cleaner) -> None:
    text = "Senator Hal Ortiz Harold James OrtizSenate clears defense bill MORE (D-Ore.) voted."
    (edit,) = cards.explain(text).edits
    assert edit.removed == " Harold James OrtizSenate clears defense bill MORE"
    assert (edit.start, edit.end) == (17, 67)


def test_fixture_documents(cards: Cleaner) -> None:
    records = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 4
    for rec in records:
        spans = [(s, e) for s, e, _ in find(rec["text"])]
        assert spans == [(s, e) for s, e, _ in rec["removed"]], rec["id"]
        assert cards.clean(rec["text"]) == rec["gold"], rec["id"]


def test_no_more_no_work() -> None:
    assert find("Governor Nora Bell Nora Ann BellState budget passes") == []
    assert find("") == []


def _reconstruct(record: dict) -> str:
    """The original text of a gold record: ``gold`` with the ``removed`` spans put back."""
    gold, parts, pos, gpos = record["gold"], [], 0, 0
    for start, end, removed in sorted(record["removed"]):
        parts += [gold[gpos : gpos + start - pos], removed]
        gpos += start - pos
        pos = end
    return "".join([*parts, gold[gpos:]])


@pytest.mark.shared
def test_gold_all_documents(shared_corpus: Path, cards: Cleaner) -> None:
    path = shared_corpus / "real" / "hovercard.gold.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 60
    wrong = [r["id"] for r in records if cards.clean(_reconstruct(r)) != r["gold"]]
    assert wrong == []


@pytest.mark.shared
def test_gold_one_edit_per_removed_span(shared_corpus: Path, cards: Cleaner) -> None:
    path = shared_corpus / "real" / "hovercard.gold.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        edits = cards.explain(_reconstruct(record)).edits
        assert [[e.start, e.end, e.removed] for e in edits] == sorted(record["removed"])


@pytest.mark.shared
def test_clean_news_unchanged(shared_corpus: Path, cards: Cleaner) -> None:
    path = shared_corpus / "real" / "clean_news.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(texts) == 300
    changed = [i for i, t in enumerate(texts) if cards.clean(t) != t]
    assert changed == []


# Generated cards: invented first names, surnames (particles, hyphens, inner capitals, accents,
# two words), middle names, nicknames, headlines (digits, quotes, colons, $), before/after text.
FIRST = ["Nora", "Hal", "Ivo", "Wes", "Theo", "Ada", "Otto", "Ines", "Ola", "Émile", "Zed"]
MIDDLE = ["Ann", "Quinn", "(Bo)", "Marie", "Dean", "(Kit)", "J.", "Eliot"]
LAST = ["Bell", "Petrov", "Ruiz-Ortega", "de Vries", "McAllister", "DeLuca", "O’Shea", "Núñez",
        "Brennerman", "LaRue", "Santos Vela", "van Dijk", "Okafor"]  # fmt: skip
HEADLINES = ["State budget passes after long night", "2024 hopefuls gather in the capital",
             "'We will not back down' on budget", "Poll: Voters sour on tax plan",
             "“Not today”: panel blocks vote", "Night Desk: Pipeline stalls | Court rules",
             "$5B plan advances", "Bell: Deal is close", "READ: Memo on tariffs"]  # fmt: skip
BEFORE = ["Governor ", "Sen. ", "said ", "WASHINGTON — ", "“", "and ", ""]
AFTER = [" (R-Wis.) said", ", who spoke,", ".", "’s office", "'s plan", " — the chair —",
         "\n\nNext.", "”", " on Monday said", ";"]  # fmt: skip


@st.composite
def card_sentence(draw) -> tuple[str, str]:
    """(text with 1-5 cards, the same text without them)."""
    text = gold = draw(st.sampled_from(BEFORE))
    for k in range(draw(st.integers(1, 5))):
        first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
        suffix = draw(st.sampled_from(["", "", " Jr."]))
        display = f"{first} {last}{suffix}"
        full_last = last.replace("ú", "u").replace("ñ", "n") if draw(st.booleans()) else last
        middles = draw(st.lists(st.sampled_from(MIDDLE), max_size=2, unique=True))
        full = " ".join([draw(st.sampled_from([first, *FIRST])), *middles, full_last])
        heads = " ".join(draw(st.lists(st.sampled_from(HEADLINES), max_size=4, unique=True)))
        glued_display = not suffix and draw(st.integers(0, 9)) == 0
        card = ("" if glued_display else " ") + full
        if heads:
            card += (" " if draw(st.integers(0, 9)) == 0 else "") + heads + " MORE"
        else:
            card += draw(st.sampled_from(["MORE", " MORE"]))
        after = draw(st.sampled_from(AFTER))
        joint = draw(st.sampled_from([", ", " and "])) if k else ""
        text += joint + display + card + after
        gold += joint + display + after
    return text, gold


@settings(max_examples=400, derandomize=True, deadline=None)
@given(card_sentence())
def test_generated_cards(cards: Cleaner, sentence: tuple[str, str]) -> None:
    text, gold = sentence
    assert cards.clean(text) == gold
    assert find(gold) == []


NOISE = st.sampled_from([
    " ", "  ", "\u00a0", "\n", "\n\n\n", "\t", "\u200b", "word", " MORE", "MORE", "Nora Bell",
    " Nora Ann Bell", "Nora Ann Bell", "Budget passes", "2024 plan", "READ MORE:", ".", "“",
    "’s", " (R-Wis.)", " Jr.", "McAllister", "(Bo)", " de Vries",
])  # fmt: skip


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(NOISE, max_size=40).map("".join))
def test_idempotent_on_noise(pipeline: Cleaner, text: str) -> None:
    """Removing a card never makes a new one appear: twice == once, even on junk."""
    once = pipeline.clean(text)
    assert pipeline.clean(once) == once


def test_card_revealed_by_an_earlier_removal_is_removed_in_the_same_pass(cards: Cleaner) -> None:
    # The second MORE has no card in its own stretch; once the first card is gone it has one.
    text = "Nora Bell Nora Ann Bell Nora Ann BellBudget passes MORE MORE"
    once = cards.clean(text)
    assert cards.clean(once) == once
    assert "MORE" not in once


@pytest.mark.parametrize("example", _examples("change"))
def test_default_explain_one_edit_per_card(pipeline: Cleaner, example) -> None:
    """Through the default pipeline too, each card is one edit holding the whole card."""
    result = pipeline.explain(example.input)
    cards = [e for e in result.edits if e.rule == "thehill.hovercard"]
    assert len(cards) == example.input.count("MORE")
    for edit in cards:
        assert edit.removed == example.input[edit.start : edit.end]
        assert edit.removed.endswith("MORE") and "MORE" not in edit.removed[:-4]
    assert result.text == pipeline.clean(example.input)


def test_safe_stretch_classes_agree_with_the_slow_path() -> None:
    """The prefilter's ``re`` classes, ``regex``'s properties and the str predicates agree on
    every character of a safe stretch (else the prefilter could miss a card)."""
    import re

    import regex

    from cleaner.families import hovercard_prefilter as pf

    name = regex.compile(r"[\p{L}\p{M}'’-]")
    for c in pf.SAFE:
        is_name = pf.is_name_char(c)
        assert bool(name.fullmatch(c)) == is_name, repr(c)
        upper, lower = is_name and c.isupper(), is_name and c.islower()
        assert bool(re.fullmatch(pf.UP, c)) == upper == bool(regex.fullmatch(r"\p{Lu}", c))
        assert bool(re.fullmatch(pf.LOW, c)) == lower == bool(regex.fullmatch(r"\p{Ll}", c))
        assert (c in pf.SAFE_NAME_SET) == is_name, repr(c)
    assert pf.SAFE_STRETCH.fullmatch("".join(pf.SAFE))
    assert not pf.SAFE_STRETCH.fullmatch("ª") and not pf.SAFE_STRETCH.fullmatch("e\u0301")


def _find_slow(text: str) -> list:
    """``find`` with the ``re`` prefilter off (every stretch read by the ``regex`` scan)."""
    from cleaner.families import hovercard as hc

    fast = hc._needs_exact_scan
    hc._needs_exact_scan = lambda text, lo, hi: True
    try:
        return find(text)
    finally:
        hc._needs_exact_scan = fast


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.one_of(card_sentence().map(lambda s: s[0]), st.lists(NOISE, max_size=40).map("".join)))
def test_prefilter_finds_what_the_full_scan_finds(text: str) -> None:
    assert find(text) == _find_slow(text)


@pytest.mark.parametrize("text", [s[0] for s in SHAPES] + [
    "Rep. Lia McAllister Lia Ann McAllisterBudget passes MORE said.",
    "Rep. Lia DeLuca Lia Ann DeLucaBudget passes MORE said.",
    "Sen. Ola Ruiz-Ortega Ola Ruiz-OrtegaBudget passes MORE said.",
    "Sen. Ola PetrovOla Ann PetrovBudget passes MORE said.",
    "Sen. Émile Zola Émile ZolaBudget passes MORE said.",
    "Sen. Ola Zola ola zolaBudget passes MORE said.",
    "Rep. Jon Doe Jon DoeMORE said.",
    "Rep. Jon Doe Jon Doe2024 plan MORE said.",
    "Rep. Jon Doe Jr. Jon Doe Jr.Budget passes MORE said.",
    "Rep. Jon Doe Jon Doe Jr.Budget talks Ann Lee Ann LeeNews MORE said.",
    "Rep. Jon Doe Jon Ray JonSenate passes MORE said.",
    "Rep. Ann Lee Ann Bo Cy Di Ed Fa Gu Hi LeeSenate passes MORE said.",
    "Rep. Jon Doe Jon Q. Doe Budget passes MORE said.",
    "Rep. Jon Doe Jon (Jo) Doe“Not today” MORE said.",
    "Rep. Jon Doe Jon Doex Doe Budget MORE said.",
])  # fmt: skip
def test_prefilter_shapes(text: str) -> None:
    assert find(text) == _find_slow(text) != []


def test_sentence_end_is_not_a_name_word(pipeline: Cleaner) -> None:
    """'Bell.' ends a sentence: 'Nora| Bell. Nora' is no display name + full name, so the glued-
    sentence fix ('Bell.Nora' -> 'Bell. Nora') cannot create a card on a second pass."""
    assert find("She met Nora Bell. Nora BellSenate votes MORE said") == []
    text = "Nora Bell.Nora BellREAD MORE:"
    once = pipeline.clean(text)
    assert pipeline.clean(once) == once
    # initials and short abbreviations still are name words
    assert find("Sen. Wm. Bell Wm. Hal BellSenate votes MORE said") == [(13, 43, "")]


def test_a_letter_only_the_regex_module_knows_is_no_display_name():
    # found by the fuzz campaign: U+16EC2 is \p{Ll} to the regex module but no letter to
    # Python 3.11's Unicode tables, which left an empty display word (IndexError)
    from cleaner.families import hovercard as hc

    for text in ["\U00016ec2Scroll down MORE", "\U00016ec2Nora Ann Bell MORE"]:
        assert hc.find(text) == []


# A later candidate inside the first glued card's name wins (spaced, or ending later). Each
# shape needs one of the conditions under which find() may skip looking for such candidates:
# the glued word is a name word, starts with a suffix, the initial is accented, glue inside it.
OVERLAPS = [
    ("Sen. Ola Bell Ola Ann Bell'We AnnBudget passes MORE said.", 21),
    ("Sen. Jrxmiller Ann Jr.Miller'We AnnBudget passes MORE said.", 22),
    ("Sen. AnnAnn Ola ÁnnBudget passes MORE said.", 11),
    ("Sen. McAllisterOla McAlLister'We McAlBudget passes MORE said.", 23),
]


@pytest.mark.parametrize(("text", "start"), OVERLAPS)
def test_overlapping_candidate_after_the_first_glued_card(text: str, start: int) -> None:
    assert find(text) == [(start, text.index("MORE") + 4, "")]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 40).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n)))))
def test_offsets_back_through_removed_cards(case) -> None:
    """A card found only once others are removed maps back to the input: the offset of each
    character of the cut text, read from the removed spans (not from a list of every offset)."""
    n, cuts = case
    points = sorted(cuts)
    removed = [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]
    kept = [i for i in range(n) if not any(a <= i < b for a, b in removed)]
    to_input = hovercard._offsets_back(removed)
    assert [to_input(c) for c in range(len(kept))] == kept
