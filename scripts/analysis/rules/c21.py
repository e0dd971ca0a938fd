"""C21, from experiments/test_c21_gil_releasing_code.py: do N threads beat serial on C code that releases the
GIL (hashing, compressing, reading a file), where they cannot on pure-Python code? Each workload is judged at
its best N >= 2 (warm pools), as C09 is.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Part, combine, inconclusive, parallel_workers, scaling_bars, weakest
from analysis.scaling import speedup

from experiments.vocabulary import THREADS

MEASUREMENT = "release_scaling"
# Work that runs on a core: what "parallel threads of execution on multiple cores" is about. Sleeps overlap
# without a core, so they are reported beside the verdict, not part of it (C07 judges waits).
ON_CORES = ["sha256", "zlib", "file_read", "pure_python"]
WAITS = ["sleep"]


def best_speedup(rows, workload):
    """(N, interval) of threads' highest speedup over serial among N >= 2 on `workload`; (None, None) if missing."""
    found = {n: speedup(rows, n, THREADS, workload=workload) for n in parallel_workers(rows)}
    found = {n: s for n, s in found.items() if s is not None}
    if not found:
        return None, None
    workers = max(found, key=lambda n: found[n].value)
    return workers, found[workers]


@rule("C21", MEASUREMENT)
def gil_blocks_all_parallelism(run):
    """C21 holds when threads run no faster than serial (<= 1.1x) on every workload that runs on a core, C code
    that releases the GIL included; it holds partly (for pure Python only, say) when some reach 1 + 0.5 (P - 1)
    times serial speed, P = min(N, usable CPUs), and others stay flat; it is refuted when all of them do."""
    usable = run.usable_cpus
    if usable < 2:
        return inconclusive("only 1 usable CPU: no parallel speedup of CPU-bound work can show on this machine")
    rows = run(MEASUREMENT)
    best = {w: best_speedup(rows, w) for w in ON_CORES + WAITS}
    best = {w: b for w, b in best.items() if b[1] is not None}
    if not any(w in best for w in ON_CORES):
        return inconclusive("no serial and threads records with N >= 2")
    numbers = {"usable_cpus": usable, "no_scaling_bar": NO_SCALING}
    for workload, (workers, interval) in best.items():
        numbers.update({workload + "_workers": workers, workload + "_speedup": round(interval.value, 3)})
    evidence = "at best, threads ran {} as fast as serial on {} usable CPUs".format(
        ", ".join("{} ({}, N={})".format(stats.describe(i), w, n) for w, (n, i) in best.items()), usable
    )
    parts = {w: Part(None, "no records") for w in ON_CORES}  # the claim covers every one of them
    parts.update({w: scaling_bars(min(n, usable)).judge(i, holds="low") for w, (n, i) in best.items() if w in parts})
    return combine(evidence, parts, numbers, weakest([best[w][1] for w in ON_CORES if w in best], "low"))
