"""C02: threads share the parent's heap, processes have their own; and, for X02, whether subinterpreters are
isolated like processes.

The post: "Processes have their own allocation of memory ... Threads use the same memory space"; "Threads run
in the same unique memory heap. Whereas Processes run in separate memory heaps".

Measured, two ways:
- Facts: whether the parent sees a worker's writes to a module global, a list and an object instance, from the one
  worker of a warm pool of each model (subinterpreters too), a new token every round; how many rounds it saw each
  kind of write in is recorded, whatever it was.
- Paired: handing the largest payload (FULL_LARGEST_BYTES, scaled by the profile) to the one worker of a warm pool of
  each model and getting its length back, each round paired with handing over the smallest (SMALLEST_BYTES) to the
  same worker (a thread gets THREAD_HANDOFFS_PER_ROUND of each per round, `handoffs_per_round`). A reference into the
  same heap costs the same whatever the size; a copy into another heap grows with it. Handing the smallest payload
  to a thread against itself is the null control.
Rules: `c02.separate_heaps` in scripts/analysis/rules/c02.py (threads and processes); X02's in
scripts/analysis/rules/x02.py reads the subinterpreters' write visibility.
"""

import functools
import itertools
import os
import subprocess
import sys

import pytest

from experiments.models import Pool, unavailable
from experiments.profiles import KIB, MIB, scaled
from experiments.vocabulary import MODELS, THREADS, models_of, parallel_models, process_models
from experiments.workloads.sharing import MARKS, Box, payload_size, write_everywhere

pytestmark = pytest.mark.claim("C02", "X02")
POST_EXAMPLE = os.path.join(os.path.dirname(__file__), "post", "multiprocessing_example.py")
EXAMPLE_TIMEOUT_S = 60
SMALLEST_BYTES = KIB  # the baseline's payload: a hand-over that is nearly all call overhead
FULL_LARGEST_BYTES = 64 * MIB  # the contender's payload: 65,536 x the smallest, so a copy cannot hide in the noise
THREAD_HANDOFFS_PER_ROUND = 20
WRITES = ["sees_global", "sees_list", "sees_instance"]


def parent_sees(token, items, box):
    """Which of the parent's global, list and instance hold a worker's `token`; forgets it from the global."""
    seen = {"sees_global": token in MARKS, "sees_list": token in items, "sees_instance": box.value == token}
    MARKS[:] = [mark for mark in MARKS if mark != token]
    return seen


def write_and_look(pool, tokens):
    """One worker of `pool` writes a new token into a global, a list and an instance of the parent's; returns (what
    the worker returned, what the parent saw of it)."""
    token = "written by a {} worker, try {}".format(pool.model, next(tokens))
    items, box = [], Box()
    return pool.map(write_everywhere, [(token, items, box)]), token, parent_sees(token, items, box)


def write_in_worker(model):
    with Pool(model, 1) as pool:
        returned, token, seen = write_and_look(pool, itertools.count())
    assert returned == [token]
    return seen


@pytest.mark.parametrize("model", ["serial", "threads"])
def test_parent_sees_what_a_thread_writes(model):
    assert write_in_worker(model) == {"sees_global": True, "sees_list": True, "sees_instance": True}


@pytest.mark.parametrize("model", process_models())
def test_parent_never_sees_what_a_child_process_writes(model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    assert write_in_worker(model) == {"sees_global": False, "sees_list": False, "sees_instance": False}


@pytest.mark.parametrize("model", models_of("interpreter"))
def test_parent_never_sees_what_a_subinterpreter_writes(model):
    """A subinterpreter imports its own copy of the workload's module and gets copies of what it is handed."""
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
def test_write_visibility(bench, each_round, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    with Pool(model, 1) as pool:
        tries = each_round(write_and_look, pool, itertools.count())
    assert all(returned == [token] for returned, token, _ in tries), "the worker did not write its token"
    bench.extra_info.update(model=model, tries=len(tries))
    bench.extra_info.update({write: sum(seen[write] for _, _, seen in tries) for write in WRITES})


def hand_over(pool, payload, times):
    """Hand `payload` to the pool's worker `times` times; returns what it answered the last time."""
    for _ in range(times):
        reply = pool.map(payload_size, [(payload,)])
    return reply


def handoffs_per_round(model):
    """Hand-overs per round: a thread's take some tens of microseconds, so a round makes enough of them to last about
    a millisecond, far above the harness's own couple of microseconds around a timed call; a process's or a
    subinterpreter's take that long already."""
    return THREAD_HANDOFFS_PER_ROUND if MODELS[model].kind == "thread" else 1


@pytest.mark.measurement("handoff")
@pytest.mark.parametrize("model", parallel_models())
def test_handoff(bench, paired, profile, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    largest, times = scaled(FULL_LARGEST_BYTES, profile), handoffs_per_round(model)
    with Pool(model, 1) as pool:
        replies, baseline_replies = paired(
            functools.partial(hand_over, pool, bytes(largest), times),
            functools.partial(hand_over, pool, bytes(SMALLEST_BYTES), times),
        )
    assert replies == [[largest]] * len(replies) and baseline_replies == [[SMALLEST_BYTES]] * len(baseline_replies)
    bench.extra_info.update(model=model, size_bytes=largest, baseline_bytes=SMALLEST_BYTES, handoffs_per_round=times)


@pytest.mark.measurement("handoff")
def test_handoff_null_control(bench, paired):
    times = handoffs_per_round(THREADS)
    with Pool(THREADS, 1) as pool:
        smallest = functools.partial(hand_over, pool, bytes(SMALLEST_BYTES), times)
        replies, baseline_replies = paired(smallest, smallest, null_control=True)
    assert replies + baseline_replies == [[SMALLEST_BYTES]] * (len(replies) + len(baseline_replies))
    bench.extra_info.update(
        model=THREADS, size_bytes=SMALLEST_BYTES, baseline_bytes=SMALLEST_BYTES, handoffs_per_round=times
    )
