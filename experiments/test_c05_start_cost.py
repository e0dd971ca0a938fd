"""C05: what starting a thread costs beside starting a process; X04: which start method costs least, and whether
it is the default; and, for X02, what starting a subinterpreter costs.

The post: "The multithreading library is lightweight".

Measured: the time from creating an empty worker to having joined it, a threading.Thread vs a
multiprocessing.Process of each start method (and vs a subinterpreter: a thread that makes an interpreter, runs
nothing in it and closes it), from a small parent (experiments/probes/c05_start_cost.py, which imports the standard
library only), so that a spawn or forkserver child imports that parent's main module and not pytest's. Each round is
a pair: process (or subinterpreter) starts beside thread starts, in either order (`paired`), each side as many
starts as take about the profile's `start_round_s` (`sized`), so that a benchmark's rounds span some seconds of the
machine's weather, as pyperf's values do; threads against threads is the null control. The same process starts made
from inside pytest are recorded too, as the harness's own overhead (a child of pytest imports pytest). And a pool's
start-up to its first result and shutdown, ThreadPoolExecutor vs ProcessPoolExecutor of each start method and the
subinterpreter pool (one worker, one empty task). The worker / thread ratio per start is the evidence; every run
records its platform's default start method (`start_method_default`). Rules: `c05.threads_are_lightweight` in
scripts/analysis/rules/c05.py (processes), `x04.default_start_method_is_cheapest` in scripts/analysis/rules/x04.py,
and X02's in scripts/analysis/rules/x02.py (subinterpreters beside spawn).
"""

import contextlib
import os
import subprocess
import sys

import pytest

from experiments import models
from experiments.profiles import PROFILES, scaled
from experiments.vocabulary import MODELS, THREADS, parallel_models, process_models
from experiments.workloads.stopping import nothing

pytestmark = [pytest.mark.claim("C05", "X02", "X04"), pytest.mark.start_methods(*process_models())]
PROBE = os.path.join(os.path.dirname(__file__), "probes", "c05_start_cost.py")
# The fewest starts per round, so one round is long beside the clock's resolution: a thread starts in ~0.1 ms, a
# process in 1 to 150 ms depending on the start method, a subinterpreter in some 50 ms. Where the profile sizes rounds
# by time (`start_round_s`), two untimed batches of this many come first: a warm-up, then the one that sizes them. A
# fork round of 10 starts took some 40 ms, so all 9 rounds of a run fell within a second that a busy neighbour could
# fill (per start 4.2-5.5 ms in one run, 3.7-4.2 ms in another, against pyperf's 4.4 ms over some 10 s).
FULL_STARTS = {"thread": 200, "process": 10, "interpreter": 10}
ROUND_TIMEOUT_S = 120
KINDS = {"thread": "thread", "process": "process", "interpreter": "interpreter"}  # the probe's, by the vocabulary's


def starts(model, profile):
    return scaled(FULL_STARTS[MODELS[model].kind], profile)


def sized(ask, model, profile):
    """Starts per round of `model`: as many as take about the profile's `start_round_s`, judged from an untimed batch
    of its fewest (`starts`) after another warmed up, and never fewer than those."""
    fewest = starts(model, profile)
    if not profile.start_round_s:
        return fewest
    for _ in range(2):
        seconds, clean = ask(model, fewest)
        assert clean == fewest, "{} of {} {} starts finished cleanly".format(clean, fewest, model)
    return max(fewest, int(profile.start_round_s * fewest / max(seconds, 1e-9)))


