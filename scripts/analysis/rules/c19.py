"""C19, from experiments/test_c19_sharing_state.py: does an update of state shared between processes cost more
than one shared between threads, and does a plain object instance stop being shared once a process is involved?

Costs are the time of a round of updates through each way processes share a count over the time of as many updates
of a plain instance under a threading.Lock, per pair inside one benchmark. The instance facts are taken as they
were recorded (in how many tries the parent saw a worker's change).
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, cost, inconclusive, weakest

from experiments.vocabulary import THREADS, process_models

UPDATE_COST, SHARE = "update_cost", "share_an_instance"
BASELINE = "thread_lock"
PROCESS_MECHANISMS = ["mp_value", "manager_value", "manager_instance"]
NAMES = {
    "mp_value": "a multiprocessing.Value",
    "manager_value": "a Manager Value under a Manager Lock",
    "manager_instance": "a manager-registered instance",
}
# "Harder" in cost: at least twice a thread's locked update. Sharing across processes needs at least a semaphore in
# shared memory read through ctypes, or a round trip to another process (two context switches, microseconds, against
# ~0.1 us for an uncontended thread lock). "No harder" is within 10%, the spread of one loop's timing from round to
# round. Where a Value sits near 2x, the verdict says so (inconclusive) rather than the bar moving.
COSTLIER = Bars(1.1, 2.0, "not costlier", "costlier")


def _costs(run):
    """{mechanism: (its rounds over the thread's, per pair; the row)} for each process mechanism recorded."""
    rows = run(UPDATE_COST)
    return {row["mechanism"]: (cost(row), row) for _, row in rows.iterrows() if row["mechanism"] in PROCESS_MECHANISMS}


def _seen(run, way):
    """{model: (tries, in how many of them the parent saw the worker's change to an instance shared this `way`)}."""
    return {row["model"]: (int(row["tries"]), int(row["parent_sees"])) for _, row in run(SHARE, way=way).iterrows()}


def _copied(plain, method):
    """The part a plain instance makes under a start method: a thread shares it (the parent sees every change) and a
    child of `method` gets a copy (the parent sees none)."""
    tries, seen = plain[THREADS]
    if seen != tries:
        return Part(False, "a thread's change reached the parent in {} of {} tries only".format(seen, tries))
    tries, seen = plain[method]
    return Part(seen == 0, "shared with the child in {} of {} tries".format(seen, tries) if seen else "")


def _us(row, column):
    """Median microseconds per update of `column`'s rounds in `row`."""
    return float(np.median(row[column])) / int(row["updates"]) * 1e6


@rule(
    "C19",
    UPDATE_COST,
    SHARE,
    cannot={
        "refuted": "A plain instance handed to a child process is always pickled, so the parent never sees the "
        "child's change and that part holds on any machine: the claim can never fail as a whole.",
        "partly": "Every way to share a count between processes takes a semaphore and a ctypes access, or a round "
        "trip to a server process, per update (about 2x to hundreds of times a thread's locked update), and a plain "
        "instance always reaches a child as a copy, so no part can fail while another holds.",
    },
)
def sharing_harder_with_processes(run):
    """C19:
    confirmed: every way to share a count between processes costs at least 2x a thread's locked update (per pair),
    and a plain instance handed to a child process (every start method) is a copy while a thread shares it;
    refuted: cannot occur (see `cannot`): no dearer updates and plain instances shared with child processes;
    partly: cannot occur (see `cannot`): some parts holding and others failing;
    inconclusive: no update-cost or instance-sharing records for threads and processes, or a cost ratio between the
    bars or too noisy to tell."""
    costs = _costs(run)
    plain, managed = _seen(run, "plain"), _seen(run, "manager")
    methods = [m for m in process_models() if m in plain]
    if not costs or THREADS not in plain or not methods:
        return inconclusive("no update-cost or instance-sharing records for threads and processes")
    longest = max((row for _, row in costs.values()), key=lambda row: int(row["updates"]))  # the most updates per round
    numbers = {"thread_lock_us": round(_us(longest, "baseline_s"), 3)}
    numbers.update({m + "_us": round(_us(row, "rounds_s"), 3) for m, (_, row) in costs.items()})
    numbers.update({m + "_vs_thread": round(ratio.value, 1) for m, (ratio, _) in costs.items()})
    attribute = run(SHARE, way="manager")
    workers = [THREADS] + methods
    evidence = (
        "one locked update took {:.2f} us with a threading.Lock and {}; a worker's change to a plain instance "
        "reached the parent in {} tries from {}{}".format(
            numbers["thread_lock_us"],
            ", ".join(
                "{:.2f} us with {} ({} of a thread's, in pairs)".format(
                    _us(row, "rounds_s"), NAMES[m], stats.describe(r)
                )
                for m, (r, row) in costs.items()
            ),
            plain[THREADS][0],
            ", ".join("{} ({}/{})".format(w, plain[w][1], plain[w][0]) for w in workers),
            "; held by a manager ({} more process; its proxy's attribute access: {}), in {}".format(
                int(attribute["processes_started"].max()),
                attribute["attribute_access"].iloc[0],
                ", ".join("{} ({}/{})".format(w, managed[w][1], managed[w][0]) for w in workers if w in managed),
            )
            if not attribute.empty
            else "",
        )
    )
    parts = {m: COSTLIER.judge(ratio, holds="high") for m, (ratio, _) in costs.items()}
    parts.update({"a plain instance under " + m: _copied(plain, m) for m in methods})
    return combine(evidence, parts, numbers, weakest([ratio for ratio, _ in costs.values()], "high"))
