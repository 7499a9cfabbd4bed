"""One self-contained HTML page (inline CSS, JS and SVG; nothing fetched) from :class:`ReportStats`.

The page works without JavaScript; the script only adds filtering by rule, whose state lives in
the URL hash (``#rule=ID``) so a link, or a headless browser, can open the filtered view.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from cleaner.model import Rule
from cleaner.report.stats import BINS, DocSample, ReportStats, Segment

#: Control characters other than tab, LF and CR: not allowed in HTML text, and one raw NUL or
#: escape character makes git, grep and file take the page for a binary file.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """``text`` escaped for HTML text and attributes, control characters shown as ``\\xNN``."""
    return CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", html.escape(text))


#: Underline styles that tell rules apart without colour (with the rule id shown on hover/focus).
STYLES = ("solid", "dashed", "dotted", "double", "wavy")
#: Most characters of HTML for the text of one sampled document.
DOC_HTML_BUDGET = 3500
COLOURS = ("#b3261e", "#1f5fa8", "#8a5a00", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457", "#37474f")

CSS = """
*{box-sizing:border-box}body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;
padding:1rem;color:#1b1b1b;background:#fff}h1,h2,h3{line-height:1.2}a{color:#1f5fa8}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;
border-bottom:1px solid #ddd;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.5rem;
padding:0;list-style:none}
.totals li{border:1px solid #ccc;border-radius:.4rem;padding:.5rem}
.totals b{display:block;font-size:1.4rem}
svg{width:100%;height:auto}svg.chart,svg.hist{min-width:34rem}.wrap{overflow-x:auto}
.doc{border:1px solid #ccc;border-radius:.4rem;padding:.5rem .75rem;margin:.75rem 0}
.doc pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:.25rem 0}
.doc header{font-size:.9rem;color:#444;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
mark.rm{background:#fde7e4;color:inherit;text-decoration-line:line-through underline;
text-decoration-thickness:2px;position:relative;outline-offset:2px}
mark.rm:focus{outline:3px solid #1b1b1b}
mark.rm:hover::after,mark.rm:focus::after{content:attr(aria-label);position:absolute;left:0;top:100%;
z-index:2;background:#1b1b1b;color:#fff;font-size:.8rem;padding:.1rem .35rem;border-radius:.25rem;
white-space:nowrap;text-decoration:none}
mark.new{background:#e3f2e4}mark.new::before{content:"+";font-weight:bold;display:inline-block}
mark.old{background:#fff3cd}mark.old::before{content:"\\2212";font-weight:bold;display:inline-block}
mark.dim{background:none;text-decoration-line:line-through;opacity:.55}
.gap{color:#666;background:#eee;padding:0 .3rem}.tag{font-size:.8rem;border:1px solid #999;
border-radius:.2rem;padding:0 .25rem;margin-right:.25rem;white-space:nowrap}
.ex{font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}
.filter{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ccc;
z-index:3}
@media (max-width:40rem){body{font-size:15px;padding:.5rem}th,td{padding:.2rem}
.hide-narrow{display:none}}
"""

JS = """
(function(){
var sel=document.getElementById('rule-filter'),status=document.getElementById('filter-status');
var docs=[].slice.call(document.querySelectorAll('article.doc'));
function apply(){
 var m=/(?:^#|&)rule=([^&]*)/.exec(location.hash),id=m?decodeURIComponent(m[1]):'',shown=0;
 if(sel){sel.value=id;if(sel.value!==id){sel.value='';}}
 docs.forEach(function(d){
  var has=!id||(' '+d.getAttribute('data-rules')+' ').indexOf(' '+id+' ')>=0;
  d.hidden=!has;if(has){shown++;}
  [].forEach.call(d.querySelectorAll('mark.rm'),function(k){
   var on=!id||(' '+k.getAttribute('data-rules')+' ').indexOf(' '+id+' ')>=0;
   k.classList.toggle('dim',!on);});
 });
 document.body.setAttribute('data-filter',id);
 if(status){status.textContent=id?('Showing '+shown+' of '+docs.length+
  ' sampled documents with rule '+id+'.'):('Showing all '+docs.length+' sampled documents.');}
}
if(sel){sel.addEventListener('change',function(){
 location.hash=sel.value?'rule='+encodeURIComponent(sel.value):'';apply();});}
window.addEventListener('hashchange',apply);apply();
})();
"""


def render_report(stats: ReportStats, rules: Iterable[Rule] = (), *,
                  title: str = "cleaner report", inputs: Sequence[str] = ()) -> str:  # fmt: skip
    """The report of one rule set as a self-contained HTML page."""
    return _page(stats, {r.id: r for r in rules}, title, inputs, diff=False)


def render_diff_report(stats: ReportStats, base_rules: Iterable[Rule] = (),
                       head_rules: Iterable[Rule] = (), *, title: str = "cleaner rules diff",
                       inputs: Sequence[str] = ()) -> str:  # fmt: skip
    """The diff of two rule sets (``stats`` collected with ``head_edits``): spans removed
    only by the new set (head, marked "+") and only by the old set (base, marked "−")."""
    catalogue = {r.id: r for r in base_rules}
    catalogue.update({r.id: r for r in head_rules})
    return _page(stats, catalogue, title, inputs, diff=True)


def _page(st: ReportStats, rules: dict[str, Rule], title: str, inputs: Sequence[str],
          diff: bool) -> str:  # fmt: skip
    ids = sorted(set(st.rule_ids()) | set(rules))
    style = {rid: i for i, rid in enumerate(ids)}
    rule_css = "".join(
        f"mark.s{i}{{text-decoration-style:{STYLES[i % len(STYLES)]};"
        f"text-decoration-color:{COLOURS[i % len(COLOURS)]}}}"
        for i in range(len(ids))
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{escape(title)}</title><style>{CSS}{rule_css}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
    ]
    if inputs:
        parts.append(f"<p>Input: {escape(', '.join(inputs))}</p>")
    parts.append("</header><main>")
    parts.append(_totals(st, diff))
    parts.append(_rule_chart(st, diff))
    parts.append(_histogram(st, diff))
    parts.append(_flagged(st))
    parts.append(_samples(st, ids, style, diff))
    parts.append(_rules_section(ids, rules, st))
    parts.append(f"</main><script>{JS}</script></body></html>")
    return "".join(parts)


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "0.00%"


def _totals(st: ReportStats, diff: bool) -> str:
    items = [("Documents", f"{st.docs:,}"), ("Characters in", f"{st.chars_in:,}")]
    sides = [("old", st.base), ("new", st.head)] if diff else [("", st.base)]
    for label, side in sides:
        sfx = f" ({label})" if label else ""
        items += [
            (f"Characters out{sfx}", f"{side.chars_out:,}"),
            (f"Share removed{sfx}", _pct(st.chars_in - side.chars_out, st.chars_in)),
            (f"Documents changed{sfx}", f"{side.docs_changed:,}"),
        ]
    if diff:
        items += [
            ("Removed only by new", f"{st.only_head:,} chars"),
            ("Removed only by old", f"{st.only_base:,} chars"),
            ("Documents that differ", f"{st.docs_differ:,}"),
        ]
    lis = "".join(f"<li>{escape(k)}<b>{escape(v)}</b></li>" for k, v in items)
    return f"<section id='totals'><h2>Totals</h2><ul class='totals'>{lis}</ul></section>"


def _rule_chart(st: ReportStats, diff: bool) -> str:
    ids = st.rule_ids()
    series = [("old", st.base), ("new", st.head)] if diff else [("", st.base)]
    out = ["<section id='per-rule'><h2>Edits and removed characters per rule</h2>"]
    if not ids:
        return out[0] + "<p>No rule changed anything.</p></section>"
    for metric, label in (("edits", "Edits"), ("removed", "Removed characters")):
        values = {(rid, s): getattr(side.rules[rid], metric) if rid in side.rules else 0
                  for rid in ids for s, side in series}  # fmt: skip
        top = max(values.values()) or 1
        bar_h, gap, label_w, width = 16, 8, 260, 760
        row_h = bar_h * len(series) + gap
        height = row_h * len(ids) + gap
        svg = [
            f"<svg class='chart' data-metric='{metric}' viewBox='0 0 {width} {height}' "
            f"role='img' aria-label='{label} per rule'>"
            f"<title>{label} per rule</title>"
        ]
        for r, rid in enumerate(ids):
            y0 = gap + r * row_h
            svg.append(
                f"<a href='#rule-{escape(rid)}'><text x='{label_w - 6}' "
                f"y='{y0 + bar_h - 3}' text-anchor='end' font-size='13'>"
                f"{escape(_short(rid))}</text></a>"
            )
            for k, (s, _side) in enumerate(series):
                v = values[rid, s]
                w = max(1 if v else 0, round((width - label_w - 90) * v / top))
                y = y0 + k * bar_h
                fill = "#1f5fa8" if k == 0 else "#2e7d32"
                tag = f"{s}: " if s else ""
                svg.append(f"<rect class='bar' data-rule='{escape(rid)}' x='{label_w}' y='{y}' "
                           f"width='{w}' height='{bar_h - 2}' fill='{fill}'><title>{escape(rid)} "
                           f"{tag}{v:,} {label.lower()}</title></rect><text x='{label_w + w + 4}' "
                           f"y='{y + bar_h - 4}' font-size='12'>{tag}{v:,}</text>")  # fmt: skip
        svg.append("</svg>")
        out.append(f"<h3>{label}</h3><div class='wrap'>{''.join(svg)}</div>")
    head = "".join(f"<th class='n'>Edits {s}</th><th class='n'>Removed {s}</th>"
                   f"<th class='n hide-narrow'>Docs {s}</th>" for s, _ in series)  # fmt: skip
    rows = []
    for rid in ids:
        cells = ""
        for _s, side in series:
            rc = side.rules.get(rid)
            e, rm, d = (rc.edits, rc.removed, rc.docs) if rc else (0, 0, 0)
            cells += (
                f"<td class='n'>{e:,}</td><td class='n'>{rm:,}</td>"
                f"<td class='n hide-narrow'>{d:,}</td>"
            )
        rows.append(f"<tr><td><a href='#rule-{escape(rid)}'>{escape(rid)}</a></td>{cells}</tr>")
    out.append(f"<div class='wrap'><table><thead><tr><th>Rule</th>{head}</tr></thead><tbody>"
               f"{''.join(rows)}</tbody></table></div></section>")  # fmt: skip
    return "".join(out)


def _short(rid: str, n: int = 34) -> str:
    return rid if len(rid) <= n else rid[: n - 1] + "…"


def _histogram(st: ReportStats, diff: bool = False) -> str:
    top = max(st.histogram) or 1
    width, height, base = 760, 220, 190
    bw = (width - 60) / BINS
    svg = [
        f"<svg class='hist' viewBox='0 0 {width} {height}' role='img' aria-label='Documents "
        "by share of text removed'>"
        "<title>Documents by share of text removed</title>"
    ]
    for i, n in enumerate(st.histogram):
        h = round(160 * n / top) if n else 0
        x = 30 + i * bw
        lo, hi = 100 * i // BINS, 100 * (i + 1) // BINS
        svg.append(
            f"<rect class='hbar' x='{x:.1f}' y='{base - h}' width='{bw - 2:.1f}' "
            f"height='{h}' fill='#1f5fa8'><title>{lo}–{hi}% removed: {n:,} documents"
            "</title></rect>"
        )
        if n:
            svg.append(f"<text x='{x + bw / 2:.1f}' y='{base - h - 3}' font-size='11' "
                       f"text-anchor='middle'>{n:,}</text>")  # fmt: skip
    for pct in (0, 25, 50, 75, 100):
        x = 30 + (width - 60) * pct / 100
        svg.append(
            f"<text x='{x:.1f}' y='{base + 16}' font-size='12' text-anchor='middle'>{pct}%</text>"
        )
    tx = 30 + (width - 60) * st.threshold
    svg.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='20' y2='{base}' stroke='#b3261e' "
               f"stroke-dasharray='4 3'/><text x='{tx + 4:.1f}' y='30' font-size='12'>threshold "
               f"{st.threshold:.0%}</text></svg>")  # fmt: skip
    which = " (new rules)" if diff else ""
    return (f"<section id='histogram'><h2>Share of text removed per document{which}</h2>"
            f"<div class='wrap'>{''.join(svg)}</div></section>")  # fmt: skip


def _flagged(st: ReportStats) -> str:
    flagged = st.flagged_sorted
    sampled = {d.index for d in st.sample}
    head = (f"<section id='flagged'><h2>Documents losing more than {st.threshold:.0%} of their "
            "text</h2><p>The likeliest false positives: check these first.</p>")  # fmt: skip
    if not flagged:
        return head + "<p>None.</p></section>"
    rows = []
    for share, index, name, chars in flagged:
        label = escape(name)
        if index in sampled:
            label = f"<a href='#doc-{index}'>{label}</a>"
        rows.append(f"<tr><td>{label}</td><td class='n'>{chars:,}</td>"
                    f"<td class='n'>{share:.1%}</td></tr>")  # fmt: skip
    return (head + "<div class='wrap'><table><thead><tr><th>Document</th><th class='n'>Characters"
            "</th><th class='n'>Removed</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table></div></section>")  # fmt: skip


def _samples(st: ReportStats, ids: list[str], style: dict[str, int], diff: bool) -> str:
    docs = st.sample_sorted
    opts = "".join(f"<option value='{escape(r)}'>{escape(r)}</option>" for r in ids)
    legend = ("<p>Removed text is struck through and underlined, one underline style per rule; "
              "hover or focus (Tab) a span to see its rule.")  # fmt: skip
    if diff:
        legend += " <b>+</b> marks text removed only by the new rules, <b>−</b> only by the old."
    out = [f"<section id='sample'><h2>Sample of {len(docs):,} documents</h2>{legend}</p>"
           "<div class='filter'><label for='rule-filter'>Show documents with rule </label>"
           f"<select id='rule-filter'><option value=''>all rules</option>{opts}</select> "
           "<span id='filter-status' role='status'></span></div>"]  # fmt: skip
    for d in docs:
        out.append(_doc(d, style, diff))
    out.append("</section>")
    return "".join(out)


def _doc(d: DocSample, style: dict[str, int], diff: bool) -> str:
    tags = "".join(f"<a class='tag' href='#rule-{escape(r)}'>{escape(r)}</a>" for r in d.rules)
    note = " (shortened around its edits)" if d.truncated else ""
    pieces: list[str] = []
    size = 0
    for s in d.segments:
        piece = _segment(s, style, diff)
        size += len(piece)
        if size > DOC_HTML_BUDGET:  # keeps 1,000 sampled documents well under 5 MB
            pieces.append(_segment(Segment("…", gap=True), style, diff))
            note = " (shortened around its edits)"
            break
        pieces.append(piece)
    body = "".join(pieces)
    return (f"<article class='doc' id='doc-{d.index}' data-rules='{escape(' '.join(d.rules))}'>"
            f"<header><b>{escape(d.name)}</b><span>{d.chars:,} chars{note}</span>"
            f"<span>{d.share:.1%} removed</span><span>{tags}</span></header>"
            f"<pre>{body}</pre></article>")  # fmt: skip


def _segment(s: Segment, style: dict[str, int], diff: bool) -> str:
    if s.gap:
        return "<span class='gap' aria-label='text left out'>…</span>"
    if s.base is None and s.head is None:
        return escape(s.text)
    rule = s.head or s.base or ""
    rules = " ".join(dict.fromkeys(r for r in (s.base, s.head) if r))
    cls = f"rm s{style.get(rule, 0)}"
    label = f"removed by {rule}"
    if diff:
        if s.base and s.head:
            label = f"removed by both: old {s.base}, new {s.head}"
        elif s.head:
            cls, label = cls + " new", f"removed only by new rule {s.head}"
        else:
            cls, label = cls + " old", f"removed only by old rule {s.base}"
    if s.replacement:
        label += f", replaced by {s.replacement!r}"
    text = s.text
    if not text.strip():
        text = text.replace(" ", "·").replace("\t", "→").replace("\n", "↵\n")
    return (
        f"<mark class='{cls}' tabindex='0' data-rules='{escape(rules)}' "
        f"aria-label='{escape(label)}'>{escape(text)}</mark>"
    )


def _rules_section(ids: list[str], rules: dict[str, Rule], st: ReportStats) -> str:
    out = ["<section id='rules'><h2>Rules</h2>"]
    for rid in ids:
        r = rules.get(rid)
        out.append(f"<section id='rule-{escape(rid)}' class='rule'><h3>{escape(rid)}</h3>")
        if r is None:
            out.append("<p>(not in the rule set given to the report)</p></section>")
            continue
        out.append(f"<p>{escape(r.description)}</p><p class='ex'>{escape(r.kind)}, stage "
                   f"{escape(r.stage)}, preset {escape(r.preset)}"
                   f"{', ' + escape(_rel(r.location)) if r.location else ''}</p>")  # fmt: skip
        exs = []
        for ex in r.examples_of("change")[:3]:
            exs.append(f"<li>change: <span class='ex'>{escape(ex.input)!s}</span> → "
                       f"<span class='ex'>{escape(ex.output or '')}</span></li>")  # fmt: skip
        for ex in r.examples_of("keep")[:2]:
            exs.append(f"<li>keep: <span class='ex'>{escape(ex.input)}</span></li>")
        if exs:
            out.append(f"<ul>{''.join(exs)}</ul>")
        out.append("</section>")
    out.append("</section>")
    return "".join(out)


def _rel(location: str) -> str:
    """``/any/where/rules/x.toml:7`` -> ``rules/x.toml:7`` (no local paths in shared reports)."""
    i = location.replace("\\", "/").rfind("rules/")
    return location[i:] if i >= 0 else location
