"""How to run each kind of worker model of experiments/vocabulary.py: a pool of N, one worker, stopping it for sure.

Pools are the executors users reach for (concurrent.futures). A "warm" measurement reuses a pool made
beforehand, all its workers up and each having run a task (`Pool.wait_started`); a "cold" one makes and shuts down
the pool inside the measurement (`cold_map`), so it includes start-up.

Subinterpreters (kind "interpreter", PEP 734) come from `concurrent.interpreters` (CPython 3.14+), else from the
`backports.interpreters` package (the `subinterpreters` extra), which gives the same API over `_interpreters` on 3.13
and `_xxsubinterpreters` before; from 3.12 each has a GIL of its own, before that they share one. Their pool is
`concurrent.futures.InterpreterPoolExecutor` where it exists (3.14+), else `InterpreterThreads` below, which does
what it does over the same API: a thread per worker, each running tasks in an interpreter of its own, the tasks and
their results crossing as pickles. An interpreter is made, used and closed by one thread: closing it from another
thread once it has used a Queue hangs (seen with the backport on 3.11 and 3.12).
"""

import concurrent.futures
import importlib
import multiprocessing
import pickle
import queue
import subprocess
import sys
import threading
import time

from experiments.machine import start_methods
from experiments.vocabulary import MODELS
from experiments.workloads.interpreters import call_pickled
from experiments.workloads.io import identity_after

TASK_TIMEOUT_S = 120  # a run that takes longer is hung: fail it and kill its workers
STOP_TIMEOUT_S = 10  # how long a worker told to end gets before it is killed
STARTED_CHECK_S = 0.05  # the sleep of each of N tasks that must land on N different workers (`Pool.wait_started`)
INTERPRETERS = ["concurrent.interpreters", "backports.interpreters"]  # where PEP 734's module is, in order
NO_INTERPRETERS = (
    "needs CPython 3.14 (concurrent.interpreters) or the backports-interpreters package (3.12+ for an own GIL)"
)
_FOUND = []  # the interpreters module once looked for (None where there is none)


def interpreters_module():
    """PEP 734's module: `concurrent.interpreters` (3.14+), else `backports.interpreters`, else None."""
    if not _FOUND:
        for name in INTERPRETERS:
            try:
                _FOUND.append(importlib.import_module(name))
                break
            except Exception:  # any failure to import (ImportError, a backend that is missing) means absent
                continue
        else:
            _FOUND.append(None)
    return _FOUND[0]


def unavailable(name):
    """Why model `name` cannot run here, or None when it can."""
    model = MODELS[name]
    if model.kind == "process" and model.start_method not in start_methods():
        return "start method {!r} is not available on this platform".format(model.start_method)
    if model.kind == "interpreter" and interpreters_module() is None:
        return NO_INTERPRETERS
    return None


def _same_path():
    """Source that gives an interpreter this one's `sys.path`, so it imports the workloads from where we do."""
    return "import sys\nsys.path[:] = {!r}\n".format(list(sys.path))


def in_new_interpreter(fn, args=()):
    """`fn(*args)` run in a new interpreter, made and closed by the calling thread; returns what it returned."""
    interpreter = interpreters_module().create()
    try:
        interpreter.exec(_same_path())
        return pickle.loads(interpreter.call(call_pickled, pickle.dumps((fn, tuple(args)))))
    finally:
        interpreter.close()


class InterpreterThreads:
    """N threads, each running tasks in an interpreter of its own, made before the first task (what
    `concurrent.futures.InterpreterPoolExecutor` does on 3.14, with the API that the backport shares with it); an
    executor's `submit` and `shutdown`."""

    def __init__(self, workers):
        self._tasks = queue.Queue()
        ready = queue.Queue()
        self._threads = [threading.Thread(target=self._serve, args=(ready,)) for _ in range(workers)]
        for thread in self._threads:
            thread.start()
        failures = [ready.get(timeout=TASK_TIMEOUT_S) for _ in self._threads]
        failures = [failure for failure in failures if failure is not None]
        if failures:
            self.shutdown()
            raise failures[0]

    def _serve(self, ready):
        try:
            interpreter = interpreters_module().create()
        except BaseException as error:
            ready.put(error)
            return
        try:
            interpreter.exec(_same_path())
            ready.put(None)
            for future, fn, args in iter(self._tasks.get, None):
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(pickle.loads(interpreter.call(call_pickled, pickle.dumps((fn, args)))))
                except BaseException as error:
                    future.set_exception(error)
        except BaseException as error:
            ready.put(error)  # read only while starting: a worker that fails later fails its task instead
        finally:
            interpreter.close()

    def submit(self, fn, *args):
        future = concurrent.futures.Future()
        self._tasks.put((future, fn, args))
        return future

    def shutdown(self, wait=True):
        for _ in self._threads:
            self._tasks.put(None)
        if wait:
            for thread in self._threads:
                thread.join()


def _interpreter_pool(workers):
    """InterpreterPoolExecutor where the standard library has it (3.14+), each worker given this `sys.path` first;
    else InterpreterThreads."""
    executor = getattr(concurrent.futures, "InterpreterPoolExecutor", None)
    if executor is None:
        return InterpreterThreads(workers)
    return executor(max_workers=workers, initializer=exec, initargs=(_same_path(), {}))


def _executor(name, workers):
    model = MODELS[name]
    if model.kind == "serial":
        return None
    if model.kind == "thread":
        return concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    if model.kind == "interpreter":
        return _interpreter_pool(workers)
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

    def wait_started(self):
        """Return once all N workers take tasks at once: N short sleeps ran on N different workers. Executors start
        workers on demand (threads; processes from 3.9, those of fork again all at once from 3.10.5), and a spawned
        worker takes 0.1-0.5 s to be up: a "warm" round before that runs on fewer workers than it says. Raises once
        TASK_TIMEOUT_S have passed (up to twice that, as the last try may itself take that long)."""
        if self._executor is None:
            return
        deadline = time.monotonic() + TASK_TIMEOUT_S
        while len(set(self.map(identity_after, [(STARTED_CHECK_S,)] * self.workers))) < self.workers:
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(
                    "{} {} workers not all taking tasks after {} s".format(self.workers, self.model, TASK_TIMEOUT_S)
                )

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


class InterpreterThread(threading.Thread):
    """One worker of kind "interpreter": a thread that makes an interpreter, runs `target(*args)` in it and closes
    it. `error` is what that raised, or None (a thread's exception is otherwise only printed)."""

    def __init__(self, target, args=()):
        super().__init__()
        self.task = (target, tuple(args))
        self.error = None

    def run(self):
        try:
            in_new_interpreter(*self.task)
        except BaseException as error:
            self.error = error


def worker(name, target, args=()):
    """One unstarted worker of model `name` (not serial) running `target(*args)`: a Thread, an InterpreterThread or
    a Process."""
    model = MODELS[name]
    if model.kind == "thread":
        return threading.Thread(target=target, args=args)
    if model.kind == "interpreter":
        return InterpreterThread(target, args)
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
