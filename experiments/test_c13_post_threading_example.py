"""C13: does the post's threading example reduce the time of execution?

The post's threading example ends: "# This program reduces the time of execution by running tasks in parallel".

Measured, in pairs: each round runs the two calls in a model's way, and beside it (before or after it by a coin toss per
round) the same two calls one after the other, the baseline of every pair. The models: two threads started and joined as
the post does, and two processes started and joined each time (multiprocessing.Process, as the post's multiprocessing
example does) per start method. The calls: the example as written (experiments/post/threading_example.py, imported:
`number = 7`, `calc_square`, `calc_quad`), and the same shape with growing work, each of the two functions doing k
iterations of `cpu_spin`, k over FULL_WORK_GRID (scaled by the profile): the work from which threads, and processes of
each start method, beat serial (the crossover). A round runs the example as written SMALL_RUNS_PER_ROUND times serially
and in threads (`runs_per_round`: the calls take microseconds, and the harness's own couple of microseconds around a
timed call would otherwise tilt every pair), once in processes. The calls as written one after the other against
themselves are the null control. Rule: `c13.parallel_reduces_time` in scripts/analysis/rules/c13.py.
"""

import contextlib
import functools
import importlib
import io
import multiprocessing
import os
import subprocess
import sys
import threading

import pytest

from experiments.harness.fixtures import pairs_made
from experiments.models import stop, unavailable
from experiments.profiles import scaled
from experiments.vocabulary import SERIAL, THREADS, process_models
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected
from experiments.workloads.io import quietly

pytestmark = pytest.mark.claim("C13")
POST = importlib.import_module("experiments.post.threading_example")
NUMBER = 7  # the post's `number = 7`
PRINTED = ["Square: 49", "Quad: 2401"]  # what the post's two functions print for it
# cpu_spin iterations per function (~8 ms and ~80 ms here, a tenth apart). 300,000 between them was cut for time: with
# processes started each round it cost 3 s of a quick run (spawn alone 1.2-2.9 s) and moved no crossover there.
FULL_WORK_GRID = [100000, 1000000]
JOIN_TIMEOUT_S = 60
MODELS = [THREADS] + process_models()  # the post's two ways; the calls one after the other are every baseline
AS_WRITTEN, CPU_SPIN = "as written", "cpu_spin"  # the two kinds of calls, recorded as `calls`
SMALL_RUNS_PER_ROUND = 50  # runs of the example as written per round, serially (~0.2 ms) or in threads (~10 ms)


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


def post_example(model, printed, runs=1):
    """The post's two calls with `number = 7`, `runs` times over; returns the last run's results. Their prints would
    time the terminal, so they go to the buffer `printed`, or in a child process to /dev/null (`quietly`: the child
    imports the function from the copied file)."""
    functions = [POST.calc_square, POST.calc_quad]
    if model in ("serial", "threads"):
        calls = [(fn, (NUMBER,)) for fn in functions]
    else:
        calls = [(quietly, (fn, NUMBER)) for fn in functions]
    with contextlib.redirect_stdout(printed):
        for _ in range(runs):
            results = run_like_the_post(model, calls)
    return results


def runs_per_round(model):
    """How many times a round runs the example as written: once where it starts processes (10 ms or more), else
    often enough that a round lasts some hundreds of microseconds even serially (the calls take a few us), far above the
    harness's own couple of microseconds around each timed call (`at_random_depth`: 2 us on average here)."""
    return 1 if model in process_models() else SMALL_RUNS_PER_ROUND


def decisive_rounds(profile, full_work, model):
    """Threads at the most work are what the rule decides on against its 1.1x bar, with the noise of two CPU-bound
    calls on a shared host (as C09): they take the profile's `judged_rounds`; everything else its `rounds`."""
    return profile.judged_rounds if model == THREADS and full_work == FULL_WORK_GRID[-1] else profile.rounds


def test_the_copied_example_runs_as_a_script_and_prints_both_results():
    script = os.path.join(os.path.dirname(POST.__file__), "threading_example.py")
    done = subprocess.run([sys.executable, script], stdout=subprocess.PIPE, universal_newlines=True, timeout=60)
    # The two threads' print() pieces can interleave ("Square:Quad: 2401\n 49\n" was seen here): compare characters
    assert done.returncode == 0 and sorted(done.stdout) == sorted("".join(line + "\n" for line in PRINTED))


def printed_twice(printed, times):
    """Whether `printed` holds the post's two lines `times` times. print() writes its pieces one by one, and two
    threads' pieces may interleave: characters are compared, not lines."""
    return sorted(printed.getvalue()) == sorted("".join(line + "\n" for line in PRINTED * times))


@pytest.mark.measurement("two_calls")
@pytest.mark.parametrize("model", MODELS)
def test_post_example(bench, paired, profile, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    printed, serial_printed, runs = io.StringIO(), io.StringIO(), runs_per_round(model)
    results, serial_results = paired(
        functools.partial(post_example, model, printed, runs),
        functools.partial(post_example, SERIAL, serial_printed, runs),
    )
    pairs, calls = pairs_made(bench, profile.rounds), pairs_made(bench, profile.rounds, profile.warmup_rounds) * runs
    assert serial_results == [[None, None]] * pairs and printed_twice(serial_printed, calls)
    if model == THREADS:
        assert results == [[None, None]] * pairs and printed_twice(printed, calls)
    else:
        assert results == [[0, 0]] * pairs, "a child process failed"
    bench.extra_info.update(model=model, calls=AS_WRITTEN, number=NUMBER, work=0, runs_per_round=runs)


@pytest.mark.measurement("two_calls")
def test_post_example_null_control(bench, paired, profile):
    printed, runs = io.StringIO(), runs_per_round(SERIAL)
    serially = functools.partial(post_example, SERIAL, printed, runs)
    results, serial_results = paired(serially, serially, null_control=True)
    assert results + serial_results == [[None, None]] * 2 * pairs_made(bench, profile.rounds)
    assert printed_twice(printed, 2 * pairs_made(bench, profile.rounds, profile.warmup_rounds) * runs)
    bench.extra_info.update(model=SERIAL, calls=AS_WRITTEN, number=NUMBER, work=0, runs_per_round=runs)


@pytest.mark.measurement("two_calls")
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("full_work", FULL_WORK_GRID)
def test_growing_work(bench, paired, profile, full_work, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    work = scaled(full_work, profile)
    calls = [(cpu_spin, (work,))] * 2
    rounds = decisive_rounds(profile, full_work, model)
    results, serial_results = paired(
        functools.partial(run_like_the_post, model, calls),
        functools.partial(run_like_the_post, SERIAL, calls),
        rounds=rounds,
    )
    pairs = pairs_made(bench, rounds)
    assert serial_results == [[cpu_spin_expected(work)] * 2] * pairs
    assert results == [[cpu_spin_expected(work)] * 2 if model == THREADS else [0, 0]] * pairs
    bench.extra_info.update(model=model, calls=CPU_SPIN, work=work)
