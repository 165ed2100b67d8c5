"""When two written names are the same name: case, Unicode form and look-alike letters.

A sponsor listed twice, or once with a Cyrillic `а` for a Latin `a`, is one person; a
copy of an initiative's title in look-alike letters is the same title. Every comparison
of names and of similarity text goes through `skeleton`.
"""

from __future__ import annotations

import unicodedata

# Letters of other scripts that are drawn like Latin ones (the commonest confusables of
# Unicode's table, Cyrillic and Greek), after case-folding.
_LOOK_ALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    }
)  # fmt: skip


def skeleton(text: str) -> str:
    """Return the form two names share when a reader would take them for the same."""
    if text.isascii():  # the usual case, and one that normalising would leave as it is
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LOOK_ALIKES)
    kept = (c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


def look_alikes() -> dict[str, str]:
    """Return the look-alike letters and the Latin letter each is read as."""
    return {chr(k): str(v) for k, v in _LOOK_ALIKES.items()}
