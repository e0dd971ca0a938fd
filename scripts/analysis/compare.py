"""Two sets of runs side by side: the verdicts that changed, and the ratios and benchmarks that moved beyond their
intervals."""

import math

from analysis import records, stats

NOISE_FLOOR = 0.10  # a benchmark whose time moved less than 10% has not moved, whatever its interval says


def _pairs(left, right):
    """(claim, row in A, row in B) for every claim both decided."""
    single = left["interpreter"].nunique() == right["interpreter"].nunique() == 1
    keys = ["claim"] if single else ["claim", "interpreter", "gil_enabled"]
    merged = left.merge(right, on=keys, suffixes=("_a", "_b"))
    return merged.to_dict("records")


def _interpreter(row, side):
    return row.get("interpreter_" + side) or row["interpreter"]


def _overlap(row):
    """Whether the two intervals a verdict was decided on overlap (no interval: treated as overlapping)."""
    lows, highs = (row["ci_low_a"], row["ci_low_b"]), (row["ci_high_a"], row["ci_high_b"])
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in lows + highs):
        return True
    return max(lows) <= min(highs)


def changed_verdicts(left, right):
    lines = []
    for row in _pairs(left, right):
        if row["verdict_a"] != row["verdict_b"]:
            lines.append(
                "{}: {} ({}) -> {} ({}): {}".format(
                    row["claim"],
                    row["verdict_a"],
                    _interpreter(row, "a"),
                    row["verdict_b"],
                    _interpreter(row, "b"),
                    row["evidence_b"],
                )
            )
        elif not _overlap(row):
            lines.append(
                "{claim}: still {verdict_a}, but its ratio moved: {ratio_a:.2f} [{ci_low_a:.2f}, {ci_high_a:.2f}]"
                " -> {ratio_b:.2f} [{ci_low_b:.2f}, {ci_high_b:.2f}]".format(**row)
            )
    return lines


def moved_benchmarks(table_a, table_b):
    """Benchmarks (by name, latest run each side) whose time ratio B/A clears the noise floor with its interval."""
    a, b = records.latest(table_a), records.latest(table_b)
    lines = []
    for name in sorted(set(a["name"]) & set(b["name"])):
        before, after = a[a["name"] == name].iloc[0], b[b["name"] == name].iloc[0]
        if not (len(before[records.RAW]) and len(after[records.RAW])):
            continue  # every round left out (records.even_rounds): nothing to compare
        change = stats.shift(after[records.RAW], before[records.RAW])
        if stats.at_least(change, 1 + NOISE_FLOOR) or stats.at_most(change, 1 - NOISE_FLOOR):
            lines.append("{} {}: B takes {} the time of A".format(before["experiment"], name, stats.describe(change)))
    return lines
