"""Confidence intervals for quality evidence: small pure functions.

The 95% Student-t quantiles for 1-30 degrees of freedom are tabulated; above
that a Cornish-Fisher expansion around the normal quantile is accurate to
better than 1e-5, which saves a dependency on scipy for one number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054

_T975 = (
    12.706205,
    4.302653,
    3.182446,
    2.776445,
    2.570582,
    2.446912,
    2.364624,
    2.306004,
    2.262157,
    2.228139,
    2.200985,
    2.178813,
    2.160369,
    2.144787,
    2.131450,
    2.119905,
    2.109816,
    2.100922,
    2.093024,
    2.085963,
    2.079614,
    2.073873,
    2.068658,
    2.063899,
    2.059539,
    2.055529,
    2.051831,
    2.048407,
    2.045230,
    2.042272,
)


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate with its 95% interval (bounds None when undefined)."""

    point: float
    low: float | None
    high: float | None
    method: str

    @property
    def width(self) -> float | None:
        """Return high - low, or None when the interval is undefined."""
        if self.low is None or self.high is None:
            return None
        return self.high - self.low


def wilson(successes: int, samples: int, z: float = Z95) -> Interval:
    """Return the Wilson score interval of a proportion."""
    if samples <= 0 or not 0 <= successes <= samples:
        raise ValueError("need 0 <= successes <= samples and samples > 0")
    p = successes / samples
    denom = 1 + z * z / samples
    centre = (p + z * z / (2 * samples)) / denom
    half = z * math.sqrt(p * (1 - p) / samples + z * z / (4 * samples * samples)) / denom
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), "wilson")


def t_quantile_975(df: int) -> float:
    """Return the 97.5% quantile of Student's t with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = Z95
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


def mean_interval(value: float, stdev: float, samples: int) -> Interval:
    """Return the t interval of a mean; undefined bounds for a single sample."""
    if samples < 1 or stdev < 0:
        raise ValueError("need samples >= 1 and stdev >= 0")
    if samples == 1:
        return Interval(value, None, None, "t")
    half = t_quantile_975(samples - 1) * stdev / math.sqrt(samples)
    return Interval(value, value - half, value + half, "t")


def given(value: float, low: float, high: float) -> Interval:
    """Return an interval reported with the evidence, passed through."""
    return Interval(value, low, high, "given")
