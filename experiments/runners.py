"""Run a list of tasks serially, in N threads, or in N processes of one start method, and time it.

A model is "serial", "threads", or a start method ("fork", "spawn", "forkserver") for processes. Workers of
a model live in a `Workers` pool (concurrent.futures, the executors users reach for). A "warm" measurement
reuses a pool made beforehand; a "cold" one makes and shuts down the pool inside the measurement, so it
includes start-up. Both report wall time and the CPU time of the whole process tree.
"""

import concurrent.futures
import multiprocessing
import os
import time

import psutil

from experiments.machine import start_methods

PROCESS_MODELS = ["fork", "spawn", "forkserver"]
MODELS = ["serial", "threads"] + PROCESS_MODELS
LIFECYCLES = ["warm", "cold"]
TASK_TIMEOUT_S = 120  # a run that takes longer is hung: fail it and kill its workers


def unavailable(model):
    """Why `model` cannot run on this platform, or None when it can."""
    if model in PROCESS_MODELS and model not in start_methods():
        return "start method {!r} is not available on this platform".format(model)
    return None


class Workers:
    """N workers of one model; a context manager that leaves no thread or process behind."""

    def __init__(self, model, workers):
        self.model = model
        self.workers = workers
        if model == "serial":
            self._executor = None
        elif model == "threads":
            self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        else:
            context = multiprocessing.get_context(model)
            self._executor = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)

    def map(self, fn, args):
        """`fn(*a)` for every tuple `a` in `args`, in order; raises if the workers hang or die."""
        if self._executor is None:
            return [fn(*a) for a in args]
        futures = [self._executor.submit(fn, *a) for a in args]
        done, pending = concurrent.futures.wait(futures, timeout=TASK_TIMEOUT_S)
        if pending:
            self.kill()
            raise TimeoutError("{} tasks still running after {} s".format(len(pending), TASK_TIMEOUT_S))
        return [future.result() for future in futures]

    def kill(self):
        """Terminate process workers now (threads cannot be killed: their tasks are bounded instead)."""
        processes = getattr(self._executor, "_processes", None) or {}
        for process in list(processes.values()):
            process.terminate()

    def close(self):
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.kill()
        self.close()


class Timed:
    """Results of one run, with its wall time and the CPU time of the process tree, in seconds."""

    def __init__(self, results, wall_s, cpu_s):
        self.results = results
        self.wall_s = wall_s
        self.cpu_s = cpu_s


def tree_cpu_seconds(with_children):
    """CPU seconds of this process (ns clock), its reaped children and, if asked, its live descendants.

    Children's times come from the kernel in clock ticks (10 ms): size the work well above that.
    """
    reaped = os.times()
    total = time.process_time() + reaped.children_user + reaped.children_system
    if with_children:
        for child in psutil.Process().children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
    return total


def timed(call, with_children):
    """Run `call()` and time it; descendants are walked only when they can exist (it costs ~1 ms)."""
    cpu0 = tree_cpu_seconds(with_children)
    wall0 = time.perf_counter()
    results = call()
    wall = time.perf_counter() - wall0
    return Timed(results, wall, tree_cpu_seconds(with_children) - cpu0)


def run_warm(pool, fn, args):
    """Run on an existing pool: what the tasks cost once workers are up."""
    return timed(lambda: pool.map(fn, args), pool.model in PROCESS_MODELS)


def cold_map(model, workers, fn, args):
    """Start a pool, run, shut it down: what a one-off job costs."""
    with Workers(model, workers) as pool:
        return pool.map(fn, args)


def run_cold(model, workers, fn, args):
    """`cold_map`, start-up and shut-down inside the measurement."""
    return timed(lambda: cold_map(model, workers, fn, args), model in PROCESS_MODELS)
