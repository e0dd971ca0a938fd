"""C04, from experiments/test_c04_cpus_and_threads.py: "a dual core CPU can run 4 threads", read both ways the
word can go, each judged on what ran.

Hardware threads: a dual core runs 4 at once only if each core runs 2 (SMT). Judged on 2 x C CPU-bound processes
(C = the physical cores this process may use): the CPU seconds they got per wall second, per core.
OS threads: one process runs more threads than it has cores, all of them making progress. Judged on 2 x P threads
(P = usable CPUs) running C code that releases the GIL: the cores they keep busy, and the least share of them
that progressed in any 50 ms window; and on 200 threads that each wake every 5 ms, the same share.
Every measure is taken inside each round (CPU seconds against that round's wall time, wake-ups within it), so
drift between rounds cannot pass for an effect.
"""

import math

from analysis import stats
from analysis.records import CPU, RAW
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Bars, Part, combine, inconclusive, scaling_bar

SMT = 2  # hardware threads per core that let a dual core run 4 threads at once
# Things run at once per core: one (<= 1.1) or two (>= 1.5, half the gain of a second hardware thread or more).
PER_CORE = Bars(NO_SCALING, scaling_bar(SMT), "one thread per core", "two threads per core")
# The least share of the threads that progressed in a window: all of them (>= 0.9) against half or fewer, which is
# what threads taking turns a few at a time show (0.04-0.2 of 200 GIL-bound threads per window here).
PROGRESS = Bars(0.5, 0.9, "taking turns", "all progressing", " of them")


def cores_busy(parallelism):
    """One core's worth of CPU per second (<= 1.1) against several at once (1 + 0.5 (P - 1), 2 at most)."""
    return Bars(NO_SCALING, scaling_bar(parallelism), "one core at a time", "cores busy at once")


def _percent(interval):
    if math.isnan(interval.low):
        return "{:.0%} ({} rounds: no interval)".format(interval.value, interval.rounds)
    return "{:.0%} [{:.0%}, {:.0%}]".format(interval.value, interval.low, interval.high)


def _shares(row):
    """The per-round least shares as an interval of their median; None where no round held a whole window."""
    shares = [float(s) for s in row["least_share_per_round"] if s is not None]
    return stats.median_interval(shares) if shares else None


def _hardware(row):
    """(cores, the things-at-once-per-core interval, the Part); cores None where the OS did not say."""
    cores = row["affinity_cores"]
    if cores is None or (isinstance(cores, float) and math.isnan(cores)):
        return None, None, Part(None, "the OS does not say which CPUs share a core here")
    cores = int(cores)
    per_core = stats.ratio(row[CPU], row[RAW], scale=1.0 / cores)
    quota = row["cpu_quota"]
    if quota is not None and not (isinstance(quota, float) and math.isnan(quota)) and quota < row["affinity_cpus"]:
        reason = "a CPU quota of {:g} CPUs caps what runs at once below the {} CPUs listed".format(
            quota, int(row["affinity_cpus"])
        )
        return cores, per_core, Part(None, reason, per_core)
    return cores, per_core, PER_CORE.judge(per_core, holds="high")


def _progress(row):
    shares = _shares(row)
    if shares is None:
        return None, Part(None, "no round held a whole window")
    return shares, PROGRESS.judge(shares, holds="high")._replace(interval=None)


@rule(
    "C04",
    "hardware_threads",
    "threads_running_c_code",
    "hundreds_of_threads",
    cannot={
        "refuted": "Every OS CPython runs on schedules all of a process's threads preemptively, so 200 threads that "
        "each wake every 5 ms all progress within every 50 ms window wherever it is measured: the OS reading never "
        "fails whole, and the claim can fail at most in part.",
    },
)
def os_threads_vs_cores(run):
    """C04:
    confirmed: each physical core ran two CPU-bound processes at once (>= 1.5 per core: SMT, so a dual core runs 4)
    and one process's threads ran as the OS reading says: 2 x P threads in GIL-releasing C code kept the usable
    cores busy at once and all progressed in every window, as did 200 waking threads;
    refuted: cannot occur (see `cannot`);
    partly: one reading holds and the other fails: no SMT (<= 1.1 per core) while the OS threads run, or the C code
    held one core at a time (an interpreter whose sha256 keeps the GIL) while the hardware runs two per core;
    inconclusive: no records, topology unknown, a CPU quota below the CPUs listed, fewer than 2 usable CPUs, too
    few rounds, or an interval between or across the bars."""
    hardware, hashing, hundreds = run("hardware_threads"), run("threads_running_c_code"), run("hundreds_of_threads")
    if hardware.empty or hashing.empty or hundreds.empty:
        return inconclusive("no records of processes and threads running at once")
    hw, busy_row, many = hardware.iloc[0], hashing.iloc[0], hundreds.iloc[0]
    cores, per_core, hardware_part = _hardware(hw)
    usable = run.usable_cpus
    threads = int(busy_row["threads"])
    parallelism = min(threads, usable)
    busy = stats.ratio(busy_row[CPU], busy_row[RAW])
    hashing_shares, hashing_part = _progress(busy_row)
    many_shares, many_part = _progress(many)
    numbers = {
        "logical_cpus": int(hw["logical_cpus"]),
        "physical_cpus": None if hw["physical_cpus"] is None else int(hw["physical_cpus"]),
        "cores": cores,
        "processes": int(hw["workers"]),
        "at_once_per_core": None if per_core is None else round(per_core.value, 3),
        "usable_cpus": usable,
        "threads": threads,
        "cores_busy": round(busy.value, 3),
        "hashing_least_share": None if hashing_shares is None else round(hashing_shares.value, 3),
        "many_threads": int(many["threads"]),
        "many_least_share": None if many_shares is None else round(many_shares.value, 3),
    }
    evidence = (
        "{} CPU-bound processes on {} physical core{} ({} logical CPU{}) ran {} things at once per core; one "
        "process's {} threads hashing (C code that releases the GIL) kept {} cores busy on {} usable CPUs, and in "
        "every {:g} ms window at least {} of them progressed, as did at least {} of {} threads waking every {:g} "
        "ms".format(
            numbers["processes"],
            "?" if cores is None else cores,
            "" if cores == 1 else "s",
            numbers["logical_cpus"],
            "" if numbers["logical_cpus"] == 1 else "s",
            "?" if per_core is None else stats.describe(per_core, unit=""),
            threads,
            stats.describe(busy, unit=""),
            usable,
            1000 * float(busy_row["window_s"]),
            "?" if hashing_shares is None else _percent(hashing_shares),
            "?" if many_shares is None else _percent(many_shares),
            numbers["many_threads"],
            1000 * float(many["nap_s"]),
        )
    )
    if usable < 2:
        cores_part = Part(None, "fewer than 2 usable CPUs: one process's threads cannot show running at once")
    else:
        cores_part = cores_busy(parallelism).judge(busy, holds="high")
    parts = {
        "hardware: two threads per core (a dual core runs 4)": hardware_part,
        "OS: one process's threads busy on several cores at once": cores_part,
        "OS: more threads than cores, all progressing": hashing_part,
        "OS: hundreds of threads, all progressing": many_part,
    }
    return combine(evidence, parts, numbers, per_core if per_core is not None else busy)
