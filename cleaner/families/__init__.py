"""Rule functions: families of junk that one regex cannot state cleanly.

Each function takes the current text and returns its edits as sorted, non-overlapping
``(start, end, replacement)`` spans. Rule files name them as ``cleaner.families.<module>:<name>``.
"""
