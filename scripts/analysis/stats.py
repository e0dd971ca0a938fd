"""How sure a ratio is: medians of per-round ratios with distribution-free intervals.

Every ratio a rule decides on is measured in pairs (experiments/harness/fixtures.py: a contender and its baseline back
to back in each round, which first by a coin toss), so drift of the machine between rounds moves both sides of a pair
alike and cancels in its ratio. The interval is that of the median of the per-pair ratios from order statistics (the
sign test inverted): for n independent pairs, [r(k), r(n+1-k)] covers the true median with probability 1 - 2
P(Binomial(n, 1/2) <= k - 1) whatever their distribution, the largest k that keeps this at or above the level asked. At
95% that needs 6 pairs or more; with fewer there is no interval, and nothing is decided. tests/test_stats.py checks the
coverage on synthetic rounds with known drift and known noise.

Two sets of rounds that are not pairs (the same benchmark in two runs, `compare.py`) get the Hodges-Lehmann
estimate of their ratio with its distribution-free interval from the Mann-Whitney statistic.
"""

import collections
import math
import random

CONFIDENCE = 0.95
Z_975 = 1.959964  # the standard normal's 97.5% point, for the Mann-Whitney interval

Interval = collections.namedtuple("Interval", "value low high rounds")


def _binomial_cdf(k, n):
    """P(Binomial(n, 1/2) <= k)."""
    return sum(math.comb(n, i) for i in range(k + 1)) / 2**n


def order_statistic(n, confidence=CONFIDENCE):
    """The largest k whose [r(k), r(n+1-k)] covers a median with at least `confidence`, or None (too few)."""
    best = None
    for k in range(1, n // 2 + 1):
        if 1 - 2 * _binomial_cdf(k - 1, n) >= confidence:
            best = k
    return best


def coverage(n, k):
    """The coverage of [r(k), r(n+1-k)] for the median of n independent values."""
    return 1 - 2 * _binomial_cdf(k - 1, n)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_interval(values, confidence=CONFIDENCE):
    """The median of `values` (per-pair ratios) with its order-statistic interval; NaN bounds when too few."""
    ordered = sorted(float(v) for v in values)
    n = len(ordered)
    if not n:
        return Interval(math.nan, math.nan, math.nan, "0")
    k = order_statistic(n, confidence)
    if k is None:
        return Interval(median(ordered), math.nan, math.nan, str(n))
    return Interval(median(ordered), ordered[k - 1], ordered[n - k], str(n))


def ratios(numerator, denominator, scale=1.0):
    """The per-pair ratios scale x numerator[i] / denominator[i]. `denominator` may be one number for every pair."""
    numerator = [float(v) for v in numerator]
    denominator = [float(d) for d in denominator] if _listlike(denominator) else [float(denominator)] * len(numerator)
    if len(numerator) != len(denominator):
        raise ValueError("{} rounds against {}: not pairs".format(len(numerator), len(denominator)))
    return [scale * a / b for a, b in zip(numerator, denominator)]


def ratio(numerator, denominator, scale=1.0, confidence=CONFIDENCE):
    """Median of the per-pair ratios (`ratios`), with its interval."""
    return median_interval(ratios(numerator, denominator, scale), confidence)


def resampled(ratios, pairs, bar, draws, seed=0):
    """(how often, the median width): drawing `pairs` of `ratios` with replacement `draws` times, the share of
    intervals that straddle `bar` and the median width of the intervals."""
    rng = random.Random(seed)
    straddles, widths = 0, []
    for _ in range(draws):
        interval = median_interval(rng.choices(ratios, k=pairs))
        straddles += interval.low <= bar <= interval.high
        widths.append(interval.high - interval.low)
    return straddles / draws, median(widths)


def _listlike(value):
    return hasattr(value, "__len__") and not isinstance(value, str)


def shift(after, before, confidence=CONFIDENCE):
    """How many times `before`'s values `after`'s are, for two independent samples: the Hodges-Lehmann estimate
    (the median of all pairwise ratios) with the Mann-Whitney interval (normal approximation of its critical value)."""
    logs = sorted(math.log(a) - math.log(b) for a in after for b in before)
    n, m = len(after), len(before)
    rounds = "{}/{}".format(n, m)
    estimate = math.exp(median(logs))
    depth = int(math.floor(n * m / 2 - Z_975 * math.sqrt(n * m * (n + m + 1) / 12)))
    if depth < 1 or confidence != CONFIDENCE:
        return Interval(estimate, math.nan, math.nan, rounds)
    return Interval(estimate, math.exp(logs[depth - 1]), math.exp(logs[len(logs) - depth]), rounds)


def at_least(interval, bar):
    return interval.low >= bar


def at_most(interval, bar):
    return interval.high <= bar


def describe(interval, unit="x"):
    """`1.02x [0.97, 1.08]`, or `1.02x (3 rounds: no interval)`; `unit` after the value ("" for a count of cores)."""
    if math.isnan(interval.low):
        return "{:.2f}{} ({} rounds: no interval)".format(interval.value, unit, interval.rounds)
    return "{:.2f}{} [{:.2f}, {:.2f}]".format(interval.value, unit, interval.low, interval.high)


def karp_flatt(speedup, workers):
    """The experimentally determined serial fraction at one N > 1."""
    return (1 / speedup - 1 / workers) / (1 - 1 / workers)
