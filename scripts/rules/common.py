"""What the rules share: the verdict record, the scaling bars, and intervals computed from a run's rows."""

import collections

import numpy as np

import stats
from records import RAW

# `interval` is the stats.Interval the verdict was decided on; None where behaviour alone decided.
Verdict = collections.namedtuple("Verdict", "verdict evidence numbers interval")

NO_SCALING = 1.1  # a speedup at or under this is no speedup (CPython's Tools/ftscalingbench draws the same line)
SCALING_SHARE = 0.5  # "scales": at least half the ideal extra speed, 1 + 0.5 x (P - 1) on P processors


def scaling_bar(parallelism):
    return 1 + SCALING_SHARE * (parallelism - 1)


def inconclusive(reason, interval=None, **numbers):
    return Verdict("inconclusive", reason, numbers, interval)


def select(rows, **where):
    """Rows whose columns equal every value in `where`; none when a column is absent."""
    for column, value in where.items():
        if column not in rows:
            return rows.iloc[0:0]
        rows = rows[rows[column] == value]
    return rows


def rounds_of(rows, **where):
    """Every recorded round's time of the rows matching `where`, pooled."""
    found = select(rows, **where)
    return np.concatenate([np.asarray(r, float) for r in found[RAW]]) if len(found) else np.array([])


def serial_rounds(rows, workers, **where):
    """Serial rounds for the same tasks; serial runs have no pool, so a `lifecycle` in `where` does not apply."""
    return rounds_of(rows, model="serial", workers=workers, **{k: v for k, v in where.items() if k != "lifecycle"})


def speedup(rows, workers, model, **where):
    """Serial time over `model`'s for the same tasks on `workers` workers, as a stats.Interval; None if missing."""
    serial = serial_rounds(rows, workers, **where)
    contender = rounds_of(rows, model=model, workers=workers, **where)
    return stats.ratio(serial, contender) if len(serial) and len(contender) else None


def amdahl_fit(rows, model, cpus, **where):
    """Amdahl's serial fraction of `model` over every N > 1 with serial and `model` records, or None."""
    pairs = {}
    for workers in select(rows, model=model, **where)["workers"].unique():
        serial = serial_rounds(rows, workers, **where)
        if workers > 1 and len(serial):
            pairs[int(workers)] = (serial, rounds_of(rows, model=model, workers=workers, **where))
    return stats.serial_fraction(pairs, cpus) if pairs else None


def classify(interval, low_bar, high_bar):
    """"low" (<= low_bar), "high" (>= high_bar), "between" the two, or "noisy" (the interval straddles a bar)."""
    if stats.at_most(interval, low_bar):
        return "low"
    if stats.at_least(interval, high_bar):
        return "high"
    if interval.low > low_bar and interval.high < high_bar:
        return "between"
    return "noisy"


def scaling_class(interval, bar):
    """"flat" (<= NO_SCALING), "scales" (>= bar), "between" the two, or "noisy" (the interval straddles a bar)."""
    found = classify(interval, NO_SCALING, bar)
    return {"low": "flat", "high": "scales"}.get(found, found)


def too_noisy(interval, *bars):
    """The reason for an interval that decides nothing: which bar it straddles, or that there is none."""
    if np.isnan(interval.low):
        return "too noisy: {} rounds give no interval".format(interval.rounds)
    bar = next((b for b in bars if interval.low < b < interval.high), bars[0])
    return "too noisy: CI [{:.2f}, {:.2f}] straddles {:.2f}".format(interval.low, interval.high, bar)


def undecided(interval, bar):
    """Why an interval that is neither "flat" nor "scales" decides nothing."""
    if scaling_class(interval, bar) == "between":
        return "between no speedup ({}x) and scaling ({:.2f}x)".format(NO_SCALING, bar)
    return too_noisy(interval, NO_SCALING, bar)


def usable_cpus(rows):
    return int(rows["cpu_usable"].iloc[0])


def parallel_workers(rows):
    """Every N >= 2 measured; none on a machine with one usable CPU, where no parallel speedup can show."""
    return sorted(int(n) for n in rows["workers"].dropna().unique() if n >= 2) if usable_cpus(rows) >= 2 else []
