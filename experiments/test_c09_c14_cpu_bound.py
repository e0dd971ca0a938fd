"""C09 and C14: pure-Python CPU-bound work in N threads and in N processes.

C09, the post: threads are "subject to the GIL"; "The GIL ... prevents parallel threads of execution on
multiple cores". C14: multiprocessing "uses separate memory space, multiple CPU cores, bypasses GIL
limitations in CPython".

Measured: a fixed amount of `cpu_spin` work cut into N tasks, run serially, in N threads, and in N processes
per start method, N = 1, 2, 4, ... 2 x cpu_count; warm pools and cold ones. The speedup over serial and the
process tree's CPU time / wall time are the evidence. Rules: `c09.gil_serialises_threads`,
`c14.processes_bypass_gil` in scripts/rules/c09_c14.py.
"""

import pytest

from experiments.profiles import cpu_workers
from experiments.vocabulary import LIFECYCLES, parallel_models
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected, split

pytestmark = pytest.mark.claim("C09", "C14")


def spin_tasks(profile, workers):
    return [(n,) for n in split(profile.cpu_work, workers)]


@pytest.mark.measurement("cpu_scaling")
@pytest.mark.parametrize("workers", cpu_workers())
def test_serial(measure, profile, workers):
    tasks = spin_tasks(profile, workers)
    results = measure("serial", workers, cpu_spin, tasks, work=profile.cpu_work, bound="cpu")
    assert results == [cpu_spin_expected(n) for (n,) in tasks]


@pytest.mark.measurement("cpu_scaling")
@pytest.mark.parametrize("lifecycle", LIFECYCLES)
@pytest.mark.parametrize("workers", cpu_workers())
@pytest.mark.parametrize("model", parallel_models())
def test_parallel(measure, profile, model, workers, lifecycle):
    tasks = spin_tasks(profile, workers)
    results = measure(model, workers, cpu_spin, tasks, lifecycle, work=profile.cpu_work, bound="cpu")
    assert results == [cpu_spin_expected(n) for (n,) in tasks]
