"""C09 and C14, from experiments/test_c09_c14_cpu_bound.py: do N threads, do N processes, run CPU-bound work on
several cores at once, and does it finish sooner for it?

Both are judged at one N, the usable CPUs P (`judged_workers`: the largest N measured that P CPUs can all run at
once), on warm pools, from two measures taken inside the same rounds, so neither drifts: the weak-scaling speedup
N x serial / round, and the cores kept busy (CPU seconds of the process tree per wall second). Busy cores with no
speedup is contention inside the work (seen on free-threaded builds), not a GIL; the two parts tell them apart.
"""

from analysis import stats
from analysis.records import CPU, RAW
from analysis.rules import rule
from analysis.rules.primitives import (
    Bars,
    best,
    combine,
    inconclusive,
    judged_workers,
    scaling_bars,
    speedup,
    uneven_rounds,
    weakest,
)

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "cpu_scaling"


def cores_busy(parallelism):
    """One core's worth of CPU per second (<= 1.1) against several at once (1 + 0.5 (P - 1) or more)."""
    return Bars(1.1, scaling_bars(parallelism).high, "one core at a time", "cores busy at once")


def _at(run, model):
    """(N, the warm row of `model` at N) at the judged N, or (N, None)."""
    rows = run(MEASUREMENT, lifecycle="warm")
    workers = judged_workers(rows) if len(rows) else None
    found = run(MEASUREMENT, model=model, workers=workers, lifecycle="warm") if workers else rows.iloc[0:0]
    return workers, (found.iloc[0] if len(found) else None)


def _process_rows(run):
    """{start method: its warm row at the judged N}, for the process models recorded."""
    found = {m: _at(run, m)[1] for m in process_models()}
    return {m: row for m, row in found.items() if row is not None}


@rule("C09", MEASUREMENT)
def gil_serialises_threads(run):
    """C09 (judged at N = the usable CPUs P):
    confirmed: N threads keep one core busy at a time (<= 1.1 CPU-seconds per second) and run no faster than serial
    (<= 1.1x), while N processes in the same run scale (the machine could run N things at once);
    refuted: N threads keep several cores busy at once and scale (both >= min(1 + 0.5 (P - 1), 2));
    partly: cores busy at once without a speedup (contention inside the work, not a GIL), or the reverse;
    inconclusive: fewer than 2 usable CPUs, processes did not scale either, no records, or an interval straddles a
    bar."""
    if run.usable_cpus < 2:
        return inconclusive("fewer than 2 usable CPUs: no parallel speedup can show on this machine")
    workers, row = _at(run, THREADS)
    if row is None:
        return inconclusive("no warm threads records at N = the usable CPUs")
    processes = _process_rows(run)
    gain, busy = speedup(row), stats.ratio(row[CPU], row[RAW])
    parallelism = min(workers, run.usable_cpus)
    numbers = {
        "workers": workers,
        "usable_cpus": run.usable_cpus,
        "speedup": round(gain.value, 3),
        "cores_busy": round(busy.value, 3),
        "scaling_bar": scaling_bars(parallelism).high,
    }
    evidence = (
        "{} threads ran the CPU-bound work {} as fast as serial, keeping {} cores busy, on {} usable CPUs".format(
            workers, stats.describe(gain), stats.describe(busy, unit=""), run.usable_cpus
        )
        + uneven_rounds(dict({THREADS: row}, **processes))
    )
    parts = {
        "one core at a time": cores_busy(parallelism).judge(busy, holds="low"),
        "no speedup": scaling_bars(parallelism).judge(gain, holds="low"),
    }
    control = machine_ran_processes_at_once(processes, parallelism)
    if control is not None and control.holds is not True:
        return inconclusive(
            evidence
            + "; but the machine's own capacity is not shown: {} processes ran at best {} ({}), so flat "
            "threads would say nothing of a GIL".format(workers, stats.describe(control.interval), control.reason),
            gain,
            **numbers,
        )
    return combine(evidence, parts, numbers, gain)


def machine_ran_processes_at_once(processes, parallelism):
    """The positive control of C09: the Part that the speedup of the process model surest to clear the bar makes, of
    `processes` ({start method: its row at the judged N}), or None without any. Threads that stay flat where processes
    also stay flat show a busy machine, not a GIL."""
    gains = [speedup(row) for row in processes.values()]
    if not gains:
        return None
    return scaling_bars(parallelism).judge(best(gains), holds="high")


@rule("C14", MEASUREMENT)
def processes_bypass_gil(run):
    """C14 (judged at N = the usable CPUs P):
    confirmed: N processes of every start method keep several cores busy at once and run at least
    min(1 + 0.5 (P - 1), 2) times as fast as serial;
    refuted: no start method does either (a machine that does not run two things at once);
    partly: some start methods do and others not, or cores are busy without a speedup;
    inconclusive: fewer than 2 usable CPUs, no records, or an interval straddles a bar."""
    if run.usable_cpus < 2:
        return inconclusive("fewer than 2 usable CPUs: no parallel speedup can show on this machine")
    found = _process_rows(run)
    if not found:
        return inconclusive("no warm process records at N = the usable CPUs")
    workers = int(next(iter(found.values()))["workers"])
    parallelism = min(workers, run.usable_cpus)
    gains = {m: speedup(row) for m, row in found.items()}
    busy = {m: stats.ratio(row[CPU], row[RAW]) for m, row in found.items()}
    numbers = {"workers": workers, "usable_cpus": run.usable_cpus, "scaling_bar": scaling_bars(parallelism).high}
    numbers.update({m + "_speedup": round(g.value, 3) for m, g in gains.items()})
    numbers.update({m + "_cores_busy": round(b.value, 3) for m, b in busy.items()})
    evidence = (
        "{} processes ran the CPU-bound work {} as fast as serial, keeping {} cores busy, on {} usable CPUs".format(
            workers,
            ", ".join("{} ({})".format(stats.describe(g), m) for m, g in gains.items()),
            ", ".join("{} ({})".format(stats.describe(b, unit=""), m) for m, b in busy.items()),
            run.usable_cpus,
        )
        + uneven_rounds(found)
    )
    parts = {}
    for m in found:
        parts[m + " cores"] = cores_busy(parallelism).judge(busy[m], holds="high")
        parts[m] = scaling_bars(parallelism).judge(gains[m], holds="high")
    return combine(evidence, parts, numbers, weakest(gains.values(), "high"))
