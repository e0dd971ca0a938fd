"""C06: does a thread keep a UI responsive while CPU-bound work runs beside it?

The post: the multithreading library is "responsible for responsive UI".

Measured: a UI stand-in in the main thread, a loop at FRAME_RATE_HZ whose every frame does FRAME_WORK_S of Python
work (`cpu_spin`, calibrated per interpreter) and then sleeps until the next frame is due; a frame's lateness is
how long after it was due its work was done, and a frame whose work is done after the next one was due is kept
late and the frames it ran over are dropped. Beside it, CPU-bound work of two kinds (LOADS): a pure-Python loop
(`cpu_spin` chunks), in which a thread switch can fall every switch interval, and one long C call after another
(`sum_range`, calibrated to LONG_CALL_S), inside which none can; each in another thread and, as the control, in
another process; and nothing, as the baseline. At CPython's default switch interval (5 ms), and for the Python
loop in a thread also at SWITCH_INTERVALS_MS (`sys.setswitchinterval`, put back after; with the load's progress
per second, what X05 weighs). Per round: each frame's lateness, the round's p99 (a within-round measure, so the
machine's drift between rounds cannot pass for an effect) and the frames dropped. And I/O responsiveness: the
main thread's request/response round trips over a socket pair to a peer process that answers each after
ANSWER_DELAY_S (one send and one blocking receive each: the thread blocks on every answer, and must get the GIL back
to read it), each timed, beside the same loads, judged against a human's budget for "at once".
The frame loop and the loads: experiments/frames.py (shared with X05).
Rule: `c06.threads_keep_ui_responsive` in scripts/analysis/rules/c06.py.
"""

import contextlib
import functools
import multiprocessing
import socket
import statistics
import struct
import time

import pytest

from experiments.frames import (
    FRAME_RATE_HZ,
    FRAME_WORK_S,
    LOADS,
    LONG_C_CALL,
    LONG_CALL_S,
    NONE,
    PROCESS,
    PYTHON_LOOP,
    STOP_TIMEOUT_S,
    THREAD,
    cpu_load,
    frame_work,
    frames,
    load_size,
)
from experiments.harness.fixtures import tree_cpu_seconds
from experiments.latency import percentile
from experiments.models import stop
from experiments.profiles import scaled
from experiments.together import switch_interval
from experiments.workloads.stopping import echo_bytes_after

pytestmark = pytest.mark.claim("C06")
FULL_FRAMES = 20  # frames per round (a third of a second at full size)
DEFAULT_SWITCH_INTERVAL_MS = 5  # CPython's default, set explicitly so a changed default cannot creep in
SWITCH_INTERVALS_MS = [1, 50]  # the Python loop in a thread at these too: what the switch interval trades (X05)
ANSWER_DELAY_S = 0.002  # the peer answers after this: the I/O thread blocks, and a CPU-bound thread gets the GIL
FULL_ROUND_TRIPS = 20  # round trips per round, at most...
ROUND_TRIPS_S = 0.1  # ...and no more started after this long in a round (at least one): one beside a long C call
TRIP_TIMEOUT_S = 60  # a peer that has not answered by then is gone
# (where the load runs, which load, switch interval in ms): the interval only matters where threads share a GIL
FRAME_CASES = (
    [(NONE, NONE, DEFAULT_SWITCH_INTERVAL_MS)]
    + [(place, load, DEFAULT_SWITCH_INTERVAL_MS) for place in (THREAD, PROCESS) for load in LOADS]
    + [(THREAD, PYTHON_LOOP, ms) for ms in SWITCH_INTERVALS_MS]
)
TRIP_CASES = [(NONE, NONE)] + [(place, load) for place in (THREAD, PROCESS) for load in LOADS]


def round_trips(sock, count, limit_s):
    """Up to `count` round trips of one byte to the peer on `sock`, one after another, none started after `limit_s`
    (at least one): (each one's seconds, whether each answer was the request)."""
    seconds, right = [], []
    start = time.perf_counter()
    while len(right) < count and (not right or time.perf_counter() - start < limit_s):
        request = bytes([len(right)])
        begin = time.perf_counter()
        sock.sendall(request)
        right.append(sock.recv(1) == request)
        seconds.append(time.perf_counter() - begin)
    return seconds, right


def with_cpu(cpu, fn, *args):
    """(`fn(*args)`, the CPU seconds `cpu()` counted per wall second meanwhile): whether the machine gave the work
    beside the measurement the CPU it asked for, or another program took turns from it."""
    before, start = cpu(), time.perf_counter()
    result = fn(*args)
    return result, (cpu() - before) / (time.perf_counter() - start)


