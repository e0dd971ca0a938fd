"""C08: a thread cannot be killed from outside; a child process can.

The post: "the module isn’t killable" (threading); "child processes are killable(ex. function calls in
program)" (multiprocessing).

Measured, for a thread: which kill-like methods threading.Thread has (none); whether a running task's Future
can be cancelled (no); the time a cooperative stop takes (an Event the spinning thread checks); and what the
CPython C API's back door, PyThreadState_SetAsyncExc through ctypes, does: it raises SystemExit in the thread at
its next bytecode, which ends a spinning thread, but the thread can catch it and spin on (3.13 can raise it past
the thread's except clause: python/cpython#139622), and a thread blocked in a C call (a lock wait) only sees it
once the call returns. For a child process: the time from terminate() (SIGTERM) and from kill() (SIGKILL) to a
spinning child being gone and reaped (joined), per start method; each round starts its child outside the timing.
Rule: `c08.processes_killable_threads_not` in scripts/rules/c08.py.
"""

import concurrent.futures
import ctypes
import multiprocessing
import queue
import signal
import sys
import threading
import time

import pytest

from experiments.models import stop, unavailable
from experiments.vocabulary import process_models
from experiments.workloads.stopping import spin_for, spin_through_exits, spin_until, wait_for_lock

pytestmark = pytest.mark.claim("C08")
# What other APIs call it: Process.kill/terminate, Timer.cancel, Java's Thread.stop/interrupt, ...
KILL_NAMES = ["kill", "terminate", "stop", "cancel", "interrupt", "abort", "raise_exception"]
SPIN_LIMIT_S = 30  # a spinner gives up by itself after this, so a failed test cannot leave it spinning for ever
WAIT_S = 10  # for a worker to start, or to end once told to
POLL_S = 0.01  # how often to look whether a spinner has caught an exception yet
STILL_BLOCKED_S = 0.2  # how long a blocked thread gets to show that a raised exception has reached it
SIGNALS = {"terminate": signal.SIGTERM, "kill": signal.SIGKILL}  # what each method sends on POSIX


def kill_api():
    """The kill-like public methods of threading.Thread."""
    return [name for name in KILL_NAMES if hasattr(threading.Thread, name)]


def raise_in(ident):
    """Ask CPython to raise SystemExit in thread `ident` at its next bytecode; returns how many threads it found."""
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(SystemExit))


class Spinners:
    """Worker threads that spin until stopped; `close` stops and joins every one, whatever the test did."""

    def __init__(self):
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.stops = []

    def start(self, worker=spin_until):
        """(future, stop event, started queue, thread id) of a new spinner, once it runs."""
        # SimpleQueue.put is one C call: no bytecode in it where a raised exception could land
        stop, started = threading.Event(), queue.SimpleQueue()
        self.stops.append(stop)
        future = self.pool.submit(worker, stop, started, SPIN_LIMIT_S)
        return future, stop, started, started.get(timeout=WAIT_S)

    def close(self):
        for flag in self.stops:
            flag.set()
        self.pool.shutdown(wait=True)


@pytest.fixture
def spinners():
    pool = Spinners()
    yield pool
    pool.close()


def running_task_cancelled(spinners):
    future, stop, _, _ = spinners.start()
    cancelled = future.cancel()
    stop.set()
    assert future.result(timeout=WAIT_S) > 0
    return cancelled


def raised_exit_ends_spinning(spinners):
    future, _, _, ident = spinners.start()
    assert raise_in(ident) == 1
    return isinstance(future.exception(timeout=WAIT_S), SystemExit)


def raised_exit_caught(spinners):
    """True when a spinner that catches SystemExit caught the raised one and spun on until its own stop; False
    when the exception ended it all the same."""
    future, stop, started, ident = spinners.start(spin_through_exits)
    assert raise_in(ident) == 1
    deadline = time.monotonic() + WAIT_S
    caught = False
    while not caught and not future.done() and time.monotonic() < deadline:
        try:
            caught = started.get(timeout=POLL_S) == ident  # it put its id again: it caught it and spins on
        except queue.Empty:
            pass
    stop.set()
    if caught:
        assert future.result(timeout=WAIT_S) == 1
    else:
        assert isinstance(future.exception(timeout=WAIT_S), SystemExit)
    return caught


