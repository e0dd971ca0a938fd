"""C01: one core runs one process at a time; multiprocessing spreads processes over the cores.

The post: "CPUs can only execute one command at a time, therefore one process at a time. So don't confuse the
term "multiprocessing" in the Multiprocessing Python library with actually running multiple processes on the
same core in your CPU..."

Measured, weak-scaled (each worker runs one `cpu_spin` task of about `profile.task_s`), every round paired with
that task run once serially (`measure`), so the speedup N x serial / round is immune to drift between rounds:
- "one_core": N = max(2, its logical CPUs) processes pinned to the logical CPUs of ONE physical core (the SMT
  siblings of the first usable CPU, `machine.core_siblings`). Where a core has one logical CPU they can only take
  turns; where it has two or more (SMT, "hyper-threading") the core may run several of them at once, which is what
  the post says a CPU cannot do. The serial baseline runs pinned to the same CPUs.
- "unpinned": N = the usable CPUs (at least 2) processes left on every usable CPU: what multiprocessing gives.
Workers pin themselves inside the task and give the affinity back, so the measuring process is left as it was.
Both placements' rounds, as CPU-bound scaling, wait for even CPUs first and take the judged rounds at N = the usable
CPUs (`measure`'s `even_cpus`, harness/steady.py), as C09's and C14's do; rounds that began uneven are left out.
The process tree's CPU seconds per wall second say how many logical CPUs were busy at once. Serial against serial
is the null control. Rule: `c01.one_process_at_a_time_per_core` in scripts/analysis/rules/c01.py.
"""

import os

import pytest

from experiments.machine import affinity_cpus, core_siblings, usable_workers
from experiments.models import Pool
from experiments.vocabulary import SERIAL
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected, cpu_spin_pinned

pytestmark = pytest.mark.claim("C01")
START_METHOD = "spawn"  # any would do for a warm pool; one fixed method keeps the grid the same everywhere
PLACEMENTS = ["one_core", "unpinned"]


def no_affinity():
    if not hasattr(os, "sched_setaffinity"):
        return "os.sched_setaffinity is not available on this platform"
    return None


def one_core():
    """The logical CPUs of the first usable CPU's physical core that this process may use (a CPU outside the
    affinity set may be outside its cpuset too)."""
    usable = affinity_cpus()
    return [cpu for cpu in core_siblings(usable[0]) if cpu in usable]


def placed(placement):
    """(the CPUs each worker is pinned to, how many workers) of a placement."""
    if placement == "one_core":
        cpus = one_core()
        return cpus, max(2, len(cpus))  # at least two: one process alone has nothing to share its core with
    return affinity_cpus(), max(2, usable_workers())


def test_a_pinned_worker_runs_on_its_core_and_leaves_the_parent_alone():
    if no_affinity():
        pytest.skip(no_affinity())
    parent = os.sched_getaffinity(0)
    cpus = one_core()
    with Pool(START_METHOD, 2) as pool:
        results = pool.map(cpu_spin_pinned, [(cpus, 1000), (cpus, 1000)])
    assert results == [(cpus, cpu_spin_expected(1000))] * 2
    assert cpu_spin_pinned(cpus, 1000) == (cpus, cpu_spin_expected(1000))
    assert os.sched_getaffinity(0) == parent


@pytest.mark.measurement("placement_scaling")
def test_null_control(measure, cpu_task):
    assert measure(SERIAL, 1, cpu_spin, [(cpu_task,)], work=cpu_task) == [cpu_spin_expected(cpu_task)]


@pytest.mark.measurement("placement_scaling")
@pytest.mark.parametrize("placement", PLACEMENTS)
def test_placement(measure, cpu_task, placement):
    if no_affinity():
        pytest.skip(no_affinity())
    cpus, workers = placed(placement)
    facts = dict(work=cpu_task, pinned_cpus=len(cpus), core_cpus=len(one_core()))
    results = measure(START_METHOD, workers, cpu_spin_pinned, [(cpus, cpu_task)] * workers, even_cpus=True, **facts)
    assert results == [(cpus, cpu_spin_expected(cpu_task))] * workers  # each worker ran, pinned where it was told
