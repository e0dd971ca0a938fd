"""C17, from experiments/test_c17_ipc_overhead.py: does a round trip to a process cost more than one to a thread,
and from which payload size on?

Every ratio is a process channel's round trips over as many round trips of the same payload to a thread over
queue.Queue, per pair inside one benchmark. At each size the best process channel (the lowest median ratio) is
judged: the overhead a program pays is that of the channel it would pick, and judging the cheapest one can only make
"costs more" harder to reach. "a little" has no number (the evidence gives the ratios), and "more complicated" is
not measured.
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, cost, inconclusive, weakest

MEASUREMENT = "round_trip"
THREAD_CHANNEL = "queue.Queue"
# Process over thread round trip: within 10% is the same cost (the suite's noise band, as NO_SCALING), past it more.
MORE = Bars(1.1, 1.1, "no more", "more")


def _size(size_bytes):
    for unit, scale in [("MiB", 2**20), ("KiB", 2**10)]:
        if size_bytes >= scale:
            return "{:g} {}".format(size_bytes / scale, unit)
    return "{} B".format(size_bytes)


def _best_channels(run):
    """{size: (channel, its cost over the thread's, its row)} of the cheapest process channel at each size."""
    best = {}
    for _, row in run(MEASUREMENT).iterrows():
        if row["channel"] == THREAD_CHANNEL:
            continue  # the null control
        size, ratio = int(row["size_bytes"]), cost(row)
        if size not in best or ratio.value < best[size][1].value:
            best[size] = (row["channel"], ratio, row)
    return best


def _from(judged):
    """The least size from which the process channel costs more at that and every larger size; or None."""
    least = None
    for size in sorted(judged, reverse=True):
        if judged[size].holds is not True:
            break
        least = size
    return least


@rule(
    "C17",
    MEASUREMENT,
    cannot={
        "refuted": "A process gets the payload copied both ways while a thread gets a reference, so at the largest "
        "size (16 MiB) a process round trip costs hundreds of times a thread's on any machine and the claim can "
        "fail at small sizes only, never at all of them.",
    },
)
def ipc_costs_more(run):
    """C17 (the cheapest process channel at each payload size over a thread's queue.Queue, per pair):
    confirmed: at every size measured the cheapest process channel's round trip costs more than 1.1x a thread's;
    refuted: cannot occur (see `cannot`): no more at any size;
    partly: it costs more at some sizes (the large ones, where bytes are copied) and no more at others (<= 1.1x: a
    small payload crosses a pipe about as fast as a thread wakes another), with the least size where it costs more;
    inconclusive: no records, or a size whose ratio straddles 1.1x (noise) while no other size decides partly."""
    best = _best_channels(run)
    if not best:
        return inconclusive("no round-trip records of a process channel paired with a thread")
    smallest, largest = min(best), max(best)
    numbers = {"more_bar": MORE.high}
    for size, (channel, interval, _) in sorted(best.items()):
        numbers["ratio_{}".format(size)] = round(interval.value, 2)
        numbers["channel_{}".format(size)] = channel
    row = best[largest][2]
    round_trip_s = float(np.median(row["rounds_s"])) / int(row["round_trips"])
    numbers["best_process_mib_per_s_at_largest"] = round(2 * largest / 2**20 / round_trip_s, 1)
    evidence = "the cheapest process channel's round trip cost {} a thread's at {} ({}) and {} at {} ({})".format(
        stats.describe(best[smallest][1]),
        _size(smallest),
        best[smallest][0],
        stats.describe(best[largest][1]),
        _size(largest),
        best[largest][0],
    )
    judged = {size: MORE.judge(interval, holds="high") for size, (_, interval, _) in sorted(best.items())}
    if any(part.holds is False for part in judged.values()):
        numbers["costs_more_from_bytes"] = _from(judged)
    parts = {"at " + _size(size): part for size, part in judged.items()}
    return combine(evidence, parts, numbers, weakest([interval for _, interval, _ in best.values()], "high"))
