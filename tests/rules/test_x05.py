"""X05 on synthetic records: the switch interval swept from 1 us to 50 ms, each point paired with the default 5 ms,
against the throughput of N CPU-bound threads and a 60 Hz UI loop's lateness beside a CPU-bound thread, as a GIL
build, a free-threaded build, a machine whose hand-overs cost nothing measurable and a busy machine record them."""

import re

import pytest
from analysis.rules import x05

from tests.rules.synthetic import frame, noisy, paired

FRAME_S = 1 / 60
ROUND_S = 0.08  # a throughput round at the default: 4 tasks of 20 ms
# switch interval (ms): a round's p99 lateness of the UI loop (s), throughput of the threads against the default
GIL = {
    0.001: (0.0045, 0.9),  # no wait for the GIL, but the frame's work shares it; each hand-over a thread's wake-up
    0.1: (0.0046, 0.95),
    1: (0.0055, 0.99),
    5: (0.007, 1.0),  # waits one interval for the GIL, then does its 2 ms
    20: (0.022, 1.0),
    50: (0.052, 1.003),  # three frames late: two dropped
}
FREE_THREADED = {ms: (0.0023, 1.0) for ms in GIL}
CHEAP_HAND_OVERS = {ms: (late, 1.0) for ms, (late, _) in GIL.items()}  # a GIL whose hand-overs cost nothing seen
BETWEEN = {ms: (late, 0.96 if ms == 0.001 else speed) for ms, (late, speed) in GIL.items()}  # 4% lost: between