@pytest.fixture
def peer():
    """Our end of a socket pair whose other end a child process answers on (`echo_bytes_after`), stopped after.
    A receive that waits TRIP_TIMEOUT_S raises, bounded by the kernel (SO_RCVTIMEO): a timeout kept by Python would
    poll first, a second place to lose the GIL per answer."""
    mine, theirs = socket.socketpair()
    mine.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", TRIP_TIMEOUT_S, 0))
    child = multiprocessing.get_context().Process(target=echo_bytes_after, args=(theirs, ANSWER_DELAY_S))
    child.start()
    theirs.close()
    try:
        yield mine
    finally:
        with contextlib.suppress(OSError):
            mine.shutdown(socket.SHUT_RDWR)  # the peer's cue to stop, though a forked child holds a copy of `mine`
        mine.close()
        stop(child, STOP_TIMEOUT_S)


def test_the_ui_loop_and_a_python_loop_in_a_thread_both_progress():
    """The switch interval hands the GIL over: the UI loop keeps drawing frames and the Python loop keeps going."""
    with switch_interval(DEFAULT_SWITCH_INTERVAL_MS / 1000), cpu_load(THREAD, PYTHON_LOOP) as done:
        before = done()
        lateness, dropped = frames(10, 1 / FRAME_RATE_HZ, frame_work())
        assert done() > before
    assert len(lateness) + dropped == 10


@pytest.mark.parametrize("place", [THREAD, PROCESS])
def test_a_long_c_call_load_runs_and_stops(place):
    with cpu_load(place, LONG_C_CALL) as done:
        assert done() >= 1


def test_an_io_thread_gets_every_answer_beside_a_cpu_bound_thread(peer):
    with cpu_load(THREAD, PYTHON_LOOP):
        seconds, right = round_trips(peer, 5, 10)
    assert right == [True] * 5 and min(seconds) >= ANSWER_DELAY_S


def load_facts(place, load, calls, seconds):
    """What ran beside the measurement, and how fast it progressed meanwhile (calls per second)."""
    return dict(
        load_size=load_size(load) if load != NONE else 0,
        load_calls=calls,
        load_calls_per_s=calls / seconds if seconds > 0 else None,
        start_method=multiprocessing.get_start_method() if place == PROCESS else None,
    )


@pytest.mark.measurement("frame_lateness")
@pytest.mark.parametrize("place, load, switch_interval_ms", FRAME_CASES)
def test_frame_lateness(bench, each_round, profile, place, load, switch_interval_ms):
    count, period, work = scaled(FULL_FRAMES, profile), 1 / FRAME_RATE_HZ, frame_work()
    cpu = functools.partial(tree_cpu_seconds, place == PROCESS)
    with switch_interval(switch_interval_ms / 1000), cpu_load(place, load) as done:
        before, start = done(), time.perf_counter()
        measured = each_round(with_cpu, cpu, frames, count, period, work)
        calls, seconds = done() - before, time.perf_counter() - start
    kept = [result for result, _ in measured]
    assert all(len(lateness) + dropped == count for lateness, dropped in kept)
    every = [late for lateness, _ in kept for late in lateness]
    bench.extra_info.update(
        frame_period_s=period,
        frame_work_s=FRAME_WORK_S,
        frame_work_iterations=work,
        long_call_s=LONG_CALL_S,
        frames_per_round=count,
        frames_drawn=len(every),
        frames_dropped=sum(dropped for _, dropped in kept),
        lateness_median_s=statistics.median(every),
        lateness_p99_s=percentile(every, 99),
        lateness_max_s=max(every),
        lateness_p99_by_round_s=[percentile(lateness, 99) for lateness, _ in kept],
        cpu_per_wall_by_round=[share for _, share in measured],
        **load_facts(place, load, calls, seconds),
    )


@pytest.mark.measurement("io_round_trips")
@pytest.mark.parametrize("place, load", TRIP_CASES)
def test_io_round_trips(bench, each_round, profile, peer, place, load):
    count = scaled(FULL_ROUND_TRIPS, profile)
    cpu = functools.partial(tree_cpu_seconds, place == PROCESS)
    with switch_interval(DEFAULT_SWITCH_INTERVAL_MS / 1000), cpu_load(place, load) as done:
        before, start = done(), time.perf_counter()
        measured = each_round(with_cpu, cpu, round_trips, peer, count, ROUND_TRIPS_S)
        calls, seconds = done() - before, time.perf_counter() - start
    kept = [result for result, _ in measured]
    assert all(all(right) for _, right in kept)
    every = [trip for trips, _ in kept for trip in trips]
    bench.extra_info.update(
        switch_interval_ms=DEFAULT_SWITCH_INTERVAL_MS,
        answer_delay_s=ANSWER_DELAY_S,
        trips_per_round_max=count,
        trips=len(every),
        trip_median_s=statistics.median(every),
        trip_p99_s=percentile(every, 99),
        trip_p99_by_round_s=[percentile(trips, 99) for trips, _ in kept],
        cpu_per_wall_by_round=[share for _, share in measured],
        **load_facts(place, load, calls, seconds),
    )
