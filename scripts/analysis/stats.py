"""How sure a ratio is: bootstrap confidence intervals from the raw per-round timings, and Amdahl's law fitted.

A rule decides only when an interval clears its bar; an interval that straddles the bar makes the verdict
`inconclusive`, "too noisy". Resampling is seeded, so the same records always give the same verdict.
"""

import collections
import math

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 20210701  # the post's date: any fixed seed will do

Interval = collections.namedtuple("Interval", "value low high rounds")


def _bootstrapped(samples, statistic):
    """`statistic` of the samples with its bootstrap interval; rounds as "n1/n2/...". With fewer than two
    rounds in any sample there is no interval: low and high are NaN."""
    value = float(statistic(*samples))
    rounds = "/".join(str(len(sample)) for sample in samples)
    if min(len(sample) for sample in samples) < 2:
        return Interval(value, math.nan, math.nan, rounds)
    result = stats.bootstrap(
        samples,
        statistic,
        vectorized=True,
        paired=False,
        n_resamples=RESAMPLES,
        confidence_level=CONFIDENCE,
        method="percentile",
        random_state=np.random.default_rng(SEED),
    )
    low, high = result.confidence_interval
    return Interval(value, float(low), float(high), rounds)


def _median_ratio(numerator, denominator, axis=-1):
    return np.median(numerator, axis=axis) / np.median(denominator, axis=axis)


def ratio(numerator, denominator):
    """median(numerator) / median(denominator), with its bootstrap interval; rounds as "n1/n2".

    With fewer than two rounds on either side there is no interval: low and high are NaN.
    """
    samples = (np.asarray(numerator, float), np.asarray(denominator, float))
    return _bootstrapped(samples, _median_ratio)


def at_least(interval, bar):
    return interval.low >= bar


def at_most(interval, bar):
    return interval.high <= bar


def describe(interval):
    """`1.02x [0.97, 1.08]`, or `1.02x (1/1 rounds: no interval)`."""
    if math.isnan(interval.low):
        return "{:.2f}x ({} rounds: no interval)".format(interval.value, interval.rounds)
    return "{:.2f}x [{:.2f}, {:.2f}]".format(interval.value, interval.low, interval.high)


def karp_flatt(speedup, workers):
    """The experimentally determined serial fraction at one N > 1."""
    return (1 / speedup - 1 / workers) / (1 - 1 / workers)


def _serial_fraction(parallelism, *samples, axis=-1):
    """Least squares of Amdahl's law in time, 1/S = 1/P + s (1 - 1/P), which is linear in s; kept in [0, 1]."""
    slowdowns = [
        np.median(parallel, axis=axis) / np.median(serial, axis=axis)
        for serial, parallel in zip(samples[::2], samples[1::2])
    ]
    weights = [1 - 1 / p for p in parallelism]
    fraction = sum(w * (slow - 1 / p) for w, slow, p in zip(weights, slowdowns, parallelism)) / sum(
        w * w for w in weights
    )
    return np.clip(fraction, 0, 1)


def serial_fraction(rounds_by_workers, cpus):
    """Amdahl's serial fraction fitted to {N: (serial rounds, parallel rounds)} for N > 1, with its interval.

    N counts as min(N, cpus) processors: past the CPUs, more workers only take turns.
    """
    points = sorted(n for n in rounds_by_workers if n > 1)
    parallelism = [min(n, cpus) for n in points]
    samples = [np.asarray(rounds, float) for n in points for rounds in rounds_by_workers[n]]
    return _bootstrapped(samples, lambda *s, axis=-1: _serial_fraction(parallelism, *s, axis=axis))


def describe_fraction(interval):
    """`0.98 [0.96, 1.00]`, or `0.98 (no interval)`."""
    if math.isnan(interval.low):
        return "{:.2f} (no interval)".format(interval.value)
    return "{:.2f} [{:.2f}, {:.2f}]".format(interval.value, interval.low, interval.high)
