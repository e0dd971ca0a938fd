"""C03, from experiments/test_c03_threads_in_a_process.py: do threads run inside the parent process, each an OS
thread of its own, while child processes are processes of their own? Behaviour decides; no timing is judged.
"""

from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, select


def threads_live_in_a_process(rows):
    """C03 holds when N threads all report the parent's pid with N new distinct native thread ids, all listed
    among the process's OS threads, which gain N while they run, and N child processes (every start method
    measured) report N pids of their own."""
    observed = select(rows, test="test_where_workers_run")
    facts = {row["model"]: row for _, row in observed.iterrows()}
    processes = [m for m in PROCESS_MODELS if m in facts]
    if "threads" not in facts or not processes:
        return inconclusive("no records of where threads and child processes run")
    threads = facts["threads"]
    workers = int(threads["workers"])
    inside = (
        threads["share_parent_pid"] == workers
        and threads["distinct_native_ids"] == workers
        and threads["native_ids_among_parent_threads"] == workers
        and not threads["parent_native_id_seen"]
    )
    counted = threads["os_threads_gained"] == workers
    apart = [m for m in processes if facts[m]["share_parent_pid"] == 0 and facts[m]["distinct_pids"] == workers]
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
    if not inside:
        return Verdict("refuted", evidence, numbers, None)
    if counted and len(apart) == len(processes):
        return Verdict("confirmed", evidence, numbers, None)
    missing = [] if counted else ["the process did not gain {} OS threads".format(workers)]
    missing += ["{} children did not each have a pid of their own".format(m) for m in processes if m not in apart]
    return Verdict("partly", evidence + "; but " + " and ".join(missing), numbers, None)
