"""C09 and C14, from experiments/test_c09_c14_cpu_bound.py: does CPU-bound work in N threads, in N processes,
beat serial? Both are judged at N = the most workers measured that the usable CPUs can run at once (warm pools).
"""
from experiments.runners import PROCESS_MODELS
from rules.common import NO_SCALING, Verdict, inconclusive, scaling_bar, speedup, usable_cpus, value_of


def _parallel_workers(rows):
    """(N, None), or (None, why no parallel speedup can show here)."""
    usable = usable_cpus(rows)
    if usable < 2:
        return None, "only 1 usable CPU: no parallel speedup can show on this machine"
    fitting = sorted(n for n in rows["workers"].dropna().unique() if n <= usable)
    if not fitting or fitting[-1] < 2:
        return None, "no run with 2 to {} workers was recorded".format(usable)
    return int(fitting[-1]), None


def gil_serialises_threads(rows):
    """C09 holds when N threads run pure-Python CPU work no faster than serial (<= 1.1x)."""
    workers, why = _parallel_workers(rows)
    if why:
        return inconclusive(why)
    ratio = speedup(rows, workers, "threads", lifecycle="warm")
    if ratio is None:
        return inconclusive("no serial and threads records at N={}".format(workers))
    bar = scaling_bar(workers)
    cpu_per_wall = value_of(rows, "cpu_per_wall", model="threads", workers=workers, lifecycle="warm")
    numbers = {"workers": workers, "thread_speedup": round(ratio, 3), "cpu_per_wall": cpu_per_wall,
               "no_scaling_bar": NO_SCALING, "scaling_bar": bar}
    evidence = "{} threads ran the CPU-bound work {:.2f}x as fast as serial on {} usable CPUs, " \
               "using {:.2f} CPU-seconds per second".format(workers, ratio, usable_cpus(rows), cpu_per_wall or 0)
    if ratio <= NO_SCALING:
        return Verdict("confirmed", evidence + " (no speedup: <= {}x)".format(NO_SCALING), numbers)
    if ratio >= bar:
        return Verdict("refuted", evidence + " (they scale: >= {:.2f}x)".format(bar), numbers)
    return inconclusive(evidence + ": between no speedup ({}x) and scaling ({:.2f}x)".format(NO_SCALING, bar), **numbers)


def processes_bypass_gil(rows):
    """C14 holds when N processes of every start method run the work >= 1 + 0.5 (N - 1) times as fast as serial."""
    workers, why = _parallel_workers(rows)
    if why:
        return inconclusive(why)
    ratios = {m: speedup(rows, workers, m, lifecycle="warm") for m in PROCESS_MODELS}
    ratios = {m: r for m, r in ratios.items() if r is not None}
    if not ratios:
        return inconclusive("no serial and process records at N={}".format(workers))
    bar = scaling_bar(workers)
    numbers = {"workers": workers, "scaling_bar": bar}
    numbers.update({m + "_speedup": round(r, 3) for m, r in ratios.items()})
    evidence = "{} processes ran the CPU-bound work {} as fast as serial on {} usable CPUs (scaling: >= {:.2f}x)".format(
        workers, ", ".join("{:.2f}x ({})".format(r, m) for m, r in ratios.items()), usable_cpus(rows), bar)
    scaled = [m for m, r in ratios.items() if r >= bar]
    if len(scaled) == len(ratios):
        return Verdict("confirmed", evidence, numbers)
    if scaled:
        return Verdict("partly", evidence + "; only {} scaled".format(", ".join(scaled)), numbers)
    return Verdict("refuted", evidence, numbers)
