"""C17, from experiments/test_c17_ipc_overhead.py: does a round trip to a process cost more than one to a thread,
and from which payload size on?

At each size the best process channel is compared with the thread's queue.Queue: the overhead a program pays
is that of the channel it would pick. "a little" has no number (the evidence gives the ratios), and "more
complicated" is not measured.
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive, rounds_of, weakest

MEASUREMENT = "round_trip"
# Process over thread round trip: within 10% is the same cost (the suite's noise band, as NO_SCALING), past it more.
MORE = Bars(1.1, 1.1, "no more", "more")
THREAD_CHANNEL = "queue.Queue"


def _size(size_bytes):
    for unit, scale in [("MiB", 2**20), ("KiB", 2**10)]:
        if size_bytes >= scale:
            return "{:g} {}".format(size_bytes / scale, unit)
    return "{} B".format(size_bytes)


def _best_process_channel(trips, thread):
    """(channel, process/thread interval) of the process channel with the lowest ratio among `trips` (one payload
    size), or None."""
    found = {}
    for channel in sorted(trips["channel"].unique()):
        if channel != THREAD_CHANNEL:
            found[channel] = stats.ratio(rounds_of(trips, channel=channel), thread)
    return min(found.items(), key=lambda item: item[1].value) if found else None


@rule("C17", MEASUREMENT)
def ipc_costs_more(run):
    """C17 holds when, at every payload size, even the best process channel's round trip costs more than 1.1x a
    thread's; `partly` when it does at some sizes and not at others; refuted when it does at none."""
    trips = run(MEASUREMENT)
    if trips.empty:
        return inconclusive("no round-trip records")
    best = {}
    for size in sorted(int(s) for s in trips["size_bytes"].unique()):
        thread = rounds_of(trips, channel=THREAD_CHANNEL, size_bytes=size)
        found = _best_process_channel(run(MEASUREMENT, size_bytes=size), thread) if len(thread) else None
        if found:
            best[size] = found
    if not best:
        return inconclusive("no round-trip records of a thread and a process at the same payload size")
    smallest, largest = min(best), max(best)
    numbers = {"more_bar": MORE.high}
    for size, (channel, interval) in best.items():
        numbers["ratio_{}".format(size)] = round(interval.value, 2)
        numbers["channel_{}".format(size)] = channel
    largest_trip = rounds_of(trips, channel=best[largest][0], size_bytes=largest)
    numbers["best_process_mib_per_s_at_largest"] = round(2 * largest / 2**20 / float(np.median(largest_trip)), 1)
    evidence = "the best process channel's round trip cost {} of a thread's at {} ({}) and {} at {} ({})".format(
        stats.describe(best[smallest][1]),
        _size(smallest),
        best[smallest][0],
        stats.describe(best[largest][1]),
        _size(largest),
        best[largest][0],
    )
    judged = {size: MORE.judge(interval, holds="high") for size, (_, interval) in best.items()}
    more = [size for size, part in judged.items() if part.holds is True]
    if more and any(part.holds is False for part in judged.values()):
        numbers["costs_more_from_bytes"] = min(more)
    parts = {"at " + _size(size): part for size, part in judged.items()}
    return combine(evidence, parts, numbers, weakest([interval for _, interval in best.values()], "high"))
