"""C03, from experiments/test_c03_threads_in_a_process.py: do threads run inside the parent process, each an OS
thread of its own that the process holds while it runs, while child processes are processes of their own?
Behaviour decides, round by round; no timing is judged.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "where_workers_run"


def _every_round(rounds, holds, failed):
    """A Part that holds when `holds(facts)` is True in every round and fails when it is False in every round;
    undecided when rounds disagree or a round could not tell (`holds` returned None)."""
    seen = [holds(facts) for facts in rounds]
    if None in seen:
        return Part(
            None,
            "this platform did not list the process's OS threads in {} of {} rounds".format(
                seen.count(None), len(seen)
            ),
        )
    if all(seen):
        return Part(True)
    if not any(seen):
        return Part(False, failed)
    return Part(None, "rounds disagree: held in {} of {}".format(sum(seen), len(seen)))


def _gained(workers):
    def holds(facts):
        return None if facts["os_threads_gained"] is None else facts["os_threads_gained"] >= workers

    return holds


@rule(
    "C03",
    MEASUREMENT,
    cannot={
        "refuted": "A CPython thread is an OS thread that the OS creates inside the calling process (pthreads, "
        "Windows threads), so on every OS CPython runs on threads share their process's pid and a child process "
        "has a pid of its own: no part of the claim can fail.",
        "partly": "Every part is one of those OS guarantees (a thread shares its process's pid, is one of its OS "
        "threads, and a child has its own pid), so none can fail while another holds.",
    },
)
def threads_live_in_a_process(run):
    """C03 (each part must hold in every round):
    confirmed: N threads all report the parent's pid with N distinct native thread ids (none the parent's), the
    process gains at least N OS threads while they run, and N child processes of every start method report N
    pids of their own;
    refuted: cannot occur (see `cannot`);
    partly: cannot occur (see `cannot`);
    inconclusive: no records of threads or of child processes, the platform would not list the process's OS
    threads, or rounds disagree."""
    facts = {row["model"]: row for _, row in run(MEASUREMENT).iterrows()}
    processes = [m for m in process_models() if m in facts]
    if THREADS not in facts or not processes:
        return inconclusive("no records of where threads and child processes run")
    threads = facts[THREADS]
    workers = int(threads["workers"])
    rounds = threads["facts_per_round"]
    last = rounds[-1]
    numbers = {
        "workers": workers,
        "rounds": len(rounds),
        "threads_sharing_pid": int(last["share_parent_pid"]),
        "thread_native_ids": int(last["distinct_native_ids"]),
        "among_process_threads": last["native_ids_among_parent_threads"],
        "os_threads_gained": last["os_threads_gained"],
    }
    numbers.update({m + "_distinct_pids": int(facts[m]["facts_per_round"][-1]["distinct_pids"]) for m in processes})
    evidence = (
        "{} threads reported the parent's pid {}/{} times with {} distinct native thread ids, {} of them listed "
        "among the process's OS threads, which gained {} meanwhile; {} child processes reported {} distinct pids "
        "({}); in the last of {} rounds".format(
            workers,
            numbers["threads_sharing_pid"],
            workers,
            numbers["thread_native_ids"],
            "unknown" if numbers["among_process_threads"] is None else numbers["among_process_threads"],
            "unknown" if numbers["os_threads_gained"] is None else numbers["os_threads_gained"],
            workers,
            "/".join(str(numbers[m + "_distinct_pids"]) for m in processes),
            "/".join(processes),
            len(rounds),
        )
    )
    parts = {
        "threads run in the parent process": _every_round(
            rounds, lambda f: f["share_parent_pid"] == workers, "they reported other pids"
        ),
        "each thread is an OS thread of its own": _every_round(
            rounds,
            lambda f: f["distinct_native_ids"] == workers and not f["parent_native_id_seen"],
            "they shared native thread ids",
        ),
        "the process holds them all at once": _every_round(
            rounds, _gained(workers), "it gained fewer OS threads than threads ran"
        ),
    }
    for m in processes:
        count = int(facts[m]["workers"])
        parts["{} children are processes of their own".format(m)] = _every_round(
            facts[m]["facts_per_round"],
            lambda f, count=count: f["share_parent_pid"] == 0 and f["distinct_pids"] == count,
            "they shared pids",
        )
    return combine(evidence, parts, numbers)
