"""`cleaner rules mine`: invented publishers with templated junk, and content that repeats a
phrase legitimately (no third-party text)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cleaner.api import Cleaner
from cleaner.authoring.check import check_rules
from cleaner.authoring.mine import Miner, Options, skeleton
from cleaner.authoring.mine_check import draft
from cleaner.cli import app
from cleaner.ruleset.load import bundled_rules_dir, load_rules

NAMES = ["Ada Brook", "Ben Cole", "Cy Dunn", "Di Ford", "Ed Gale", "Flo Hart", "Gus Ives"]
TOPICS = ["the harbor plan", "the new school roof", "a late train", "the city budget",
          "the river walk", "a bakery fire", "the summer fair", "a lost dog"]  # fmt: skip


def _story(rng: random.Random, n: int) -> list[str]:
    topic = rng.choice(TOPICS)
    return [f"The council talked about {topic} for {rng.randint(2, 9)} hours on day {n}.",
            f"Residents said {topic} had waited {rng.randint(3, 30)} years for a vote.",
            f"Nobody on the panel raised the question of cost at story {n}."]  # fmt: skip


def make_docs(n: int = 40, seed: int = 1) -> list[dict]:
    """Two invented publishers with their own templated junk; a third with none. Content
    sentences reuse the words 'Share this' and 'contributed' legitimately."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        pub = ("Harbor Gazette", "Valley Ledger", "Quiet Times")[i % 3]
        lines = _story(rng, i)
        if pub == "Harbor Gazette":
            count = rng.choice(["4.2k", "978", "1,204", "15"])
            lines.insert(0, f"{count} REACTIONS Facebook Mastodon")
            lines.append(f"{rng.choice(NAMES)} contributed.")
        elif pub == "Valley Ledger":
            lines.append(f"EDITORS PICK : {rng.choice(TOPICS).capitalize()} gets a second look")
            lines.append(f"Desk log {rng.randint(1, 12)}:{rng.randint(10, 59)} p.m.")
        if i % 4 == 0:  # the trigger words as content, in every publisher
            lines.append("The mayor thanked the many people in town who contributed.")
        docs.append({"id": i, "publisher": pub, "url": f"https://{pub.split()[0].lower()}"
                     f".example/{i}", "text": "\n".join(lines)})  # fmt: skip
    return docs


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    return path


def test_skeleton_masks_counts_numbers_and_names():
    assert skeleton("4.2k SHARES Facebook Twitter") == skeleton("978 SHARES Facebook Twitter")
    a, b = skeleton("Ada Brook contributed."), skeleton("Ben Cole contributed.")
    assert a[0] == b[0] and a[1] != b[1]  # one template, the names are its fills
    assert skeleton("Updated at 5:19 p.m.")[0] == skeleton("Updated at 11:03 a.m.")[0]
    assert skeleton("Posted January 5, 2020")[0] == skeleton("Posted March 12, 2021")[0]


def _mine(docs, by="publisher", cleaner: Cleaner | None = None, **kw) -> Miner:
    cleaner = cleaner or Cleaner()
    miner = Miner(Options(**kw), scoped=by in ("publisher", "domain"))
    for d in docs:
        miner.add(cleaner.clean(d["text"], publisher=d["publisher"]), d.get(by), str(d["id"]))
    return miner


def test_mined_rules_are_scoped_generalized_and_pass_check(tmp_path):
    miner = _mine(make_docs())
    text, props, _ = draft(miner, "publisher", ["invented.jsonl"])
    active = {p.id: p for p in props if not p.why_not}
    shares = next(p for p in active.values() if "REACTIONS" in p.pattern)
    assert shares.where.publishers == ("Harbor Gazette",)
    assert shares.kind == "drop-line" and shares.trigger == ["REACTIONS Facebook Mastodon"]
    contributed = next(p for p in active.values() if "contributed" in p.trigger[0])
    assert r"\p{Lu}" in contributed.pattern  # the names are generalized
    assert any(k.name.startswith("content") for k in contributed.keep)  # real keep example
    head = next(p for p in active.values() if p.trigger == ["EDITORS PICK"])
    assert head.where.publishers == ("Valley Ledger",)
    # the file loads and passes `cleaner rules check` as written
    path = tmp_path / "draft.toml"
    path.write_text(text, "utf-8")
    assert load_rules([path])
    report = check_rules([path], corpus=[])
    assert report.ok, [f.check + ": " + f.got for f in report.failures]


