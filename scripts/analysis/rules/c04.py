"""C04, from experiments/test_c04_cpus_and_threads.py: "a dual core CPU can run 4 threads" read both ways the
word can go. Hardware threads: a dual core runs 4 only with 2 hardware threads per core (SMT), logical CPUs over
physical cores. OS threads: one process runs hundreds at once, whatever the cores, if all are alive together and
their waits overlap.
"""

import pandas as pd
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, inconclusive, rounds_of

SMT = 2  # hardware threads per core that let a dual core run 4 threads at once
# All the waits together took at most this many single waits: they ran at once. One after another they would
# take THREADS waits, and 2 x cores of them at a time (the "4 threads" of a dual core) THREADS / 4 waits: 50 for
# 200. Under 2 leaves a whole wait for starting and joining the threads.
OVERLAP_BAR = 2.0
OVERLAP = Bars(OVERLAP_BAR, OVERLAP_BAR, "at once", "not at once")


@rule("C04", "cpu_counts", "threads_alive_at_once")
def os_threads_vs_cores(run):
    """C04 is confirmed when this machine's cores each run >= 2 hardware threads (a dual core of them runs 4) and
    one process runs all its THREADS OS threads at once (their waits overlap: <= 2 waits in all); partly when
    only one of the two holds, which says which reading of "threads" the post's sentence fits."""
    counts, waits = run("cpu_counts"), run("threads_alive_at_once")
    if counts.empty or waits.empty:
        return inconclusive("no records of the CPU counts and of threads waiting together")
    logical, physical = counts["logical_cpus"].iloc[0], counts["physical_cpus"].iloc[0]
    if pd.isna(physical):
        return inconclusive("the OS does not report physical cores here: hardware threads per core unknown")
    per_core = logical / physical
    threads, alive = int(waits["threads"].iloc[0]), int(waits["threads_alive_at_once"].iloc[0])
    wait = float(waits["wait_s"].iloc[0])
    rounds = rounds_of(waits)
    overlap = stats.ratio(rounds, [wait] * len(rounds))
    numbers = {
        "logical_cpus": int(logical),
        "physical_cpus": int(physical),
        "hardware_threads_per_core": float(per_core),
        "os_threads": threads,
        "alive_at_once": alive,
        "waits_taken": round(overlap.value, 3),
        "overlap_bar": OVERLAP_BAR,
    }
    evidence = (
        "{} physical cores show {} logical CPUs ({:g} hardware thread{} per core: a dual core of them "
        "runs {:g} threads at once), while one process held {} of {} OS threads alive at once and their "
        "waits of {:g} s took {} one wait".format(
            int(physical),
            int(logical),
            per_core,
            "s" if per_core > 1 else "",
            2 * per_core,
            alive,
            threads,
            wait,
            stats.describe(overlap),
        )
    )
    hardware = bool(per_core >= SMT)
    parts = {
        "4 hardware threads on a dual core": Part(
            hardware, ("{}-way SMT" if hardware else "needs {}-way SMT, which this machine lacks").format(SMT)
        ),
        "OS threads": (
            OVERLAP.judge(overlap, holds="low")
            if alive == threads
            else Part(False, "only {} of {} alive at once".format(alive, threads), overlap)
        ),
    }
    # The overlap is C04's one ratio: reported whichever part decided, the hardware count included.
    return combine(evidence, parts, numbers, overlap)
