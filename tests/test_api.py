"""The public interface named in DESIGN.md, and the seed case end to end."""

from __future__ import annotations

import cleaner
from cleaner import Cleaner, clean

# The two seed sentences quoted in issue 2, inside a paragraph we wrote around them.
PUTIN = (
    "Russian President Vladimir PutinVladimir Vladimirovich PutinYes, the US can legally intervene "
    "if Russia invades Ukraine Russia-Ukraine conflict threatens U.S. prestige China warns US to "
    "'stop interfering' in Olympics MORE declared Monday"
)
BLINKEN = (
    "Secretary of State Antony BlinkenAntony BlinkenOvernight Defense & National Security — "
    "Inside Austin's civilian harm directive North Korea sparks US condemnation with latest "
    "missile launch Republicans again call for Oversight hearing on Afghanistan withdrawal MORE "
    "said on Saturday"
)
ARTICLE = (
    f"MOSCOW \u2014 {PUTIN} that talks would go on.\n\n"
    "Diplomats met for six hours in a hotel by the river.\n\n"
    f"{BLINKEN} that the door to talks was open. READ MORE: Who was at the table\n\n"
    "Both sides will meet again in March."
)


def test_public_names():
    assert {"Cleaner", "Edit", "Result", "clean", "clean_html"} <= set(cleaner.__all__)


def test_seed_case_end_to_end():
    out = clean(ARTICLE)
    assert "Russian President Vladimir Putin declared Monday that talks would go on." in out
    assert "Secretary of State Antony Blinken said on Saturday that the door" in out
    expected = (
        ARTICLE.replace(PUTIN, "Russian President Vladimir Putin declared Monday")
        .replace(BLINKEN, "Secretary of State Antony Blinken said on Saturday")
        .replace(" READ MORE: Who was at the table", "")  # links.read-more-inline
    )
    assert out == expected  # every other sentence is kept, byte for byte


def test_explain_shows_each_hovercard_once():
    result = Cleaner().explain(ARTICLE)
    cards = [e for e in result.edits if e.rule == "thehill.hovercard"]
    assert len(cards) == 2
    first = cards[0].removed
    assert first.startswith("Vladimir Vladimirovich PutinYes") and first.endswith("MORE")


def test_select_runs_only_selected_rules():
    text = "Senator Nora Bell Nora Ann BellBudget passes MORE said\u00a0so.  "
    assert Cleaner(select=["*hovercard*"]).clean(text) == "Senator Nora Bell said\u00a0so.  "
    assert Cleaner(select=["unicode.*"]).clean(text) == text.replace("\u00a0", " ")


def test_timeout_passes_document_through(tmp_path):
    rules = tmp_path / "slow.toml"
    rules.write_text(
        "[[rule]]\nid = 'demo.slow'\ndescription = 'catastrophic'\nkind = 'replace'\n"
        "pattern = '(a|aa)+$'\n[[rule.change]]\ninput = 'ab aa'\noutput = 'ab '\n"
        "[[rule.keep]]\ninput = 'b'\n",
        encoding="utf-8",
    )
    slow = Cleaner(rules=[rules], timeout=0.05)
    bad = "a" * 40 + "b"
    result = slow.explain(bad)
    assert result.text == bad and result.edits == [] and "demo.slow" in result.error
    assert slow.clean("xx aa") == "xx "
