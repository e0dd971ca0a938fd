"""C05: what starting a thread costs beside starting a process.

The post: "The multithreading library is lightweight".

Measured: the time from creating an empty worker to having joined it, a threading.Thread vs a
multiprocessing.Process of each start method, from a small parent (experiments/probes/c05_start_cost.py, which
imports the standard library only), so that a spawn or forkserver child imports that parent's main module and not
pytest's. Each round is a pair: STARTS process starts beside THREAD_STARTS thread starts, their order alternating;
threads against threads is the null control. The same starts made from inside pytest are recorded too, as the
harness's own overhead (a child of pytest imports pytest). And a pool's start-up to its first result and shutdown,
ThreadPoolExecutor vs ProcessPoolExecutor of each start method (one worker, one empty task). The process / thread
ratio per start is the evidence. Rule: `c05.threads_are_lightweight` in scripts/analysis/rules/c05.py.
"""

import contextlib
import os
import subprocess
import sys

import pytest

from experiments import models
from experiments.profiles import scaled
from experiments.vocabulary import MODELS, THREADS, parallel_models
from experiments.workloads.stopping import nothing

pytestmark = pytest.mark.claim("C05")
PROBE = os.path.join(os.path.dirname(__file__), "probes", "c05_start_cost.py")
# Starts per round, so one round is long beside the clock's resolution: a thread starts in ~0.1 ms, a process in
# 1 to 150 ms depending on the start method.
FULL_THREAD_STARTS = 200
FULL_PROCESS_STARTS = 10
ROUND_TIMEOUT_S = 120
KINDS = {"thread": "thread", "process": "process"}  # the probe's kinds, by the vocabulary's


def starts(model, profile):
    full = FULL_PROCESS_STARTS if MODELS[model].kind == "process" else FULL_THREAD_STARTS
    return scaled(full, profile)


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
        clean += models.stop(worker, ROUND_TIMEOUT_S) and (MODELS[model].kind != "process" or worker.exitcode == 0)
    return clean


def needs(model):
    if models.unavailable(model):
        pytest.skip(models.unavailable(model))
    if MODELS[model].kind not in KINDS:
        pytest.skip("the small parent starts threads and processes only")


@pytest.mark.parametrize("model", parallel_models())
def test_an_empty_worker_starts_and_finishes_from_the_small_parent(model):
    needs(model)
    with small_parent() as ask:
        assert ask(model, 2)[1] == 2


@pytest.mark.measurement("start_to_joined")
@pytest.mark.parametrize("model", parallel_models())
def test_start_to_joined(bench, paired, profile, model):
    needs(model)
    count, thread_count = starts(model, profile), starts(THREADS, profile)
    with small_parent() as ask:
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
