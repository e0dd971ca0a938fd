"""X05: what does the switch interval trade?

Issue 12: `sys.setswitchinterval` from 1 us to 50 ms against pure-Python CPU throughput in N threads and the frame
lateness of C06's UI-like loop: the trade-off curve, one per interpreter. CPython's GIL is handed to a waiting thread
once the holder has run a switch interval: a shorter one should let a UI thread in sooner and cost CPU-bound threads
more hand-overs; a free-threaded build has no GIL to hand over.

Measured, in one measurement (`switch_interval`), at SWITCH_INTERVALS_MS, each point paired in every round with the same
work at CPython's default 5 ms (the baseline: before or after the contender by a coin toss per round; each sets its
interval for its own run and puts the previous one back, so one pair's two sides differ only in it):
- throughput (`kind="throughput"`): N threads released together (`run_together`), sharing THROUGHPUT_TASKS
  `cpu_spin` tasks of about `profile.task_s` each (a fixed total, so a round takes about as long at any N under a
  GIL), N = 2 and the usable CPUs; the throughput at the interval against that at 5 ms is baseline / round per pair,
  and the process's CPU seconds per round say how many cores were busy. The null control: 5 ms against 5 ms, N = 2.
- lateness (`kind="lateness"`): C06's 60 Hz frame loop (experiments/frames.py) in the main thread, beside C06's
  pure-Python loop running throughout in another thread; per round the p99 lateness of the frames at the interval
  and at 5 ms (within-round measures), the frames dropped, and the calls the loop beside made meanwhile.
Rule: `x05.switch_interval_trade` in scripts/analysis/rules/x05.py.
"""

import functools
import statistics
import sys

import pytest

from experiments.frames import FRAME_RATE_HZ, FRAME_WORK_S, PYTHON_LOOP, THREAD, cpu_load, frame_work, frames, load_size
from experiments.harness.fixtures import tree_cpu_seconds
from experiments.latency import percentile
from experiments.machine import usable_workers
from experiments.profiles import scaled
from experiments.together import run_together, switch_interval
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected, split

pytestmark = pytest.mark.claim("X05")
DEFAULT_SWITCH_INTERVAL_MS = 5  # CPython's default, set explicitly so a changed default cannot creep in
SWITCH_INTERVALS_MS = [0.001, 0.1, 1, 5, 20, 50]  # 1 us (a switch asked for at nearly every chance) to 3 frames
OTHER_INTERVALS_MS = [ms for ms in SWITCH_INTERVALS_MS if ms != DEFAULT_SWITCH_INTERVAL_MS]
THROUGHPUT_TASKS = 4  # cpu_spin tasks of profile.task_s per round, shared by the N threads
FULL_FRAMES = 20  # frames due per round (a third of a second at full size; 6 in quick)
CONTROL_WORKERS = 2


def throughput_workers():
    """N = 2 and the usable CPUs."""
    return sorted({CONTROL_WORKERS, usable_workers()})


def threads_at(interval_ms, shares):
    """`cpu_spin` of each of `shares` in threads released together, at a switch interval of `interval_ms`: their
    results, and the switch interval the interpreter took."""
    with switch_interval(interval_ms / 1000) as taken:
        return run_together([(cpu_spin, (share,)) for share in shares]), taken


def frames_at(interval_ms, count, work, calls):
    """C06's frame loop of `count` frames at a switch interval of `interval_ms`: (each frame's lateness, frames
    dropped, the calls `calls()` counted meanwhile: the progress of the load beside)."""
    with switch_interval(interval_ms / 1000):
        before = calls()
        lateness, dropped = frames(count, 1 / FRAME_RATE_HZ, work)
        return lateness, dropped, calls() - before


def test_every_interval_of_the_sweep_is_taken_and_put_back():
    before = sys.getswitchinterval()
    for ms in SWITCH_INTERVALS_MS:
        results, taken = threads_at(ms, [1000, 2000])
        assert results == [cpu_spin_expected(1000), cpu_spin_expected(2000)]
        assert taken == pytest.approx(ms / 1000)
        assert sys.getswitchinterval() == before


def record_throughput(bench, paired, cpu_task, workers, interval_ms, null_control=False):
    shares = split(THROUGHPUT_TASKS * cpu_task, workers)
    expected = [cpu_spin_expected(share) for share in shares]
    results, baselines = paired(
        functools.partial(threads_at, interval_ms, shares),
        functools.partial(threads_at, DEFAULT_SWITCH_INTERVAL_MS, shares),
        cpu=functools.partial(tree_cpu_seconds, False),
        null_control=null_control,
    )
    assert all(found == expected for found, _ in results + baselines), "a thread computed something else"
    bench.extra_info.update(
        kind="throughput",
        workers=workers,
        switch_interval_ms=interval_ms,
        switch_interval_taken_s=results[-1][1],
        default_switch_interval_ms=DEFAULT_SWITCH_INTERVAL_MS,
        tasks=THROUGHPUT_TASKS,
        work=THROUGHPUT_TASKS * cpu_task,
        work_per_thread=shares,
    )


@pytest.mark.measurement("switch_interval")
def test_null_control(bench, paired, cpu_task):
    record_throughput(bench, paired, cpu_task, CONTROL_WORKERS, DEFAULT_SWITCH_INTERVAL_MS, null_control=True)


@pytest.mark.measurement("switch_interval")
@pytest.mark.parametrize("switch_interval_ms", OTHER_INTERVALS_MS)
@pytest.mark.parametrize("workers", throughput_workers())
def test_throughput(bench, paired, cpu_task, workers, switch_interval_ms):
    record_throughput(bench, paired, cpu_task, workers, switch_interval_ms)


@pytest.mark.measurement("switch_interval")
@pytest.mark.parametrize("switch_interval_ms", OTHER_INTERVALS_MS)
def test_lateness(bench, paired, profile, switch_interval_ms):
    count, work = scaled(FULL_FRAMES, profile), frame_work()
    with cpu_load(THREAD, PYTHON_LOOP) as calls:
        results, baselines = paired(
            functools.partial(frames_at, switch_interval_ms, count, work, calls),
            functools.partial(frames_at, DEFAULT_SWITCH_INTERVAL_MS, count, work, calls),
        )
    assert all(len(lateness) + dropped == count for lateness, dropped, _ in results + baselines)
    every = [late for lateness, _, _ in results for late in lateness]
    bench.extra_info.update(
        kind="lateness",
        switch_interval_ms=switch_interval_ms,
        default_switch_interval_ms=DEFAULT_SWITCH_INTERVAL_MS,
        frame_period_s=1 / FRAME_RATE_HZ,
        frame_work_s=FRAME_WORK_S,
        frame_work_iterations=work,
        frames_per_round=count,
        load=PYTHON_LOOP,
        load_size=load_size(PYTHON_LOOP),
        frames_drawn=len(every),
        frames_dropped=sum(dropped for _, dropped, _ in results),
        baseline_frames_dropped=sum(dropped for _, dropped, _ in baselines),
        lateness_median_s=statistics.median(every),
        lateness_p99_s=percentile(every, 99),
        lateness_p99_by_round_s=[percentile(lateness, 99) for lateness, _, _ in results],
        baseline_lateness_p99_by_round_s=[percentile(lateness, 99) for lateness, _, _ in baselines],
        load_calls_by_round=[calls for _, _, calls in results],
        baseline_load_calls_by_round=[calls for _, _, calls in baselines],
    )
