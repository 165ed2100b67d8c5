"""Intervals of quality evidence, checked against scipy's reference implementations."""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats

from generator.core.stats import Z95, given, mean_interval, t_quantile_975, wilson


@pytest.mark.parametrize(
    ("successes", "samples"),
    [
        (0, 1),
        (1, 1),
        (0, 10),
        (10, 10),
        (1, 2),
        (17, 20),
        (18, 20),
        (74, 120),
        (120, 150),
        (0, 1000),
        (1, 1000),
        (999, 1000),
    ],
)
def test_wilson_matches_scipy(successes: int, samples: int) -> None:
    ref = scipy_stats.binomtest(successes, samples).proportion_ci(method="wilson")
    got = wilson(successes, samples)
    assert got.method == "wilson"
    assert got.point == successes / samples
    assert got.low == pytest.approx(ref.low, abs=1e-12)
    assert got.high == pytest.approx(ref.high, abs=1e-12)
    assert got.width == pytest.approx(ref.high - ref.low, abs=1e-12)


@pytest.mark.parametrize("samples", [1, 7, 100])
def test_wilson_bounds_stay_inside_zero_and_one(samples: int) -> None:
    none, every = wilson(0, samples), wilson(samples, samples)
    assert none.low is not None and none.high is not None
    assert every.low is not None and every.high is not None
    # Exactly 0 and 1 in theory; the closed form leaves float dust of ~1e-17.
    assert none.low == pytest.approx(0.0, abs=1e-15)
    assert every.high == pytest.approx(1.0, abs=1e-15)
    assert none.low >= 0.0
    assert every.high <= 1.0
    assert 0.0 < none.high < 1.0
    assert 0.0 < every.low < 1.0


def test_wilson_of_18_in_20_is_below_85_percent_at_the_low_end() -> None:
    # The S004 example: the point estimate clears 0.85, the interval does not.
    got = wilson(18, 20)
    assert got.point == 0.9
    assert got.low is not None and got.low < 0.85


@pytest.mark.parametrize(("successes", "samples"), [(0, 0), (1, 0), (-1, 10), (11, 10), (0, -5)])
def test_wilson_rejects_impossible_counts(successes: int, samples: int) -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson(successes, samples)


@pytest.mark.parametrize("samples", [2, 3, 5, 30, 31, 32, 100, 1000])
def test_mean_interval_matches_scipy_t_interval(samples: int) -> None:
    value, stdev = 0.8, 0.12
    low, high = scipy_stats.t.interval(
        0.95, samples - 1, loc=value, scale=stdev / math.sqrt(samples)
    )
    got = mean_interval(value, stdev, samples)
    assert got.method == "t"
    assert got.point == value
    assert got.low == pytest.approx(low, abs=1e-4)
    assert got.high == pytest.approx(high, abs=1e-4)


@pytest.mark.parametrize("df", [1, 2, 4, 29, 30])
def test_tabulated_t_quantiles_match_scipy(df: int) -> None:
    assert t_quantile_975(df) == pytest.approx(scipy_stats.t.ppf(0.975, df), abs=1e-6)


@pytest.mark.parametrize("df", [31, 32, 40, 99, 200, 999, 10_000])
def test_expanded_t_quantiles_match_scipy(df: int) -> None:
    # Beyond the table the module uses a Cornish-Fisher expansion.
    assert t_quantile_975(df) == pytest.approx(scipy_stats.t.ppf(0.975, df), abs=1e-5)


def test_t_quantile_approaches_the_normal_quantile() -> None:
    assert t_quantile_975(10**9) == pytest.approx(Z95, abs=1e-8)
    assert scipy_stats.norm.ppf(0.975) == pytest.approx(Z95, abs=1e-12)


def test_mean_interval_of_one_sample_is_undefined() -> None:
    got = mean_interval(0.7, 0.1, 1)
    assert (got.point, got.low, got.high, got.width) == (0.7, None, None, None)


def test_mean_interval_with_no_spread_is_a_point() -> None:
    got = mean_interval(0.7, 0.0, 12)
    assert (got.low, got.high, got.width) == (0.7, 0.7, 0.0)


@pytest.mark.parametrize(
    ("value", "stdev", "samples"), [(0.5, 0.1, 0), (0.5, 0.1, -3), (0.5, -0.1, 10)]
)
def test_mean_interval_rejects_invalid_input(value: float, stdev: float, samples: int) -> None:
    with pytest.raises(ValueError, match="samples >= 1 and stdev >= 0"):
        mean_interval(value, stdev, samples)


@pytest.mark.parametrize("df", [0, -1])
def test_t_quantile_rejects_fewer_than_one_degree_of_freedom(df: int) -> None:
    with pytest.raises(ValueError, match="df must be at least 1"):
        t_quantile_975(df)


def test_given_interval_is_passed_through() -> None:
    got = given(0.91, 0.88, 0.94)
    assert (got.point, got.low, got.high, got.method) == (0.91, 0.88, 0.94, "given")
    assert got.width == pytest.approx(0.06)
