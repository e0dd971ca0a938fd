"""C02: threads share the parent's heap, processes have their own.

The post: "Processes have their own allocation of memory ... Threads use the same memory space"; "Threads run
in the same unique memory heap. Whereas Processes run in separate memory heaps".

Measured: whether the parent sees a worker's writes to a module global, a list and an object instance, from a
thread and from a child process of each start method; and the cost of handing a payload of S bytes (1 KiB to
64 MiB) to one worker and getting its reply: by reference to a thread, copied to a process. Behaviour is
asserted here; the benchmarks record it for the rule `c02.separate_heaps` in scripts/rules/c02.py.
"""

import os
import subprocess
import sys

import pytest

from experiments.models import Pool, unavailable
from experiments.profiles import PAYLOAD_SIZES
from experiments.vocabulary import MODELS, parallel_models, process_models
from experiments.workloads.sharing import MARKS, Box, payload_size, write_everywhere

pytestmark = pytest.mark.claim("C02")
POST_EXAMPLE = os.path.join(os.path.dirname(__file__), "post", "multiprocessing_example.py")
EXAMPLE_TIMEOUT_S = 60


def parent_sees(token, items, box):
    """Which of the parent's global, list and instance hold a worker's `token`; forgets it from the global."""
    seen = {"sees_global": token in MARKS, "sees_list": token in items, "sees_instance": box.value == token}
    MARKS[:] = [mark for mark in MARKS if mark != token]
    return seen


def write_in_worker(model):
    token = "written by a {} worker".format(model)
    items, box = [], Box()
    with Pool(model, 1) as pool:
        assert pool.map(write_everywhere, [(token, items, box)]) == [token]
    return parent_sees(token, items, box)


@pytest.mark.parametrize("model", ["serial", "threads"])
def test_parent_sees_what_a_thread_writes(model):
    assert write_in_worker(model) == {"sees_global": True, "sees_list": True, "sees_instance": True}


@pytest.mark.parametrize("model", process_models())
def test_parent_never_sees_what_a_child_process_writes(model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    assert write_in_worker(model) == {"sees_global": False, "sees_list": False, "sees_instance": False}


def test_post_example_prints_none_after_the_child_computed_49():
    done = subprocess.run(
        [sys.executable, POST_EXAMPLE], stdout=subprocess.PIPE, universal_newlines=True, timeout=EXAMPLE_TIMEOUT_S
    )
    lines = done.stdout.split()
    assert done.returncode == 0
    assert "49" in lines and lines[-1] == "None"


@pytest.mark.measurement("write_visibility")
@pytest.mark.parametrize("model", list(MODELS))
def test_write_visibility(measure, bench, model):
    token = "written by a {} worker".format(model)
    items, box = [], Box()
    assert measure(model, 1, write_everywhere, [(token, items, box)], lifecycle="cold") == [token]
    bench.extra_info.update(parent_sees(token, items, box))


@pytest.mark.measurement("handoff")
@pytest.mark.parametrize("size_bytes", PAYLOAD_SIZES)
@pytest.mark.parametrize("model", parallel_models())
def test_handoff(measure, model, size_bytes):
    payload = bytes(size_bytes)
    assert measure(model, 1, payload_size, [(payload,)]) == [size_bytes]
