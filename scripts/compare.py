"""Compare two sets of recorded runs: which verdicts changed, and which ratios moved beyond their intervals.

    python scripts/compare.py A B      (each a run JSON file or a folder of them)

For 3.12 against 3.13, GIL against free-threaded, or this machine against another. When A and B each hold one
interpreter, claims are paired across them; otherwise by interpreter and GIL state.
"""

import argparse
import math
import sys

import records
import stats
from summarize import verdicts

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
        change = stats.ratio(after[records.RAW], before[records.RAW])
        if stats.at_least(change, 1 + NOISE_FLOOR) or stats.at_most(change, 1 - NOISE_FLOOR):
            lines.append("{} {}: B takes {} the time of A".format(before["experiment"], name, stats.describe(change)))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", help="run JSON file or folder")
    parser.add_argument("b", help="run JSON file or folder")
    args = parser.parse_args(argv)
    try:
        table_a, table_b = records.measurements([args.a]), records.measurements([args.b])
    except records.BadInput as problem:
        print("compare.py: {}".format(problem), file=sys.stderr)
        return 2
    verdict_lines = changed_verdicts(verdicts(table_a), verdicts(table_b))
    print("Verdicts that changed or whose ratio moved beyond its interval ({}):".format(len(verdict_lines)))
    print("\n".join("  " + line for line in verdict_lines) or "  none")
    bench_lines = moved_benchmarks(table_a, table_b)
    print(
        "Benchmarks whose time moved by more than {:.0%}, interval included ({}):".format(NOISE_FLOOR, len(bench_lines))
    )
    print("\n".join("  " + line for line in bench_lines) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
