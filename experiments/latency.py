"""Latency samples summarised the same way everywhere (C06's ticks, C22's requests): nearest-rank percentiles."""

import math


def percentile(values, share):
    """The nearest-rank percentile: the smallest value at least `share` % of `values` are at or under."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]
