"""X02: are subinterpreters a third way, isolated like processes, parallel like processes, and cheaper than them?

Subinterpreters (PEP 734: `concurrent.interpreters` on 3.14, the `backports-interpreters` package before; see
experiments/models.py) are one more model of the registry, "subinterpreters": a pool of threads that each run tasks
in an interpreter of their own. Every grid that asks for all models measures them beside threads and processes, and
those experiments carry X02 too:
- isolation: whether the parent sees a worker's writes (experiments/test_c02_memory.py, `write_visibility`);
- start cost: an empty subinterpreter started and joined from the small parent, paired with thread starts
  (experiments/test_c05_start_cost.py, `start_to_joined`);
- CPU scaling: N subinterpreters on N tasks, weak-scaled and paired with one task run serially
  (experiments/test_c09_c14_cpu_bound.py, `cpu_scaling`);
- memory per worker: N idle subinterpreters (experiments/test_c16_memory_footprint.py, `idle_workers`);
- hand-over cost: round trips over interpreters.Queue paired with a thread's queue.Queue
  (experiments/test_c17_ipc_overhead.py, `interpreter_round_trip`).
Where neither module imports, the model is unavailable and those benchmarks skip. This module checks what the model
is built on. Rule: `x02.subinterpreters_are_a_third_way` in scripts/analysis/rules/x02.py.
"""

import pytest

from experiments.models import Pool, unavailable
from experiments.vocabulary import SUBINTERPRETERS
from experiments.workloads.interpreters import interpreter_id, marks_seen
from experiments.workloads.sharing import MARKS

pytestmark = pytest.mark.claim("X02")


@pytest.fixture
def needs_subinterpreters():
    if unavailable(SUBINTERPRETERS):
        pytest.skip(unavailable(SUBINTERPRETERS))


def test_each_worker_runs_in_an_interpreter_of_its_own(needs_subinterpreters):
    with Pool(SUBINTERPRETERS, 2) as pool:
        ids = pool.map(interpreter_id, [(), ()])
    assert len(set(ids)) == 2 and interpreter_id() not in ids


def test_a_worker_imports_its_own_copy_of_a_module_and_sees_none_of_the_parents_writes(needs_subinterpreters):
    MARKS.append("written by the parent")
    try:
        with Pool(SUBINTERPRETERS, 1) as pool:
            assert pool.map(marks_seen, [()]) == [[]]
    finally:
        MARKS.remove("written by the parent")