@contextlib.contextmanager
def small_parent():
    """The probe, running; yields ask(model, count) -> (seconds, clean starts) of `count` starts and joins."""
    child = subprocess.Popen(
        [sys.executable, PROBE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, universal_newlines=True
    )

    def ask(model, count):
        entry = MODELS[model]
        child.stdin.write("{} {} {}\n".format(entry.kind, entry.start_method or "-", count))
        child.stdin.flush()
        seconds, clean = child.stdout.readline().split()
        return float(seconds), int(clean)

    try:
        yield ask
    finally:
        child.stdin.close()
        models.stop(child, ROUND_TIMEOUT_S)
        child.stdout.close()


def in_pytest(model, count):
    """`count` starts and joins of an empty worker of `model` from this (pytest's) process: how many were clean."""
    clean = 0
    for _ in range(count):
        worker = models.worker(model, nothing)
        worker.start()
        ended = models.stop(worker, ROUND_TIMEOUT_S)
        clean += ended and getattr(worker, "exitcode", 0) == 0 and getattr(worker, "error", None) is None
    return clean


def needs(model):
    if models.unavailable(model):
        pytest.skip(models.unavailable(model))
    if MODELS[model].kind not in KINDS:
        pytest.skip("the small parent starts threads, processes and subinterpreters only")


@pytest.mark.parametrize("model", parallel_models())
def test_an_empty_worker_starts_and_finishes_from_the_small_parent(model):
    needs(model)
    with small_parent() as ask:
        assert ask(model, 2)[1] == 2


@pytest.mark.parametrize("profile", [PROFILES["full"], PROFILES["quick"]], ids=["full", "quick"])
def test_a_round_takes_about_start_round_s_but_never_fewer_starts_than_the_fewest(profile):
    asked = []

    def ask_taking(per_start_s):
        return lambda model, count: asked.append(count) or (count * per_start_s, count)

    wanted = profile.start_round_s / 1e-4 if profile.start_round_s else starts(THREADS, profile)
    assert sized(ask_taking(1e-4), THREADS, profile) == pytest.approx(wanted, abs=1)
    assert sized(ask_taking(10.0), "spawn", profile) == starts("spawn", profile)
    assert asked == ([starts(THREADS, profile)] * 2 + [starts("spawn", profile)] * 2 if profile.start_round_s else [])


@pytest.mark.measurement("start_to_joined")
@pytest.mark.parametrize("model", parallel_models())
def test_start_to_joined(bench, paired, profile, model):
    needs(model)
    with small_parent() as ask:
        thread_count = sized(ask, THREADS, profile)
        count = thread_count if model == THREADS else sized(ask, model, profile)  # a null control's sides alike
        rounds, baselines = paired(
            lambda: ask(model, count), lambda: ask(THREADS, thread_count), null_control=model == THREADS
        )
    bench.extra_info.update(
        starts_per_round=count,
        baseline_starts_per_round=thread_count,
        clean_starts=sum(clean for _, clean in rounds),
        baseline_clean_starts=sum(clean for _, clean in baselines),
        parent="small",
    )
    assert rounds and baselines  # the probe answered every round


@pytest.mark.measurement("start_to_joined_under_pytest")
@pytest.mark.parametrize("model", parallel_models())
def test_start_to_joined_under_pytest(bench, paired, profile, model):
    needs(model)
    if MODELS[model].kind == "interpreter":
        pytest.skip("the harness's own cost is a child process importing pytest: a subinterpreter imports none of it")
    count, thread_count = starts(model, profile), starts(THREADS, profile)
    rounds, baselines = paired(lambda: in_pytest(model, count), lambda: in_pytest(THREADS, thread_count))
    bench.extra_info.update(
        starts_per_round=count,
        baseline_starts_per_round=thread_count,
        clean_starts=sum(rounds),
        baseline_clean_starts=sum(baselines),
        parent="pytest",
    )


@pytest.mark.measurement("pool_first_result")
@pytest.mark.parametrize("model", parallel_models())
def test_pool_first_result(bench, paired, model):
    needs(model)
    rounds, _ = paired(
        lambda: models.cold_map(model, 1, nothing, [()]),
        lambda: models.cold_map(THREADS, 1, nothing, [()]),
        null_control=model == THREADS,
    )
    bench.extra_info.update(workers=1)
    assert rounds[-1] == [None]
