"""C01, from experiments/test_c01_one_process_per_cpu.py: do N CPU-bound processes pinned to one CPU take turns
(no speedup over serial), and do the same processes left on every usable CPU run at once (a speedup)?
Each placement is judged at its best N >= 2, as C09 and C14 are.
"""

import stats
from rules.common import (
    NO_SCALING,
    Verdict,
    inconclusive,
    parallel_workers,
    rounds_of,
    scaling_bar,
    scaling_class,
    serial_rounds,
    too_noisy,
    undecided,
    usable_cpus,
)


def speedups(rows, placement):
    """{N: serial time over the placement's, as an interval} for every N >= 2 with both records."""
    found = {}
    for workers in parallel_workers(rows):
        serial = serial_rounds(rows, workers)
        placed = rounds_of(rows, test="test_spin", workers=workers, placement=placement)
        if len(serial) and len(placed):
            found[workers] = stats.ratio(serial, placed)
    return found


def one_process_at_a_time_per_cpu(rows):
    """C01 holds when N processes pinned to one CPU run no faster than serial (<= 1.1x) at every N >= 2 (one CPU
    runs one process at a time) while unpinned, at their best N, they reach 1 + 0.5 (P - 1) times serial speed,
    P = min(N, usable CPUs). It is refuted when the pinned processes beat serial (>= 1.1x) at every N."""
    if usable_cpus(rows) < 2:
        return inconclusive("only 1 usable CPU: pinned and unpinned are the same placement on this machine")
    pinned, unpinned = speedups(rows, "one_cpu"), speedups(rows, "unpinned")
    if not pinned:
        return inconclusive("no records of processes pinned to one CPU (no os.sched_setaffinity here?)")
    if not unpinned:
        return inconclusive("no records of unpinned processes beside the serial ones")
    usable = usable_cpus(rows)
    best = max(unpinned, key=lambda n: unpinned[n].value)
    bar = scaling_bar(min(best, usable))
    numbers = {"usable_cpus": usable, "no_scaling_bar": NO_SCALING, "scaling_bar": bar, "unpinned_workers": best}
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
    if all(stats.at_least(i, NO_SCALING) for i in pinned.values()):
        slowest = min(pinned.values(), key=lambda i: i.value)
        return Verdict("refuted", evidence + " (one CPU ran several processes at once)", numbers, slowest)
    if not all(stats.at_most(i, NO_SCALING) for i in pinned.values()):
        unclear = next(n for n, i in sorted(pinned.items()) if not stats.at_most(i, NO_SCALING))
        if stats.at_least(pinned[unclear], NO_SCALING):
            reason = "pinned: faster than serial at N={} but not at every N".format(unclear)
        else:
            reason = "pinned, N={}: {}".format(unclear, too_noisy(pinned[unclear], NO_SCALING))
        return inconclusive(evidence + "; " + reason, pinned[unclear], **numbers)
    spread = scaling_class(unpinned[best], bar)
    if spread == "scales":
        return Verdict(
            "confirmed",
            evidence + " (pinned: no speedup, <= {}x; unpinned: >= {:.2f}x)".format(NO_SCALING, bar),
            numbers,
            unpinned[best],
        )
    if spread == "flat":
        return Verdict(
            "partly",
            evidence + "; one CPU took the processes in turns, but unpinned they did not spread over the CPUs either",
            numbers,
            unpinned[best],
        )
    return inconclusive(evidence + "; unpinned: " + undecided(unpinned[best], bar), unpinned[best], **numbers)
