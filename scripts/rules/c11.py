"""C11, from experiments/test_c11_leaks_and_crashes.py: does a leak or a crash in a thread hit the whole process,
while a child process keeps its faults to itself?

Memory is decided on the median over rounds of fresh interpreters, as a share of the bytes leaked; the bars are
far apart because the leaked bytes were all written (resident), while what else moves USS is KiB.
"""

from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, select

KEPT = 0.9  # "held": at least 90% of the leaked bytes (allocator rounding and freed stack pages move KiB, not MiB)
RETURNED = 0.1  # "not held": at most 10% (what a parent spends on a child, pipes and a Process object, is KiB)


def _held(share):
    return "held" if share >= KEPT else "not held" if share <= RETURNED else "unclear"


def _leaks(rows):
    """{where: (worker held, parent held after the worker ended, as "held"/"not held"/"unclear"; the parent's
    share, the worker's share)}; and the MiB leaked."""
    found, mib = {}, None
    for _, row in select(rows, test="test_leak").iterrows():
        leaked = float(row["leaked_bytes"])
        grew, kept = row["worker_grew_bytes"] / leaked, row["parent_kept_bytes"] / leaked
        found[row["where"]] = (_held(grew), _held(kept), kept, grew)
        mib = leaked / 2**20
    return found, mib


def _crashes(rows):
    """{where: (the parent survived, the exit code of what died)}."""
    return {
        row["where"]: (bool(row["parent_survived"]), int(row["worker_exitcode"]))
        for _, row in select(rows, test="test_segfault").iterrows()
    }


def thread_faults_hit_the_process(rows):
    """C11 holds when a thread's leak is still held by the process after the thread ended and a segfault in a
    thread kills the process, while under every start method a child's leak leaves with the child (which held
    it) and a segfaulting child dies alone."""
    leaks, mib = _leaks(rows)
    crashes = _crashes(rows)
    methods = [m for m in PROCESS_MODELS if m in leaks and m in crashes]
    if "thread" not in leaks or "thread" not in crashes or not methods:
        return inconclusive("no leak and segfault records for a thread and a child process")
    unclear = [w for w in ["thread"] + methods if "unclear" in leaks[w][:2]]
    if unclear:
        return inconclusive(
            "a leak was neither held (>= {:.0%}) nor given back (<= {:.0%}) in: {}".format(
                KEPT, RETURNED, ", ".join(unclear)
            )
        )
    thread_leak_stays = leaks["thread"][1] == "held"
    thread_crash_kills = not crashes["thread"][0]
    contained = [m for m in methods if leaks[m][:2] == ("held", "not held") and crashes[m][0] and crashes[m][1] != 0]
    numbers = {
        "leak_mib": round(mib, 1),
        "thread_leak_kept": round(float(leaks["thread"][2]), 3),
        "thread_crash_exitcode": crashes["thread"][1],
    }
    numbers.update({m + "_leak_kept": round(float(leaks[m][2]), 3) for m in methods})
    spared = [m for m in methods if crashes[m][0]]
    evidence = (
        "the process still held {:.0%} of a thread's {:.0f} MiB leak after the thread ended, the parent "
        "{} ({}) of a child's after the child, which held {}, ended; a segfault in a thread {} (exit code "
        "{}), in a child it spared the parent under {} (child exit codes {})".format(
            leaks["thread"][2],
            mib,
            "/".join("{:.0%}".format(leaks[m][2]) for m in methods),
            "/".join(methods),
            "/".join("{:.0%}".format(leaks[m][3]) for m in methods),
            "killed the whole interpreter" if thread_crash_kills else "left the interpreter running",
            crashes["thread"][1],
            "/".join(spared) or "no start method",
            "/".join(str(crashes[m][1]) for m in methods),
        )
    )
    exception = select(rows, test="test_uncaught_exception_in_a_thread")
    if not exception.empty:
        row = exception.iloc[0]
        evidence += "; an uncaught {} in a thread {}".format(
            row["hook_saw"],
            "ended only that thread"
            if row["parent_survived"] and row["sibling_alive"]
            else "took other threads with it",
        )
    problems = []
    if not thread_leak_stays:
        problems.append("a thread's leak did not stay in the process")
    if not thread_crash_kills:
        problems.append("a thread's segfault did not kill the process")
    if len(contained) < len(methods):
        problems.append(
            "a child did not keep its leak or crash to itself under "
            + ", ".join(m for m in methods if m not in contained)
        )
    if not problems:
        return Verdict("confirmed", evidence, numbers, None)
    if not thread_leak_stays and not thread_crash_kills:
        return Verdict("refuted", evidence, numbers, None)
    return Verdict("partly", evidence + "; but " + "; ".join(problems), numbers, None)
