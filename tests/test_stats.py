"""The intervals every verdict is decided on: their stated coverage holds at the rounds the profiles take, on
synthetic rounds with known drift and known noise, where comparing two benchmarks measured apart would not."""

import math

import numpy as np
import pytest
from analysis import stats

from experiments.harness.fixtures import pair_orders

TRUE_RATIO = 1.5
SIMULATIONS = 4000


def simulated_runs(pairs, drift, noise, seed=1):
    """`SIMULATIONS` runs of `pairs` rounds: a machine whose speed drifts (a random walk of step `drift` in log
    space) times a baseline and a contender TRUE_RATIO times slower, side by side in each round, each time with its
    own lognormal noise of `noise`. Returns (baseline, contender) arrays of shape (SIMULATIONS, pairs)."""
    rng = np.random.default_rng(seed)
    speed = np.exp(np.cumsum(rng.normal(0, drift, (SIMULATIONS, pairs)), axis=1))
    baseline = speed * np.exp(rng.normal(0, noise, (SIMULATIONS, pairs)))
    contender = TRUE_RATIO * speed * np.exp(rng.normal(0, noise, (SIMULATIONS, pairs)))
    return baseline, contender


def covered(baseline, contender):
    """Share of simulated runs whose paired interval holds the true ratio."""
    hits = 0
    for b, c in zip(baseline, contender):
        interval = stats.ratio(c, b)
        hits += interval.low <= TRUE_RATIO <= interval.high
    return hits / len(baseline)


@pytest.mark.parametrize("pairs", [6, 9, 15, 25, 50])
@pytest.mark.parametrize("drift, noise", [(0.0, 0.05), (0.05, 0.05), (0.3, 0.02), (0.02, 0.4)])
def test_paired_intervals_cover_the_true_ratio_at_least_as_often_as_stated(pairs, drift, noise):
    stated = stats.coverage(pairs, stats.order_statistic(pairs))
    assert stated >= 0.95
    standard_error = math.sqrt(stated * (1 - stated) / SIMULATIONS)
    assert covered(*simulated_runs(pairs, drift, noise)) >= stated - 4 * standard_error


def test_drift_between_two_benchmarks_measured_apart_passes_for_an_effect_that_pairs_do_not_see():
    """The baseline's rounds all before the contender's, on a machine slowing by 1% a round: the ratio of their
    medians misses the true ratio most of the time; the same rounds taken as pairs do not."""
    rng = np.random.default_rng(7)
    misses_apart = misses_paired = 0
    for _ in range(500):
        speed = np.exp(0.01 * np.arange(18))
        noise = np.exp(rng.normal(0, 0.01, 18))
        apart_base, apart_cont = speed[:9] * noise[:9], TRUE_RATIO * speed[9:] * noise[9:]
        misses_apart += not (
            stats.shift(apart_cont, apart_base).low <= TRUE_RATIO <= stats.shift(apart_cont, apart_base).high
        )
        paired_base, paired_cont = speed[::2] * noise[::2], TRUE_RATIO * speed[1::2] * noise[1::2]
        interval = stats.ratio(paired_cont, paired_base)
        misses_paired += not (interval.low <= TRUE_RATIO * 1.01 <= interval.high)
    assert misses_apart > 400 and misses_paired < 50


@pytest.mark.parametrize(
    "n, k, level",
    [
        (5, None, None),
        (6, 1, 0.968),
        (7, 1, 0.984),
        (9, 2, 0.961),
        (15, 4, 0.965),
        (20, 6, 0.959),
        (25, 8, 0.957),
        (40, 14, 0.962),
        (50, 18, 0.967),
    ],
)
def test_the_order_statistic_is_the_widest_that_keeps_95_percent(n, k, level):
    assert stats.order_statistic(n) == k
    if k:
        assert stats.coverage(n, k) == pytest.approx(level, abs=0.001)


def test_too_few_pairs_give_no_interval_and_a_median_all_the_same():
    interval = stats.ratio([2.0, 2.0, 2.2], [1.0, 1.0, 1.0])
    assert interval.value == 2.0 and math.isnan(interval.low) and interval.rounds == "3"


def test_a_constant_denominator_divides_every_round():
    interval = stats.ratio([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 2.0)
    assert (interval.value, interval.low, interval.high) == (2.0, 0.5, 3.5)


def test_unequal_rounds_are_not_pairs():
    with pytest.raises(ValueError):
        stats.ratio([1.0, 2.0], [1.0])


def test_the_shift_of_two_independent_samples_covers_their_ratio():
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(1000):
        before, after = np.exp(rng.normal(0, 0.1, 9)), TRUE_RATIO * np.exp(rng.normal(0, 0.1, 9))
        found = stats.shift(after, before)
        hits += found.low <= TRUE_RATIO <= found.high
    assert hits / 1000 >= 0.93


def null_control_coverage(orders, pairs, disturbance=0.05, noise=0.01):
    """Share of simulated null controls (true ratio 1) whose interval holds 1, the sides of each run in the order
    `orders(pairs, rng)` gives, on a machine that slows by `disturbance` (log) whatever runs in the 2nd and 3rd of
    every 4 sides: a disturbance recurring every other pair."""
    rng, hits = np.random.default_rng(11), 0
    for _ in range(SIMULATIONS // 4):
        ratios = []
        for pair, baseline_first in enumerate(orders(pairs, rng)):
            slowed = [(2 * pair + side) % 4 in (1, 2) for side in range(2)]  # first side, second side
            contender, baseline = (slowed[1], slowed[0]) if baseline_first else (slowed[0], slowed[1])
            ratios.append(np.exp(disturbance * (contender - baseline) + rng.normal(0, noise)))
        interval = stats.ratio(ratios, [1.0] * pairs)
        hits += interval.low <= 1 <= interval.high
    return hits / (SIMULATIONS // 4)


@pytest.mark.parametrize("pairs", [9, 15])
def test_a_coin_toss_per_pair_keeps_a_recurring_disturbance_off_one_side_where_alternation_does_not(pairs):
    stated = stats.coverage(pairs, stats.order_statistic(pairs))
    standard_error = math.sqrt(stated * (1 - stated) / (SIMULATIONS // 4))
    alternating = null_control_coverage(lambda n, rng: [pair % 2 == 0 for pair in range(n)], pairs)
    tossed = null_control_coverage(lambda n, rng: pair_orders(n, rng), pairs)
    assert alternating == 0  # the contender is the slowed side in every pair
    assert tossed >= stated - 4 * standard_error


def test_more_pairs_straddle_a_bar_less_often_and_pairs_all_on_one_side_never_do():
    spread = [0.7, 0.8, 0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.2, 1.3]  # pairs as noisy as GIL-bound threads here
    few, _ = stats.resampled(spread, 9, 1.1, 400)
    many, _ = stats.resampled(spread, 50, 1.1, 400)
    assert few > 0.3 and many < few
    assert stats.resampled([0.97, 0.99, 1.0, 1.01, 1.03], 25, 1.1, 400)[0] == 0.0
