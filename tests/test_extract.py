"""HTML extraction + cleaning on small invented pages."""

from __future__ import annotations

import pytest

pytest.importorskip("trafilatura")

from cleaner import clean_html  # noqa: E402
from cleaner.extract import (  # noqa: E402
    ExtractionTimeout,
    decode_html,
    extract_text,
)

BODY = (
    "<p>The river council of Northbrook voted on Tuesday to rebuild the old stone bridge, "
    "which has carried carts and cars across the Wend since the year 1820.</p>"
    "<p>Works start in spring and should last eighteen months, the council said in a "
    "statement, adding that a ferry will run while the bridge is closed.</p>"
    "<p>Residents of the east bank, who cross daily, welcomed the plan but asked for a "
    "footpath to stay open during the works.</p>"
)


def page(body: str = BODY, head: str = "") -> str:
    return (
        f"<html><head>{head}<title>Bridge to be rebuilt</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>Bridge to be rebuilt</h1>{body}</article>"
        "<footer>Contact us | Privacy</footer></body></html>"
    )


@pytest.mark.parametrize("timeout", [None, 20.0])
def test_str_page_gives_article_text(timeout):
    out = clean_html(page(), timeout=timeout)
    assert "rebuild the old stone bridge" in out
    assert "footpath to stay open" in out
    assert "Privacy" not in out


@pytest.mark.parametrize("mode", ["default", "fast", "precision"])
def test_modes(mode):
    assert "ferry will run" in clean_html(page(), mode=mode, timeout=None)


def test_unknown_mode():
    with pytest.raises(ValueError, match="unknown extraction mode"):
        extract_text(page(), mode="bogus")


def test_bytes_latin1_meta_charset():
    body = BODY.replace("Northbrook", "Nørdbrück").replace("spring", "le printemps été")
    data = page(body, head='<meta charset="iso-8859-1">').encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    out = clean_html(data, timeout=None)
    assert "Nørdbrück" in out
    assert "printemps été" in out


def test_bytes_http_equiv_and_utf8_fallback():
    data = page(head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    assert "Citroën" in decode_html(data.replace("Bridge", "Citroën").encode("cp1252"))
    assert decode_html("<p>Zürich café</p>".encode()) == "<p>Zürich café</p>"


def test_bytes_without_charset_detected():
    text = "<html><body><p>" + "Le président a déclaré que l'été serait chaud. " * 20
    out = decode_html(text.encode("cp1252"))
    assert "président" in out and "été" in out


def test_nul_bytes_do_not_crash():
    out = clean_html(page(BODY.replace("council", "coun\x00cil")), timeout=None)
    assert "\x00" not in out
    assert "rebuild the old stone bridge" in out
    assert clean_html(page().encode() + b"\x00\x00", timeout=None)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        b"",
        "<html>",
        "<<<>>>",
        "</p></div>",
        "<html><body></body></html>",
        "<p>unclosed <b>tag <i>soup",
        b"\xff\xfe\x00<",
        "<!-- only a comment -->",
        "<" * 500,
        "&#0;&#xD800;",
        "<html>\x01\x02\x03</html>",
        "<?xml version='1.0' encoding='utf-8'?><p>hi</p>",
    ],
)
def test_empty_or_broken_markup_never_crashes(html):
    out = clean_html(html, timeout=None)
    assert isinstance(out, str)
    assert not out or any(c.isalnum() for c in out)  # no text made of markup debris


def test_broken_markup_still_extracts():
    broken = page().replace("</p>", "").replace("</article>", "<div><span>")
    assert "ferry will run" in clean_html(broken, timeout=None)


@pytest.mark.parametrize("wrap", ["<pre>\n{}\n</pre>", "{}"])
def test_page_that_is_not_a_full_document_still_extracts(wrap):
    """Plain text, or a bare <pre> block: trafilatura alone returns nothing for these."""
    para = (
        "The harbour committee met on Tuesday to discuss the new ferry timetable and the "
        "cost of repairing the old pier, which storms damaged twice last winter. "
    ) * 3
    text = "Notes from the harbour\n\n" + "\n\n".join([para] * 3)
    out = extract_text(wrap.format(text), timeout=None)
    assert "new ferry timetable" in out
    assert "Notes from the harbour" in out


def _chunked_page(between: str) -> tuple[str, list[str]]:
    """An article whose body is cut into two same-class containers, ``between`` them."""
    import itertools

    who = ["The river council", "The mayor of Northbrook", "A works spokesman", "Local traders"]
    how = ["said on Tuesday that", "told reporters that", "wrote in a letter that"]
    what = [
        "the old stone bridge will close in spring",
        "a ferry will run from the mill",
        "the repairs will cost four million crowns",
    ]
    sents = [f"{a} {b} {c}." for a, b, c in itertools.product(who, how, what)]

    def body(start: int) -> str:
        paras = (" ".join(sents[start + 3 * i : start + 3 * i + 3]) for i in range(3))
        return (
            "<div class='wrap'><div class='article__body'>"
            + "".join(f"<p>{p}</p>" for p in paras)
            + "</div></div>"
        )

    page = (
        "<html><head><title>Bridge</title></head><body><nav><a href='/'>Home</a></nav><main>"
        f"<h1>Bridge to be rebuilt</h1><div class='chunks'>{body(0)}{between}{body(9)}</div>"
        "</main><footer>Contact</footer></body></html>"
    )
    return page, [sents[0], sents[9]]


