"""C01: one CPU runs one process at a time; multiprocessing spreads processes over CPUs.

The post: "CPUs can only execute one command at a time, therefore one process at a time. So don't confuse the
term "multiprocessing" in the Multiprocessing Python library with actually running multiple processes on the
same core in your CPU..."

Measured: a fixed amount of `cpu_spin` work cut into N tasks, N = 2, 4, ... 2 x cpu_count, run serially and in
N worker processes (a warm pool of one fixed start method) that are either left on every CPU this process may
use ("unpinned") or each pinned to the same single CPU with os.sched_setaffinity ("one_cpu"). Workers pin
themselves inside the task, so the parent's own affinity is never touched. Pinned, the processes can only take
turns (the time-slicing the post describes); unpinned, they can use the cores. The speedup over serial and the
CPU time / wall time of each are the evidence. Rule: `c01.one_process_at_a_time_per_cpu` in scripts/rules/c01.py.
"""

import os

import pytest

from experiments.models import Pool
from experiments.profiles import cpu_workers, scaled
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected, cpu_spin_on, split

pytestmark = pytest.mark.claim("C01")
FULL_WORK = 1000000  # cpu_spin iterations in total, split over the workers (~80 ms here)
START_METHOD = "spawn"  # any would do for a warm pool; one fixed method keeps the grid the same everywhere
PLACEMENTS = ["unpinned", "one_cpu"]


def workers_grid():
    """N >= 2 only: one process alone has nothing to take turns with."""
    return [n for n in cpu_workers() if n >= 2]


def no_affinity():
    if not hasattr(os, "sched_setaffinity"):
        return "os.sched_setaffinity is not available on this platform"
    return None


def cpus_for(placement):
    """The CPUs a worker is pinned to: all this process may use, or the first of them alone."""
    usable = sorted(os.sched_getaffinity(0))
    return usable if placement == "unpinned" else usable[:1]


def spin_tasks(profile, workers, cpus=None):
    sizes = split(scaled(FULL_WORK, profile), workers)
    return [(n,) for n in sizes] if cpus is None else [(cpus, n) for n in sizes]


def test_a_pinned_worker_runs_on_its_cpu_and_leaves_the_parent_alone():
    if no_affinity():
        pytest.skip(no_affinity())
    parent = os.sched_getaffinity(0)
    one = cpus_for("one_cpu")
    with Pool(START_METHOD, 2) as pool:
        results = pool.map(cpu_spin_on, [(one, 1000), (one, 1000)])
    assert results == [(one, cpu_spin_expected(1000))] * 2
    assert os.sched_getaffinity(0) == parent


# At each N, serial and then the two placements right after it: a load that comes and goes hits all three alike.
@pytest.mark.measurement("placement_scaling")
@pytest.mark.parametrize("placement", ["serial"] + PLACEMENTS)
@pytest.mark.parametrize("workers", workers_grid())
def test_spin(measure, profile, workers, placement):
    work = scaled(FULL_WORK, profile)
    if placement == "serial":
        tasks = spin_tasks(profile, workers)
        assert measure("serial", workers, cpu_spin, tasks, work=work) == [cpu_spin_expected(n) for (n,) in tasks]
        return
    if no_affinity():
        pytest.skip(no_affinity())
    cpus = cpus_for(placement)
    tasks = spin_tasks(profile, workers, cpus)
    results = measure(START_METHOD, workers, cpu_spin_on, tasks, work=work, pinned_cpus=len(cpus))
    assert results == [(cpus, cpu_spin_expected(n)) for _, n in tasks]
