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


@cache
def _matcher() -> regex.Pattern | None:
    shapes = family_shapes()
    if not shapes:
        return None
    alts = "|".join(
        ("(?<!\\w)" if sig[0].isalnum() else "") + regex.escape(sig.casefold())
        + ("(?!\\w)" if sig[-1].isalnum() else "") for sig, _ in shapes
    )
    return regex.compile(alts)


def family_of(text: str) -> tuple[str, str] | None:
    """(signature, rule id) of a bundled family whose signature ``text`` holds, ignoring case
    and as whole words where it starts or ends with a letter ("This story was updated at" holds
    "Updated", "(Ann Lee/Reuters)" holds "/Reuters")."""
    rx = _matcher()
    m = rx.search(text.casefold()) if rx is not None else None
    if m is None:
        return None
    return next((sig, rid) for sig, rid in family_shapes() if sig.casefold() == m.group())
