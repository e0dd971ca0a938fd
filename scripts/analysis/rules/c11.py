"""C11, from experiments/test_c11_leaks_and_crashes.py: does a leak or a crash in a thread hit the whole process,
while a child process keeps its faults to itself?

Memory is decided on the median over rounds of fresh interpreters, as a share of the bytes leaked; the bars are
far apart because the leaked bytes were all written (resident), while what else moves USS is KiB.
"""

from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, exact, inconclusive

from experiments.vocabulary import process_models

# A share of the leaked bytes is "held" at >= 90% (allocator rounding and freed stack pages move KiB, not MiB) and
# "given back" at <= 10% (what a parent spends on a child, pipes and a Process object, is KiB).
SHARE = Bars(0.1, 0.9, "given back", "held", " of it")
THREAD = "thread"  # the `where` of a leak or segfault in a thread of the measuring process


def _leak(worker, parent, after):
    """The part a leak makes: the worker held it (its own share), and after the worker ended the process still
    held it (`after` "high") or gave it back ("low"). A share is no ratio with an interval: the part carries none."""
    own = SHARE.judge(exact(worker), holds="high")
    if own.holds is not True:
        return Part(own.holds, "the worker's own share: " + own.reason)
    return SHARE.judge(exact(parent), holds=after)._replace(interval=None)


def _leaks(run):
    """{where: (the worker's share, the parent's share after the worker ended)}; and the MiB leaked."""
    found, mib = {}, None
    for _, row in run("leak").iterrows():
        leaked = float(row["leaked_bytes"])
        found[row["where"]] = (row["worker_grew_bytes"] / leaked, row["parent_kept_bytes"] / leaked)
        mib = leaked / 2**20
    return found, mib


def _crashes(run):
    """{where: (the parent survived, the exit code of what died)}."""
    return {
        row["where"]: (bool(row["parent_survived"]), int(row["worker_exitcode"]))
        for _, row in run("segfault").iterrows()
    }


@rule("C11", "leak", "segfault", "uncaught_exception")
def thread_faults_hit_the_process(run):
    """C11 holds when a thread's leak is still held by the process after the thread ended and a segfault in a
    thread kills the process, while under every start method a child's leak leaves with the child (which held
    it) and a segfaulting child dies alone."""
    leaks, mib = _leaks(run)
    crashes = _crashes(run)
    methods = [m for m in process_models() if m in leaks and m in crashes]
    if THREAD not in leaks or THREAD not in crashes or not methods:
        return inconclusive("no leak and segfault records for a thread and a child process")
    thread_crash_kills = not crashes[THREAD][0]
    numbers = {
        "leak_mib": round(mib, 1),
        "thread_leak_kept": round(float(leaks[THREAD][1]), 3),
        "thread_crash_exitcode": crashes[THREAD][1],
    }
    numbers.update({m + "_leak_kept": round(float(leaks[m][1]), 3) for m in methods})
    spared = [m for m in methods if crashes[m][0]]
    evidence = (
        "the process still held {:.0%} of a thread's {:.0f} MiB leak after the thread ended, the parent "
        "{} ({}) of a child's after the child, which held {}, ended; a segfault in a thread {} (exit code "
        "{}), in a child it spared the parent under {} (child exit codes {})".format(
            leaks[THREAD][1],
            mib,
            "/".join("{:.0%}".format(leaks[m][1]) for m in methods),
            "/".join(methods),
            "/".join("{:.0%}".format(leaks[m][0]) for m in methods),
            "killed the whole interpreter" if thread_crash_kills else "left the interpreter running",
            crashes[THREAD][1],
            "/".join(spared) or "no start method",
            "/".join(str(crashes[m][1]) for m in methods),
        )
    )
    exception = run("uncaught_exception")
    if not exception.empty:
        row = exception.iloc[0]
        evidence += "; an uncaught {} in a thread {}".format(
            row["hook_saw"],
            "ended only that thread"
            if row["parent_survived"] and row["sibling_alive"]
            else "took other threads with it",
        )
    parts = {
        "a thread's segfault": Part(thread_crash_kills, "" if thread_crash_kills else "the process survived it"),
        "a thread's leak": _leak(*leaks[THREAD], after="high"),
    }
    for m in methods:
        parts["a {} child's leak".format(m)] = _leak(*leaks[m], after="low")
        survived, exitcode = crashes[m]
        why = "the parent died too" if not survived else "the child exited 0" if exitcode == 0 else ""
        parts["a {} child's segfault".format(m)] = Part(not why, why)
    return combine(evidence, parts, numbers)