def test_draft_on_top_of_bundled_rules_removes_junk_not_content(tmp_path):
    docs = make_docs()
    text, _props, _ = draft(_mine(docs), "publisher", ["invented.jsonl"])
    path = tmp_path / "draft.toml"
    path.write_text(text, "utf-8")
    both = Cleaner(add_rules=path)
    assert len(both.rules) == len(Cleaner().rules) + text.count("\n[[rule]]")
    for d in docs:
        out = both.clean(d["text"], publisher=d["publisher"])
        assert "REACTIONS" not in out and "EDITORS PICK" not in out and "Desk log" not in out
        assert not any(line.split(" ", 1)[0] + " " + line.split(" ")[1] in NAMES
                       for line in out.split("\n") if line.endswith(" contributed."))  # fmt: skip
        assert "The council talked about" in out
        if d["id"] % 4 == 0:
            assert "people in town who contributed." in out  # the content sentence stays
    # scoped: the same junk line in another publisher's document stays
    other = "Quiet news today.\n15 REACTIONS Facebook Mastodon"
    assert both.clean(other, publisher="Quiet Times") == other


def test_never_proposes_what_it_cannot_show(tmp_path):
    docs = make_docs()
    # a 'junk-looking' line that is also a content sentence elsewhere
    for i, d in enumerate(docs):
        if d["publisher"] == "Quiet Times":
            d["text"] += "\nMain Street is closed."
            if i % 2:
                place = ("the bakery", "the station", "the bridge", "the school")[i % 4]
                d["text"] += f"\nOfficers at {place} told reporters that Main Street is closed."
    text, props, _ = draft(_mine(docs, min_docs=5), "publisher", ["x.jsonl"])
    rain = [p for p in props if "is closed" in p.pattern]
    assert rain and all(p.why_not for p in rain)
    assert "also occurs inside a content sentence" in rain[0].why_not
    # too few documents: nothing active with min_docs above the counts
    _t, props, _ = draft(_mine(docs[:8], min_docs=5, family_min_docs=5), "publisher", ["x"])
    assert not [p for p in props if not p.why_not]


def test_known_family_shapes_need_fewer_documents():
    """A template holding a bundled rule's trigger word ("Facebook" of the share bar, "contributed
    to this" of the credit line) is proposed from --family-min-docs documents; another
    template seen as often is not."""
    docs = make_docs(9)  # 3 documents per publisher
    for d in docs:
        if d["publisher"] == "Quiet Times":
            d["text"] += "\nThe gazebo stays open late."
    _t, props, _ = draft(_mine(docs, min_docs=5), "publisher", ["x"])
    active = [p for p in props if not p.why_not]
    shares = next(p for p in active if "REACTIONS" in p.pattern)
    assert any("shape of the bundled family links." in e for e in shares.evidence)
    gazebo = next(p for p in props if "gazebo" in p.pattern)
    assert gazebo.why_not == "seen in 3 documents, fewer than --min-docs 5"
    _t, props, _ = draft(_mine(docs, min_docs=5, family_min_docs=4), "publisher", ["x"])
    assert not [p for p in props if not p.why_not]


def test_known_shape_generalizes_names(tmp_path):
    """Three credit lines with three different names: the rule takes a name never seen."""
    docs = make_docs(9)
    for d, name in zip(docs[2::3], ("Ada Brook", "Ben Cole and Cy Dunn", "Di Ford"), strict=True):
        d["text"] += f"\nQuiet Times' {name} contributed to this report."
    text, props, _ = draft(_mine(docs, min_docs=5), "publisher", ["x"])
    credit = next(p for p in props if "contributed to this" in p.pattern and not p.why_not)
    assert "Ada Brook" not in credit.pattern and r"\p{Lu}" in credit.pattern
    path = tmp_path / "draft.toml"
    path.write_text(text, "utf-8")
    unseen = "A quiet day in town.\nQuiet Times' Flo Hart contributed to this report."
    assert Cleaner(add_rules=path).clean(unseen, publisher="Quiet Times") == "A quiet day in town."


def test_bounded_memory_prunes_rare_keys():
    rng = random.Random(3)
    docs = make_docs(300)
    for d in docs:  # a line of its own per document: distinct keys keep arriving
        d["text"] += "\nthe " + " ".join("".join(rng.choices("abcdefgh", k=5)) for _ in range(6))
    miner = _mine(docs, max_keys=200)
    assert len(miner.counts) <= 200
    assert miner.pruned > 0
    assert any("REACTIONS" in c.skeleton for c in miner.candidates.values())


