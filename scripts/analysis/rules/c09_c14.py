"""C09 and C14, from experiments/test_c09_c14_cpu_bound.py: does CPU-bound work in N threads, in N processes
(warm pools), beat serial?

The serial baseline pools the serial rounds of every N: the total work is the same whatever N is, and a baseline
spread over the whole run is not one noisy benchmark. C09 is judged where the cores could show, at N = the usable
CPUs (the largest N measured up to them): taking the best of several N would pick noise. C14 says processes
can use the cores, so it is judged at the best N, which also keeps one burst of load from another tenant during
one benchmark from deciding it.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import (
    NO_SCALING,
    combine,
    inconclusive,
    parallel_workers,
    ratios,
    rounds_of,
    scaling_bars,
    select,
    weakest,
)
from analysis.scaling import amdahl_fit

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "cpu_scaling"


def speedups(run, model):
    """{N: interval} of `model`'s speedup over the pooled serial baseline, for every N >= 2 measured."""
    rows = run(MEASUREMENT)
    baseline = rounds_of(rows, model="serial")
    found = {n: rounds_of(rows, model=model, workers=n, lifecycle="warm") for n in parallel_workers(rows)}
    return ratios(baseline, found)


def judged_speedup(run, model, best):
    """(N, interval, Amdahl serial fraction) of `model`: at its best N if `best`, else at the usable CPUs."""
    found = speedups(run, model)
    fitting = [n for n in found if n <= run.usable_cpus]
    if not found or not (best or fitting):
        return None, None, None
    workers = max(found, key=lambda n: found[n].value) if best else max(fitting)
    return workers, found[workers], amdahl_fit(run(MEASUREMENT), model, run.usable_cpus, lifecycle="warm")


def _numbers(run, workers, interval, fraction):
    return {
        "workers": workers,
        "usable_cpus": run.usable_cpus,
        "speedup": round(interval.value, 3),
        "serial_fraction": round(fraction.value, 3),
        "scaling_bar": scaling_bars(min(workers, run.usable_cpus)).high,
        "no_scaling_bar": NO_SCALING,
    }


@rule("C09", MEASUREMENT)
def gil_serialises_threads(run):
    """C09 holds when N threads run pure-Python CPU work no faster than serial (<= 1.1x), N = the usable CPUs."""
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: no parallel speedup can show on this machine")
    workers, interval, fraction = judged_speedup(run, THREADS, best=False)
    if interval is None:
        return inconclusive("no serial and warm threads records with N >= 2")
    cpu = select(run(MEASUREMENT), model=THREADS, workers=workers, lifecycle="warm")["cpu_per_wall"].iloc[0]
    evidence = (
        "{} threads ran the CPU-bound work {} as fast as serial on {} usable CPUs, using {:.2f} "
        "CPU-seconds per second; Amdahl serial fraction {}".format(
            workers, stats.describe(interval), run.usable_cpus, cpu, stats.describe_fraction(fraction)
        )
    )
    part = scaling_bars(min(workers, run.usable_cpus)).judge(interval, holds="low")
    return combine(evidence, {THREADS: part}, _numbers(run, workers, interval, fraction))


@rule("C14", MEASUREMENT)
def processes_bypass_gil(run):
    """C14 holds when processes of every start method reach 1 + 0.5 (P - 1) times serial speed at some N >= 2,
    P = min(N, usable CPUs)."""
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: no parallel speedup can show on this machine")
    best = {m: judged_speedup(run, m, best=True) for m in process_models()}
    best = {m: b for m, b in best.items() if b[1] is not None}
    if not best:
        return inconclusive("no serial and warm process records with N >= 2")
    least = min(best, key=lambda m: best[m][1].value)
    numbers = _numbers(run, *best[least])
    numbers.update({m + "_speedup": round(b[1].value, 3) for m, b in best.items()})
    numbers.update({m + "_serial_fraction": round(b[2].value, 3) for m, b in best.items()})
    evidence = "at best, processes ran the CPU-bound work {} as fast as serial on {} usable CPUs".format(
        ", ".join("{} ({}, N={})".format(stats.describe(i), m, n) for m, (n, i, _) in best.items()), run.usable_cpus
    )
    parts = {m: scaling_bars(min(n, run.usable_cpus)).judge(i, holds="high") for m, (n, i, _) in best.items()}
    return combine(evidence, parts, numbers, weakest([i for _, i, _ in best.values()], "high"))
