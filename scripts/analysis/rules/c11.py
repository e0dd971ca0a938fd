"""C11, from experiments/test_c11_leaks_and_crashes.py: does a leak or a crash in a thread hit the whole process,
while a child process keeps its faults to itself?

Memory is decided on the median over rounds of fresh interpreters, as a share of the bytes leaked; the bars are
far apart because the leaked bytes were all written (resident), while what else moves USS is KiB. A leak the
worker's own memory never showed (swapped out, or never resident) decides nothing. Crashes are decided on every
round: a part holds or fails only when every round agrees.
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
    held it (`after` "high") or gave it back ("low"). A share is no ratio with an interval: the part carries none.
    A leak the worker's own memory did not show is no evidence either way."""
    own = SHARE.judge(exact(worker), holds="high")
    if own.holds is not True:
        return Part(None, "the worker's own memory did not show the leak ({:.0%} of it)".format(worker))
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
    """{where: (the parent survived per round, the exit code of what died in the last round)}."""
    return {
        row["where"]: ([bool(s) for s in row["parent_survived_per_round"]], int(row["worker_exitcode"]))
        for _, row in run("segfault").iterrows()
    }


def _every_round(seen, failed):
    """A Part from one True/False per round: held or failed when every round agrees, else undecided."""
    if all(seen) or not any(seen):
        return Part(all(seen), "" if all(seen) else failed)
    return Part(None, "rounds disagree: {} of {}".format(sum(seen), len(seen)))


@rule(
    "C11",
    "leak",
    "segfault",
    "uncaught_exception",
    cannot={
        "refuted": "Memory a thread allocates is its process's, and a SIGSEGV in any thread ends the whole process, "
        "so the thread half holds on every OS CPython runs on and the claim can never fail whole.",
        "partly": "Each part is an OS guarantee (a thread's memory and crash are its process's; a child's memory "
        "is returned and its crash ends only it when it exits), so none can fail while another holds.",
    },
)
def thread_faults_hit_the_process(run):
    """C11:
    confirmed: the process still holds a thread's leak after the thread ended and a segfault in a thread kills the
    process (every round), while under every start method a child's leak (which the child held) leaves with the
    child and a segfaulting child dies alone (every round);
    refuted: cannot occur (see `cannot`);
    partly: cannot occur (see `cannot`);
    inconclusive: no leak or segfault records for a thread and a child, a leak the worker's own memory never
    showed (e.g. swapped out under memory pressure), a share between 10% and 90%, or rounds that disagree."""
    leaks, mib = _leaks(run)
    crashes = _crashes(run)
    methods = [m for m in process_models() if m in leaks and m in crashes]
    if THREAD not in leaks or THREAD not in crashes or not methods:
        return inconclusive("no leak and segfault records for a thread and a child process")
    rounds = len(crashes[THREAD][0])
    thread_crash_kills = not any(crashes[THREAD][0])
    numbers = {
        "leak_mib": round(mib, 1),
        "thread_leak_kept": round(float(leaks[THREAD][1]), 3),
        "thread_crash_exitcode": crashes[THREAD][1],
        "crash_rounds": rounds,
    }
    numbers.update({m + "_leak_kept": round(float(leaks[m][1]), 3) for m in methods})
    spared = [m for m in methods if all(crashes[m][0])]
    evidence = (
        "the process still held {:.0%} of a thread's {:.0f} MiB leak after the thread ended, the parent "
        "{} ({}) of a child's after the child, which held {}, ended; a segfault in a thread {} (exit code "
        "{}), in a child it spared the parent under {} (child exit codes {}), in every one of {} rounds".format(
            leaks[THREAD][1],
            mib,
            "/".join("{:.0%}".format(leaks[m][1]) for m in methods),
            "/".join(methods),
            "/".join("{:.0%}".format(leaks[m][0]) for m in methods),
            "killed the whole interpreter" if thread_crash_kills else "left the interpreter running at least once",
            crashes[THREAD][1],
            "/".join(spared) or "no start method",
            "/".join(str(crashes[m][1]) for m in methods),
            rounds,
        )
    )
    exception = run("uncaught_exception")
    if not exception.empty:
        row = exception.iloc[0]
        lived = [bool(a and b) for a, b in zip(row["parent_survived_per_round"], row["sibling_alive_per_round"])]
        evidence += "; an uncaught {} in a thread ended only that thread in {} of {} rounds".format(
            row["hook_saw"] or "exception", sum(lived), len(lived)
        )
    parts = {
        "a thread's segfault": _every_round([not s for s in crashes[THREAD][0]], "the process survived it"),
        "a thread's leak": _leak(*leaks[THREAD], after="high"),
    }
    for m in methods:
        parts["a {} child's leak".format(m)] = _leak(*leaks[m], after="low")
        survived, exitcode = crashes[m]
        part = _every_round(survived, "the parent died too")
        if part.holds and exitcode == 0:
            part = Part(False, "the child exited 0")
        parts["a {} child's segfault".format(m)] = part
    return combine(evidence, parts, numbers)
