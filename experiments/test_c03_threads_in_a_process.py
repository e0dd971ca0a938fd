"""C03: threads are paths of execution inside one process.

The post: "A thread is a path of execution within a process. A process can contain multiple threads."

Measured: N workers report their pid and native (OS) thread id, all alive at once: N threads of this process,
and N child processes per start method; and which OS threads this process has meanwhile (psutil's thread list,
by native id) compared with before. The plain tests assert the expected behaviour; the benchmarks record what
each round saw, expected or not (None where this platform will not list a process's threads), and assert only
that the workers reported. Rule: `c03.threads_live_in_a_process` in scripts/analysis/rules/c03.py.
"""

import multiprocessing
import os
import threading

import psutil
import pytest

from experiments.models import Pool, stop, unavailable
from experiments.vocabulary import process_models
from experiments.workloads.sharing import identity_when_together, report_identity

pytestmark = pytest.mark.claim("C03")
WORKERS = 4  # "multiple threads": more than one, and more than a dual core has CPUs
REPORT_TIMEOUT_S = 60


def os_thread_ids():
    """Native ids of this process's OS threads, or None where the platform will not list them. Sets, not counts: a
    thread just joined can still be on its way out of the OS, and would make a count before look one higher."""
    try:
        return {thread.id for thread in psutil.Process().threads()}
    except (psutil.AccessDenied, NotImplementedError):
        return None


def thread_identities(workers):
    """Identities of `workers` threads of this process, and the native ids of the OS threads this process had
    while every one of them waited at the barrier, beside those it had before."""
    before = os_thread_ids()
    during = []
    together = threading.Barrier(workers, action=lambda: during.append(os_thread_ids()))
    with Pool("threads", workers) as pool:
        seen = pool.map(identity_when_together, [(together,)] * workers)
    return seen, before, during[0]


def process_identities(method, workers):
    """Identities of `workers` child processes of one start method, and the native ids of this process's OS
    threads while they ran and before."""
    context = multiprocessing.get_context(method)
    reports = context.Queue()
    before = os_thread_ids()
    children = [context.Process(target=report_identity, args=(reports,)) for _ in range(workers)]
    try:
        for child in children:
            child.start()
        seen = [reports.get(timeout=REPORT_TIMEOUT_S) for _ in children]
        during = os_thread_ids()
    finally:
        for child in children:
            stop(child, REPORT_TIMEOUT_S)
        reports.close()
    return seen, before, during


def observe(model, workers):
    """What `workers` workers of `model` say about where they run, as the facts the rule reads."""
    seen, before, during = thread_identities(workers) if model == "threads" else process_identities(model, workers)
    pids = [pid for pid, _ in seen]
    listed = before is not None and during is not None
    return {
        "reported": len(seen),
        "share_parent_pid": sum(pid == os.getpid() for pid in pids),
        "distinct_pids": len(set(pids)),
        "distinct_native_ids": len({native_id for _, native_id in seen}),
        "parent_native_id_seen": any(native_id == threading.get_native_id() for _, native_id in seen),
        "native_ids_among_parent_threads": sum(native_id in during for _, native_id in seen) if listed else None,
        "os_threads_gained": len(during - before) if listed else None,
    }


def test_threads_share_the_pid_and_each_is_an_os_thread_of_the_process():
    assert observe("threads", WORKERS) == {
        "reported": WORKERS,
        "share_parent_pid": WORKERS,
        "distinct_pids": 1,
        "distinct_native_ids": WORKERS,
        "parent_native_id_seen": False,
        "native_ids_among_parent_threads": WORKERS,
        "os_threads_gained": WORKERS,
    }


@pytest.mark.parametrize("model", process_models())
def test_child_processes_have_their_own_pids(model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    facts = observe(model, WORKERS)
    assert facts["share_parent_pid"] == 0 and facts["distinct_pids"] == WORKERS
    assert facts["native_ids_among_parent_threads"] == 0 and facts["os_threads_gained"] < WORKERS


@pytest.mark.measurement("where_workers_run")
@pytest.mark.parametrize("model", ["threads"] + process_models())
def test_where_workers_run(bench, each_round, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    seen = each_round(observe, model, WORKERS)
    assert all(facts["reported"] == WORKERS for facts in seen), "a worker did not report"
    bench.extra_info.update(workers=WORKERS, facts_per_round=seen, **seen[-1])
