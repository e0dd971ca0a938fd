"""C18: the post's multiprocessing example, what it prints, and where separate memory really shows.

The post, on the example's last line, `print(result)`: "# Wont print because processes run using their own
memory location".

Measured: the example (experiments/post/multiprocessing_example.py, never edited) run in a child interpreter
under each start method, and with threading.Thread standing in for multiprocessing.Process: what `print(result)`
prints, and whether calc_square computed 49 in its worker. As written, calc_square's `result = number * number`
assigns a local name, which no worker of any kind hands to the parent: threads print None too, so the example
cannot show the reason its comment gives. The variant "global_result" is the same file with one line added,
`global result` at the top of calc_square, so that the worker assigns the very module global the parent prints:
there threads print 49 and processes, each with its own copy of the module, None. And calc_square's 49 handed
back by the ways multiprocessing offers, per start method: a Queue, a Pipe, a shared Value. Every outcome is
recorded per round, expected or not; a benchmark fails only when the harness did (the example did not run).
Rule: `c18.child_value_never_returns` in scripts/analysis/rules/c18.py.
"""

import contextlib
import multiprocessing
import os
import queue
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
VARIANTS = ["as_written", "global_result"]
# The one line the variant adds: calc_square then assigns the module global `result` the parent prints.
CALC_SQUARE = "def calc_square(number):\n"
GLOBAL_LINE = "    global result\n"
EXAMPLE_TIMEOUT_S = 60
HANDBACK_TIMEOUT_S = 60
# Behaviour, not timing: a few rounds show whether it changes from run to run; no warm-up round, since every round
# starts afresh (a new interpreter, or new children) and no time is judged.
FACT_ROUNDS = 4
# Runs a file as `python file.py` does, under one start method, or with threads in place of processes: the
# example itself stays as the post wrote it.
RUN_AS_WRITTEN = """
import multiprocessing, runpy, sys, threading
if sys.argv[1] == "threads":
    multiprocessing.Process = threading.Thread
else:
    multiprocessing.set_start_method(sys.argv[1])
runpy.run_path(sys.argv[2], run_name="__main__")
"""


def fact_rounds(profile):
    return min(profile.rounds, FACT_ROUNDS)


def example_source(variant):
    """The post's example as written, or with `global result` added to calc_square."""
    with open(POST_EXAMPLE, encoding="utf-8") as handle:
        source = handle.read()
    if variant == "as_written":
        return source
    assert source.count(CALC_SQUARE) == 1, "the post's example no longer defines calc_square as expected"
    return source.replace(CALC_SQUARE, CALC_SQUARE + GLOBAL_LINE)


@pytest.fixture(scope="module")
def example_files(tmp_path_factory):
    """{variant: path of a file holding it}; the variant's file sits in a folder of its own, named as the post's."""
    files = {}
    for variant in VARIANTS:
        if variant == "as_written":
            files[variant] = POST_EXAMPLE
            continue
        path = tmp_path_factory.mktemp(variant) / os.path.basename(POST_EXAMPLE)
        path.write_text(example_source(variant), encoding="utf-8")
        files[variant] = str(path)
    return files


def run_example(model, path):
    """What the example prints last (its `print(result)`), and whether calc_square printed 49 in its worker."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AS_WRITTEN, model, path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=EXAMPLE_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr  # the harness: the example ran to its end
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
    """calc_square's result as the parent receives it through `channel` from a child of start method `method`;
    None when nothing arrived."""
    context = multiprocessing.get_context(method)
    if channel == "queue":
        results = context.Queue()
        try:
            with started(context, square_into_queue, NUMBER, results):
                return results.get(timeout=HANDBACK_TIMEOUT_S)
        except queue.Empty:
            return None
        finally:
            results.close()
    if channel == "pipe":
        receiver, sender = context.Pipe(duplex=False)
        with receiver, started(context, square_into_pipe, NUMBER, sender):
            sender.close()  # the child holds its own copy; the parent's would keep the pipe open
            return receiver.recv() if receiver.poll(HANDBACK_TIMEOUT_S) else None
    shared = context.Value("i", 0)
    with started(context, square_into_value, NUMBER, shared) as child:
        child.join(HANDBACK_TIMEOUT_S)
    return shared.value


def needs(model):
    if unavailable(model):
        pytest.skip(unavailable(model))


@pytest.mark.parametrize("model", [THREADS] + process_models())
def test_the_example_as_written_prints_none_after_its_worker_computed_49(example_files, model):
    needs(model)
    assert run_example(model, example_files["as_written"]) == {"printed_last": "None", "worker_printed_49": True}


@pytest.mark.parametrize("model", [THREADS] + process_models())
def test_with_a_global_result_threads_print_49_and_processes_none(example_files, model):
    needs(model)
    printed = "None" if model != THREADS else str(NUMBER * NUMBER)
    assert run_example(model, example_files["global_result"]) == {"printed_last": printed, "worker_printed_49": True}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("method", process_models())
def test_a_queue_a_pipe_or_a_shared_value_brings_49_back(method, channel):
    needs(method)
    assert square_handed_back(method, channel) == NUMBER * NUMBER


@pytest.mark.measurement("post_example")
@pytest.mark.parametrize("model", [THREADS] + process_models())
@pytest.mark.parametrize("variant", VARIANTS)
def test_post_example(bench, profile, example_files, variant, model):
    needs(model)
    seen = []
    bench.pedantic(
        lambda: seen.append(run_example(model, example_files[variant])),
        rounds=fact_rounds(profile),
    )
    bench.extra_info.update(
        printed_last=seen[-1]["printed_last"],
        printed_per_round=[facts["printed_last"] for facts in seen],
        worker_printed_49=all(facts["worker_printed_49"] for facts in seen),
        worker_printed_49_rounds=sum(facts["worker_printed_49"] for facts in seen),
    )


@pytest.mark.measurement("handed_back")
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("method", process_models())
def test_handed_back(bench, profile, method, channel):
    needs(method)
    received = []
    bench.pedantic(
        lambda: received.append(square_handed_back(method, channel)),
        rounds=fact_rounds(profile),
    )
    bench.extra_info.update(received=received[-1], received_per_round=received)