def raised_exit_reaches_blocked(spinners):
    """True when a thread blocked in a lock wait ended on a raised SystemExit before the lock was let go."""
    lock, started = threading.Lock(), queue.SimpleQueue()
    lock.acquire()
    try:
        future = spinners.pool.submit(wait_for_lock, lock, started, SPIN_LIMIT_S)
        assert raise_in(started.get(timeout=WAIT_S)) == 1
        done, _ = concurrent.futures.wait([future], timeout=STILL_BLOCKED_S)
    finally:
        lock.release()
    assert isinstance(future.exception(timeout=WAIT_S), SystemExit)  # it arrives once the wait returns
    return bool(done)


def test_thread_has_no_kill_method():
    assert kill_api() == []


def test_a_running_thread_task_cannot_be_cancelled(spinners):
    assert running_task_cancelled(spinners) is False


def test_an_exception_raised_from_outside_ends_a_spinning_thread(spinners):
    assert raised_exit_ends_spinning(spinners)


@pytest.mark.xfail(
    sys.version_info[:2] == (3, 13),
    strict=False,
    reason="3.13 can raise it where the thread's try block does not see it (python/cpython#139622)",
)
def test_a_thread_can_catch_the_raised_exception_and_go_on(spinners):
    assert raised_exit_caught(spinners)


def test_a_thread_blocked_in_a_wait_does_not_see_the_raised_exception(spinners):
    assert raised_exit_reaches_blocked(spinners) is False


@pytest.mark.measurement("stop_a_thread")
def test_stop_a_spinning_thread(bench, profile, spinners):
    """Times a cooperative stop (set the Event, wait for the thread's result); records what else was tried."""

    def start():
        future, stop, _, _ = spinners.start()
        return (future, stop), {}

    def stop_cooperatively(future, stop):
        stop.set()
        return future.result(timeout=WAIT_S)

    assert (
        bench.pedantic(stop_cooperatively, setup=start, rounds=profile.rounds, warmup_rounds=profile.warmup_rounds) > 0
    )
    bench.extra_info.update(
        thread_kill_api=" ".join(kill_api()) or "none",
        running_task_cancelled=running_task_cancelled(spinners),
        raised_exit_ends_spinning=raised_exit_ends_spinning(spinners),
        raised_exit_caught=raised_exit_caught(spinners),
        raised_exit_reaches_blocked=raised_exit_reaches_blocked(spinners),
        spin_limit_s=SPIN_LIMIT_S,
    )


@pytest.mark.measurement("stop_a_process")
@pytest.mark.parametrize("how", ["terminate", "kill"])
@pytest.mark.parametrize("model", process_models())
def test_stop_a_spinning_process(bench, profile, model, how):
    """Times terminate() or kill() of a spinning child until it is joined; the child starts outside the timing."""
    if unavailable(model):
        pytest.skip(unavailable(model))
    context = multiprocessing.get_context(model)
    children, exitcodes = [], []  # exit codes as seen right after the join: None if the child was still there

    def start():
        started = context.Event()
        children.append(context.Process(target=spin_for, args=(started, SPIN_LIMIT_S)))
        children[-1].start()
        assert started.wait(WAIT_S), "the child did not start spinning"
        return (children[-1],), {}

    def end(child):
        getattr(child, how)()
        child.join(WAIT_S)
        exitcodes.append(child.exitcode)

    try:
        bench.pedantic(end, setup=start, rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
    finally:
        for child in children:
            stop(child, 0)
            child.close()
    bench.extra_info.update(
        ended_rounds=sum(code is not None for code in exitcodes),
        started_rounds=len(children),
        exitcode=exitcodes[-1],
        spin_limit_s=SPIN_LIMIT_S,
    )
    assert exitcodes == [-SIGNALS[how]] * len(children)
