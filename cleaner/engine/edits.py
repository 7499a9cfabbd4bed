"""Edit provenance: map each rule's edits back to offsets in the input text.

Rules run one after another, each on the text the previous one produced, so a rule reports its
edits in the coordinates of *its* input. :func:`compose` folds such a step into the list of edits
so far, kept in coordinates of the *original* input. When a later edit touches text that an
earlier edit produced (a space that came from an NBSP, say), the two become one edit, credited
to the later rule; its ``removed`` is the original text and its ``replacement`` the final text.
Applying the composed edits to the input reproduces the output exactly (``model.apply_edits``).
"""

from __future__ import annotations

from cleaner.model import Edit

#: an edit in original coordinates, while composing: (start, end, replacement, rule id)
_Acc = tuple[int, int, str, str]


def compose(acc: list[_Acc], spans: list[_Acc]) -> list[_Acc]:
    """Fold one step's ``spans`` (current coordinates, each with its rule id) into ``acc``
    (original coordinates).

    Linear in ``len(acc) + len(spans)``. A position at the seam of an earlier deletion maps to
    the right of the deleted text for a start and to its left for an end, so edits that merely
    touch stay separate; edits that overlap text an earlier edit wrote are merged.
    """
    out: list[_Acc] = []
    i, n = 0, len(acc)
    shift = 0  # current - original, for positions past the edits of acc consumed so far
    for cs, ce, repl, rule in spans:
        # earlier edits wholly before this one pass through unchanged
        while i < n:
            os_, oe, r, _ = acc[i]
            if os_ + shift + len(r) > cs:
                break
            out.append(acc[i])
            shift += len(r) - (oe - os_)
            i += 1
        # earlier edits whose output this edit overlaps
        j, s = i, shift
        hit: list[tuple[_Acc, int]] = []
        while j < n:
            os_, oe, r, _ = acc[j]
            acs = os_ + s
            if acs >= ce:
                break
            hit.append((acc[j], acs))
            s += len(r) - (oe - os_)
            j += 1
        if not hit:
            out.append((cs - shift, ce - shift, repl, rule))
            continue
        (fos, _, frep, _), facs = hit[0]
        (_, loe, lrep, _), lacs = hit[-1]
        lace = lacs + len(lrep)
        if cs <= facs:
            start, prefix = fos - (facs - cs), ""
        else:
            start, prefix = fos, frep[: cs - facs]
        if ce >= lace:
            end, suffix = loe + (ce - lace), ""
        else:
            end, suffix = loe, lrep[ce - lacs :]
        out.append((start, end, prefix + repl + suffix, rule))
        shift, i = s, j
    out.extend(acc[i:])
    return out


def to_edits(original: str, acc: list[_Acc]) -> list[Edit]:
    """Finish composing: drop edits that cancelled out and attach the removed text."""
    edits = []
    for start, end, repl, rule in acc:
        removed = original[start:end]
        if removed != repl:
            edits.append(Edit(rule, start, end, removed, repl))
    return edits
