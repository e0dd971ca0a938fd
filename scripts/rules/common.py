"""What the rules share: the verdict record, the scaling bar, and medians picked out of a run's rows."""
import collections

Verdict = collections.namedtuple("Verdict", "verdict evidence numbers")

NO_SCALING = 1.1  # a speedup at or under this is no speedup (CPython's Tools/ftscalingbench draws the same line)
SCALING_SHARE = 0.5  # "scales": at least half the ideal extra speed, 1 + 0.5 x (P - 1) on P workers


def scaling_bar(parallelism):
    return 1 + SCALING_SHARE * (parallelism - 1)


def inconclusive(reason, **numbers):
    return Verdict("inconclusive", reason, numbers)


def select(rows, **where):
    """Rows whose columns equal every value in `where`; none when a column is absent."""
    for column, value in where.items():
        if column not in rows:
            return rows.iloc[0:0]
        rows = rows[rows[column] == value]
    return rows


def median_s(rows, **where):
    """Median wall time of the one benchmark matching `where`, or None when it was not recorded."""
    found = select(rows, **where)
    return float(found["median_s"].iloc[0]) if len(found) else None


def value_of(rows, column, **where):
    found = select(rows, **where)
    return float(found[column].iloc[0]) if len(found) and column in found else None


def speedup(rows, workers, model, **where):
    """Serial time over `model`'s time for the same tasks on `workers` workers, or None if either is missing."""
    serial = median_s(rows, model="serial", workers=workers, **where)
    contender = median_s(rows, model=model, workers=workers, **where)
    return serial / contender if serial and contender else None


def usable_cpus(rows):
    return int(rows["cpu_usable"].iloc[0])
