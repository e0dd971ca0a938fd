"""C06: does a thread keep a UI responsive while CPU-bound work runs beside it?

The post: the multithreading library is "responsible for responsive UI".

Measured: a UI stand-in, a loop that sleeps until the next TICK_PERIOD_S deadline and records how late it woke
(a wake-up after the next deadline skips that frame, as a UI drops it), with nothing else running, with
`cpu_spin` running in another thread, and in another process; at CPython's default switch interval (5 ms), and
for the thread also at 0.1 ms and 50 ms (`sys.setswitchinterval`, restored after). The median, p99 and max
lateness and the frames missed go into extra_info. And the convoy effect: an I/O thread's request/response
round trips to the loopback server of `experiments.servers` (answering at once), idle, beside a CPU-bound
thread, and beside a CPU-bound process. Rule: `c06.threads_keep_ui_responsive` in scripts/rules/c06.py.
"""

import contextlib
import multiprocessing
import statistics
import sys
import threading
import time

import pytest

from experiments.latency import percentile
from experiments.models import stop
from experiments.profiles import scaled
from experiments.servers import delay_server, loopback_request
from experiments.together import switch_interval
from experiments.workloads.stopping import spin_until_stopped

pytestmark = pytest.mark.claim("C06")
TICK_PERIOD_S = 0.01  # a 100 Hz UI loop
FULL_DEADLINES = 25  # deadlines the UI loop meets per round (0.25 s at full size)
DEFAULT_SWITCH_INTERVAL_S = 0.005  # CPython's default, set explicitly so a changed default cannot creep in
SPIN_CHUNK = 20000  # cpu_spin iterations between two looks at the stop flag (~2 ms)
FULL_ROUND_TRIPS = 20  # loopback round trips per round
LOAD_START_TIMEOUT_S = 60  # a load that has not done one chunk by then never started
STOP_TIMEOUT_S = 10
LOADS = ["none", "thread", "process"]
# (load, switch interval in ms): the switch interval only matters where two threads compete for the GIL
TICK_CASES = [("none", 5), ("thread", 0.1), ("thread", 5), ("thread", 50), ("process", 5)]


@contextlib.contextmanager
def cpu_load(kind):
    """CPU-bound work in a "thread" or a "process" (or "none") for the block, already spinning when the block
    starts; yields a function that returns how many chunks the load has done so far."""
    if kind == "none":
        yield lambda: 0
        return
    context = multiprocessing.get_context()
    spun = context.Value("q", 0)
    if kind == "thread":
        halt = threading.Event()  # a plain flag: the spinning thread never blocks on it
        worker = threading.Thread(target=spin_until_stopped, args=(halt, SPIN_CHUNK, spun))
    else:
        halt = context.Event()
        worker = context.Process(target=spin_until_stopped, args=(halt, SPIN_CHUNK, spun))
    worker.start()
    try:
        deadline = time.monotonic() + LOAD_START_TIMEOUT_S
        while spun.value == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        assert spun.value > 0, "the CPU-bound {} never started".format(kind)
        yield lambda: spun.value
    finally:
        halt.set()
        stop(worker, STOP_TIMEOUT_S)


def tick(deadlines, period):
    """Wake at each of `deadlines` `period` boundaries: (how late each wake-up was, deadlines skipped because a
    wake-up came after the next deadline had passed)."""
    start = time.perf_counter()
    lateness, missed, due = [], 0, 1
    while due <= deadlines:
        pause = start + due * period - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        woke = time.perf_counter() - start
        lateness.append(woke - due * period)
        following = max(due + 1, int(woke / period) + 1)
        missed += min(following, deadlines + 1) - due - 1
        due = following
    return lateness, missed


def round_trips(port, count):
    """`count` request/response round trips to the loopback server, one after another."""
    return [loopback_request(port, 0) for _ in range(count)]


@pytest.fixture
def echo_port():
    with delay_server() as port:
        yield port


def test_ui_loop_and_cpu_bound_thread_both_progress():
    """The switch interval hands the GIL over: the ticking loop keeps waking and the spinner keeps spinning."""
    with switch_interval(DEFAULT_SWITCH_INTERVAL_S), cpu_load("thread") as spun:
        before = spun()
        lateness, missed = tick(20, TICK_PERIOD_S)
        assert spun() > before
    assert len(lateness) + missed == 20


def test_io_thread_gets_every_answer_beside_a_cpu_bound_thread(echo_port):
    with cpu_load("thread"):
        assert round_trips(echo_port, 5) == ["0"] * 5


def test_switch_interval_is_restored_even_when_the_block_fails():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError):
        with switch_interval(0.05):
            assert sys.getswitchinterval() == pytest.approx(0.05)
            raise RuntimeError
    assert sys.getswitchinterval() == before


@pytest.mark.measurement("tick_lateness")
@pytest.mark.parametrize("load, switch_interval_ms", TICK_CASES)
def test_tick_lateness(bench, each_round, profile, load, switch_interval_ms):
    deadlines = scaled(FULL_DEADLINES, profile)
    with switch_interval(switch_interval_ms / 1000), cpu_load(load) as spun:
        before = spun()
        kept = each_round(tick, deadlines, TICK_PERIOD_S)
        load_chunks = spun() - before
    assert all(len(wakes) + missed == deadlines for wakes, missed in kept)
    lateness = [late for wakes, _ in kept for late in wakes]
    bench.extra_info.update(
        tick_period_s=TICK_PERIOD_S,
        deadlines=deadlines,
        spin_chunk=SPIN_CHUNK,
        load_chunks=load_chunks,
        start_method=multiprocessing.get_start_method(),
        ticks=len(lateness),
        frames_missed=sum(m for _, m in kept),
        lateness_median_s=statistics.median(lateness),
        lateness_p99_s=percentile(lateness, 99),
        lateness_max_s=max(lateness),
        lateness_p99_by_round_s=[percentile(wakes, 99) for wakes, _ in kept],
    )


@pytest.mark.measurement("convoy")
@pytest.mark.parametrize("load", LOADS)
def test_convoy(bench, profile, echo_port, load):
    count = scaled(FULL_ROUND_TRIPS, profile)
    with switch_interval(DEFAULT_SWITCH_INTERVAL_S), cpu_load(load) as spun:
        before = spun()
        answers = bench.pedantic(
            round_trips, args=(echo_port, count), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds
        )
        load_chunks = spun() - before
    assert answers == ["0"] * count
    bench.extra_info.update(
        round_trips=count,
        switch_interval_ms=DEFAULT_SWITCH_INTERVAL_S * 1000,
        spin_chunk=SPIN_CHUNK,
        load_chunks=load_chunks,
        start_method=multiprocessing.get_start_method(),
    )
