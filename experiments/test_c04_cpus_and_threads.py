"""C04: threads of a processor (hardware threads) vs threads of the OS.

The post: "Threads in the operating system level of abstraction aren't to be confused with threads of a
processor. [...] For example a dual core CPU can run 4 threads."

Measured: the CPUs as the OS reports them: physical cores, logical CPUs (hardware threads: more than the cores
only with SMT, "Hyper-Threading") and the CPUs this process may use (affinity); and how many OS threads one
process runs at once: THREADS threads that all start, meet at a barrier (the process's OS threads are counted
there), then each wait the same time, the wall time set against one wait. Rule: `c04.os_threads_vs_cores` in
scripts/rules/c04.py.
"""

import threading

import psutil
import pytest

from experiments import machine
from experiments.models import Pool
from experiments.profiles import scaled
from experiments.workloads.io import wait_together

pytestmark = pytest.mark.claim("C04")
THREADS = 200  # "hundreds": 50 times the post's 4, and 100 times the cores of a dual core
# Each thread's wait: long beside starting THREADS threads (tens of ms, more on a busy machine), so overlap shows
FULL_WAIT_MS = 1000


def cpu_counts():
    """The CPUs the OS reports; physical_cpus is None where it cannot tell cores from hardware threads."""
    return {
        "logical_cpus": psutil.cpu_count(logical=True),
        "physical_cpus": psutil.cpu_count(logical=False),
        "usable_cpus": machine.usable_cpus(),
    }


def os_thread_ids():
    """Native ids of this process's OS threads. Sets, not counts: a thread just joined can still be on its way
    out of the OS, and would make a count before look one higher."""
    return {thread.id for thread in psutil.Process().threads()}


def wait_in_threads(threads, seconds):
    """Start `threads` threads that meet at a barrier, then each wait `seconds`. Returns how many new OS threads
    this process had while all were alive (at the barrier) and what each wait returned."""
    before = os_thread_ids()
    during = []
    together = threading.Barrier(threads, action=lambda: during.append(os_thread_ids()))
    with Pool("threads", threads) as pool:
        waited = pool.map(wait_together, [(together, seconds)] * threads)
    return len(during[0] - before), waited


def test_the_os_counts_cores_and_hardware_threads():
    counts = cpu_counts()
    assert counts["logical_cpus"] >= 1
    assert counts["physical_cpus"] is None or 1 <= counts["physical_cpus"] <= counts["logical_cpus"]
    assert 1 <= counts["usable_cpus"] <= counts["logical_cpus"]


def test_hundreds_of_os_threads_are_alive_at_once(profile):
    seconds = scaled(FULL_WAIT_MS, profile) / 1000
    assert wait_in_threads(THREADS, seconds) == (THREADS, [seconds] * THREADS)


@pytest.mark.measurement("cpu_counts")
def test_cpu_counts(bench, profile):
    counts = bench.pedantic(cpu_counts, rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
    assert counts["logical_cpus"] >= 1
    bench.extra_info.update(counts)


@pytest.mark.measurement("threads_alive_at_once")
def test_threads_alive_at_once(bench, profile):
    seconds = scaled(FULL_WAIT_MS, profile) / 1000
    alive, waited = bench.pedantic(
        wait_in_threads, args=(THREADS, seconds), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds
    )
    assert waited == [seconds] * THREADS
    bench.extra_info.update(threads=THREADS, wait_s=seconds, threads_alive_at_once=alive)
