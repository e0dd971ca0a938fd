"""C03, from experiments/test_c03_threads_in_a_process.py: do threads run inside the parent process, each an OS
thread of its own, while child processes are processes of their own? Behaviour decides; no timing is judged.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "where_workers_run"


@rule("C03", MEASUREMENT)
def threads_live_in_a_process(run):
    """C03 holds when N threads all report the parent's pid with N new distinct native thread ids, all listed
    among the process's OS threads, which gain N while they run, and N child processes (every start method
    measured) report N pids of their own."""
    facts = {row["model"]: row for _, row in run(MEASUREMENT).iterrows()}
    processes = [m for m in process_models() if m in facts]
    if THREADS not in facts or not processes:
        return inconclusive("no records of where threads and child processes run")
    threads = facts[THREADS]
    workers = int(threads["workers"])
    numbers = {
        "workers": workers,
        "threads_sharing_pid": int(threads["share_parent_pid"]),
        "thread_native_ids": int(threads["distinct_native_ids"]),
        "among_process_threads": int(threads["native_ids_among_parent_threads"]),
        "os_threads_gained": int(threads["os_threads_gained"]),
    }
    numbers.update({m + "_distinct_pids": int(facts[m]["distinct_pids"]) for m in processes})
    evidence = (
        "{} threads reported the parent's pid {}/{} times with {} distinct native thread ids, {} of them "
        "listed among the process's OS threads, which gained {} meanwhile; {} child processes reported {} "
        "distinct pids ({})".format(
            workers,
            numbers["threads_sharing_pid"],
            workers,
            numbers["thread_native_ids"],
            numbers["among_process_threads"],
            numbers["os_threads_gained"],
            workers,
            "/".join(str(numbers[m + "_distinct_pids"]) for m in processes),
            "/".join(processes),
        )
    )
    inside = (
        numbers["threads_sharing_pid"] == numbers["thread_native_ids"] == numbers["among_process_threads"] == workers
        and not threads["parent_native_id_seen"]
    )
    parts = {
        "threads run in the parent process, each an OS thread of its own": Part(inside),
        "the process gains an OS thread per thread": Part(numbers["os_threads_gained"] == workers),
    }
    parts.update(
        {
            "{} children have pids of their own".format(m): Part(
                int(facts[m]["share_parent_pid"]) == 0 and numbers[m + "_distinct_pids"] == workers
            )
            for m in processes
        }
    )
    return combine(evidence, parts, numbers)
