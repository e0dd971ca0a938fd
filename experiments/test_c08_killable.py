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
Each lever on a thread is tried once per round (the blocked thread up to BLOCKED_TRIES times), and what each try did
is recorded, expected or not; the plain tests assert the expected behaviour. Rule:
`c08.processes_killable_threads_not` in scripts/analysis/rules/c08.py.
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
BLOCKED_TRIES = 3  # each keeps a thread blocked STILL_BLOCKED_S; the other levers are tried once per round
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
    """Whether Future.cancel() cancelled a task already running in a thread (the spinner is stopped either way)."""
    future, stop, _, _ = spinners.start()
    cancelled = future.cancel()
    stop.set()
    concurrent.futures.wait([future], timeout=WAIT_S)
    return cancelled


def raised_exit_ends_spinning(spinners):
    """Whether SystemExit raised into a spinning thread that does not catch it ended the thread."""
    future, stop, _, ident = spinners.start()
    assert raise_in(ident) == 1, "the spinning thread was not found"
    done, _ = concurrent.futures.wait([future], timeout=WAIT_S)
    stop.set()
    concurrent.futures.wait([future], timeout=WAIT_S)
    return bool(done) and isinstance(future.exception(), SystemExit)


def raised_exit_outcome(spinners):
    """What SystemExit raised into a spinner that catches it and spins on did: "caught" (the thread caught it and
    went on until its own stop), "ended" (it ended the thread all the same: python/cpython#139622 on 3.13), or
    "unnoticed" (the thread went on without ever seeing it)."""
    future, stop, started, ident = spinners.start(spin_through_exits)
    assert raise_in(ident) == 1, "the spinning thread was not found"
    deadline = time.monotonic() + WAIT_S
    caught = False
    while not caught and not future.done() and time.monotonic() < deadline:
        try:
            caught = started.get(timeout=POLL_S) == ident  # it put its id again: it caught it and spins on
        except queue.Empty:
            pass
    stop.set()
    concurrent.futures.wait([future], timeout=WAIT_S)
    if caught:
        return "caught"
    return "ended" if future.done() and isinstance(future.exception(), SystemExit) else "unnoticed"


def raised_exit_caught(spinners):
    return raised_exit_outcome(spinners) == "caught"


def raised_exit_reaches_blocked(spinners):
    """(whether a thread blocked in a lock wait ended on a raised SystemExit before the lock was let go, whether it
    ended on it once the wait returned)."""
    lock, started = threading.Lock(), queue.SimpleQueue()
    lock.acquire()
    try:
        future = spinners.pool.submit(wait_for_lock, lock, started, SPIN_LIMIT_S)
        assert raise_in(started.get(timeout=WAIT_S)) == 1, "the blocked thread was not found"
        done, _ = concurrent.futures.wait([future], timeout=STILL_BLOCKED_S)
    finally:
        lock.release()
    concurrent.futures.wait([future], timeout=WAIT_S)
    return bool(done), future.done() and isinstance(future.exception(), SystemExit)


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


def test_a_thread_blocked_in_a_wait_sees_the_raised_exception_only_once_the_wait_returns(spinners):
    assert raised_exit_reaches_blocked(spinners) == (False, True)


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
    tries = profile.rounds
    outcomes = [raised_exit_outcome(spinners) for _ in range(tries)]
    blocked = [raised_exit_reaches_blocked(spinners) for _ in range(min(tries, BLOCKED_TRIES))]
    bench.extra_info.update(
        thread_kill_api=" ".join(kill_api()) or "none",
        tries=tries,
        running_task_cancelled_tries=sum(running_task_cancelled(spinners) for _ in range(tries)),
        raised_exit_ends_spinning_tries=sum(raised_exit_ends_spinning(spinners) for _ in range(tries)),
        raised_exit_outcomes=outcomes,
        raised_exit_caught_tries=outcomes.count("caught"),
        raised_exit_ended_catching_tries=outcomes.count("ended"),
        blocked_tries=len(blocked),
        raised_exit_reaches_blocked_tries=sum(before for before, _ in blocked),
        raised_exit_after_wait_tries=sum(after for _, after in blocked),
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
        exitcodes=exitcodes,  # every child started, warm-up included: None where it outlived the join timeout
        signal_exitcode=-SIGNALS[how],
        spin_limit_s=SPIN_LIMIT_S,
    )
