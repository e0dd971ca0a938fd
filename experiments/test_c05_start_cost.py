"""C05: what starting a thread costs beside starting a process.

The post: "The multithreading library is lightweight".

Measured: the time from creating an empty worker to having joined it, a threading.Thread vs a
multiprocessing.Process of each start method (timed over many starts per round, per start); and a pool's
start-up to its first result and shutdown, ThreadPoolExecutor vs ProcessPoolExecutor of each start method (one
worker, one empty task: the `measure` fixture's cold lifecycle). The process / thread ratios are the evidence.
Spawn and forkserver children import the parent's main module, here pytest's, so under pytest their start
costs more than under a small script. Rule: `c05.threads_are_lightweight` in scripts/rules/c05.py.
"""

import pytest

from experiments import models
from experiments.profiles import scaled
from experiments.vocabulary import is_process, parallel_models
from experiments.workloads.stopping import nothing

pytestmark = pytest.mark.claim("C05")
# Starts per round, so one round is long beside the clock's resolution: a thread starts in ~0.1 ms, a process
# in 1 to 50 ms depending on the start method.
FULL_THREAD_STARTS = 200
FULL_PROCESS_STARTS = 5
JOIN_TIMEOUT_S = 60


def start_and_join(model):
    """Start one empty worker of `model` and join it; True when it finished cleanly."""
    worker = models.worker(model, nothing)
    worker.start()
    ended = models.stop(worker, JOIN_TIMEOUT_S)
    return ended and (not is_process(model) or worker.exitcode == 0)


def starts_per_round(model, profile):
    return scaled(FULL_PROCESS_STARTS if is_process(model) else FULL_THREAD_STARTS, profile)


@pytest.mark.parametrize("model", parallel_models())
def test_an_empty_worker_starts_and_finishes(model):
    if models.unavailable(model):
        pytest.skip(models.unavailable(model))
    assert start_and_join(model)


@pytest.mark.measurement("start_to_joined")
@pytest.mark.parametrize("model", parallel_models())
def test_start_to_joined(bench, profile, model):
    if models.unavailable(model):
        pytest.skip(models.unavailable(model))
    finished = []
    starts = starts_per_round(model, profile)
    # iterations: pytest-benchmark divides each round by it, so every recorded time is one start
    bench.pedantic(
        lambda: finished.append(start_and_join(model)),
        rounds=profile.rounds,
        warmup_rounds=profile.warmup_rounds,
        iterations=starts,
    )
    assert len(finished) >= starts * profile.rounds and all(finished)
    bench.extra_info.update(starts_per_round=starts)


@pytest.mark.measurement("pool_first_result")
@pytest.mark.parametrize("model", parallel_models())
def test_pool_first_result(measure, model):
    assert measure(model, 1, nothing, [()], lifecycle="cold") == [None]
