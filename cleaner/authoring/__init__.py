"""What rule authors run: ``check`` (examples, triggers, backtracking: ``rules check``),
``triggers``, ``redos``, ``diff`` (``rules diff``), ``docs`` (``rules docs``), ``format``
(text/github/json output of a check), ``failures`` (what a check reports) and ``mine``,
``mine_rules``, ``mine_check`` (``rules mine``: recurring junk -> a draft rule file).

May import: ``cleaner.model``, ``cleaner.ruleset``, ``cleaner.engine``, ``cleaner.pipeline``
(to read corpora). Never cli.
"""