def test_cli_mine_writes_a_draft_that_rules_check_accepts(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_docs())
    out = tmp_path / "draft.toml"
    runner = CliRunner()
    res = runner.invoke(app, ["rules", "mine", str(src), "--by", "publisher", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "rules" in res.output and out.is_file()
    assert load_rules([out])
    res = runner.invoke(app, ["rules", "check", str(out), "--no-corpus"])
    assert res.exit_code == 0, res.output
    # domain groups scope by domain
    res = runner.invoke(app, ["rules", "mine", str(src), "--by", "url", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert 'domains = ["harbor.example"]' in out.read_text("utf-8")


def test_cli_mine_nothing_to_propose(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_docs(4))
    out = tmp_path / "draft.toml"
    res = CliRunner().invoke(app, ["rules", "mine", str(src), "-o", str(out)])
    assert res.exit_code == 1 and "no rule proposed" in res.output


def test_cli_mine_bad_input(tmp_path):
    res = CliRunner().invoke(app, ["rules", "mine", str(tmp_path / "nope.jsonl"), "-o",
                                   str(tmp_path / "d.toml")])  # fmt: skip
    assert res.exit_code == 2 and "no such file" in res.output


@pytest.mark.shared
def test_mined_draft_of_shared_corpus_passes_check(tmp_path, shared_corpus):
    src = shared_corpus / "real3" / "web.jsonl"
    out = tmp_path / "draft.toml"
    res = CliRunner().invoke(app, ["rules", "mine", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert check_rules([out]).ok


def test_report_draft_section_and_rules_diff(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_docs())
    out = tmp_path / "draft.toml"
    runner = CliRunner()
    assert runner.invoke(app, ["rules", "mine", str(src), "--by", "publisher", "-o",
                               str(out)]).exit_code == 0  # fmt: skip
    page = tmp_path / "report.html"
    res = runner.invoke(app, ["report", str(src), "--draft", str(out), "-o", str(page)])
    assert res.exit_code == 0, res.output
    html = page.read_text("utf-8")
    assert "<section id='draft'>" in html and "Draft rules: what each would remove" in html
    shares = next(r for r in load_rules([out]) if "REACTIONS" in r.pattern)
    assert f"id='draft-{shares.id}'" in html
    assert re.search(r"<mark class='rm new'[^>]*>[^<]*REACTIONS Facebook Mastodon", html)
    # rules diff shows the draft's effect like any rule change
    bundled = str(bundled_rules_dir())
    res = runner.invoke(app, ["rules", "diff", "--base", bundled, "--rules", bundled,
                              "--rules", str(out), "--corpus", str(src)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert shares.id in res.output and "(+" in res.output


def test_sentences_credit_proposed_attribution_not():
    rng = random.Random(5)
    docs = []
    for i in range(30):
        name = rng.choice(NAMES)
        lines = _story(rng, i)
        lines[0] += f" “We will see.” {name.split()[0]} said. The vote is next week."
        lines[1] += f" (Pier Photo: {name})"
        docs.append({"id": i, "publisher": "Pier Post", "text": "\n".join(lines)})
    _t, props, _ = draft(_mine(docs), "publisher", ["x.jsonl"])
    credit = [p for p in props if "Pier Photo" in p.pattern]
    assert credit and not credit[0].why_not and credit[0].kind == "replace"
    said = [p for p in props if "said" in p.pattern]
    assert said and all(p.why_not for p in said)  # an attribution is content
    rule = credit[0].rule()
    from cleaner.engine.run import Engine

    out = Engine([rule]).run(docs[0]["text"], publisher="Pier Post").text
    assert "Pier Photo" not in out and "said." in out


def test_mined_line_rules_see_what_the_miner_saw(tmp_path):
    """The miner mines the pipeline's output: a line whose tail a bundled inline rule removes
    ("Click here ...") recurs as its head only, so the mined line rule runs after those rules."""
    docs = make_docs(30)
    for d in docs:
        if d["publisher"] == "Quiet Times":
            d["text"] += (f"\nCopyright {2010 + d['id'] % 9} Quiet Times Inc. "
                          "Click here for reprint permission.")  # fmt: skip
    text, props, _ = draft(_mine(docs), "publisher", ["x"])
    rule = next(p for p in props if "Quiet Times Inc" in p.pattern and not p.why_not)
    assert rule.kind == "drop-line" and rule.stage == "whitespace"
    assert 'stage = "whitespace"' in text
    path = tmp_path / "draft.toml"
    path.write_text(text, "utf-8")
    both = Cleaner(add_rules=path)
    for d in docs:
        out = both.clean(d["text"], publisher=d["publisher"])
        assert "Quiet Times Inc" not in out and "The council talked about" in out


def test_caption_credit_tails(tmp_path):
    """'(<Name>/Harbor Wire)' at the end of caption lines: a rule that removes the credit and
    keeps the caption, for a photographer never seen."""
    docs = make_docs()
    for d in docs:
        if d["publisher"] == "Harbor Gazette":
            name = NAMES[d["id"] % len(NAMES)]
            d["text"] += f"\nBoats wait at the pier on day {d['id']}. ({name}/Harbor Wire)"
    # mined from what a rule set without the bundled credit rules leaves
    text, props, _ = draft(_mine(docs, cleaner=Cleaner(select="whitespace.*")), "publisher", ["x"])
    credit = next(p for p in props if "Harbor Wire" in p.pattern and not p.why_not)
    assert credit.kind == "replace" and credit.trigger == ["/Harbor Wire)"]
    path = tmp_path / "draft.toml"
    path.write_text(text, "utf-8")
    assert check_rules([path], corpus=[]).ok
    caption = "Quiet news.\nA gull on the mast. (Zed Quinn/Harbor Wire)"
    got = Cleaner(add_rules=path).clean(caption, publisher="Harbor Gazette")
    assert got == "Quiet news.\nA gull on the mast."
