"""C09 and C14, from experiments/test_c09_c14_cpu_bound.py: does CPU-bound work in N threads, in N processes
(warm pools), beat serial?

The serial baseline pools the serial rounds of every N: the total work is the same whatever N is, and a baseline
spread over the whole run is not one noisy benchmark. C09 is judged where the cores could show, at N = the usable
CPUs (the largest N measured up to them): taking the best of several N would pick noise. C14 says processes
can use the cores, so it is judged at the best N, which also keeps one burst of load from another tenant during
one benchmark from deciding it.
"""

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import (
    NO_SCALING,
    Verdict,
    amdahl_fit,
    inconclusive,
    parallel_workers,
    scaling_bar,
    rounds_of,
    scaling_class,
    select,
    undecided,
    usable_cpus,
)


def speedups(rows, model):
    """{N: interval} of `model`'s speedup over the pooled serial baseline, for every N >= 2 measured."""
    baseline = rounds_of(rows, model="serial")
    found = {n: rounds_of(rows, model=model, workers=n, lifecycle="warm") for n in parallel_workers(rows)}
    return {n: stats.ratio(baseline, contender) for n, contender in found.items() if len(baseline) and len(contender)}


def judged_speedup(rows, model, best):
    """(N, interval, Amdahl serial fraction) of `model`: at its best N if `best`, else at the usable CPUs."""
    found = speedups(rows, model)
    fitting = [n for n in found if n <= usable_cpus(rows)]
    if not found or not (best or fitting):
        return None, None, None
    workers = max(found, key=lambda n: found[n].value) if best else max(fitting)
    return workers, found[workers], amdahl_fit(rows, model, usable_cpus(rows), lifecycle="warm")


def _setting(rows, workers, interval, fraction):
    usable = usable_cpus(rows)
    bar = scaling_bar(min(workers, usable))
    numbers = {
        "workers": workers,
        "usable_cpus": usable,
        "speedup": round(interval.value, 3),
        "serial_fraction": round(fraction.value, 3),
        "scaling_bar": bar,
        "no_scaling_bar": NO_SCALING,
    }
    return bar, numbers


def gil_serialises_threads(rows):
    """C09 holds when N threads run pure-Python CPU work no faster than serial (<= 1.1x), N = the usable CPUs."""
    if usable_cpus(rows) < 2:
        return inconclusive("only 1 usable CPU: no parallel speedup can show on this machine")
    workers, interval, fraction = judged_speedup(rows, "threads", best=False)
    if interval is None:
        return inconclusive("no serial and warm threads records with N >= 2")
    bar, numbers = _setting(rows, workers, interval, fraction)
    cpu = select(rows, model="threads", workers=workers, lifecycle="warm")["cpu_per_wall"].iloc[0]
    evidence = (
        "{} threads ran the CPU-bound work {} as fast as serial on {} usable CPUs, using {:.2f} "
        "CPU-seconds per second; Amdahl serial fraction {}".format(
            workers, stats.describe(interval), usable_cpus(rows), cpu, stats.describe_fraction(fraction)
        )
    )
    decided = scaling_class(interval, bar)
    if decided == "flat":
        return Verdict("confirmed", evidence + " (no speedup: <= {}x)".format(NO_SCALING), numbers, interval)
    if decided == "scales":
        return Verdict("refuted", evidence + " (they scale: >= {:.2f}x)".format(bar), numbers, interval)
    return inconclusive(evidence + "; " + undecided(interval, bar), interval, **numbers)


def processes_bypass_gil(rows):
    """C14 holds when processes of every start method reach 1 + 0.5 (P - 1) times serial speed at some N >= 2,
    P = min(N, usable CPUs)."""
    if usable_cpus(rows) < 2:
        return inconclusive("only 1 usable CPU: no parallel speedup can show on this machine")
    best = {m: judged_speedup(rows, m, best=True) for m in PROCESS_MODELS}
    best = {m: b for m, b in best.items() if b[1] is not None}
    if not best:
        return inconclusive("no serial and warm process records with N >= 2")
    weakest = min(best, key=lambda m: best[m][1].value)
    workers, interval, fraction = best[weakest]
    bar, numbers = _setting(rows, workers, interval, fraction)
    numbers.update({m + "_speedup": round(b[1].value, 3) for m, b in best.items()})
    numbers.update({m + "_serial_fraction": round(b[2].value, 3) for m, b in best.items()})
    evidence = "at best, processes ran the CPU-bound work {} as fast as serial on {} usable CPUs".format(
        ", ".join("{} ({}, N={})".format(stats.describe(i), m, n) for m, (n, i, _) in best.items()), usable_cpus(rows)
    )
    classes = {m: scaling_class(b[1], scaling_bar(min(b[0], usable_cpus(rows)))) for m, b in best.items()}
    scaled = [m for m, c in classes.items() if c == "scales"]
    if len(scaled) == len(best):
        return Verdict("confirmed", evidence + " (scaling: >= {:.2f}x)".format(bar), numbers, interval)
    if scaled and all(c in ("scales", "flat") for c in classes.values()):
        return Verdict("partly", evidence + "; only {} scaled".format(", ".join(scaled)), numbers, interval)
    if all(c == "flat" for c in classes.values()):
        return Verdict("refuted", evidence + " (no speedup: <= {}x)".format(NO_SCALING), numbers, interval)
    unclear = next(m for m, c in classes.items() if c not in ("scales", "flat"))
    workers, interval, _ = best[unclear]
    reason = undecided(interval, scaling_bar(min(workers, usable_cpus(rows))))
    return inconclusive("{}; {}: {}".format(evidence, unclear, reason), interval, **numbers)
