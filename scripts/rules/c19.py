"""C19, from experiments/test_c19_sharing_state.py: does one update of shared state cost more between processes
than between threads, and does a plain object instance stop being shared once a process is involved?

Costs are decided on the time per update (each round's time over its number of updates), as a ratio to a
thread's update under a threading.Lock, with its bootstrap interval over rounds.
"""

import numpy as np

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, select, too_noisy

PROCESS_MECHANISMS = ["mp_value", "manager_value", "manager_instance"]
NAMES = {
    "thread_lock": "a threading.Lock",
    "mp_value": "a multiprocessing.Value",
    "manager_value": "a Manager Value under a Manager Lock",
    "manager_instance": "a manager-registered instance",
}
# "Harder" in cost: at least twice a thread's time per update. Sharing across processes needs at least a
# semaphore in shared memory read through ctypes, or a round trip to another process (two context switches,
# microseconds, against ~0.1 us for an uncontended thread lock): anything real is well past 2x...
COSTLIER = 2.0
# ...and "no harder" is within 10% of it, the spread of one loop's timing from round to round.
SAME = 1.1


def _per_update(rows, mechanism):
    found = select(rows, test="test_update_cost", mechanism=mechanism)
    if found.empty:
        return None
    row = found.iloc[0]
    return np.asarray(row["rounds_s"], float) / row["updates"]


def _seen(rows, way):
    """{model: whether the parent saw the worker's change to an instance shared this `way`}."""
    return {
        row["model"]: bool(row["parent_sees"])
        for _, row in select(rows, test="test_share_an_instance", way=way).iterrows()
    }


def sharing_harder_with_processes(rows):
    """C19 holds when every way to share a count between processes costs at least twice a thread's locked update,
    and a plain instance handed to a process is a copy (under every start method) while a thread shares it."""
    thread = _per_update(rows, "thread_lock")
    costs = {m: _per_update(rows, m) for m in PROCESS_MECHANISMS}
    costs = {m: c for m, c in costs.items() if c is not None}
    plain, managed = _seen(rows, "plain"), _seen(rows, "manager")
    methods = [m for m in PROCESS_MODELS if m in plain]
    if thread is None or not costs or "threads" not in plain or not methods:
        return inconclusive("no update-cost or instance-sharing records for threads and processes")
    ratios = {m: stats.ratio(c, thread) for m, c in costs.items()}
    numbers = {"thread_lock_us": round(float(np.median(thread)) * 1e6, 3)}
    numbers.update({m + "_us": round(float(np.median(c)) * 1e6, 3) for m, c in costs.items()})
    numbers.update({m + "_vs_thread": round(r.value, 1) for m, r in ratios.items()})
    copied = [m for m in methods if not plain[m]]
    attribute = select(rows, test="test_share_an_instance", way="manager")
    workers = ["threads"] + methods
    evidence = (
        "one locked update took {:.2f} us with {}, {}; a worker's change to a plain instance reached the "
        "parent from {} (not from {}){}".format(
            numbers["thread_lock_us"],
            NAMES["thread_lock"],
            ", ".join(
                "{:.2f} us ({}, {})".format(np.median(costs[m]) * 1e6, stats.describe(ratios[m]), NAMES[m])
                for m in costs
            ),
            ", ".join(w for w in workers if plain[w]) or "none",
            ", ".join(w for w in workers if not plain[w]) or "none",
            "; held by a manager ({} more process; its proxy's attribute access: {}), from {}".format(
                int(attribute["processes_started"].max()),
                attribute["attribute_access"].iloc[0],
                ", ".join(w for w in workers if managed.get(w)) or "none",
            )
            if not attribute.empty
            else "",
        )
    )
    unclear = [m for m, r in ratios.items() if not stats.at_least(r, COSTLIER) and not stats.at_most(r, SAME)]
    if unclear:
        interval = ratios[unclear[0]]
        reason = (
            "between {}x and {}x".format(SAME, COSTLIER)
            if interval.low > SAME and interval.high < COSTLIER
            else too_noisy(interval, COSTLIER, SAME)
        )
        return inconclusive("{}; {}: {}".format(evidence, unclear[0], reason), interval, **numbers)
    weakest = ratios[min(ratios, key=lambda m: ratios[m].value)]
    costlier = [m for m, r in ratios.items() if stats.at_least(r, COSTLIER)]
    instance_harder = plain["threads"] and len(copied) == len(methods)
    if len(costlier) == len(ratios) and instance_harder:
        return Verdict("confirmed", evidence + " (costlier: >= {}x)".format(COSTLIER), numbers, weakest)
    if not costlier and not copied:
        return Verdict("refuted", evidence + " (not costlier: <= {}x)".format(SAME), numbers, weakest)
    wrong = (
        ["only {} cost >= {}x".format(", ".join(costlier) or "none", COSTLIER)] if len(costlier) < len(ratios) else []
    )
    if not instance_harder:
        wrong.append(
            "a plain instance was shared with a process under {}".format(
                ", ".join(m for m in methods if m not in copied)
            )
            if plain["threads"]
            else "a plain instance was not shared even with a thread"
        )
    return Verdict("partly", evidence + "; but " + "; ".join(wrong), numbers, weakest)
