"""C18: the post's multiprocessing example as written, and what it takes for the child's value to come back.

The post, on the example's last line, `print(result)`: "# Wont print because processes run using their own
memory location".

Measured: the example (experiments/post/multiprocessing_example.py, never edited) run in a child interpreter
under each start method: what `print(result)` prints, and whether calc_square computed 49 in its process; the
same file with threading.Thread standing in for multiprocessing.Process, a control (calc_square's
`result = number * number` assigns a local name, which no worker of any kind hands to the parent); and
calc_square's 49 handed back by the ways multiprocessing offers, per start method: a Queue, a Pipe, a shared
Value. (test_c02_memory.py checks the example's output under the default start method only.)
Rule: `c18.child_value_never_returns` in scripts/rules/c18.py.
"""

import contextlib
import multiprocessing
import os
import subprocess
import sys

import pytest

from experiments.models import stop, unavailable
from experiments.vocabulary import THREADS, process_models
from experiments.workloads.sharing import square_into_pipe, square_into_queue, square_into_value

pytestmark = pytest.mark.claim("C18")
POST_EXAMPLE = os.path.join(os.path.dirname(__file__), "post", "multiprocessing_example.py")
NUMBER = 7  # the post's
CHANNELS = ["queue", "pipe", "value"]
EXAMPLE_TIMEOUT_S = 60
HANDBACK_TIMEOUT_S = 60
# Runs the example as `python multiprocessing_example.py` does, under one start method, or with threads in
# place of processes: the file itself stays as the post wrote it.
RUN_AS_WRITTEN = """
import multiprocessing, runpy, sys, threading
if sys.argv[1] == "threads":
    multiprocessing.Process = threading.Thread
else:
    multiprocessing.set_start_method(sys.argv[1])
runpy.run_path(sys.argv[2], run_name="__main__")
"""


def run_example(model):
    """What the example prints last (its `print(result)`), and whether calc_square printed 49 in its worker."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AS_WRITTEN, model, POST_EXAMPLE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=EXAMPLE_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    # Workers print at once: with threads, their words can interleave mid-line ("Square:Quad: 2401 49").
    quad = str(NUMBER**4)
    return {
        "printed_last": done.stdout.split()[-1],
        "worker_printed_49": str(NUMBER * NUMBER) in done.stdout.replace(quad, "", 1),
    }


@contextlib.contextmanager
def started(context, target, *args):
    """A child process running `target(*args)`; joined on the way out, killed first if it hangs."""
    child = context.Process(target=target, args=args)
    child.start()
    try:
        yield child
    finally:
        stop(child, HANDBACK_TIMEOUT_S)


def square_handed_back(method, channel):
    """calc_square's result as the parent receives it through `channel` from a child of start method `method`."""
    context = multiprocessing.get_context(method)
    if channel == "queue":
        results = context.Queue()
        with started(context, square_into_queue, NUMBER, results):
            return results.get(timeout=HANDBACK_TIMEOUT_S)
    if channel == "pipe":
        receiver, sender = context.Pipe(duplex=False)
        with receiver, started(context, square_into_pipe, NUMBER, sender):
            sender.close()  # the child holds its own copy; the parent's would keep the pipe open
            return receiver.recv() if receiver.poll(HANDBACK_TIMEOUT_S) else None
    shared = context.Value("i", 0)
    with started(context, square_into_value, NUMBER, shared) as child:
        child.join(HANDBACK_TIMEOUT_S)
    return shared.value


@pytest.mark.parametrize("model", [THREADS] + process_models())
def test_the_example_prints_none_after_its_worker_computed_49(model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    assert run_example(model) == {"printed_last": "None", "worker_printed_49": True}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("method", process_models())
def test_a_queue_a_pipe_or_a_shared_value_brings_49_back(method, channel):
    if unavailable(method):
        pytest.skip(unavailable(method))
    assert square_handed_back(method, channel) == NUMBER * NUMBER


@pytest.mark.measurement("post_example")
@pytest.mark.parametrize("model", [THREADS] + process_models())
def test_post_example(bench, profile, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    facts = bench.pedantic(run_example, args=(model,), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
    assert facts["worker_printed_49"]
    bench.extra_info.update(facts)


@pytest.mark.measurement("handed_back")
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("method", process_models())
def test_handed_back(bench, profile, method, channel):
    if unavailable(method):
        pytest.skip(unavailable(method))
    received = bench.pedantic(
        square_handed_back, args=(method, channel), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds
    )
    assert received == NUMBER * NUMBER
    bench.extra_info.update(received=received)
