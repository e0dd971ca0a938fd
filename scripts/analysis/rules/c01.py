"""C01, from experiments/test_c01_one_process_per_cpu.py: do N CPU-bound processes pinned to one CPU take turns
(no speedup over serial), and do the same processes left on every usable CPU run at once (a speedup)?
Pinned processes are judged at every N >= 2; unpinned ones at their best N >= 2, as C09 and C14 are.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Bars, combine, inconclusive, parallel_workers, rounds_of, scaling_bars
from analysis.scaling import serial_rounds

MEASUREMENT = "placement_scaling"
# One bar: a pinned speedup at or under 1.1x is one CPU taking the processes in turns; over it, the CPU ran several.
PINNED = Bars(NO_SCALING, NO_SCALING, "no speedup", "faster than serial")


def speedups(rows, placement):
    """{N: serial time over the placement's, as an interval} for every N >= 2 with both records."""
    found = {}
    for workers in parallel_workers(rows):
        serial = serial_rounds(rows, workers)
        placed = rounds_of(rows, workers=workers, placement=placement)
        if len(serial) and len(placed):
            found[workers] = stats.ratio(serial, placed)
    return found


@rule("C01", MEASUREMENT)
def one_process_at_a_time_per_cpu(run):
    """C01 holds when N processes pinned to one CPU run no faster than serial (<= 1.1x) at every N >= 2 (one CPU
    runs one process at a time) while unpinned, at their best N, they reach 1 + 0.5 (P - 1) times serial speed,
    P = min(N, usable CPUs). It is refuted when the pinned processes beat serial (>= 1.1x) at every N and the
    unpinned ones do not scale either."""
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: pinned and unpinned are the same placement on this machine")
    rows = run(MEASUREMENT)
    pinned, unpinned = speedups(rows, "one_cpu"), speedups(rows, "unpinned")
    if not pinned:
        return inconclusive("no records of processes pinned to one CPU (no os.sched_setaffinity here?)")
    if not unpinned:
        return inconclusive("no records of unpinned processes beside the serial ones")
    usable = run.usable_cpus
    best = max(unpinned, key=lambda n: unpinned[n].value)
    bars = scaling_bars(min(best, usable))
    numbers = {"usable_cpus": usable, "no_scaling_bar": NO_SCALING, "scaling_bar": bars.high, "unpinned_workers": best}
    numbers.update({"one_cpu_speedup_{}".format(n): round(i.value, 3) for n, i in pinned.items()})
    numbers["unpinned_speedup"] = round(unpinned[best].value, 3)
    evidence = (
        "N CPU-bound processes pinned to one CPU ran {} as fast as serial, unpinned at best {} (N={}), on {} "
        "usable CPUs".format(
            ", ".join("{} (N={})".format(stats.describe(i), n) for n, i in sorted(pinned.items())),
            stats.describe(unpinned[best]),
            best,
            usable,
        )
    )
    parts = {"pinned, N={}".format(n): PINNED.judge(i, holds="low") for n, i in sorted(pinned.items())}
    parts["unpinned"] = bars.judge(unpinned[best], holds="high")
    return combine(evidence, parts, numbers, unpinned[best])
