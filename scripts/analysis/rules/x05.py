"""X05, from experiments/test_x05_switch_interval.py: what does the switch interval trade?

The hypothesis: a shorter switch interval buys responsiveness (lower frame lateness) with throughput (lower
CPU-bound throughput). Every point of the sweep is paired, round by round, with the same work at CPython's default
5 ms, so each point's change against the default is immune to the machine's drift; each part of the trade is decided
on one benchmark's pairs, on the side of the default where the GIL's mechanism makes it show: the lateness saved by
shortening the interval from the longest measured to the default (a UI thread waits about an interval for the GIL:
at 50 ms that is three 60 Hz frames, below 5 ms less than its own 2 ms of work), and the throughput lost by shortening
it from the default to the shortest measured (a hand-over costs a thread's wake-up; at 5 ms and more they are too
rare to count). The rest of the curve is reported beside them.

Under a GIL, a thread that wants it waits a switch interval before it asks the holder to let go: a UI thread beside a
CPU-bound one is late by about an interval per frame, and CPU-bound threads hand the GIL over once per interval, each
hand-over time in which no Python runs. A free-threaded build (GIL off) has nothing to hand over: neither moves.
"""

import math

import numpy as np
from analysis import stats
from analysis.records import BASELINE, CPU, RAW
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive

MEASUREMENT = "switch_interval"
DEFAULT_MS = 5  # CPython's default switch interval (sys.getswitchinterval() == 0.005): every pair's baseline
# lateness saved from the longest interval to the default, in frames of the loop (a round's p99): a quarter frame
# (4 ms at 60 Hz) is within a busy machine's sleep jitter, half a frame is a UI that keeps its frames where it did not
LESS_LATE = Bars(0.25, 0.5, "not less late", "less late", " frame")
# throughput at the shortest interval over that at the default: a twentieth lost is a price; within 3% is none
LESS_THROUGHPUT = Bars(0.95, 0.97, "less throughput", "no throughput lost")


def _rows(run, kind):
    found = run(MEASUREMENT, kind=kind)
    return found[found["switch_interval_ms"].notna()].sort_values("switch_interval_ms")


def _records(rows):
    return [row for _, row in rows.iterrows()]


def lateness_change(row):
    """Per round: the frame loop's p99 lateness at the row's interval minus that at the default in the same round,
    in frames."""
    late = np.asarray(row["lateness_p99_by_round_s"], float)
    default = np.asarray(row["baseline_lateness_p99_by_round_s"], float)
    return (late - default) / row["frame_period_s"]


def throughput_change(row):
    """Throughput at the row's interval over that at the default in the same round (baseline / round), per pair."""
    return stats.ratio(row[BASELINE], row[RAW])


def judged_threads(rows, usable_cpus):
    """The N the throughput is judged at: the largest measured N that the usable CPUs (at least 2) run at once."""
    fitting = [int(n) for n in rows["workers"].dropna().unique() if n <= max(usable_cpus, 2)]
    return max(fitting) if fitting else None


def lateness_frames(row):
    """The loop's p99 lateness at the row's interval, in frames: the median round's, with its interval."""
    return stats.median_interval(np.asarray(row["lateness_p99_by_round_s"], float) / row["frame_period_s"])


def default_lateness_frames(rows):
    """The loop's p99 lateness at the default interval, in frames: every round's baseline, pooled over the rows."""
    pooled = [p99 / row["frame_period_s"] for row in _records(rows) for p99 in row["baseline_lateness_p99_by_round_s"]]
    return stats.median(pooled) if pooled else math.nan


def _ms(value):
    return "{:g} ms".format(value)


def _frames(interval):
    if math.isnan(interval.low):
        return "{:.2f} (no interval)".format(interval.value)
    return "{:.2f} [{:.2f}, {:.2f}]".format(interval.value, interval.low, interval.high)


