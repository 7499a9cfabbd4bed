"""What rule authors run: ``check`` (examples, triggers, backtracking: ``rules check``),
``triggers``, ``redos``, ``diff`` (``rules diff``), ``docs`` (``rules docs``), ``format``
(text/github/json output of a check) and ``failures`` (what a check reports).

May import: ``cleaner.model``, ``cleaner.ruleset``, ``cleaner.engine``, ``cleaner.pipeline``
(to read corpora). Never cli.
"""
