"""C13: does the post's threading example reduce the time of execution?

The post's threading example ends: "# This program reduces the time of execution by running tasks in parallel".

Measured: the example as written (experiments/post/threading_example.py, imported: `number = 7`, `calc_square`,
`calc_quad`) run three ways: the two calls one after the other, in two threads started and joined as the post
does, and in two processes started and joined each time (multiprocessing.Process, as the post's multiprocessing
example does) per start method. Then the same shape with growing work: each of the two functions doing k
iterations of `cpu_spin`, k over FULL_WORK_GRID (scaled by the profile): the work from which threads, and
processes of each start method, beat serial (the crossover). Rule: `c13.parallel_reduces_time` in
scripts/rules/c13.py.
"""

import contextlib
import importlib
import io
import multiprocessing
import os
import subprocess
import sys
import threading

import pytest

from experiments.models import stop, unavailable
from experiments.profiles import scaled
from experiments.vocabulary import SERIAL, THREADS, process_models
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected
from experiments.workloads.io import quietly

pytestmark = pytest.mark.claim("C13")
POST = importlib.import_module("experiments.post.threading_example")
NUMBER = 7  # the post's `number = 7`
PRINTED = ["Square: 49", "Quad: 2401"]  # what the post's two functions print for it
FULL_WORK_GRID = [100000, 300000, 1000000]  # cpu_spin iterations per function (~8 ms to ~80 ms here)
JOIN_TIMEOUT_S = 60
POST_MODELS = [SERIAL, THREADS] + process_models()  # the post's two ways, and the calls one after the other


def run_like_the_post(model, calls):
    """Each `(fn, args)` of `calls` one after the other ("serial"), or each in a thread or a process of a start
    method, all started then all joined, as the post does. Returns what each call returned; a process's exit code."""
    if model == "serial":
        return [fn(*args) for fn, args in calls]
    if model == "threads":
        results = [None] * len(calls)

        def keep(index, fn, args):  # one call more than the post's threads make, to keep what fn returns
            results[index] = fn(*args)

        workers = [threading.Thread(target=keep, args=(i, fn, args)) for i, (fn, args) in enumerate(calls)]
    else:
        context = multiprocessing.get_context(model)
        workers = [context.Process(target=fn, args=args) for fn, args in calls]
    try:
        for worker in workers:
            worker.start()
    finally:
        hung = [worker for worker in workers if not stop(worker, JOIN_TIMEOUT_S)]
    if hung:
        raise TimeoutError("{} {} workers still running after {} s".format(len(hung), model, JOIN_TIMEOUT_S))
    return results if model == "threads" else [worker.exitcode for worker in workers]


def post_example(model, printed):
    """The post's two calls with `number = 7`. Their prints would time the terminal, so they go to the buffer
    `printed`, or in a child process to /dev/null (`quietly`: the child imports the function from the copied file)."""
    functions = [POST.calc_square, POST.calc_quad]
    if model in ("serial", "threads"):
        calls = [(fn, (NUMBER,)) for fn in functions]
    else:
        calls = [(quietly, (fn, NUMBER)) for fn in functions]
    with contextlib.redirect_stdout(printed):
        return run_like_the_post(model, calls)


def test_the_copied_example_runs_as_a_script_and_prints_both_results():
    script = os.path.join(os.path.dirname(POST.__file__), "threading_example.py")
    done = subprocess.run([sys.executable, script], stdout=subprocess.PIPE, universal_newlines=True, timeout=60)
    # The two threads' print() pieces can interleave ("Square:Quad: 2401\n 49\n" was seen here): compare characters
    assert done.returncode == 0 and sorted(done.stdout) == sorted("".join(line + "\n" for line in PRINTED))


@pytest.mark.measurement("post_example")
@pytest.mark.parametrize("model", POST_MODELS)
def test_post_example(bench, profile, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    printed = io.StringIO()
    results = bench.pedantic(
        post_example, args=(model, printed), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds
    )
    expected = "".join(line + "\n" for line in PRINTED * (profile.rounds + profile.warmup_rounds))
    if model == "serial":
        assert results == [None, None] and printed.getvalue() == expected
    elif model == "threads":
        # print() writes its pieces one by one, and two threads' pieces may interleave: compare characters
        assert results == [None, None] and sorted(printed.getvalue()) == sorted(expected)
    else:
        assert results == [0, 0]
    bench.extra_info.update(number=NUMBER)


@pytest.mark.measurement("growing_work")
@pytest.mark.parametrize("model", POST_MODELS)
@pytest.mark.parametrize("full_work", FULL_WORK_GRID)
def test_growing_work(bench, profile, full_work, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    work = scaled(full_work, profile)
    results = bench.pedantic(
        run_like_the_post,
        args=(model, [(cpu_spin, (work,))] * 2),
        rounds=profile.rounds,
        warmup_rounds=profile.warmup_rounds,
    )
    assert results == ([cpu_spin_expected(work)] * 2 if model in ("serial", "threads") else [0, 0])
    bench.extra_info.update(work=work, functions=2)