@rule("X05", MEASUREMENT)
def switch_interval_trade(run):
    """X05 (each point of the sweep paired with the default 5 ms; lateness judged from the longest interval measured
    to the default, throughput from the default to the shortest):
    confirmed: shortened to the default, the interval leaves a 60 Hz UI loop beside a CPU-bound thread less late by
    >= 0.5 frame (a round's p99), and shortened further, N CPU-bound threads (N = the usable CPUs, at least 2) run
    <= 0.95x as fast: responsiveness bought with throughput (a GIL);
    refuted: neither moves: lateness saved <= 0.25 frame and throughput >= 0.97x (a free-threaded build: no GIL to hand
    over, the interval governs nothing);
    partly: only one moves: the loop is less late and the throughput kept (hand-overs that cost this machine nothing
    measurable), or throughput lost and the loop no less late;
    inconclusive: no records of either kind, no interval measured above or below the default, or an interval
    straddles a bar or lies between the two (a busy machine: its hand-overs and sleeps vary with the host's load)."""
    lateness, throughput = _rows(run, "lateness"), _rows(run, "throughput")
    if not len(lateness) or lateness["switch_interval_ms"].max() <= DEFAULT_MS:
        return inconclusive(
            "no frame lateness records at a switch interval longer than the default {} ms".format(DEFAULT_MS)
        )
    workers = judged_threads(throughput, run.usable_cpus) if len(throughput) else None
    threads = throughput[throughput["workers"] == workers] if workers else throughput.iloc[0:0]
    if not len(threads) or threads["switch_interval_ms"].min() >= DEFAULT_MS:
        return inconclusive(
            "no throughput records at a switch interval shorter than the default, at N = the usable CPUs"
        )
    longest, shortest = lateness.iloc[-1], threads.iloc[0]
    saved = stats.median_interval(lateness_change(longest))
    kept = throughput_change(shortest)
    busy = stats.ratio(shortest[CPU], shortest[RAW]) if CPU in shortest and np.ndim(shortest[CPU]) == 1 else None
    late = {ms: lateness_frames(row) for ms, row in zip(lateness["switch_interval_ms"], _records(lateness))}
    late.setdefault(DEFAULT_MS, stats.Interval(default_lateness_frames(lateness), math.nan, math.nan, "pooled"))
    speed = {ms: throughput_change(row) for ms, row in zip(threads["switch_interval_ms"], _records(threads))}
    numbers = {
        "longest_ms": float(longest["switch_interval_ms"]),
        "shortest_ms": float(shortest["switch_interval_ms"]),
        "workers": workers,
        "usable_cpus": run.usable_cpus,
        "lateness_saved_frames": round(saved.value, 3),
        "throughput_kept": round(kept.value, 3),
    }
    numbers.update({"p99_frames_at_{:g}ms".format(ms): round(i.value, 3) for ms, i in sorted(late.items())})
    numbers.update({"throughput_at_{:g}ms".format(ms): round(i.value, 3) for ms, i in speed.items()})
    cores = ""
    if busy is not None:
        cores = ", keeping {:.2f} cores busy".format(busy.value)
        numbers["cores_busy_at_shortest"] = round(busy.value, 2)
    evidence = (
        "shortened from {} to the default {} ms, the switch interval left a 60 Hz UI loop beside a pure-Python thread "
        "less late by {} frames (a round's p99: {}); shortened from {} ms to {}, it left {} CPU-bound threads {} as "
        "fast{} (against the default: {})".format(
            _ms(longest["switch_interval_ms"]),
            DEFAULT_MS,
            _frames(saved),
            ", ".join("{:.2f} at {}".format(i.value, _ms(ms)) for ms, i in sorted(late.items(), reverse=True)),
            DEFAULT_MS,
            _ms(shortest["switch_interval_ms"]),
            workers,
            stats.describe(kept),
            cores,
            ", ".join("{:.2f}x at {}".format(i.value, _ms(ms)) for ms, i in speed.items()),
        )
    )
    parts = {
        "less late": LESS_LATE.judge(saved, holds="high"),
        "less throughput": LESS_THROUGHPUT.judge(kept, holds="low"),
    }
    return combine(evidence, parts, numbers, kept)
