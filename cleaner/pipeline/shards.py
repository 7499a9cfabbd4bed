"""One input file -> one output shard, its rejects and a manifest (:func:`clean_shard`).

The manifest is written last, atomically, after the shard and its rejects are renamed into place:
a shard whose manifest exists (with the current rule-set hash) is finished, and
``cleaner run --resume`` skips it.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from cleaner.pipeline.execute import CleanerSpec, imap_ordered
from cleaner.pipeline.readers import check_record
from cleaner.pipeline.records import Record, Reject
from cleaner.pipeline.writers import OUT_FORMATS, AtomicFile, open_writer, write_json_atomic

MANIFEST_SUFFIX = ".manifest.json"


@dataclass(frozen=True)
class ShardOptions:
    """Everything but the input that decides a shard's bytes."""

    out_format: str = "jsonl"
    text_field: str = "text"
    provenance: bool = False
    max_doc_bytes: int = 16 * 1024 * 1024


def shard_paths(out_dir: Path, name: str, out_format: str) -> tuple[Path, Path, Path]:
    """(output, rejects, manifest) paths of the shard called ``name``."""
    return (out_dir / f"{name}{OUT_FORMATS[out_format]}",
            out_dir / f"{name}.rejects.jsonl",
            out_dir / f"{name}{MANIFEST_SUFFIX}")  # fmt: skip


def reason_class(reason: str) -> str:
    """'malformed JSON: Expecting ...' -> 'malformed JSON' (the tally key in manifests)."""
    return reason.split(":", 1)[0]


def _str(data: dict | None, key: str) -> str | None:
    v = data.get(key) if data else None
    return v if isinstance(v, str) else None


class ShardWorker:
    """Turns one input item into output or reject bytes; built once per worker process."""

    def __init__(self, arg: tuple[CleanerSpec, ShardOptions, str]):
        spec, self.options, self.source = arg
        self.cleaner = spec.build()
        self.jsonl_out = self.options.out_format.startswith("jsonl")

    def process(self, item: Record | Reject | tuple[int, int, bytes]) -> tuple:
        """("rej", rejects line, reason class) or ("out", line or None, data or None, changed,
        passed through, text length)."""
        o = self.options
        if isinstance(item, tuple):
            item = check_record(item[2], self.source, item[0], item[1], o.text_field,
                                o.max_doc_bytes)  # fmt: skip
        if isinstance(item, Reject):
            return "rej", orjson.dumps(item.to_dict()) + b"\n", reason_class(item.reason)
        data = item.data or {}
        url, pub = _str(data, "url"), _str(data, "publisher")
        error = None
        if o.provenance:
            res = self.cleaner.explain(item.text, url=url, publisher=pub)
            text, error = res.text, res.error
            extra = {"cleaner_edits": [e.to_dict() for e in res.edits]}
            if error:
                extra["cleaner_error"] = error
        else:
            text, extra = self.cleaner.clean(item.text, url=url, publisher=pub), None
        out = dict(item.data) if item.data is not None else {}
        out[item.text_field] = text
        if extra:
            out.update(extra)
        line = None
        if self.jsonl_out:
            if item.stdlib_json:
                line = json.dumps(out, ensure_ascii=False).encode("utf-8") + b"\n"
            else:
                line = orjson.dumps(out) + b"\n"
        return ("out", line, None if self.jsonl_out else out, text != item.text,
                error is not None, len(item.text))  # fmt: skip


def _process(worker: ShardWorker, item) -> tuple:
    return worker.process(item)


def clean_shard(
    input_path: str,
    out_dir: str | Path,
    name: str,
    spec: CleanerSpec,
    options: ShardOptions = ShardOptions(),
    jobs: int = 1,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict:
    """Clean every record of ``input_path`` into the shard ``name`` under ``out_dir``; return the
    manifest. ``jobs > 1`` parses and cleans the records on a process pool (same bytes as
    ``jobs=1``: results are consumed in input order)."""
    from cleaner import __version__
    from cleaner.pipeline.readers import read_items

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_path, rej_path, man_path = shard_paths(out_dir, name, options.out_format)
    ruleset_id, sha = spec.ruleset()
    source = "<stdin>" if input_path == "-" else input_path
    man_path.unlink(missing_ok=True)  # until this run's manifest exists, the shard is unfinished
    writer = open_writer(out_path, options.out_format, options.text_field)
    rejects = AtomicFile(rej_path)
    reasons: Counter[str] = Counter()
    n = {"input": 0, "output": 0, "rejected": 0, "changed": 0, "passed_through": 0}
    text_bytes = 0
    seen = (0, 0, 0)  # (documents, text bytes, rejects) already reported to ``progress``
    items = read_items(input_path, options.text_field, options.max_doc_bytes)
    try:
        results = imap_ordered(_process, items, jobs, ShardWorker, (spec, options, source))
        for i, res in enumerate(results, 1):
            n["input"] += 1
            if res[0] == "rej":
                n["rejected"] += 1
                reasons[res[2]] += 1
                rejects.write(res[1])
            else:
                _, line, data, changed, passed, size = res
                writer.write(data, line)
                n["output"] += 1
                n["changed"] += changed
                n["passed_through"] += passed
                text_bytes += size
            if progress is not None and i % 512 == 0:
                progress(n["input"] - seen[0], text_bytes - seen[1], n["rejected"] - seen[2])
                seen = (n["input"], text_bytes, n["rejected"])
        writer.commit()
        if n["rejected"]:
            rejects.commit()
        else:
            rejects.abort()
            rej_path.unlink(missing_ok=True)  # an earlier run's rejects no longer apply
    except BaseException:
        writer.abort()
        rejects.abort()
        raise
    manifest = {
        "input": str(input_path),
        "input_bytes": os.path.getsize(input_path) if os.path.isfile(input_path) else text_bytes,
        "output": out_path.name,
        "rejects": rej_path.name if n["rejected"] else None,
        "counts": n,
        "balanced": n["input"] == n["output"] + n["rejected"],
        "reject_reasons": dict(sorted(reasons.items())),
        "ruleset": {"id": ruleset_id, "sha256": sha},
        "cleaner_version": __version__,
        "options": {
            "out_format": options.out_format,
            "text_field": options.text_field,
            "provenance": options.provenance,
            "max_doc_bytes": options.max_doc_bytes,
        },  # fmt: skip
        "seconds": round(time.perf_counter() - t0, 3),
    }
    write_json_atomic(man_path, manifest)
    return manifest


def finished(out_dir: Path, name: str, spec_sha: str, options: ShardOptions) -> dict | None:
    """The shard's manifest if it finished under the same rule-set hash and options, else None."""
    out_path, _, man_path = shard_paths(out_dir, name, options.out_format)
    try:
        man = orjson.loads(man_path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    opts = {"out_format": options.out_format, "text_field": options.text_field,
            "provenance": options.provenance, "max_doc_bytes": options.max_doc_bytes}  # fmt: skip
    from cleaner import __version__

    if (man.get("ruleset", {}).get("sha256") != spec_sha or man.get("options") != opts
            or man.get("cleaner_version") != __version__ or not out_path.exists()):  # fmt: skip
        return None
    return man
