"""C07, from experiments/test_c07_io_bound.py: do N threads finish N I/O waits faster than serial?

Judged at the largest N recorded (warm pools), on every I/O workload: waits overlap whatever the CPU count.
"""

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, scaling_bar, scaling_class, speedup, undecided


def threads_help_io(rows):
    """C07 holds when threads reach 1 + 0.5 (N - 1) times serial speed on every I/O workload."""
    workers = int(rows["workers"].max())
    workloads = sorted(rows["workload"].dropna().unique())
    threads = {w: speedup(rows, workers, "threads", workload=w) for w in workloads}
    threads = {w: s for w, s in threads.items() if s is not None}
    if not threads:
        return inconclusive("no serial and threads records at N={}".format(workers))
    processes = {
        w: max(
            (s.value for s in (speedup(rows, workers, m, workload=w) for m in PROCESS_MODELS) if s),
            default=float("nan"),
        )
        for w in threads
    }
    bar = scaling_bar(workers)
    numbers = {"workers": workers, "scaling_bar": bar}
    numbers.update({"threads_speedup_" + w: round(s.value, 3) for w, s in threads.items()})
    numbers.update({"best_process_speedup_" + w: round(s, 3) for w, s in processes.items()})
    evidence = "{} threads finished {} waits {} as fast as serial; the best start method of {} processes: {}".format(
        workers,
        workers,
        ", ".join("{} ({})".format(stats.describe(s), w) for w, s in threads.items()),
        workers,
        ", ".join("{:.1f}x ({})".format(s, w) for w, s in processes.items()),
    )
    weakest = min(threads, key=lambda w: threads[w].value)
    classes = {w: scaling_class(s, bar) for w, s in threads.items()}
    if all(c == "scales" for c in classes.values()):
        return Verdict("confirmed", evidence + " (helping: >= {:.1f}x)".format(bar), numbers, threads[weakest])
    if all(c == "flat" for c in classes.values()):
        return Verdict("refuted", evidence, numbers, threads[weakest])
    if all(c in ("scales", "flat") for c in classes.values()):
        helped = [w for w, c in classes.items() if c == "scales"]
        return Verdict(
            "partly", evidence + "; threads helped only with: {}".format(", ".join(helped)), numbers, threads[weakest]
        )
    unclear = next(w for w, c in classes.items() if c not in ("scales", "flat"))
    return inconclusive(
        "{}; {}: {}".format(evidence, unclear, undecided(threads[unclear], bar)), threads[unclear], **numbers
    )
