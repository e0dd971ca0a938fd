"""The runners: every model returns the right results in order, times them, and leaves nothing behind."""

import time

import pytest

from experiments import runners
from experiments.workloads import cpu_spin, cpu_spin_expected, sleep_for

TASKS = [(n,) for n in (1000, 2000, 3000, 4000)]
EXPECTED = [cpu_spin_expected(n) for (n,) in TASKS]


def available_models():
    return [
        pytest.param(m, marks=pytest.mark.skipif(bool(runners.unavailable(m)), reason=str(runners.unavailable(m))))
        for m in runners.MODELS
    ]


@pytest.mark.parametrize("model", available_models())
def test_warm_pool_returns_results_in_order(model):
    with runners.Workers(model, 2) as pool:
        first = runners.run_warm(pool, cpu_spin, TASKS)
        second = runners.run_warm(pool, cpu_spin, TASKS)
    assert first.results == second.results == EXPECTED
    assert first.wall_s > 0 and first.cpu_s >= 0


@pytest.mark.parametrize("model", available_models())
def test_cold_run_starts_and_stops_its_pool(model):
    run = runners.run_cold(model, 2, cpu_spin, TASKS)
    assert run.results == EXPECTED and run.wall_s > 0


def test_process_tree_cpu_counts_the_children():
    """Work done only in child processes still shows in the tree's CPU time."""
    model = next(m for m in runners.PROCESS_MODELS if not runners.unavailable(m))
    with runners.Workers(model, 2) as pool:
        runners.run_warm(pool, cpu_spin, [(10,), (10,)])  # workers up before the clock starts
        run = runners.run_warm(pool, cpu_spin, [(3000000,), (3000000,)])
    assert run.cpu_s >= 0.5 * run.wall_s


def test_serial_cpu_time_is_wall_time_for_pure_cpu_work():
    run = runners.run_cold("serial", 1, cpu_spin, [(2000000,)])
    assert 0.5 * run.wall_s <= run.cpu_s <= 1.5 * run.wall_s + 0.02


def test_a_hung_process_pool_is_killed_after_the_timeout(monkeypatch):
    model = next(m for m in runners.PROCESS_MODELS if not runners.unavailable(m))
    monkeypatch.setattr(runners, "TASK_TIMEOUT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        runners.run_cold(model, 1, sleep_for, [(60,)])
    assert time.monotonic() - started < 30


def test_unknown_start_method_is_reported_not_run(monkeypatch):
    monkeypatch.setattr(runners, "start_methods", lambda: ["spawn"])
    assert "fork" in runners.unavailable("fork")
    assert runners.unavailable("spawn") is None and runners.unavailable("threads") is None
