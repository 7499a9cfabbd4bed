"""Adapters that plug cleaner into other frameworks' interfaces, one module per framework
(``cleaner.integrations.datatrove``: a datatrove pipeline step).

A module here may import its framework at module level (only that framework's users import the
module; its extra names the dependency) and from cleaner only the public API: ``cleaner``,
``cleaner.api`` and ``cleaner.model``. Nothing else in cleaner imports from here.
"""
