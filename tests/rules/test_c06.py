"""C06 on synthetic records: a 60 Hz UI loop's frame lateness (a round's p99, 9 rounds) and an I/O thread's round
trips beside a pure-Python loop and beside one long C call after another, in a thread and in a process, as a GIL
build, a free-threaded build and a busy machine record them."""

import pytest
from analysis.rules import c06

from tests.rules.synthetic import frame, noisy, timed

FRAME_S = 1 / 60
# (place, load): (a round's p99 frame lateness in s, a round's p99 round trip in s), at the default 5 ms
GIL = {
    ("none", "none"): (0.0035, 0.0022),
    ("thread", "python_loop"): (0.0085, 0.0075),  # waits up to one 5 ms switch interval for the GIL
    ("thread", "long_c_call"): (0.21, 0.35),  # waits for the rest of a 150 ms C call, or several
    ("process", "python_loop"): (0.004, 0.0023),
    ("process", "long_c_call"): (0.0045, 0.0024),
}
FREE_THREADED = {**GIL, ("thread", "python_loop"): (0.004, 0.0023), ("thread", "long_c_call"): (0.0042, 0.0024)}
# a GIL whose hand-over takes several switch intervals (a host that wakes the waiting thread late): the UI late
# beside both kinds of work, the same work in a process leaving it on time
SLOW_HAND_OVER = {**GIL, ("thread", "python_loop"): (0.024, 0.14)}
OTHER_INTERVALS = {1: 0.009, 50: 0.055}  # the Python loop in a thread at other switch intervals


def responsiveness_records(cases=None, spread=0.05, rounds=9, cpu=1.0, missing=()):
    """C06 rows: every frame and round-trip case of `cases` (default: GIL), per-round p99s noisy around its values."""
    cases = cases or GIL
    rows = []
    for (place, load), (late, trip) in cases.items():
        if (place, load) in missing:
            continue
        busy = cpu if place != "none" else 0.15
        facts = dict(place=place, load=load, load_calls_per_s=4.0 if load == "long_c_call" else 600.0)
        seed = len(rows)
        for interval_ms in [5] + (list(OTHER_INTERVALS) if (place, load) == ("thread", "python_loop") else []):
            p99 = late if interval_ms == 5 else OTHER_INTERVALS[interval_ms]
            dropped = int(p99 > FRAME_S) * 30
            rows.append(
                dict(
                    measurement="frame_lateness",
                    switch_interval_ms=interval_ms,
                    frame_period_s=FRAME_S,
                    frame_work_s=0.002,
                    long_call_s=0.15,
                    frames_drawn=54 - dropped,
                    frames_dropped=dropped,
                    lateness_p99_s=p99,
                    lateness_p99_by_round_s=noisy(p99, spread, rounds, seed),
                    cpu_per_wall_by_round=[busy] * rounds,
                    **facts,
                    **timed(0.1, rounds=rounds),
                )
            )
        rows.append(
            dict(
                measurement="io_round_trips",
                switch_interval_ms=5,
                trip_p99_s=trip,
                trip_p99_by_round_s=noisy(trip, spread, rounds, seed + 1),
                cpu_per_wall_by_round=[busy] * rounds,
                **facts,
                **timed(0.05, rounds=rounds),
            )
        )
    return frame(rows)


OUTCOMES = {
    "C06": {
        "confirmed": lambda: responsiveness_records(FREE_THREADED),
        "refuted": lambda: responsiveness_records(SLOW_HAND_OVER),
        "partly": lambda: responsiveness_records(),  # a GIL build
        "inconclusive": lambda: responsiveness_records(cpu=0.6),  # another program took turns from the work
    }
}


@pytest.mark.parametrize("cases, verdict", [(GIL, "partly"), (FREE_THREADED, "confirmed"), (SLOW_HAND_OVER, "refuted")])
def test_c06_judges_each_kind_of_work_beside_the_ui(cases, verdict):
    decided = c06.threads_keep_ui_responsive(responsiveness_records(cases))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["thread_long_c_call_trip_p99_ms"] == pytest.approx(cases["thread", "long_c_call"][1] * 1000)


def test_c06_on_a_gil_build_keeps_frames_beside_the_python_loop_and_not_beside_the_c_call():
    decided = c06.threads_keep_ui_responsive(responsiveness_records())
    assert decided.evidence.endswith(
        "; but frames beside one long C call after another: drops frames: >= 1 frame; "
        "answers beside one long C call after another: keeps its user waiting: >= 100 ms"
    )
    assert "beside one long C call after another (150 ms each) in a thread 12.60 [" in decided.evidence
    assert decided.numbers["thread_python_loop_p99_frames"] == pytest.approx(0.51, abs=0.01)


def test_c06_reports_the_other_switch_intervals_for_x05():
    decided = c06.threads_keep_ui_responsive(responsiveness_records())
    assert "the Python loop in a thread at 1 ms: 0.54 frames (0 of 54 dropped), at 50 ms: 3.30 frames (30 of" in (
        decided.evidence
    )
    assert decided.numbers["thread_python_loop_50ms_frames_dropped"] == 30
    assert decided.numbers["thread_python_loop_1ms_load_calls_per_s"] == 600.0


@pytest.mark.parametrize(
    "records, reason",
    [
        (responsiveness_records(cpu=0.6), "the work got 0.60 CPU-seconds per second (under 0.9)"),
        (responsiveness_records({**GIL, ("none", "none"): (0.009, 0.0022)}), "too busy"),
        (responsiveness_records({**GIL, ("none", "none"): (0.0035, 0.06)}), "idle, the answers already took"),
        (
            responsiveness_records({**FREE_THREADED, ("process", "python_loop"): (0.03, 0.0023)}),
            "the same load in a process left the UI late too",
        ),
        (responsiveness_records(FREE_THREADED, missing=[("process", "long_c_call")]), "no control"),
        (
            responsiveness_records({**FREE_THREADED, ("thread", "python_loop"): (0.0165, 0.0075)}, spread=0.3),
            "too noisy",
        ),
        (responsiveness_records(rounds=4), "4 rounds give no interval"),
        (responsiveness_records(missing=[("none", "none")]), "no idle frame records"),
    ],
)
def test_c06_is_inconclusive_and_says_why(records, reason):
    decided = c06.threads_keep_ui_responsive(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence, decided.evidence
