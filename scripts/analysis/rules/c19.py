"""C19, from experiments/test_c19_sharing_state.py: does one update of shared state cost more between processes
than between threads, and does a plain object instance stop being shared once a process is involved?

Costs are decided on the time per update (each round's time over its number of updates), as a ratio to a
thread's update under a threading.Lock, with its bootstrap interval over rounds.
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, inconclusive, weakest

from experiments.vocabulary import THREADS, process_models

PROCESS_MECHANISMS = ["mp_value", "manager_value", "manager_instance"]
NAMES = {
    "thread_lock": "a threading.Lock",
    "mp_value": "a multiprocessing.Value",
    "manager_value": "a Manager Value under a Manager Lock",
    "manager_instance": "a manager-registered instance",
}
# "Harder" in cost: at least twice a thread's time per update. Sharing across processes needs at least a
# semaphore in shared memory read through ctypes, or a round trip to another process (two context switches,
# microseconds, against ~0.1 us for an uncontended thread lock): anything real is well past 2x. "No harder" is
# within 10% of it, the spread of one loop's timing from round to round.
COSTLIER = Bars(1.1, 2.0, "not costlier", "costlier")


def _per_update(run, mechanism):
    found = run("update_cost", mechanism=mechanism)
    if found.empty:
        return None
    row = found.iloc[0]
    return np.asarray(row["rounds_s"], float) / row["updates"]


def _seen(run, way):
    """{model: whether the parent saw the worker's change to an instance shared this `way`}."""
    return {row["model"]: bool(row["parent_sees"]) for _, row in run("share_an_instance", way=way).iterrows()}


def _copied(plain, method):
    """The part a plain instance makes under a start method: it stops being shared, so a thread shares it and a
    child of `method` gets a copy."""
    if not plain[THREADS]:
        return Part(False, "not shared even with a thread")
    return Part(not plain[method], "shared with the child" if plain[method] else "")


@rule("C19", "update_cost", "share_an_instance")
def sharing_harder_with_processes(run):
    """C19 holds when every way to share a count between processes costs at least twice a thread's locked update,
    and a plain instance handed to a process is a copy (under every start method) while a thread shares it."""
    thread = _per_update(run, "thread_lock")
    costs = {m: _per_update(run, m) for m in PROCESS_MECHANISMS}
    costs = {m: c for m, c in costs.items() if c is not None}
    plain, managed = _seen(run, "plain"), _seen(run, "manager")
    methods = [m for m in process_models() if m in plain]
    if thread is None or not costs or THREADS not in plain or not methods:
        return inconclusive("no update-cost or instance-sharing records for threads and processes")
    ratios = {m: stats.ratio(c, thread) for m, c in costs.items()}
    numbers = {"thread_lock_us": round(float(np.median(thread)) * 1e6, 3)}
    numbers.update({m + "_us": round(float(np.median(c)) * 1e6, 3) for m, c in costs.items()})
    numbers.update({m + "_vs_thread": round(r.value, 1) for m, r in ratios.items()})
    attribute = run("share_an_instance", way="manager")
    workers = [THREADS] + methods
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
    parts = {m: COSTLIER.judge(ratio, holds="high") for m, ratio in ratios.items()}
    parts.update({"a plain instance under " + m: _copied(plain, m) for m in methods})
    return combine(evidence, parts, numbers, weakest(ratios.values(), "high"))
