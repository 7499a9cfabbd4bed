"""The hot loop: run a compiled rule set over one document and record every edit.

``run`` (the Engine: stages, gating, per-document time limit), ``scan`` (one Aho-Corasick pass
finds every trigger literal), ``lines`` (whole-line rules in one pass), ``edits`` (provenance:
edits in input coordinates) and ``reference`` (the naive loop, kept as the oracle the engine must
equal). May import: ``cleaner.model``, ``cleaner.ruleset``. Never the pipeline, authoring, report
or cli.
"""
