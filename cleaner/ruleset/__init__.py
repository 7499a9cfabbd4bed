"""Rule files -> validated, frozen :class:`cleaner.model.Rule` objects.

``load`` finds, parses and validates rule files and resolves presets and ``select`` globs.
May import: ``cleaner.model`` and the function-rule modules in ``cleaner.families``. Nothing
that runs rules.
"""
