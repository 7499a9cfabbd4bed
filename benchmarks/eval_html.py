"""Score HTML extractors on public extraction benchmarks: the extractor alone vs cleaner.

Reads ../shared/corpus/html/<dataset>/ (``<id>.html`` + ``gold.jsonl`` rows with ``gold_text``
and/or ``with``/``without`` snippets; or set CLEANER_SHARED). For each mode it runs the bare
extractor (trafilatura or resiliparse, fed the raw bytes) and ``cleaner.clean_html`` (same mode,
same bytes, extraction in-process) on every page and reports:

* bag-of-words token precision / recall / F1 per page, averaged as the article-extraction-
  benchmark does (mean of the per-page P, R and F1). Tokens: lower-cased ``\\w+`` runs, each CJK
  character a token of its own. An empty output scores P = R = F1 = 0 (unless the gold is empty).
* snippet accuracy: share of ``with`` snippets found plus ``without`` snippets absent.
* pages/s end to end (one core, wall clock), and the rule pass's own time as a share of
  extraction time (both in CPU time).

``--halves`` also scores each dataset's two halves (pages split by a stable hash of their id,
see :func:`half`): develop on one half, check on the other, and keep a change only if it holds
on both halves of every dataset.

    PYTHONPATH=. python benchmarks/eval_html.py --out table.md [--modes default fast] [--halves]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+")
DATASETS = ("aeb", "cleaneval", "dragnet", "trafilatura")


def shared_dir() -> Path:
    env = os.environ.get("CLEANER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def half(page_id: str) -> int:
    """0 or 1: a page's half of its dataset, stable across runs and machines."""
    return hashlib.sha1(page_id.encode("utf-8")).digest()[0] % 2


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``pred`` against ``gold``."""
    p, g = tokens(pred), tokens(gold)
    np_, ng = sum(p.values()), sum(g.values())
    if not ng:
        return (1.0, 1.0, 1.0) if not np_ else (0.0, 1.0, 0.0)
    if not np_:
        return 0.0, 0.0, 0.0
    tp = sum((p & g).values())
    prec, rec = tp / np_, tp / ng
    return prec, rec, (2 * prec * rec / (prec + rec) if tp else 0.0)


def _squash(text: str) -> str:
    return " ".join(text.split())


def snippets(pred: str, row: dict) -> tuple[int, int]:
    """(correct, total) over the ``with`` (must appear) and ``without`` (must not) snippets."""
    flat = _squash(pred)
    ok = sum(_squash(s) in flat for s in row.get("with", []))
    ok += sum(_squash(s) not in flat for s in row.get("without", []))
    return ok, len(row.get("with", [])) + len(row.get("without", []))


@dataclass
class Score:
    p: list[float] = field(default_factory=list)
    r: list[float] = field(default_factory=list)
    f: list[float] = field(default_factory=list)
    snip_ok: int = 0
    snip_all: int = 0
    seconds: float = 0.0
    pages: int = 0
    errors: int = 0

    def add(self, pred: str, row: dict) -> None:
        if "gold_text" in row:
            for lst, v in zip((self.p, self.r, self.f), prf(pred, row["gold_text"]), strict=True):
                lst.append(v)
        ok, n = snippets(pred, row)
        self.snip_ok += ok
        self.snip_all += n

    def mean(self, lst: list[float]) -> float | None:
        return sum(lst) / len(lst) if lst else None


def baseline(mode: str, same_input: bool = False) -> Callable[[bytes, str | None], str]:
    """The bare extractor for ``mode``, fed raw bytes as a user of it would.

    ``same_input``: feed it the text cleaner's own decoding gives instead, so that the two
    differ only by the rule pass.
    """
    if same_input:
        from cleaner.extract import _prepare

        bare = baseline(mode)
        return lambda data, url: bare(_prepare(data).encode("utf-8"), url)
    if mode == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding
        from resiliparse.parse.html import HTMLTree

        def run_r(data: bytes, url: str | None) -> str:
            html = bytes_to_str(data, detect_encoding(data))
            return extract_plain_text(HTMLTree.parse(html), main_content=True, alt_texts=False)

        return run_r
    import trafilatura

    opts = {"default": {}, "fast": {"fast": True}, "precision": {"favor_precision": True}}[mode]

    def run_t(data: bytes, url: str | None) -> str:
        return trafilatura.extract(data, url=url, **opts) or ""

    return run_t


def load(dataset_dir: Path) -> list[tuple[dict, bytes]]:
    rows = [json.loads(line) for line in (dataset_dir / "gold.jsonl").open(encoding="utf-8")]
    out = []
    for row in rows:
        path = dataset_dir / f"{row['id']}.html"
        if path.exists():
            out.append((row, path.read_bytes()))
    return out


def evaluate(
    datasets: dict[str, list],
    modes: list[str],
    preset: str,
    rule_paths: list[Path] | None,
    same_input: bool = False,
    halves: bool = False,
) -> list[dict]:
    """One result per mode and dataset (and, with ``halves``, per half: key ``half`` 0/1)."""
    from cleaner.api import Cleaner
    from cleaner.extract import extract_text

    rules = Cleaner(preset, rules=rule_paths)
    results = []
    for mode in modes:
        base = baseline(mode, same_input)
        warm = next(iter(datasets.values()))[:3]  # imports, lazy compiles: keep out of the timing
        for rule in rules.rules:  # every rule once (e.g. ftfy is imported on first use)
            for example in rule.examples:
                rules.clean(example.input)
        for row, data in warm:
            rules.clean(base(data, row.get("url")))
            extract_text(data, url=row.get("url"), mode=mode, timeout=None)
        for name, docs in datasets.items():
            sb, sc = Score(), Score()
            parts = [(Score(), Score()), (Score(), Score())]  # per half: base, cleaner
            t_rules = t_extract = 0.0
            for row, data in docs:
                url = row.get("url")
                t0 = time.perf_counter()
                try:
                    pred = base(data, url)
                except Exception:
                    pred, sb.errors = "", sb.errors + 1
                t1 = time.perf_counter()
                c1 = time.process_time()
                try:  # = cleaner.clean_html(data, url, mode, preset, timeout=None), timed in parts
                    text = extract_text(data, url=url, mode=mode, timeout=None)
                    c2 = time.process_time()
                    cleaned = rules.clean(text, url=url) if text else ""
                except Exception:
                    c2, cleaned, sc.errors = time.process_time(), "", sc.errors + 1
                c3 = time.process_time()
                t3 = time.perf_counter()
                sb.seconds += t1 - t0
                sc.seconds += t3 - t1
                # the share is taken in CPU time: on a shared machine wall time also counts the
                # time other processes held the core
                t_extract += c2 - c1
                t_rules += c3 - c2
                hb, hc = parts[half(str(row["id"]))]
                for score, out, secs in (
                    (sb, pred, t1 - t0),
                    (sc, cleaned, t3 - t1),
                    (hb, pred, t1 - t0),
                    (hc, cleaned, t3 - t1),
                ):
                    score.add(out, row)
                    score.pages += 1
                    if score is hb or score is hc:
                        score.seconds += secs
            for h, (hb, hc) in enumerate(parts if halves else []):
                results.append(
                    {"mode": mode, "dataset": f"{name} h{h}", "half": h, "base": hb, "cleaner": hc}
                )
            results.append(
                {
                    "mode": mode,
                    "dataset": name,
                    "half": None,
                    "base": sb,
                    "cleaner": sc,
                    "rule_share": t_rules / t_extract if t_extract else 0.0,
                    "rule_cpu": t_rules,
                    "extract_cpu": t_extract,
                }
            )
            print(f"{mode:12} {name:12} done", file=sys.stderr)
    return results


def _pct(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{100 * v:.{digits}f}"


def table(results: list[dict]) -> str:
    head = (
        "| mode | dataset | tool | P | R | F1 | snippets | pages/s | rules / extraction |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for res in results:
        for tool in ("base", "cleaner"):
            s: Score = res[tool]
            who = (
                ("resiliparse" if res["mode"] == "resiliparse" else "trafilatura")
                if tool == "base"
                else "cleaner"
            )
            snip = f"{100 * s.snip_ok / s.snip_all:.2f}" if s.snip_all else "–"
            share = (
                f"{100 * res['rule_share']:.2f}%"
                if tool == "cleaner" and res["half"] is None
                else ""
            )
            err = f" ({s.errors} err)" if s.errors else ""
            lines.append(
                f"| {res['mode']} | {res['dataset']} | {who}{err} | {_pct(s.mean(s.p))} | "
                f"{_pct(s.mean(s.r))} | {_pct(s.mean(s.f), 2)} | {snip} | "
                f"{s.pages / s.seconds:.1f} | {share} |"
            )
    summary = [
        "",
        "| mode | tool | mean F1 (F1 datasets) | Δ F1 | pages/s (all) | rules / extraction (all) |",
        "|---|---|---|---|---|---|",
    ]
    for mode in dict.fromkeys(r["mode"] for r in results):
        rs = [r for r in results if r["mode"] == mode and r["half"] is None]
        means = {}
        for tool in ("base", "cleaner"):
            f1s = [r[tool].mean(r[tool].f) for r in rs if r[tool].f]
            means[tool] = sum(f1s) / len(f1s) if f1s else 0.0
            pages = sum(r[tool].pages for r in rs)
            secs = sum(r[tool].seconds for r in rs)
            delta = f"{100 * (means['cleaner'] - means['base']):+.2f}" if tool == "cleaner" else ""
            cpu = sum(r["extract_cpu"] for r in rs)
            share = (
                f"{100 * sum(r['rule_cpu'] for r in rs) / cpu:.2f}%"
                if tool == "cleaner" and cpu
                else ""
            )
            summary.append(
                f"| {mode} | {tool if tool == 'cleaner' else 'extractor alone'} | "
                f"{100 * means[tool]:.2f} | {delta} | {pages / secs:.1f} | {share} |"
            )
    return head + "\n".join(lines) + "\n" + "\n".join(summary) + "\n"


def ablate(datasets: dict[str, list], mode: str, preset: str, rule_paths: list[Path] | None) -> str:
    """Per rule: mean F1 change on each dataset when only that rule runs after extraction."""
    from cleaner.api import Cleaner
    from cleaner.extract import extract_text

    texts = {
        name: [
            (row, extract_text(data, url=row.get("url"), mode=mode, timeout=None))
            for row, data in docs
            if "gold_text" in row
        ]
        for name, docs in datasets.items()
    }
    texts = {k: v for k, v in texts.items() if v}
    base = {k: [prf(t, row["gold_text"])[2] for row, t in v] for k, v in texts.items()}
    lines = [
        f"| rule ({preset}, mode {mode}) | " + " | ".join(f"Δ F1 {k}" for k in texts) + " |",
        "|---|" + "---|" * len(texts),
    ]
    for rule in Cleaner(preset, rules=rule_paths).rules:
        one = Cleaner(select=[rule.id], rules=rule_paths)
        deltas = []
        for k, v in texts.items():
            f = [prf(one.clean(t, url=row.get("url")), row["gold_text"])[2] for row, t in v]
            deltas.append(100 * (sum(f) - sum(base[k])) / len(f))
        if any(abs(d) >= 0.005 for d in deltas):
            lines.append(f"| {rule.id} | " + " | ".join(f"{d:+.2f}" for d in deltas) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="write the Markdown table here too")
    ap.add_argument("--modes", nargs="+", default=["default", "fast", "precision", "resiliparse"])
    ap.add_argument("--datasets", nargs="+", default=list(DATASETS))
    ap.add_argument("--preset", default="default")
    ap.add_argument("--rules", type=Path, nargs="+", help="rule files/folders (default: bundled)")
    ap.add_argument(
        "--ablate",
        action="store_true",
        help="instead: F1 change per rule (each run alone), first mode only",
    )
    ap.add_argument(
        "--same-input",
        action="store_true",
        help="feed the bare extractor cleaner's decoded text (isolates the rule pass)",
    )
    ap.add_argument("--limit", type=int, default=0, help="pages per dataset (0: all)")
    ap.add_argument(
        "--halves", action="store_true", help="also score each half of each dataset (see half())"
    )
    args = ap.parse_args(argv)
    root = shared_dir() / "corpus" / "html"
    if not root.is_dir():
        print(f"skip: {root} not found (set CLEANER_SHARED)", file=sys.stderr)
        return 0
    modes = list(args.modes)
    if "resiliparse" in modes:
        try:
            import resiliparse  # noqa: F401
        except ImportError:
            print("resiliparse not installed: mode skipped", file=sys.stderr)
            modes.remove("resiliparse")
    data = {d: load(root / d) for d in args.datasets if (root / d).is_dir()}
    if args.limit:
        data = {d: docs[: args.limit] for d, docs in data.items()}
    if args.ablate:
        md = ablate(data, modes[0], args.preset, args.rules)
    else:
        md = table(evaluate(data, modes, args.preset, args.rules, args.same_input, args.halves))
    pages = ", ".join(f"{d} {len(v)}" for d, v in data.items())
    md = f"preset: {args.preset}; same input: {args.same_input}; pages: {pages}\n\n{md}"
    print(md)
    if args.out:
        args.out.write_text(md, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
