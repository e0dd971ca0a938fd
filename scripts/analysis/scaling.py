"""Scaling laws fitted to every experiment that varies the worker count (its records say `bound`: "cpu" or
"io"): speedup over serial per N with its interval, the Karp-Flatt metric per N, and Amdahl's serial fraction
per curve with its interval. The physical limit of a curve is the usable CPUs for CPU-bound work and N itself
for waits, which overlap on any number of CPUs.
"""

import math

import pandas as pd
from analysis import records, stats
from analysis.rules.primitives import rounds_of, select

SETTING = ["machine", "interpreter", "gil_enabled"]
CURVE = ["model", "lifecycle", "workload"]  # what, beside the experiment, makes one curve


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
            karp_flatt=stats.karp_flatt(ratio.value, parallelism) if parallelism > 1 else math.nan,
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
