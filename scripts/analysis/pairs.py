"""How many pairs a judged comparison needs: the per-pair speedups a model recorded at the judged N, pooled over
runs, and how often intervals of a given number of them straddle a bar (scripts/pairs_needed.py)."""

from analysis import stats
from analysis.records import BASELINE, RAW
from analysis.rules.primitives import judged_workers

DRAWS = 4000


def judged_speedups(table, model):
    """(the per-pair weak-scaling speedups of `model`'s warm `cpu_scaling` rows at each run's judged N, pooled; how
    many runs gave some)."""
    speedups, runs = [], 0
    scaling = table[(table["measurement"] == "cpu_scaling") & (table["lifecycle"] == "warm")]
    for _, rows in scaling.groupby("run"):
        found = rows[(rows["model"] == model) & (rows["workers"] == judged_workers(rows))]
        for row in found.to_dict("records"):
            speedups += stats.ratios(row[BASELINE], row[RAW], scale=row["workers"])  # as primitives.speedup
            runs += 1
    return speedups, runs


def needed(speedups, counts, bar, draws=DRAWS):
    """[(pairs, share of intervals that straddle `bar`, median width)] for each pair count of `counts`."""
    return [(pairs,) + stats.resampled(speedups, pairs, bar, draws) for pairs in counts]
