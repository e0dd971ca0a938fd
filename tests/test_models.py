"""The model registry: every model runs tasks and returns their results in order, leaves nothing behind, and is
stopped for sure; a model added in one place reaches exactly the grids that ask for every model."""

import concurrent.futures
import os
import pickle
import subprocess
import sys
import threading
import time

import pytest

from experiments import models
from experiments.harness.fixtures import tree_cpu_seconds
from experiments.vocabulary import MODELS, SUBINTERPRETERS, is_process, process_models
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected
from experiments.workloads.interpreters import call_pickled
from experiments.workloads.io import sleep_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TASKS = [(n,) for n in (1000, 2000, 3000, 4000)]
EXPECTED = [cpu_spin_expected(n) for (n,) in TASKS]


def available_models():
    return [
        pytest.param(m, marks=pytest.mark.skipif(bool(models.unavailable(m)), reason=str(models.unavailable(m))))
        for m in MODELS
    ]


def a_process_model():
    return next(m for m in process_models() if not models.unavailable(m))


@pytest.mark.parametrize("model", available_models())
def test_a_warm_pool_returns_results_in_order_every_time(model):
    with models.Pool(model, 2) as pool:
        assert pool.map(cpu_spin, TASKS) == pool.map(cpu_spin, TASKS) == EXPECTED


def live_workers(pool):
    workers = getattr(pool._executor, "_processes", None) or getattr(pool._executor, "_threads", None) or ()
    return sum(worker.is_alive() for worker in (workers.values() if isinstance(workers, dict) else workers))


@pytest.mark.parametrize("model", available_models())
def test_a_pool_waited_on_has_all_its_workers_up(model):
    """Executors start workers on demand (a spawned one in 0.1-0.5 s): a warm round must not begin with fewer."""
    with models.Pool(model, 3) as pool:
        pool.wait_started()
        assert live_workers(pool) == (0 if MODELS[model].kind == "serial" else 3)
        assert pool.map(cpu_spin, TASKS) == EXPECTED


def test_a_pool_is_asked_again_until_its_n_workers_take_n_tasks_at_once(monkeypatch):
    calls = []

    def identity_after(seconds):  # the first round of tasks all lands on one worker, as before the others are up
        calls.append(seconds)
        time.sleep(seconds)
        return "one worker" if len(calls) <= 3 else threading.get_native_id()

    monkeypatch.setattr(models, "identity_after", identity_after)
    with models.Pool("threads", 3) as pool:
        pool.wait_started()
    assert len(calls) == 6


def test_a_pool_whose_workers_never_all_take_tasks_at_once_fails_in_bounded_time(monkeypatch):
    monkeypatch.setattr(models, "TASK_TIMEOUT_S", 0.3)
    monkeypatch.setattr(models, "identity_after", lambda seconds: "one worker")  # every task on the same worker
    started = time.monotonic()
    with models.Pool("threads", 2) as pool, pytest.raises(TimeoutError, match="not all taking tasks"):
        pool.wait_started()
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("model", available_models())
def test_a_cold_map_starts_and_stops_its_pool(model):
    assert models.cold_map(model, 2, cpu_spin, TASKS) == EXPECTED


def test_process_tree_cpu_counts_the_children():
    """Work done only in child processes still shows in the tree's CPU time."""
    with models.Pool(a_process_model(), 2) as pool:
        pool.map(cpu_spin, [(10,), (10,)])  # workers up before the clock starts
        cpu0, wall0 = tree_cpu_seconds(True), time.perf_counter()
        pool.map(cpu_spin, [(3000000,), (3000000,)])
        cpu, wall = tree_cpu_seconds(True) - cpu0, time.perf_counter() - wall0
    assert cpu >= 0.5 * wall


