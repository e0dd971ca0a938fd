"""C17, from experiments/test_c17_ipc_overhead.py: does a round trip to a process cost more than one to a thread,
and from which payload size on?

At each size the best process channel is compared with the thread's queue.Queue: the overhead a program pays
is that of the channel it would pick. "a little" has no number (the evidence gives the ratios), and "more
complicated" is not measured.
"""

import numpy as np

import stats
from rules.common import Verdict, inconclusive, rounds_of, select, too_noisy

MORE_BAR = 1.1  # process over thread round trip: within 10% is the same cost (the suite's noise band, as NO_SCALING)
THREAD_CHANNEL = "queue.Queue"


def _size(size_bytes):
    for unit, scale in [("MiB", 2**20), ("KiB", 2**10)]:
        if size_bytes >= scale:
            return "{:g} {}".format(size_bytes / scale, unit)
    return "{} B".format(size_bytes)


def _best_process_channel(rows, size, thread):
    """(channel, process/thread interval) of the process channel with the lowest ratio at `size`, or None."""
    trips = select(rows, test="test_round_trip", size_bytes=size)
    found = {}
    for channel in sorted(trips["channel"].unique()):
        if channel != THREAD_CHANNEL:
            found[channel] = stats.ratio(rounds_of(trips, channel=channel), thread)
    return min(found.items(), key=lambda item: item[1].value) if found else None


def _class(interval):
    if stats.at_least(interval, MORE_BAR):
        return "more"
    if stats.at_most(interval, MORE_BAR):
        return "no more"
    return "noisy"


def ipc_costs_more(rows):
    """C17 holds when, at every payload size, even the best process channel's round trip costs more than 1.1x a
    thread's; `partly` when it does at some sizes and not at others; refuted when it does at none."""
    trips = select(rows, test="test_round_trip")
    if trips.empty:
        return inconclusive("no round-trip records")
    best = {}
    for size in sorted(int(s) for s in trips["size_bytes"].unique()):
        thread = rounds_of(trips, channel=THREAD_CHANNEL, size_bytes=size)
        found = _best_process_channel(trips, size, thread) if len(thread) else None
        if found:
            best[size] = found
    if not best:
        return inconclusive("no round-trip records of a thread and a process at the same payload size")
    classes = {size: _class(interval) for size, (_, interval) in best.items()}
    smallest, largest = min(best), max(best)
    numbers = {"more_bar": MORE_BAR}
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
    more = [size for size, c in classes.items() if c == "more"]
    same = [size for size, c in classes.items() if c == "no more"]
    if len(more) == len(best):
        weakest = min(more, key=lambda size: best[size][1].low)
        return Verdict(
            "confirmed",
            evidence + "; more at every size (> {}x): the gap never closes".format(MORE_BAR),
            numbers,
            best[weakest][1],
        )
    if len(same) == len(best):
        weakest = max(same, key=lambda size: best[size][1].high)
        return Verdict(
            "refuted", evidence + "; no more at any size (<= {}x)".format(MORE_BAR), numbers, best[weakest][1]
        )
    if more and same:
        numbers["costs_more_from_bytes"] = min(more)
        unclear = sorted(size for size, c in classes.items() if c == "noisy")
        return Verdict(
            "partly",
            evidence
            + "; more (> {}x) at {}, no more at {}{}".format(
                MORE_BAR,
                ", ".join(_size(s) for s in more),
                ", ".join(_size(s) for s in same),
                "; undecided at " + ", ".join(_size(s) for s in unclear) if unclear else "",
            ),
            numbers,
            best[min(more)][1],
        )
    unclear = next(size for size, c in classes.items() if c == "noisy")
    return inconclusive(
        "{}; at {}: {}".format(evidence, _size(unclear), too_noisy(best[unclear][1], MORE_BAR)),
        best[unclear][1],
        **numbers,
    )
