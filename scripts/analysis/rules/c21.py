"""C21, from experiments/test_c21_gil_releasing_code.py: do N threads run on several cores at once, and finish
sooner for it, on C code that releases the GIL (hashing, compressing, reading a file), where they cannot on
pure-Python code?

Judged at one N, the usable CPUs P (`judged_workers`), on warm pools, as C09 is, from two measures taken inside
the same rounds, so neither drifts: the weak-scaling speedup N x serial / round, and the cores kept busy (CPU
seconds per wall second). Sleeps need no core: they are reported beside the verdict, not part of it (C07 judges
waits). Processes running the pure-Python task at the same N are the positive control: if they do not scale, the
run did not get P CPUs, and flat threads say nothing of the GIL.
"""

from analysis import stats
from analysis.records import CPU, RAW
from analysis.rules import rule
from analysis.rules.primitives import (
    Bars,
    Part,
    combine,
    inconclusive,
    judged_workers,
    scaling_bars,
    speedup,
    uneven_rounds,
    weakest,
)

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "release_scaling"
# Work that runs on a core: what "parallel threads of execution on multiple cores" is about.
ON_CORES = ["sha256", "zlib", "file_read", "pure_python"]
WAITS = ["sleep"]
CONTROL_WORKLOAD = "pure_python"


def cores_busy(parallelism):
    """One core's worth of CPU per second (<= 1.1) against several at once (1 + 0.5 (P - 1) or more), as in C09."""
    return Bars(1.1, scaling_bars(parallelism).high, "one core at a time", "cores busy at once")


def _row(run, **where):
    found = run(MEASUREMENT, lifecycle="warm", **where)
    return found.iloc[0] if len(found) else None


def _control_rows(run, workers):
    """{start method: the processes' pure-Python row at `workers`}, for those recorded."""
    found = {m: _row(run, model=m, workers=workers, workload=CONTROL_WORKLOAD) for m in process_models()}
    return {m: row for m, row in found.items() if row is not None}


def positive_control(run, workers, parallelism):
    """(the Part the processes' pure-Python speedup at `workers` makes, their start method), or (None, None)."""
    rows = _control_rows(run, workers)
    if not rows:
        return None, None
    model, row = next(iter(rows.items()))
    return scaling_bars(parallelism).judge(speedup(row), holds="high"), model


@rule("C21", MEASUREMENT)
def gil_blocks_all_parallelism(run):
    """C21 (judged at N = the usable CPUs P, on the workloads that run on a core):
    confirmed: N threads keep one core busy at a time (<= 1.1 CPU-seconds per second) and run no faster than serial
    (<= 1.1x) on every workload, C code that releases the GIL included (an interpreter whose C code holds it), while
    N processes scale on pure Python;
    refuted: N threads keep several cores busy and scale (both >= min(1 + 0.5 (P - 1), 2)) on every workload, pure
    Python included (a free-threaded build);
    partly: some workloads do and others not (a GIL build: C code that releases the GIL scales, pure Python does
    not), or cores are busy at once without a speedup (contention inside the work);
    inconclusive: fewer than 2 usable CPUs, processes did not scale either (the run did not get P CPUs) or were not
    recorded, a workload without records, or an interval straddles a bar."""
    if run.usable_cpus < 2:
        return inconclusive("fewer than 2 usable CPUs: no parallel speedup can show on this machine")
    threads = run(MEASUREMENT, model=THREADS, lifecycle="warm")
    workers = judged_workers(threads) if len(threads) else None
    if workers is None:
        return inconclusive("no warm threads records at N = the usable CPUs")
    found = {w: _row(run, model=THREADS, workers=workers, workload=w) for w in ON_CORES + WAITS}
    found = {w: row for w, row in found.items() if row is not None}
    if not any(w in found for w in ON_CORES):
        return inconclusive("no threads records of work that runs on a core at N = {}".format(workers))
    parallelism = min(workers, run.usable_cpus)
    gains = {w: speedup(row) for w, row in found.items()}
    busy = {w: stats.ratio(row[CPU], row[RAW]) for w, row in found.items()}
    numbers = {"workers": workers, "usable_cpus": run.usable_cpus, "scaling_bar": scaling_bars(parallelism).high}
    numbers.update({w + "_speedup": round(g.value, 3) for w, g in gains.items()})
    numbers.update({w + "_cores_busy": round(b.value, 3) for w, b in busy.items()})
    evidence = "{} threads ran {} as fast as serial, keeping {} cores busy, on {} usable CPUs".format(
        workers,
        ", ".join("{} ({})".format(stats.describe(g), w) for w, g in gains.items()),
        ", ".join("{} ({})".format(stats.describe(b, unit=""), w) for w, b in busy.items()),
        run.usable_cpus,
    ) + uneven_rounds(dict(found, **_control_rows(run, workers)))
    control, model = positive_control(run, workers, parallelism)
    if control is None:
        return inconclusive(
            evidence + "; but no processes were recorded beside them to show the machine's own capacity",
            gains.get(CONTROL_WORKLOAD),
            **numbers,
        )
    numbers["processes_speedup"] = round(control.interval.value, 3)
    if control.holds is not True:
        return inconclusive(
            evidence
            + "; but the machine's own capacity is not shown: {} {} processes ran the pure-Python task {} "
            "({}), so flat threads would say nothing of the GIL".format(
                workers, model, stats.describe(control.interval), control.reason
            ),
            control.interval,
            **numbers,
        )
    parts = {}
    for w in ON_CORES:  # the claim covers every one of them
        if w not in found:
            parts[w] = Part(None, "no records")
            continue
        parts[w] = scaling_bars(parallelism).judge(gains[w], holds="low")
        parts[w + " cores"] = cores_busy(parallelism).judge(busy[w], holds="low")
    return combine(evidence, parts, numbers, weakest([gains[w] for w in ON_CORES if w in gains], "low"))