def test_article_body_cut_into_chunks_is_extracted_whole():
    """trafilatura alone keeps only the first chunk of such a body."""
    page, (first, second) = _chunked_page("<div class='ad-slot'><a href='/ad'>Advert</a></div>")
    out = extract_text(page, timeout=None)
    assert first in out
    assert second in out
    assert out.index(first) < out.index(second)


def test_bodies_separated_by_a_heading_are_not_joined():
    import trafilatura

    from cleaner.extract import _join_split_body

    page, _ = _chunked_page("<h2>More from the river desk</h2>")
    tree = trafilatura.load_html(page)
    _join_split_body(tree)
    assert len(tree.xpath("//div[@class='article__body']")) == 2
    page, _ = _chunked_page("<div class='ad-slot'>Advert</div>")
    tree = trafilatura.load_html(page)
    _join_split_body(tree)
    assert len(tree.xpath("//div[@class='article__body']")) == 1 + 1  # one moved inside the other
    assert tree.xpath("//div[@class='article__body']/div[@class='article__body']")


def test_a_body_repeated_verbatim_is_not_joined():
    page, (first, _) = _chunked_page("<div class='ad-slot'>Advert</div>")
    start = page.index("<div class='wrap'>")
    chunk = page[start : page.index("</div></div>", start) + len("</div></div>")]
    page = page.replace(chunk, chunk + chunk, 1)  # the first chunk twice, then the second
    out = extract_text(page, timeout=None)
    assert out.count(first) == 1


def test_rules_run_after_extraction():
    card = "Governor Nora BellNora Ann BellState budget passes after long night Bell signs MORE"
    body = BODY.replace("the council said", f"{card} said")
    assert card in extract_text(page(body), timeout=None)  # the extractor keeps it
    out = clean_html(page(body), timeout=None)
    assert "Governor Nora Bell said in a statement" in out
    assert "MORE" not in out


def test_timeout_raises_clear_error():
    with pytest.raises(ExtractionTimeout, match="more than"):
        extract_text(page() * 2000, timeout=0.001)
    assert "ferry will run" in extract_text(page(), timeout=20.0)  # helper restarts


def test_decode_html_file_with_declared_charset(tmp_path):
    path = tmp_path / "p.html"
    html = page(head="<meta charset='latin-1'>").replace("Bridge", "Brücke")
    path.write_bytes(html.encode("latin-1"))
    assert "Brücke" in decode_html(path.read_bytes())


def test_resiliparse_mode():
    pytest.importorskip("resiliparse")
    assert "ferry will run" in clean_html(page(), mode="resiliparse", timeout=None)


def test_declared_utf8_with_a_stray_byte_stays_utf8():
    body = "<p>Der Bürgermeister grüßt die Gäste: Öffnungszeiten für Vögel und Bäume.</p>" * 20
    data = (
        b'<html><head><meta charset="utf-8"></head><body>'
        + body.encode("utf-8")
        + b"<p>Caf\xe9</p></body></html>"  # one latin-1 byte
    )
    text = decode_html(data)
    assert "Der Bürgermeister grüßt die Gäste" in text
    assert "Caf\ufffd" in text


def test_valid_utf8_wins_over_declared_latin1():
    data = page(head='<meta charset="iso-8859-1">').replace("Bridge", "Brücke’s").encode()
    out = decode_html(data)
    assert "Brücke’s" in out and "Ã" not in out


def test_time_limited_extraction_from_threads():
    from concurrent.futures import ThreadPoolExecutor

    pages = [page(BODY.replace("Northbrook", f"Town{i}")) for i in range(6)]
    with ThreadPoolExecutor(3) as pool:
        outs = list(pool.map(lambda h: extract_text(h, timeout=20.0), pages))
    assert [f"Town{i}" in o for i, o in enumerate(outs)] == [True] * 6


def test_a_page_nested_past_256_levels_keeps_its_text():
    """libxml2 stops reading past 256 levels of nesting: the page came out empty."""
    para = "The council met on Monday and voted to open the new bridge in May. " * 5
    html = "<html><body>" + "<div>" * 300 + f"<p>{para}</p>" + "</div>" * 300 + "</body></html>"
    assert "voted to open the new bridge" in clean_html(html, timeout=None)


def test_a_page_without_main_text_is_a_reject_with_its_reason(tmp_path):
    """A page that gives no text was written as a record with an empty text, as if cleaned:
    it goes to the rejects, saying why, and the counts add up."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "scripts.html").write_text(
        "<html><head><script>var a = 1;</script></head><body><script>go()</script></body></html>"
    )
    (tmp_path / "pages" / "story.html").write_text(
        "<html><body><article><p>"
        + "The bridge opened to traffic on a rainy Monday. " * 8
        + "</p></article></body></html>"
    )
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-m", "cleaner", "clean", "pages", "-o", "out.jsonl"],
                       capture_output=True, cwd=tmp_path, timeout=120,
                       env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert b"read 2, written 1, rejected 1" in r.stderr
    rejects = (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()
    (reject,) = [json.loads(x) for x in rejects]
    assert "no main text" in reject["reason"] and reject["file"].endswith("scripts.html")