def test_a_hung_process_pool_is_killed_after_the_timeout(monkeypatch):
    monkeypatch.setattr(models, "TASK_TIMEOUT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        models.cold_map(a_process_model(), 1, sleep_for, [(60,)])
    assert time.monotonic() - started < 30


def test_a_missing_start_method_is_reported_not_run(monkeypatch):
    monkeypatch.setattr(models, "start_methods", lambda: ["spawn"])
    assert "fork" in models.unavailable("fork")
    assert models.unavailable("spawn") is None and models.unavailable("threads") is None


@pytest.mark.parametrize("model", [m for m in MODELS if m != "serial"])
def test_one_worker_of_each_model_runs_its_target_and_is_stopped(model):
    if models.unavailable(model):
        pytest.skip(models.unavailable(model))
    worker = models.worker(model, sleep_for, (0.01,))
    worker.start()
    assert models.stop(worker) is True and not worker.is_alive()
    assert not is_process(model) or worker.exitcode == 0
    assert getattr(worker, "error", None) is None


needs_subinterpreters = pytest.mark.skipif(
    bool(models.unavailable(SUBINTERPRETERS)), reason=str(models.unavailable(SUBINTERPRETERS))
)


def test_subinterpreters_are_unavailable_with_the_reason_where_no_module_imports(monkeypatch):
    monkeypatch.setattr(models, "INTERPRETERS", ["no_such_module.interpreters", "another_missing_module"])
    monkeypatch.setattr(models, "_FOUND", [])
    assert models.unavailable(SUBINTERPRETERS) == (
        "needs CPython 3.14 (concurrent.interpreters) or the backports-interpreters package (3.12+ for an own GIL)"
    )
    assert models.unavailable("threads") is None


def test_the_standard_librarys_interpreters_module_comes_first(monkeypatch):
    """concurrent.interpreters (3.14+) before the backport: stand-ins for both, the first one that imports wins."""
    monkeypatch.setattr(models, "INTERPRETERS", ["no_such_module.interpreters", "json", "pickle"])
    monkeypatch.setattr(models, "_FOUND", [])
    assert models.interpreters_module().__name__ == "json"


@needs_subinterpreters
def test_a_subinterpreter_pools_task_that_raises_fails_its_result_and_a_worker_keeps_the_error():
    with models.Pool(SUBINTERPRETERS, 1) as pool, pytest.raises(Exception, match="cannot be interpreted as an integer"):
        pool.map(cpu_spin, [("not a number",)])
    worker = models.worker(SUBINTERPRETERS, cpu_spin, ("not a number",))
    worker.start()
    assert models.stop(worker) is True and "cannot be interpreted as an integer" in str(worker.error)


def in_a_subinterpreter(*calls):
    """What each pickled (function, args) of `calls` returned, run in turn in one new interpreter."""
    interpreter = models.interpreters_module().create()
    try:
        return [pickle.loads(interpreter.call(call_pickled, pickle.dumps(call))) for call in calls]
    finally:
        interpreter.close()


@needs_subinterpreters
def test_on_3_14_the_interpreter_pool_executor_gives_each_worker_this_sys_path(monkeypatch):
    """Where concurrent.futures has InterpreterPoolExecutor (3.14+) it is the pool, its initializer run in each new
    worker interpreter before any task: run that initializer, pickled as the executor pickles it, in a subinterpreter
    of the backport, and see that interpreter's sys.path become ours."""
    made = {}

    class Recorder:
        def __init__(self, max_workers, initializer, initargs):
            made.update(max_workers=max_workers, initializer=initializer, initargs=initargs)

    monkeypatch.setattr(concurrent.futures, "InterpreterPoolExecutor", Recorder, raising=False)
    assert isinstance(models.Pool(SUBINTERPRETERS, 3)._executor, Recorder) and made["max_workers"] == 3
    _, path = in_a_subinterpreter((made["initializer"], made["initargs"]), (eval, ("__import__('sys').path",)))
    assert path == sys.path


@needs_subinterpreters
def test_before_3_14_the_pool_is_a_thread_per_worker_each_in_an_interpreter_of_its_own():
    if hasattr(concurrent.futures, "InterpreterPoolExecutor"):
        pytest.skip("this interpreter has InterpreterPoolExecutor")
    pool = models.Pool(SUBINTERPRETERS, 2)
    try:
        assert isinstance(pool._executor, models.InterpreterThreads)
        assert len(pool._executor._threads) == 2 and all(t.is_alive() for t in pool._executor._threads)
    finally:
        pool.close()
    assert not any(t.is_alive() for t in pool._executor._threads)


def test_stop_kills_a_process_that_does_not_end_and_says_so():
    worker = models.worker(a_process_model(), sleep_for, (60,))
    worker.start()
    assert models.stop(worker, timeout=0.2) is False and not worker.is_alive()


def test_stop_kills_a_subprocess_that_does_not_end_and_leaves_a_thread_it_cannot_kill():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert models.stop(child, timeout=0.2) is False and child.poll() is not None
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    assert models.stop(thread, timeout=0.05) is False and thread.is_alive()
    release.set()
    assert models.stop(thread) is True
    assert models.stop(threading.Thread(target=print)) is True  # never started: nothing to stop


# A plugin that registers one more model, "threads" again under another name, before the experiments are collected.
TWIN = """
from experiments.vocabulary import register
register("threads_twin", "thread")
"""
ASKING_FOR_EVERY_MODEL = {  # the grids that compare every way of running work at once
    "test_c02_memory.py::test_write_visibility",
    "test_c02_memory.py::test_handoff",
    "test_c05_start_cost.py::test_an_empty_worker_starts_and_finishes_from_the_small_parent",
    "test_c05_start_cost.py::test_start_to_joined",
    "test_c05_start_cost.py::test_start_to_joined_under_pytest",
    "test_c05_start_cost.py::test_pool_first_result",
    "test_c09_c14_cpu_bound.py::test_scaling",
    "test_c16_memory_footprint.py::test_idle_workers",
}


def test_a_model_registered_once_reaches_the_grids_that_ask_for_every_model_and_no_other(tmp_path):
    (tmp_path / "twin_model.py").write_text(TWIN)
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), ROOT])
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "twin_model", "-p", "no:xdist", "experiments"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    twins = {line.split("/")[-1].split("[")[0] for line in done.stdout.splitlines() if "threads_twin" in line}
    assert twins == ASKING_FOR_EVERY_MODEL
