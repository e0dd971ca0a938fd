"""C06, from experiments/test_c06_responsiveness.py: does a 100 Hz UI loop keep its deadlines while CPU-bound
work runs in another thread, and does an I/O thread keep its pace (no convoy)?

Decided at CPython's default switch interval, what a program gets unless it changes it; the 0.1 ms and 50 ms
runs and the CPU-bound process are reported beside it. Lateness is judged on each round's p99, in tick periods.
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive, rounds_of

LATE_BAR = 1.0  # p99 lateness in tick periods: a wake-up a whole period late has missed a frame
IDLE_BAR = 0.5  # an idle loop already half a period late (median round's p99) leaves no room to see a load's effect
CONVOY_BAR = 2.0  # round trips beside a CPU-bound thread over idle: at 2x, waiting for the GIL costs as much as the I/O
DEFAULT_SWITCH_INTERVAL_MS = 5  # CPython's default (sys.getswitchinterval() == 0.005)
LATENESS = Bars(LATE_BAR, LATE_BAR, "keeps up", "drops frames")
CONVOY = Bars(CONVOY_BAR, CONVOY_BAR, "no convoy", "convoy")


def _lateness(run, load, switch_interval_ms):
    """(p99 lateness per round, in tick periods, as an interval; the row) of one tick case, or (None, None)."""
    found = run("tick_lateness", load=load, switch_interval_ms=switch_interval_ms)
    if found.empty or np.ndim(found.iloc[0]["lateness_p99_by_round_s"]) != 1:  # a failed test records no lateness
        return None, None
    row = found.iloc[0]
    per_round = np.asarray(row["lateness_p99_by_round_s"], float) / row["tick_period_s"]
    return stats.ratio(per_round, np.ones(len(per_round))), row


def _periods(interval):
    if np.isnan(interval.low):
        return "{:.2f} (no interval)".format(interval.value)
    return "{:.2f} [{:.2f}, {:.2f}]".format(interval.value, interval.low, interval.high)


def _ms(seconds):
    return "{:.1f} ms".format(seconds * 1000)


@rule("C06", "tick_lateness", "convoy")
def threads_keep_ui_responsive(run):
    """C06 holds when, beside a CPU-bound thread at the default switch interval, the UI loop's p99 lateness
    stays under one tick period and an I/O thread's loopback round trips take under 2x their idle time."""
    idle, idle_row = _lateness(run, "none", DEFAULT_SWITCH_INTERVAL_MS)
    thread, thread_row = _lateness(run, "thread", DEFAULT_SWITCH_INTERVAL_MS)
    if idle is None or thread is None:
        return inconclusive("no tick records idle and beside a CPU-bound thread at the default 5 ms switch interval")
    if idle.value > IDLE_BAR:
        return inconclusive(
            "the idle UI loop's p99 lateness was already {} periods (over {}): the machine is too busy to show "
            "what a CPU-bound thread adds".format(_periods(idle), IDLE_BAR)
        )
    trips = run("convoy")
    convoy_thread, convoy_idle = (rounds_of(trips, load=load) for load in ["thread", "none"])
    if not (len(convoy_thread) and len(convoy_idle)):
        return inconclusive("no convoy records idle and beside a CPU-bound thread")
    convoy = stats.ratio(convoy_thread, convoy_idle)
    numbers = {
        "tick_period_ms": idle_row["tick_period_s"] * 1000,
        "late_bar_periods": LATE_BAR,
        "convoy_bar": CONVOY_BAR,
        "idle_p99_ms": round(idle_row["lateness_p99_s"] * 1000, 2),
        "thread_p99_ms": round(thread_row["lateness_p99_s"] * 1000, 2),
        "thread_median_ms": round(thread_row["lateness_median_s"] * 1000, 2),
        "thread_p99_periods": round(thread.value, 3),
        "convoy_slowdown": round(convoy.value, 2),
    }
    convoy_process = rounds_of(trips, load="process")
    if len(convoy_process):
        numbers["process_convoy_slowdown"] = round(stats.ratio(convoy_process, convoy_idle).value, 2)
    others = []
    for load, interval_ms, setting in [
        ("process", DEFAULT_SWITCH_INTERVAL_MS, "beside a process"),
        ("thread", 0.1, "at a 0.1 ms switch interval"),
        ("thread", 50, "at a 50 ms switch interval"),
    ]:
        _, row = _lateness(run, load, interval_ms)
        if row is not None:
            key = "{}_{}ms".format(load, interval_ms)
            numbers[key + "_p99_ms"] = round(row["lateness_p99_s"] * 1000, 2)
            numbers[key + "_frames_missed"] = int(row["frames_missed"])
            others.append("p99 {} {}".format(_ms(row["lateness_p99_s"]), setting))
    evidence = (
        "beside a CPU-bound thread the {:.0f} Hz UI loop woke {} late at the median and {} at p99 (a "
        "round's p99: {} periods; idle p99 {}{}), and an I/O thread's loopback round trips took {} their "
        "idle time".format(
            1 / idle_row["tick_period_s"],
            _ms(thread_row["lateness_median_s"]),
            _ms(thread_row["lateness_p99_s"]),
            _periods(thread),
            _ms(idle_row["lateness_p99_s"]),
            "".join("; " + other for other in others),
            stats.describe(convoy),
        )
    )
    parts = {"ticks": LATENESS.judge(thread, holds="low"), "round trips": CONVOY.judge(convoy, holds="low")}
    return combine(evidence, parts, numbers)
