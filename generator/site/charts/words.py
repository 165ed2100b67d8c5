"""How the charts write numbers, in the alt text, the tables and on the axes alike.

Quality values (ratios such as accuracy) have two decimals everywhere, as the rest of the
site writes them: 0.87 (95% 0.84–0.90). Counts and costs have separators; cost multiples
one decimal (1.3×); margins to a bar carry their sign (+0.05, −0.10).
"""

from __future__ import annotations


def fmt(x: float | None) -> str:
    """Format a number for people: separators, three significant digits, a dash for none."""
    if x is None:
        return "—"
    if isinstance(x, int) or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def q(x: float | None) -> str:
    """Format a quality value as the site does, with two decimals (0.87); a dash for none."""
    return "—" if x is None else f"{x:,.2f}"


def bar_text(bar: float, direction: str | None) -> str:
    """Format a bar with the side that meets it: ≥ 0.90 where higher is better."""
    side = {"higher": "≥ ", "lower": "≤ "}.get(direction or "", "")
    return f"{side}{q(bar)}"


def times(ratio: float) -> str:
    """Format a multiple such as 1.3×; n/a without a forecast."""
    return "n/a" if ratio == float("inf") else f"{ratio:.1f}×"


def signed(x: float, percent: bool = False, decimals: int = 2) -> str:
    """Format a margin with its sign (+0.05, −0.10, 0.00), or as a percentage (+12.5%)."""
    text = f"{x * 100 if percent else x:+.{decimals}f}"
    if float(text) == 0:  # neither +0.00 nor -0.00
        text = text[1:]
    return text.replace("-", "−") + ("%" if percent else "")
