"""C09 and C14: pure-Python CPU-bound work in N threads and in N processes; and, for X02, in N subinterpreters.

C09, the post: threads are "subject to the GIL"; "The GIL ... prevents parallel threads of execution on
multiple cores". C14: multiprocessing "uses separate memory space, multiple CPU cores, bypasses GIL
limitations in CPython".

Measured, weak-scaled as CPython's Tools/ftscalingbench does: N workers (threads, processes per start method, or
subinterpreters, each a thread in an interpreter of its own; warm pools and cold ones) each run one `cpu_spin` task
of the same size (about `profile.task_s` here, calibrated per interpreter, so a task stays far above the per-task
overhead on any core count), N = 1, 2, 4, ... 2 x the usable CPUs. Every round is paired with one task run serially
(`measure`), so the speedup N x serial / round is immune to drift between rounds; the process tree's CPU seconds per
wall second say how many cores were busy at once. Serial against serial is the null control. Rules:
`c09_c14.gil_serialises_threads`, `c09_c14.processes_bypass_gil` in scripts/analysis/rules/c09_c14.py (threads and
processes), X02's in scripts/analysis/rules/x02.py (subinterpreters, processes as the control).
"""

import pytest

from experiments.profiles import cpu_workers
from experiments.vocabulary import LIFECYCLES, SERIAL, parallel_models
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected

pytestmark = pytest.mark.claim("C09", "C14", "X02")


@pytest.mark.measurement("cpu_scaling")
def test_null_control(measure, cpu_task):
    assert measure(SERIAL, 1, cpu_spin, [(cpu_task,)], work=cpu_task, bound="cpu") == [cpu_spin_expected(cpu_task)]


@pytest.mark.measurement("cpu_scaling")
@pytest.mark.parametrize("lifecycle", LIFECYCLES)
@pytest.mark.parametrize("workers", cpu_workers())
@pytest.mark.parametrize("model", parallel_models())
def test_scaling(measure, cpu_task, model, workers, lifecycle):
    results = measure(model, workers, cpu_spin, [(cpu_task,)] * workers, lifecycle, work=cpu_task, bound="cpu")
    assert results == [cpu_spin_expected(cpu_task)] * workers
