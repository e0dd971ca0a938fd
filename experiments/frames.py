"""A UI stand-in and the CPU-bound work beside it (C06, X05): a frame loop whose lateness is measured, and loads
that run in a thread or a process while it runs.

The UI stand-in is a loop at FRAME_RATE_HZ whose every frame does FRAME_WORK_S of Python work (`cpu_spin`,
calibrated per interpreter) and then sleeps until the next frame is due; a frame's lateness is how long after it was
due its work was done, and a frame whose work is done after the next one was due is kept late and the frames it ran
over are dropped. The loads (LOADS): a pure-Python loop (`cpu_spin` chunks), in which a thread switch can fall every
switch interval, and one long C call after another (`sum_range`, calibrated to LONG_CALL_S), inside which none can.
"""

import contextlib
import functools
import multiprocessing
import threading
import time

from experiments.models import stop
from experiments.profiles import sized_by_cpu
from experiments.workloads.cpu import cpu_spin, cpu_spin_expected, sum_range
from experiments.workloads.stopping import call_until_stopped

FRAME_RATE_HZ = 60  # a UI's usual refresh rate: a frame every 16.7 ms
FRAME_WORK_S = 0.002  # Python work per frame: an eighth of the frame, done within one 5 ms turn of the GIL
LONG_CALL_S = 0.15  # one C call of the C-call load, as sorting a big list is: many frames, and 1.5 x a human's
# budget for "at once" (0.1 s)
SPIN_CHUNK = 20000  # cpu_spin iterations of the Python loop between two looks at the stop flag (~2 ms)
LOAD_START_TIMEOUT_S = 60  # a load that has not done one call by then never started
STOP_TIMEOUT_S = 10
NONE, THREAD, PROCESS = "none", "thread", "process"
PYTHON_LOOP, LONG_C_CALL = "python_loop", "long_c_call"
LOADS = {PYTHON_LOOP: cpu_spin, LONG_C_CALL: sum_range}


@functools.lru_cache(maxsize=None)
def load_size(load):
    """The argument of one call of `load`: a chunk of the Python loop, or a C call of about LONG_CALL_S here."""
    return SPIN_CHUNK if load == PYTHON_LOOP else sized_by_cpu(sum_range, LONG_CALL_S, size=300000, tries=3)


@functools.lru_cache(maxsize=None)
def frame_work():
    """cpu_spin iterations of one frame's work: about FRAME_WORK_S on this interpreter."""
    return sized_by_cpu(cpu_spin, FRAME_WORK_S)


@contextlib.contextmanager
def cpu_load(place, load):
    """`load` (LOADS) run again and again in a "thread" or a "process" (or nothing, for "none") for the block,
    already running when the block starts; yields a function that returns how many calls it has made so far."""
    if place == NONE:
        yield lambda: 0
        return
    context = multiprocessing.get_context()
    done = context.Value("q", 0)
    args = (LOADS[load], load_size(load), done)
    if place == THREAD:
        halt = threading.Event()  # a plain flag: the working thread never blocks on it
        worker = threading.Thread(target=call_until_stopped, args=(halt,) + args)
    else:
        halt = context.Event()
        worker = context.Process(target=call_until_stopped, args=(halt,) + args)
    worker.start()
    try:
        deadline = time.monotonic() + LOAD_START_TIMEOUT_S
        while done.value == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        assert done.value > 0, "the {} in a {} never started".format(load, place)
        yield lambda: done.value
    finally:
        halt.set()
        stop(worker, STOP_TIMEOUT_S)


def frames(count, period, work):
    """A UI-like loop of `count` frames, one due every `period`: each does `cpu_spin(work)` and then sleeps until
    the next frame is due. Returns (how long after it was due each frame's work was done, frames dropped because
    the loop was still busy with an earlier one when they were due)."""
    start = time.perf_counter()
    lateness, dropped, due = [], 0, 0
    while due < count:
        pause = start + due * period - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        assert cpu_spin(work) == cpu_spin_expected(work)
        done = time.perf_counter() - start
        lateness.append(done - due * period)
        following = max(due + 1, int(done / period) + 1)  # the first frame not yet due when this one was done
        dropped += min(following, count) - due - 1
        due = following
    return lateness, dropped
