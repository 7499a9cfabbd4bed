"""The record pipeline behind ``cleaner clean`` and ``cleaner run``: read records, clean them,
write records, rejects and manifests.

``records`` (Record, Reject, JSON handling), ``readers`` (every input format), ``writers``
(atomic output files), ``shards`` (one input file -> one output shard + manifest), ``execute``
(local processes or a Dask cluster), ``progress`` (the terminal progress line). May import:
``cleaner.api``, ``cleaner.model``, ``cleaner.ruleset``, ``cleaner.extract``. Never cli.
"""
