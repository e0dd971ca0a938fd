"""C01, from experiments/test_c01_one_process_per_cpu.py: does one core run one process at a time (N processes
pinned to the logical CPUs of one core run no faster than serial), and do processes left on every usable CPU run
at once (they scale)?

Both halves are weak-scaling speedups (N x serial / round) paired within their own rounds, so neither drifts. The
pinned processes are judged at their one N (max(2, the core's logical CPUs)); the unpinned ones at N = the usable
CPUs P (`judged_workers`), as C09 and C14 are, on the rounds that began with even CPUs (the evidence says how many
others it left out). Where the core has one logical CPU the run may use (no SMT, or its
siblings outside the affinity set) the pinned processes can only take turns, and the evidence says that half could
not have come out otherwise there.
"""

from analysis import stats
from analysis.records import CPU, RAW
from analysis.rules import rule
from analysis.rules.primitives import (
    NO_SCALING,
    Bars,
    combine,
    inconclusive,
    judged_workers,
    scaling_bars,
    speedup,
    uneven_rounds,
)

MEASUREMENT = "placement_scaling"
# One bar: a pinned speedup at or under 1.1x is one core taking the processes in turns; over it, it ran several.
PINNED = Bars(NO_SCALING, NO_SCALING, "no speedup", "faster than serial")


def _row(rows):
    return rows.iloc[0] if len(rows) else None


def _busy(row):
    """Logical CPUs kept busy at once: the process tree's CPU seconds per wall second."""
    return stats.ratio(row[CPU], row[RAW]).value if CPU in row and isinstance(row[CPU], list) else float("nan")


@rule(
    "C01",
    MEASUREMENT,
    cannot={
        "refuted": "The unpinned processes may use every CPU the pinned ones ran on and more, so pinned processes "
        "that beat serial leave no way for unpinned ones to stay flat."
    },
)
def one_process_at_a_time_per_core(run):
    """C01 (pinned: N = max(2, logical CPUs of one core) on that core; unpinned: N = the usable CPUs P):
    confirmed: processes pinned to one core run no faster than serial (<= 1.1x) and the same processes unpinned
    scale (>= min(1 + 0.5 (P - 1), 2)); on a core with one logical CPU the pinned half cannot come out otherwise, and
    the evidence says so;
    partly: pinned processes beat serial (a core with SMT ran several at once) while unpinned ones scale, or pinned
    ones take turns while unpinned ones do not scale either;
    inconclusive: fewer than 2 usable CPUs, no pinned or unpinned records, an interval straddles a bar, or the two
    halves contradict each other (pinned faster than serial, unpinned flat);
    refuted: cannot occur (see `cannot`)."""
    if run.usable_cpus < 2:
        return inconclusive("fewer than 2 usable CPUs: pinned and unpinned processes cannot differ on this machine")
    pinned = _row(run(MEASUREMENT, placement="one_core"))
    if pinned is None:
        return inconclusive("no records of processes pinned to one core (no os.sched_setaffinity here?)")
    spread = run(MEASUREMENT, placement="unpinned")
    workers = judged_workers(spread) if len(spread) else None
    unpinned = _row(run(MEASUREMENT, placement="unpinned", workers=workers)) if workers else None
    if unpinned is None:
        return inconclusive("no records of unpinned processes at N = the usable CPUs")
    turns, spreading = speedup(pinned), speedup(unpinned)
    core_cpus = int(pinned["pinned_cpus"])
    bars = scaling_bars(min(workers, run.usable_cpus))
    numbers = {
        "usable_cpus": run.usable_cpus,
        "core_logical_cpus": core_cpus,
        "pinned_workers": int(pinned["workers"]),
        "pinned_speedup": round(turns.value, 3),
        "pinned_cpus_busy": round(_busy(pinned), 3),
        "unpinned_workers": workers,
        "unpinned_speedup": round(spreading.value, 3),
        "unpinned_cpus_busy": round(_busy(unpinned), 3),
        "no_scaling_bar": NO_SCALING,
        "scaling_bar": bars.high,
    }
    evidence = (
        "{} CPU-bound processes pinned to one core ({} usable logical CPU{}) ran {} as fast as serial, keeping {:.2f} "
        "logical CPUs busy; {} unpinned ones ran {} as fast, on {} usable CPUs".format(
            int(pinned["workers"]),
            core_cpus,
            "" if core_cpus == 1 else "s",
            stats.describe(turns),
            _busy(pinned),
            workers,
            stats.describe(spreading),
            run.usable_cpus,
        )
    )
    if core_cpus == 1:
        evidence += (
            " (that core has one logical CPU this run may use, so the pinned processes could only take turns: that "
            "half could not have come out otherwise here)"
        )
    evidence += uneven_rounds({"pinned": pinned, "unpinned": unpinned})
    parts = {"one core": PINNED.judge(turns, holds="low"), "unpinned": bars.judge(spreading, holds="high")}
    if parts["one core"].holds is False and parts["unpinned"].holds is False:
        return inconclusive(
            evidence + "; the halves contradict each other: unpinned processes could have used the pinned ones' "
            "core, so the machine's load changed between them",
            spreading,
            **numbers,
        )
    return combine(evidence, parts, numbers, turns)
