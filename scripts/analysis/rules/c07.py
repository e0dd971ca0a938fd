"""C07, from experiments/test_c07_io_bound.py: do N threads finish N I/O waits faster than serial?

Judged at the largest N recorded (warm pools), on every I/O workload: waits overlap whatever the CPU count.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import combine, inconclusive, scaling_bars, weakest
from analysis.scaling import speedup

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "io_scaling"


@rule("C07", MEASUREMENT)
def threads_help_io(run):
    """C07 holds when threads reach 1 + 0.5 (N - 1) times serial speed on every I/O workload."""
    rows = run(MEASUREMENT)
    if rows.empty:
        return inconclusive("no I/O-bound records")
    workers = int(rows["workers"].max())
    workloads = sorted(rows["workload"].dropna().unique())
    threads = {w: speedup(rows, workers, THREADS, workload=w) for w in workloads}
    threads = {w: s for w, s in threads.items() if s is not None}
    if not threads:
        return inconclusive("no serial and threads records at N={}".format(workers))
    processes = {
        w: max(
            (s.value for s in (speedup(rows, workers, m, workload=w) for m in process_models()) if s),
            default=float("nan"),
        )
        for w in threads
    }
    bars = scaling_bars(workers)
    numbers = {"workers": workers, "scaling_bar": bars.high}
    numbers.update({"threads_speedup_" + w: round(s.value, 3) for w, s in threads.items()})
    numbers.update({"best_process_speedup_" + w: round(s, 3) for w, s in processes.items()})
    evidence = "{} threads finished {} waits {} as fast as serial; the best start method of {} processes: {}".format(
        workers,
        workers,
        ", ".join("{} ({})".format(stats.describe(s), w) for w, s in threads.items()),
        workers,
        ", ".join("{:.1f}x ({})".format(s, w) for w, s in processes.items()),
    )
    parts = {w: bars.judge(s, holds="high") for w, s in threads.items()}
    return combine(evidence, parts, numbers, weakest(threads.values(), "high"))
