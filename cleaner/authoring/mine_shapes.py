"""Known junk shapes for ``cleaner rules mine``: loose signatures of the bundled families.

A bundled rule's triggers name the words its junk is made of ("Read more", "SHARE",
" contributed to this "), while its pattern is strict. A recurring template that holds such a word
is junk of a known family in a form the bundled pattern did not match: it needs evidence in fewer
documents (``--family-min-docs``) but passes every other check of a mined rule.
"""

from __future__ import annotations

from functools import cache

import regex

#: families whose triggers are characters, not words (nothing to recognise a line by)
_NOT_SHAPES = ("whitespace.", "unicode.", "markup.", "meta.keyword-list", "extended.caps-teaser",
               "webpage.related-post-date")  # fmt: skip
#: letters a trigger needs to serve as a signature
MIN_LETTERS = 4


@cache
def family_shapes() -> tuple[tuple[str, str], ...]:
    """(signature, rule id): each bundled rule's triggers of 4+ letters, stripped."""
    from cleaner.ruleset.load import RuleLoadError, load_rules

    try:
        rules = load_rules()
    except (RuleLoadError, FileNotFoundError):
        return ()
    out: dict[str, str] = {}
    for rule in rules:
        if rule.id.startswith(_NOT_SHAPES):
            continue
        for trig in rule.trigger:
            sig = trig.strip()
            if sum(map(str.isalpha, sig)) >= MIN_LETTERS:
                out.setdefault(sig, rule.id)
    return tuple(out.items())


def _variants(sig: str) -> tuple[str, ...]:
    """The signature as written and with its first letter's case swapped ("Updated",
    "updated"); an all-capitals word ("MORE") only as written."""
    swapped = sig[0].swapcase() + sig[1:]
    return (sig,) if sig.isupper() or swapped == sig else (sig, swapped)


@cache
def _matcher() -> tuple[regex.Pattern, dict[str, tuple[str, str]]] | None:
    shapes = family_shapes()
    if not shapes:
        return None
    back = {v: (sig, rid) for sig, rid in shapes for v in _variants(sig)}
    alts = "|".join(
        ("(?<!\\w)" if v[0].isalnum() else "")
        + regex.escape(v)
        + ("(?!\\w)" if v[-1].isalnum() else "")
        for v in back
    )
    return regex.compile(alts), back


def family_of(text: str) -> tuple[str, str] | None:
    """(signature, rule id) of a bundled family whose signature ``text`` holds, as whole words
    where it starts or ends with a letter, as written or with its first letter's case swapped
    ("This story was updated at" holds "Updated", "(Ann Lee/Reuters)" holds "/Reuters"; "No
    more." does not hold "MORE")."""
    found = _matcher()
    if found is None:
        return None
    rx, back = found
    m = rx.search(text)
    return back[m.group()] if m else None
