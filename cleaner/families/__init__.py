"""Rule functions: families of junk that one regex cannot state cleanly.

Each function takes the current text and returns its edits as sorted, non-overlapping
``(start, end, replacement)`` spans, and is registered with
:func:`cleaner.ruleset.registry.function_rule`. Rule files name them as
``cleaner.families.<module>:<name>``; only the modules listed in :data:`MODULES` are imported
to find them. May import: ``cleaner.model`` and ``cleaner.ruleset.registry``; nothing that loads
or runs rules.
"""

#: The modules whose registered functions bundled rule files may name (a new family module
#: must be added here).
MODULES: tuple[str, ...] = (
    "cleaner.families.hovercard",
    "cleaner.families.markup",
    "cleaner.families.whitespace",
)
