"""How to run each kind of worker model of experiments/vocabulary.py: a pool of N, one worker, stopping it for sure.

Pools are the executors users reach for (concurrent.futures). A "warm" measurement reuses a pool made
beforehand; a "cold" one makes and shuts down the pool inside the measurement (`cold_map`), so it includes
start-up.
"""

import concurrent.futures
import multiprocessing
import subprocess
import threading

from experiments.machine import start_methods
from experiments.vocabulary import MODELS

TASK_TIMEOUT_S = 120  # a run that takes longer is hung: fail it and kill its workers
STOP_TIMEOUT_S = 10  # how long a worker told to end gets before it is killed


def unavailable(name):
    """Why model `name` cannot run here, or None when it can."""
    model = MODELS[name]
    if model.kind == "process" and model.start_method not in start_methods():
        return "start method {!r} is not available on this platform".format(model.start_method)
    return None


def _executor(name, workers):
    model = MODELS[name]
    if model.kind == "serial":
        return None
    if model.kind == "thread":
        return concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    context = multiprocessing.get_context(model.start_method)
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)


class Pool:
    """N workers of one model; a context manager that leaves no thread or process behind."""

    def __init__(self, name, workers):
        self.model = name
        self.workers = workers
        self._executor = _executor(name, workers)

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


def cold_map(name, workers, fn, args):
    """Start a pool, run, shut it down: what a one-off job costs."""
    with Pool(name, workers) as pool:
        return pool.map(fn, args)


def worker(name, target, args=()):
    """One unstarted worker of model `name` (not serial) running `target(*args)`: a Thread or a Process."""
    model = MODELS[name]
    if model.kind == "thread":
        return threading.Thread(target=target, args=args)
    return multiprocessing.get_context(model.start_method).Process(target=target, args=args)


def stop(worker, timeout=STOP_TIMEOUT_S):
    """Join `worker` (a Thread, a Process or a subprocess.Popen); a process still running after `timeout` is killed
    and reaped. Returns True when it had ended by itself (or never started). A thread cannot be killed: one still
    running is left so, and False says it."""
    if isinstance(worker, subprocess.Popen):
        try:
            worker.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            return False
    if worker.ident is None:
        return True
    worker.join(timeout)
    if not worker.is_alive():
        return True
    if hasattr(worker, "kill"):
        worker.kill()
        worker.join()
    return False