def switch_records(curve=None, workers=(2,), cpus=2, spread=0.02, rounds=9, cores=1.0, missing=()):
    """X05 rows: the null control, throughput at every N of `workers` and every interval of `curve` but the default,
    and the UI loop's lateness at every interval but the default, each paired with the default."""
    curve = curve or GIL
    control = paired(ROUND_S, ROUND_S, spread, rounds, seed=99)
    control["cpu_rounds_s"] = [cores * wall for wall in control["rounds_s"]]
    rows = [
        dict(kind="throughput", workers=2, switch_interval_ms=5, null_control=True, **control),
    ]
    default_late = curve[5][0]
    for seed, (ms, (late, speed)) in enumerate(curve.items()):
        if ms == 5 or ms in missing:
            continue
        for n in workers:
            times = paired(ROUND_S / speed, ROUND_S, spread, rounds, seed=10 * seed + n)
            times["cpu_rounds_s"] = [cores * wall for wall in times["rounds_s"]]
            rows.append(dict(kind="throughput", workers=n, switch_interval_ms=ms, **times))
        dropped = int(late // FRAME_S) * rounds
        rows.append(
            dict(
                kind="lateness",
                switch_interval_ms=ms,
                frame_period_s=FRAME_S,
                frames_per_round=6,
                frames_drawn=6 * rounds - dropped,
                frames_dropped=dropped,
                lateness_p99_by_round_s=noisy(late, spread, rounds, seed=seed),
                baseline_lateness_p99_by_round_s=noisy(default_late, spread, rounds, seed=seed + 50),
                **paired(0.1, 0.1, 0.01, rounds, seed=seed),
            )
        )
    return frame([dict(measurement="switch_interval", **row) for row in rows], cpus)


OUTCOMES = {
    "X05": {
        "confirmed": lambda: switch_records(),  # a GIL build
        "refuted": lambda: switch_records(FREE_THREADED, cores=2.0),  # no GIL to hand over
        "partly": lambda: switch_records(CHEAP_HAND_OVERS),
        "inconclusive": lambda: switch_records(spread=0.15),  # a busy machine
    }
}


@pytest.mark.parametrize(
    "curve, verdict", [(GIL, "confirmed"), (FREE_THREADED, "refuted"), (CHEAP_HAND_OVERS, "partly")]
)
def test_x05_weighs_lateness_saved_against_throughput_lost_around_the_default(curve, verdict):
    decided = x05.switch_interval_trade(switch_records(curve))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["shortest_ms"] == 0.001 and decided.numbers["longest_ms"] == 50


def test_x05_on_a_gil_build_says_what_was_bought_and_what_it_cost():
    decided = x05.switch_interval_trade(switch_records())
    assert decided.evidence.startswith(
        "shortened from 50 ms to the default 5 ms, the switch interval left a 60 Hz UI loop beside a pure-Python "
        "thread less late by 2.70 ["
    )
    assert (
        "(a round's p99: 3.12 at 50 ms, 1.32 at 20 ms, 0.42 at 5 ms, 0.33 at 1 ms, 0.28 at 0.1 ms" in decided.evidence
    )
    assert re.search(r"; shortened from 5 ms to 0.001 ms, it left 2 CPU-bound threads 0\.[89]\dx \[", decided.evidence)
    assert re.search(
        r"\(against the default: 0\.[89]\dx at 0.001 ms, 0\.9\dx at 0.1 ms, .*x at 5 ms, ", decided.evidence
    )
    assert decided.evidence.endswith("(less late: >= 0.5 frame, less throughput: <= 0.95x)")
    assert decided.numbers["lateness_saved_frames"] == pytest.approx((0.052 - 0.007) * 60, abs=0.05)
    assert decided.numbers["throughput_kept"] == pytest.approx(0.9, abs=0.02)
    assert decided.numbers["p99_frames_at_20ms"] == pytest.approx(1.32, abs=0.01)


def test_x05_partly_names_the_part_that_did_not_move():
    decided = x05.switch_interval_trade(switch_records(CHEAP_HAND_OVERS))
    assert decided.evidence.endswith("; but less throughput: no throughput lost: >= 0.97x")


def test_x05_judges_the_throughput_at_the_usable_cpus():
    """N = 2 and N = 8 measured on 8 usable CPUs: N = 8 decides; a GIL costs both alike."""
    decided = x05.switch_interval_trade(switch_records(workers=(2, 8), cpus=8))
    assert decided.verdict == "confirmed" and decided.numbers["workers"] == 8


def test_x05_judges_two_threads_on_one_usable_cpu():
    """Under a GIL hand-overs cost on one CPU too: N = 2 is measured and judged there."""
    decided = x05.switch_interval_trade(switch_records(workers=(1, 2), cpus=1))
    assert decided.verdict == "confirmed" and decided.numbers["workers"] == 2


def test_x05_on_a_free_threaded_build_shows_the_cores_busy():
    decided = x05.switch_interval_trade(switch_records(FREE_THREADED, cores=2.0))
    assert "as fast, keeping 2.00 cores busy (against the default" in decided.evidence
    assert decided.evidence.endswith("(not less late: <= 0.25 frame, no throughput lost: >= 0.97x)")


@pytest.mark.parametrize(
    "records, reason",
    [
        (
            switch_records(BETWEEN, spread=0.002),
            "less throughput: between less throughput (0.95x) and no throughput lost (0.97x)",
        ),
        (switch_records(spread=0.15), "less throughput: too noisy"),
        (switch_records(rounds=5), "5 rounds give no interval"),
        (switch_records(missing=[20, 50]), "no frame lateness records at a switch interval longer than the default"),
        (
            switch_records(missing=[0.001, 0.1, 1]),
            "no throughput records at a switch interval shorter than the default",
        ),
        (
            switch_records()[lambda rows: rows.kind == "lateness"],
            "no throughput records at a switch interval shorter than the default",
        ),
    ],
)
def test_x05_is_inconclusive_and_says_why(records, reason):
    decided = x05.switch_interval_trade(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence, decided.evidence


def test_x05_partly_when_only_the_throughput_falls():
    """Throughput lost while the loop is no less late: the other half of `partly`."""
    curve = {ms: (0.0023, speed) for ms, (_, speed) in GIL.items()}
    decided = x05.switch_interval_trade(switch_records(curve))
    assert decided.verdict == "partly" and decided.evidence.endswith("; but less late: not less late: <= 0.25 frame")
