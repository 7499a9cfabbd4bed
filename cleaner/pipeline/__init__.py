"""The one record pipeline behind ``cleaner clean`` and ``cleaner run``: read records, clean
them, write records, rejects and (for ``run``) manifests.

``records`` (Record, Reject, the one validation function, JSON out, the defaults), ``readers``
(every input format, folders), ``lines`` (the size-limited JSONL line reader), ``writers``
(atomic outputs and rejects), ``stream`` (the pipeline: workers and :func:`stream.clean_to`),
``shards`` (``run``: the pipeline per input file, plus its manifest), ``execute`` (local
processes or a Dask cluster), ``progress`` (the terminal progress line). May import:
``cleaner.api``, ``cleaner.engine``, ``cleaner.model``, ``cleaner.ruleset``, ``cleaner.extract``,
``cleaner.extras``.
Never cli.
"""
