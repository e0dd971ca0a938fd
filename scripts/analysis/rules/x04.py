"""X04, from experiments/test_c05_start_cost.py: which start method costs least to start a process, and is it the
default?

Hypothesis: the default start method (what `multiprocessing` uses when a program names none, recorded with every run
as `start_method_default`; on Linux fork until 3.13, forkserver from 3.14; spawn on macOS and Windows) is the
cheapest one here.

Each start method's cost is that of an empty process started and joined from the small parent, in thread starts:
every round pairs its process starts with thread starts, so drift cancels in each round's (round / its starts) /
(baseline / its starts). Two start methods are compared by the Hodges-Lehmann shift of those per-round costs with its
Mann-Whitney interval (two benchmarks: independent rounds, not pairs of each other).
"""

import numpy as np
from analysis import stats
from analysis.records import BASELINE, RAW
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive, weakest

from experiments.vocabulary import process_models

MEASUREMENT = "start_to_joined"
# The default against another start method: within 10% of it (the suite's noise band, as C17's) or cheaper, it is
# as cheap as that one; 10% dearer or more, it is not the cheapest. Start methods differ by multiples (a fork copies
# page tables, forkserver forks a server that has imported little, spawn starts an interpreter), not by percents.
CHEAPEST = Bars(1.1, 1.1, "no dearer", "dearer")


def starts(row, side):
    """Starts per round on one side of a row."""
    return float(row["starts_per_round" if side == RAW else "baseline_starts_per_round"])


def in_thread_starts(row):
    """Each recorded round's time per start over its paired thread baseline's time per start."""
    mine = np.asarray(row[RAW], float) / starts(row, RAW)
    threads = np.asarray(row[BASELINE], float) / starts(row, BASELINE)
    return list(mine / threads)


def per_start_ms(row, side=RAW):
    """Median milliseconds per start of one side of a row."""
    return 1000 * float(stats.median(row[side])) / starts(row, side)


def process_starts(run):
    """{start method: its start_to_joined row}, in the registry's order."""
    rows = run(MEASUREMENT)
    found = {row["model"]: row for row in rows.to_dict("records")}
    return {m: found[m] for m in process_models() if m in found}


@rule("X04", MEASUREMENT)
def default_start_method_is_cheapest(run):
    """X04 (an empty process started and joined from a small parent, per start method, in thread starts):
    confirmed: the default start method costs less than 1.1x every other start method measured (it is the cheapest
    here, as fork on Linux up to 3.13);
    refuted: it costs at least 1.1x every other (the dearest here, as spawn where fork and forkserver exist);
    partly: it costs less than some and at least 1.1x others (forkserver, Linux's default from 3.14: dearer than
    fork, cheaper than spawn);
    inconclusive: no start records of processes, none of the default start method, only one start method (Windows
    has spawn alone: nothing to compare), or a comparison whose interval straddles 1.1x."""
    found = process_starts(run)
    if not found:
        return inconclusive("no start-to-joined records of processes")
    rows = run(MEASUREMENT)
    default = rows["start_method_default"].iloc[0] if "start_method_default" in rows else None
    if default not in found:
        return inconclusive("no start-to-joined records of the default start method ({})".format(default))
    if len(found) < 2:
        return inconclusive("only {} was measured: no other start method to compare the default with".format(default))
    costs = {m: in_thread_starts(row) for m, row in found.items()}
    cheapest = min(costs, key=lambda m: stats.median(costs[m]))
    against = {m: stats.shift(costs[default], costs[m]) for m in found if m != default}
    thread_ms = per_start_ms(found[default], BASELINE)
    numbers = {"default": default, "cheapest": cheapest, "thread_ms": round(thread_ms, 3), "bar": CHEAPEST.high}
    for m, row in found.items():
        numbers[m + "_ms"] = round(per_start_ms(row), 2)
        numbers[m + "_vs_thread"] = round(stats.median(costs[m]), 1)
    numbers.update({"default_vs_" + m: round(interval.value, 3) for m, interval in against.items()})
    evidence = (
        "from a small parent an empty process started and joined in {} ({} a thread's {:.3f} ms); the cheapest is "
        "{}; the default here, {}, cost {}".format(
            ", ".join("{:.1f} ms ({})".format(per_start_ms(row), m) for m, row in found.items()),
            ", ".join("{:.0f}x".format(stats.median(costs[m])) for m in found),
            thread_ms,
            cheapest,
            default,
            ", ".join("{} {}'s".format(stats.describe(interval), m) for m, interval in against.items()),
        )
    )
    parts = {
        "{} against {}".format(default, m): CHEAPEST.judge(interval, holds="low") for m, interval in against.items()
    }
    return combine(evidence, parts, numbers, weakest(against.values(), "low"))
