"""Plain words for a value a record field refused: why YAML read it so, what to write.

Pydantic says what it expected ("Input should be a valid number"); when the value was
written as a number YAML 1.1 reads otherwise, or is out of every real range, the hint
says why and what to write instead.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.fields import MAX_COUNT
from .yamldata import YAML11_NUMBER

# Scientific notation YAML 1.1 reads as text: it needs a decimal point and a signed
# exponent (1.7e+308), so 1.7e308, 2E6 and 1e+16 are strings.
_EXPONENT = re.compile(r"^[-+]?\d[\d_]*(\.\d*)?[eE][-+]?\d+$")
BOOL_HINT = (
    " (YAML reads unquoted yes/no/on/off/true/false as a boolean: quote it if you meant text)"
)


def _yaml_float(written: str) -> str:
    """Return scientific notation as YAML 1.1 reads it as a number: 2E6 -> 2.0e+6."""
    mantissa, exponent = written.strip().lower().split("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{exponent if exponent[0] in '+-' else '+' + exponent}"


def value_hint(kind: str, value: object, ctx: dict[str, Any]) -> str:
    """Return why YAML read a refused value as it did, and what to write ('' if plain)."""
    if isinstance(value, str) and YAML11_NUMBER.match(value):
        return (
            f" (YAML 1.1 would read {value} as a base-60 or octal number: write the number "
            "you mean without ':' or a leading zero, or quote it if it is text)"
        )
    if isinstance(value, str) and _EXPONENT.match(value.strip()):
        return (
            f" (YAML reads {value} as text: write {_yaml_float(value)}, with a decimal "
            "point and a signed exponent, or the figure in full)"
        )
    if kind == "finite_number":
        return " (.inf and .nan are not figures: write the amount)"
    if kind == "less_than_equal" and ctx.get("le", 0) >= MAX_COUNT:
        return " (no real figure is that large: check the digits and the unit)"
    if isinstance(value, bool):
        return BOOL_HINT
    if value is None:
        return " (the value is empty)"
    return ""
