"""C06, from experiments/test_c06_responsiveness.py: does a thread keep a UI responsive while CPU-bound work runs
beside it? Decided per kind of CPU-bound work, since the answer depends on it: a pure-Python loop, in which the
interpreter can hand the GIL over every switch interval, and one long C call after another, inside which it
cannot (a free-threaded build has no GIL to hand over).

A UI is responsive when it keeps its frames (a 60 Hz loop's frame done before the next is due: p99 lateness under
one frame) and answers its user within a human's budget for "at once" (HUMAN_BUDGET_MS, the classic 0.1 s: an
I/O thread's request/response round trips). Both are judged against those fixed budgets, per round (a round's p99
is a within-round measure, and the rounds give its interval), at CPython's default switch interval: what a program
gets unless it changes it. The same loads in another process are the control: where they too make the UI late,
the machine did it, not the threads. The Python loop at other switch intervals is reported beside (X05).
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, inconclusive

FRAMES, TRIPS = "frame_lateness", "io_round_trips"
DEFAULT_SWITCH_INTERVAL_MS = 5  # CPython's default (sys.getswitchinterval() == 0.005)
LATE_BAR = 1.0  # p99 lateness in frames: a frame done a whole frame after it was due has dropped the next one
IDLE_BAR = 0.5  # an idle loop already half a frame late (median round's p99) leaves no room to see a load's effect
HUMAN_BUDGET_MS = 100  # a reply within 0.1 s feels instantaneous (Miller 1968; Card et al. 1991; Nielsen 1993)
FULL_CPU = 0.9  # CPU-seconds per second the work beside the UI must get: with less, another program took turns
KEEPS_FRAMES = Bars(LATE_BAR, LATE_BAR, "keeps its frames", "drops frames", " frame")
ANSWERS = Bars(HUMAN_BUDGET_MS, HUMAN_BUDGET_MS, "answers at once", "keeps its user waiting", " ms")
LOADS = {"python_loop": "a pure-Python loop", "long_c_call": "one long C call after another"}
PYTHON_LOOP = "python_loop"


def _row(run, measurement, place, load, **where):
    """The one row of a case, or None (a failed test records none)."""
    found = run(measurement, place=place, load=load, **where)
    return found.iloc[0] if len(found) else None


def _frames(run, place, load, switch_interval_ms=DEFAULT_SWITCH_INTERVAL_MS):
    """(the row, its rounds' p99 lateness in frames as an interval) of a frame case, or (None, None)."""
    row = _row(run, FRAMES, place, load, switch_interval_ms=switch_interval_ms)
    if row is None or np.ndim(row["lateness_p99_by_round_s"]) != 1:
        return None, None
    return row, stats.median_interval(np.asarray(row["lateness_p99_by_round_s"], float) / row["frame_period_s"])


def _trips(run, place, load):
    """(the row, its rounds' p99 round trip in ms as an interval) of an I/O case, or (None, None)."""
    row = _row(run, TRIPS, place, load)
    if row is None or np.ndim(row["trip_p99_by_round_s"]) != 1:
        return None, None
    return row, stats.median_interval(np.asarray(row["trip_p99_by_round_s"], float) * 1000)


def _cpu(row):
    return float(np.median(row["cpu_per_wall_by_round"]))


def _judged(bars, thread, control, what):
    """The Part the thread case makes, unless the work beside it did not get its CPU or the control (the same load in
    a process) failed too: then the machine, not the threads, decided, and the part is undecided."""
    (row, interval), (control_row, control_interval) = thread, control
    if row is None:
        return Part(None, "not measured")
    if _cpu(row) < FULL_CPU:
        return Part(
            None,
            "the work got {:.2f} CPU-seconds per second (under {}): another program took turns from it".format(
                _cpu(row), FULL_CPU
            ),
            interval,
        )
    if control_row is None:
        return Part(None, "no control: the same load in a process was not measured")
    if control_interval.value > bars.low:
        return Part(None, "the same load in a process left the UI {} too: the machine's doing".format(what))
    return bars.judge(interval, holds="low")


def _case(frames, trips, intervals=True):
    """`0.54 [0.43, 0.55] frames (0 of 54 dropped), answers 7.47 [7.40, 20.87] ms` for one place and load."""
    (row, interval), (trip_row, trip_interval) = frames, trips
    show = _interval if intervals else "{:.2f}".format
    text = "not measured"
    if row is not None:
        text = "{} frames ({} of {} dropped)".format(
            show(interval if intervals else interval.value), int(row["frames_dropped"]), _frames_due(row)
        )
    if trip_row is not None:
        text += ", answers {} ms".format(show(trip_interval if intervals else trip_interval.value))
    return text


def _frames_due(row):
    return int(row["frames_drawn"] + row["frames_dropped"])


def _interval(interval):
    if np.isnan(interval.low):
        return "{:.2f} (no interval)".format(interval.value)
    return "{:.2f} [{:.2f}, {:.2f}]".format(interval.value, interval.low, interval.high)


def _numbers(run, idle, idle_trips):
    numbers = {
        "frame_period_ms": round(idle[0]["frame_period_s"] * 1000, 2),
        "frame_work_ms": round(idle[0]["frame_work_s"] * 1000, 2),
        "long_call_ms": round(idle[0]["long_call_s"] * 1000, 1),
        "late_bar_frames": LATE_BAR,
        "human_budget_ms": HUMAN_BUDGET_MS,
        "idle_p99_frames": round(idle[1].value, 3),
    }
    if idle_trips[0] is not None:
        numbers["idle_trip_p99_ms"] = round(idle_trips[1].value, 2)
    for place in ("thread", "process"):
        for load in LOADS:
            (row, interval), (trip_row, trip_interval) = _frames(run, place, load), _trips(run, place, load)
            key = "{}_{}".format(place, load)
            if row is not None:
                numbers[key + "_p99_frames"] = round(interval.value, 3)
                numbers[key + "_frames_dropped"] = int(row["frames_dropped"])
                numbers[key + "_cpu_per_wall"] = round(_cpu(row), 2)
            if trip_row is not None:
                numbers[key + "_trip_p99_ms"] = round(trip_interval.value, 2)
    return numbers


def _other_intervals(run, numbers):
    """`; the Python loop in a thread at 1 ms: ..., at 50 ms: ...` and their numbers, with the loop's progress per
    second (what a shorter interval costs it), for the switch intervals other than the default."""
    shown = []
    for ms in sorted(run(FRAMES, place="thread", load=PYTHON_LOOP)["switch_interval_ms"].unique()):
        if ms == DEFAULT_SWITCH_INTERVAL_MS:
            continue
        row, interval = _frames(run, "thread", PYTHON_LOOP, ms)
        if row is None:
            continue
        key = "thread_python_loop_{:g}ms".format(ms)
        numbers[key + "_p99_frames"] = round(interval.value, 3)
        numbers[key + "_frames_dropped"] = int(row["frames_dropped"])
        numbers[key + "_load_calls_per_s"] = round(row["load_calls_per_s"], 1)
        shown.append("at {:g} ms: {}".format(ms, _case((row, interval), (None, None), intervals=False)))
    return "; the Python loop in a thread " + ", ".join(shown) if shown else ""


@rule("C06", FRAMES, TRIPS)
def threads_keep_ui_responsive(run):
    """C06 (at the default 5 ms switch interval; per kind of CPU-bound work in another thread: a pure-Python loop,
    one long C call after another):
    confirmed: beside both kinds a 60 Hz UI loop keeps its frames (a round's p99 lateness <= 1 frame) and an I/O
    thread answers within a human's budget (a round's p99 round trip <= 100 ms);
    refuted: beside both kinds the UI drops frames (>= 1 frame) and keeps its user waiting (>= 100 ms), while the
    same loads in a process leave it on time;
    partly: it stays responsive beside one kind and not the other (on a GIL build: the Python loop, not the C call);
    inconclusive: idle, the loop is already half a frame late or the answers half the budget, the work beside the UI
    got under 0.9 CPU-seconds per second, the process control made the UI late too (its median over a budget), a
    case is missing, or an interval straddles a budget."""
    idle, idle_trips = _frames(run, "none", "none"), _trips(run, "none", "none")
    if idle[0] is None:
        return inconclusive("no idle frame records at the default 5 ms switch interval")
    if idle[1].value > IDLE_BAR:
        return inconclusive(
            "the idle UI loop's p99 lateness was already {} frames (over {}): the machine is too busy to show what "
            "CPU-bound work beside it adds".format(_interval(idle[1]), IDLE_BAR)
        )
    if idle_trips[0] is not None and idle_trips[1].value > IDLE_BAR * HUMAN_BUDGET_MS:
        return inconclusive(
            "idle, the answers already took a p99 of {} ms (over {:g} ms): the machine is too busy to show what "
            "CPU-bound work beside them adds".format(_interval(idle_trips[1]), IDLE_BAR * HUMAN_BUDGET_MS)
        )
    numbers = _numbers(run, idle, idle_trips)
    parts, clauses = {}, []
    for load, words in LOADS.items():
        thread, control = _frames(run, "thread", load), _frames(run, "process", load)
        thread_trips, control_trips = _trips(run, "thread", load), _trips(run, "process", load)
        parts["frames beside " + words] = _judged(KEEPS_FRAMES, thread, control, "late")
        parts["answers beside " + words] = _judged(ANSWERS, thread_trips, control_trips, "waiting")
        clauses.append(
            "beside {}{} in a thread {}; in a process {}".format(
                words,
                " ({:.0f} ms each)".format(numbers["long_call_ms"]) if load != PYTHON_LOOP else "",
                _case(thread, thread_trips),
                _case(control, control_trips, intervals=False),
            )
        )
    evidence = (
        "a {:.0f} Hz UI loop doing {:.1f} ms of Python work per frame, at the default {} ms switch interval, was "
        "late by a round's p99 of: {}; idle {}{}".format(
            1000 / numbers["frame_period_ms"],
            numbers["frame_work_ms"],
            DEFAULT_SWITCH_INTERVAL_MS,
            "; ".join(clauses),
            _case(idle, idle_trips, intervals=False),
            _other_intervals(run, numbers),
        )
    )
    return combine(evidence, parts, numbers)
