"""C07, from experiments/test_c07_io_bound.py: do N threads finish N I/O waits faster than serial?

Judged at the largest N recorded (warm pools), on every I/O workload: waits overlap whatever the CPU count.
"""
from experiments.runners import PROCESS_MODELS
from rules.common import NO_SCALING, Verdict, scaling_bar, inconclusive, speedup


def threads_help_io(rows):
    """C07 holds when threads reach 1 + 0.5 (N - 1) times serial speed on every I/O workload."""
    workers = int(rows["workers"].max())
    workloads = sorted(rows["workload"].dropna().unique())
    threads = {w: speedup(rows, workers, "threads", workload=w) for w in workloads}
    threads = {w: r for w, r in threads.items() if r is not None}
    if not threads:
        return inconclusive("no serial and threads records at N={}".format(workers))
    processes = {w: max([r for r in (speedup(rows, workers, m, workload=w) for m in PROCESS_MODELS) if r] or [0])
                 for w in threads}
    bar = scaling_bar(workers)
    numbers = {"workers": workers, "scaling_bar": bar}
    numbers.update({"threads_speedup_" + w: round(r, 3) for w, r in threads.items()})
    numbers.update({"best_process_speedup_" + w: round(r, 3) for w, r in processes.items()})
    evidence = "{} threads finished {} waits {} as fast as serial (helping: >= {:.1f}x); the best start method of " \
               "{} processes: {}".format(
                   workers, workers, ", ".join("{:.1f}x ({})".format(r, w) for w, r in threads.items()), bar,
                   workers, ", ".join("{:.1f}x ({})".format(r, w) for w, r in processes.items()))
    helped = [w for w, r in threads.items() if r >= bar]
    if len(helped) == len(threads):
        return Verdict("confirmed", evidence, numbers)
    if all(r <= NO_SCALING for r in threads.values()):
        return Verdict("refuted", evidence, numbers)
    return Verdict("partly", evidence + "; threads helped only with: {}".format(", ".join(helped) or "none"), numbers)
