"""Scaling curves of every experiment that varies the worker count (its records say `bound`: "cpu" or "io").

Work is weak-scaled: N workers each run one task of the same size, paired in every round with that task run once
serially, so the speedup of a round is N x baseline / round (CPython's Tools/ftscalingbench reads it the same
way). Its physical limit is min(N, usable CPUs) for CPU-bound work and N for waits, which overlap on any number of
CPUs. Per N: the median speedup with its interval, the efficiency (speedup over the limit) and the Karp-Flatt
serial fraction.
"""

import math

import pandas as pd
from analysis import records, stats
from analysis.records import BASELINE
from analysis.rules.primitives import speedup

SETTING = ["machine", "interpreter", "gil_enabled"]
CURVE = ["model", "lifecycle", "workload"]  # what, beside the experiment, makes one curve


def limit(row):
    """The most speedup N workers can reach here: min(N, usable CPUs) when CPU-bound, N when waiting."""
    return min(row["workers"], row["cpu_usable"]) if row["bound"] == "cpu" else row["workers"]


def curve(rows):
    """A point per N of one curve (rows of one model, lifecycle and workload), in order of N."""
    for row in rows.sort_values("workers").to_dict("records"):
        ratio, ideal = speedup(row), limit(row)
        yield dict(
            workers=int(row["workers"]),
            speedup=ratio.value,
            ci_low=ratio.low,
            ci_high=ratio.high,
            rounds=ratio.rounds,
            limit=ideal,
            efficiency=ratio.value / ideal,
            karp_flatt=stats.karp_flatt(ratio.value, ideal) if ideal > 1 else math.nan,
            cpu_per_wall=row.get("cpu_per_wall", math.nan),
        )


def scaling(table):
    """A row per curve x N, for the run each setting decides on, of every experiment that varies workers."""
    if "bound" not in table or BASELINE not in table:
        return pd.DataFrame()
    points = []
    for key, rows in table[table["bound"].notna() & table[BASELINE].notna()].groupby(SETTING + ["experiment"]):
        rows = records.chosen(rows)
        head = dict(zip(SETTING + ["experiment"], key), claims=rows["claims"].iloc[0], run=rows["run"].iloc[0])
        columns = [c for c in CURVE if c in rows and rows[c].notna().any()]
        for values, mine in rows.groupby(columns, dropna=False, sort=True):
            where = dict(zip(columns, values if isinstance(values, tuple) else (values,)))
            bound = mine["bound"].iloc[0]
            points.extend(
                dict(head, bound=bound, usable_cpus=mine["cpu_usable"].iloc[0], **where, **point)
                for point in curve(mine)
            )
    return pd.DataFrame(points)
