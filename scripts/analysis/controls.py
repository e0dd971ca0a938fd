"""Null controls: comparisons whose true ratio is 1 (a baseline timed against itself, in the same pairs), one per
kind of timed comparison a run makes. A control whose interval misses 1 shows drift or an order effect that could
pass for an effect; the rules that read that kind of measurement do not decide on that run.

The run's controls are judged together at a family-wise 95%: each at 1 - 0.05 / (number of controls), so that a
sound run is flagged less than one time in twenty; a control with too few rounds for that (quick's 6, or fewer left
after rounds that began with uneven CPUs were set aside) is held to [min, max] of what it has, and one left with
fewer than 2 because of uneven CPUs counts as missed.
"""

import math

import pandas as pd
from analysis import stats
from analysis.records import BASELINE, RAW

FAMILY_CONFIDENCE = 0.95
COLUMNS = ["measurement", "name", "ratio", "ci_low", "ci_high", "rounds", "coverage", "holds"]


def controls(rows):
    """A row per null control of one run: contender over baseline per pair, its interval, and whether it holds 1."""
    if "null_control" not in rows:
        return pd.DataFrame(columns=COLUMNS)
    found = rows[rows["null_control"].fillna(False).astype(bool)]
    level = 1 - (1 - FAMILY_CONFIDENCE) / max(1, len(found))
    table = []
    for row in found.to_dict("records"):
        n = len(row[RAW])
        k = stats.order_statistic(n, level) or (1 if n >= 2 else None)
        interval = stats.ratio(row[RAW], row[BASELINE], confidence=stats.coverage(n, k) if k else level)
        table.append(
            dict(
                measurement=row["measurement"],
                name=row["name"],
                ratio=interval.value,
                ci_low=interval.low,
                ci_high=interval.high,
                rounds=interval.rounds,
                coverage=stats.coverage(n, k) if k else math.nan,
                # too few rounds left to check it, because they began with uneven CPUs: not a control that held
                holds=bool(interval.low <= 1 <= interval.high)
                if k
                else (False if row.get("rounds_uneven", 0) > 0 else None),
            )
        )
    return pd.DataFrame(table, columns=COLUMNS)


def failed(table):
    """{measurement: the first control of it that missed 1}."""
    missed = {}
    for row in table.to_dict("records"):
        if row["holds"] is False:
            missed.setdefault(row["measurement"], row)
    return missed


def describe(row):
    if math.isnan(row["ci_low"]):
        return "{} ({} rounds began with even CPUs: too few to check it)".format(row["name"], row["rounds"])
    return "{} {:.3f} [{:.3f}, {:.3f}]".format(row["name"], row["ratio"], row["ci_low"], row["ci_high"])
