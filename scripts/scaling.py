"""Scaling laws fitted to every experiment that varies the worker count (its records say `bound`: "cpu" or
"io"): speedup over serial per N with its interval, the Karp-Flatt metric per N, and Amdahl's serial fraction
per curve with its interval. The physical limit of a curve is the usable CPUs for CPU-bound work and N itself
for waits, which overlap on any number of CPUs.
"""

import math

import pandas as pd

import records
from rules.common import amdahl_fit, select, speedup
from stats import karp_flatt

SETTING = ["machine", "interpreter", "gil_enabled"]
CURVE = ["model", "lifecycle", "workload"]  # what, beside the experiment, makes one curve


def _curve_points(rows, model, where):
    bound = select(rows, model=model, **where)["bound"].iloc[0]
    limit = float(rows["cpu_usable"].iloc[0]) if bound == "cpu" else math.inf
    fit = amdahl_fit(rows, model, limit, **where)
    for workers in sorted(select(rows, model=model, **where)["workers"].unique()):
        ratio = speedup(rows, workers, model, **where)
        if ratio is None:
            continue
        parallelism = min(workers, limit)
        yield dict(
            where,
            model=model,
            bound=bound,
            workers=int(workers),
            speedup=ratio.value,
            ci_low=ratio.low,
            ci_high=ratio.high,
            rounds=ratio.rounds,
            limit=parallelism,
            karp_flatt=karp_flatt(ratio.value, parallelism) if parallelism > 1 else math.nan,
            serial_fraction=fit.value if fit else math.nan,
            fraction_low=fit.low if fit else math.nan,
            fraction_high=fit.high if fit else math.nan,
        )


def scaling(table):
    """A row per curve x N, for the latest run of every setting x experiment that varies workers."""
    if "bound" not in table:
        return pd.DataFrame()
    points = []
    for key, rows in table[table["bound"].notna()].groupby(SETTING + ["experiment"]):
        rows = records.latest(rows)
        head = dict(
            zip(SETTING + ["experiment"], key),
            claims=rows["claims"].iloc[0],
            usable_cpus=int(rows["cpu_usable"].iloc[0]),
            run=rows["run"].iloc[0],
        )
        columns = [c for c in CURVE[1:] if c in rows and rows[c].notna().any()]
        for model in rows.loc[rows["model"] != "serial", "model"].unique():
            mine = rows[rows["model"] == model]
            for values in mine[columns].drop_duplicates().itertuples(index=False):
                points.extend(dict(head, **point) for point in _curve_points(rows, model, dict(zip(columns, values))))
    return pd.DataFrame(points)
