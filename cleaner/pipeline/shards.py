"""``cleaner run``: the pipeline once per input file, one output shard (+ rejects + manifest) each.

Shards are named after their input's path relative to the inputs' common folder
(``dumps/a/x.jsonl.gz`` and ``dumps/b/x.jsonl`` -> ``OUT/a/x.jsonl``, ``OUT/b/x.jsonl``); two
inputs whose shard files would share a path refuse the run (:func:`shard_names`).

The manifest ``NAME.manifest.json`` beside the shard is written last, atomically, after the shard
and its rejects are renamed into place: a shard whose manifest exists, with the current rule-set
hash, options, cleaner version and input fingerprint, is finished, and ``--resume`` skips it.
The fingerprint is the input's size, mtime (ns) and the sha256 of its first and last MiB: a
changed, replaced or rewritten input is cleaned again.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import orjson

from cleaner.pipeline.execute import CleanerSpec
from cleaner.pipeline.readers import SUFFIXES
from cleaner.pipeline.records import COMPRESSED, InputError
from cleaner.pipeline.stream import Options, clean_to
from cleaner.pipeline.writers import OUT_FORMATS, Output, Rejects, write_json_atomic

MANIFEST_SUFFIX = ".manifest.json"
_KNOWN = tuple(s for group in SUFFIXES.values() for s in group) + COMPRESSED


def _stem(name: str) -> str:
    """'x.jsonl.gz' -> 'x' (known suffixes stripped), unsafe characters replaced."""
    low = name.lower()
    while cut := next((s for s in _KNOWN if low.endswith(s) and len(low) > len(s)), None):
        name, low = name[: -len(cut)], low[: -len(cut)]
    return re.sub(r"[^\w.-]", "_", name) or "shard"


def shard_names(inputs: list[str], out_format: str = "jsonl") -> list[str]:
    """A shard name per input file (``-``: 'stdin'): its path relative to the inputs' common
    folder, known suffixes stripped. Raises :class:`InputError` when two inputs' shard files
    would share a path (e.g. 'a.jsonl' and 'a.jsonl.gz', or 'a.jsonl' and 'a.rejects.jsonl')."""
    files = [os.path.abspath(p) for p in inputs if p != "-"]
    root = os.path.commonpath([os.path.dirname(f) for f in files]) if files else ""
    names = []
    for p in inputs:
        if p == "-":
            names.append("stdin")
            continue
        rel = Path(os.path.relpath(os.path.abspath(p), root))
        names.append("/".join([*rel.parts[:-1], _stem(rel.name)]))
    owner: dict[str, str] = {}
    for p, name in zip(inputs, names, strict=True):
        for f in shard_paths(Path(), name, out_format):
            key = str(f).lower()  # case-insensitive file systems too
            if key in owner and owner[key] != p:
                raise InputError(f"{p} and {owner[key]} would both write {f}: rename one, or "
                                 "clean them in separate runs")  # fmt: skip
            owner[key] = p
    return names


def shard_paths(out_dir: Path, name: str, out_format: str) -> tuple[Path, Path, Path]:
    """(output, rejects, manifest) paths of the shard called ``name``."""
    return (out_dir / f"{name}{OUT_FORMATS[out_format]}",
            out_dir / f"{name}.rejects.jsonl",
            out_dir / f"{name}{MANIFEST_SUFFIX}")  # fmt: skip


def fingerprint(path: str) -> dict | None:
    """Size, mtime and sha256 of the first and last MiB of a file (None for stdin, a FIFO or
    a device: they cannot be read twice, nor proven unchanged)."""
    if path == "-" or not os.path.isfile(path):
        return None
    st = os.stat(path)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read(1 << 20))
        if st.st_size > 2 << 20:
            f.seek(st.st_size - (1 << 20))
            h.update(f.read())
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256_head_tail": h.hexdigest()}


def _options(options: Options, out_format: str) -> dict:
    return {"out_format": out_format, **asdict(options)}


def clean_shard(
    input_path: str,
    out_dir: str | Path,
    name: str,
    spec: CleanerSpec,
    options: Options,
    out_format: str = "jsonl",
    jobs: int = 1,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict:
    """Clean every record of ``input_path`` into the shard ``name`` under ``out_dir``; return the
    manifest. ``jobs > 1`` cleans on a process pool (same bytes as ``jobs=1``)."""
    from cleaner import __version__

    t0 = time.perf_counter()
    out_path, rej_path, man_path = shard_paths(Path(out_dir), name, out_format)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    ruleset_id, sha = spec.ruleset()
    man_path.unlink(missing_ok=True)  # until this run's manifest exists, the shard is unfinished
    fp = fingerprint(input_path)
    c = clean_to([input_path], Output(out_path, out_format), Rejects(rej_path), spec, options,
                 jobs, progress)  # fmt: skip
    counts = {"input": c.read, "output": c.written, "rejected": c.rejected, "changed": c.changed,
              "passed_through": c.passed_through}  # fmt: skip
    manifest = {
        "input": str(input_path),
        "input_fingerprint": fp,
        "input_bytes": fp["size"] if fp else c.text_bytes,
        "output": out_path.name,
        "rejects": rej_path.name if c.rejected else None,
        "counts": counts,
        "balanced": c.read == c.written + c.rejected,
        "reject_reasons": dict(sorted(c.reasons.items())),
        "ruleset": {"id": ruleset_id, "sha256": sha},
        "cleaner_version": __version__,
        "options": _options(options, out_format),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    write_json_atomic(man_path, manifest)
    return manifest


def finished(input_path: str, out_dir: Path, name: str, spec_sha: str, options: Options,
             out_format: str) -> dict | None:  # fmt: skip
    """The shard's manifest if it finished from this very input (same fingerprint) under the
    same rule-set hash, options and cleaner version, else None."""
    from cleaner import __version__

    out_path, _, man_path = shard_paths(out_dir, name, out_format)
    try:
        man = orjson.loads(man_path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if (man.get("ruleset", {}).get("sha256") != spec_sha
            or man.get("options") != _options(options, out_format)
            or man.get("cleaner_version") != __version__ or not out_path.exists()
            or man.get("input_fingerprint") != fingerprint(input_path)
            or man.get("input_fingerprint") is None):  # fmt: skip
        return None  # (an input without a fingerprint cannot be shown to be the same)
    return man
