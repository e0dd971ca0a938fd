"""C07 on synthetic weak-scaling I/O records: N threads each make one wait, on 1, 2, 16 and 64 usable CPUs; threads
help on every workload, on some, on none, or it is unclear."""

import pytest
from analysis.rules import c07

from tests.rules.synthetic import PROCESSES, frame, scaled

WAIT_S = 0.01


def io_grid(cpus):
    """N = 1 ... 32 with the usable CPUs and twice that: the grid experiments/profiles.py builds."""
    return sorted({1, 2, 4, 8, 16, 32, cpus, 2 * cpus})


def io_records(sleep=0.85, loopback=0.6, processes=0.5, cpus=2, spread=0.02, rounds=9, workloads=("sleep", "loopback")):
    """C07 rows: the serial null control; threads at every N of the grid and processes at the largest, each at a
    speedup of N x the given efficiency (a flat 1.0 where the efficiency is None: waits that did not overlap)."""
    grid = io_grid(cpus)
    rows = [dict(model="serial", workers=1, workload="sleep", null_control=True, **scaled(1, 1.0, 0.02, WAIT_S))]
    efficiency = {"sleep": sleep, "loopback": loopback}
    for workload in workloads:
        points = [("threads", n) for n in grid] + [(m, grid[-1]) for m in PROCESSES]
        for model, n in points:
            share = processes if model != "threads" else efficiency[workload]
            speed = 1.0 if share is None else max(1.0, share * n)
            record = scaled(n, speed, 0.05, WAIT_S, spread=spread, rounds=rounds, seed=n)
            rows.append(dict(model=model, workers=n, workload=workload, **record))
    for row in rows:
        row.update(measurement="io_scaling", lifecycle="warm", bound="io", wait_ms=10)
    return frame(rows, cpus)


OUTCOMES = {
    "C07": {
        "confirmed": lambda: io_records(),
        "partly": lambda: io_records(loopback=None),  # a loopback server that answers one request at a time
        # A run of that server's workload alone (pytest -k loopback): a sleep overlaps in threads on every CPython.
        "refuted": lambda: io_records(loopback=None, workloads=("loopback",)),
        # A server that answers about two requests at a time: 1.6x at N=32, between the bars.
        "inconclusive": lambda: io_records(loopback=0.05),
    },
}


@pytest.mark.parametrize("cpus", [1, 2, 16, 64])
@pytest.mark.parametrize(
    "sleep, loopback, verdict", [(0.85, 0.6, "confirmed"), (0.85, None, "partly"), (None, None, "refuted")]
)
def test_c07_is_judged_at_the_largest_n_whatever_the_cpus(cpus, sleep, loopback, verdict):
    decided = c07.threads_help_io(io_records(sleep=sleep, loopback=loopback, cpus=cpus))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["workers"] == max(32, 2 * cpus)  # waits overlap however many CPUs there are


def test_c07_partly_names_the_workload_that_did_not_overlap():
    decided = c07.threads_help_io(io_records(loopback=None))
    assert decided.evidence.endswith("; but loopback: no speedup: <= 1.1x")


def test_c07_reports_processes_beside_threads_without_judging_them():
    flat_processes = c07.threads_help_io(io_records(processes=None))
    assert flat_processes.verdict == "confirmed"
    assert flat_processes.numbers["spawn_speedup_loopback"] == pytest.approx(1.0, rel=0.05)
    assert "32 processes: " in flat_processes.evidence


def test_c07_needs_threads_to_clear_the_bar_not_just_beat_serial():
    decided = c07.threads_help_io(io_records(loopback=0.05))  # 1.6x at N=32
    assert decided.verdict == "inconclusive" and "loopback: between no speedup (1.1x) and scales (2x)" in (
        decided.evidence
    )


def test_noise_or_too_few_rounds_decide_nothing():
    noisy = c07.threads_help_io(io_records(loopback=0.05, spread=0.25))
    assert noisy.verdict == "inconclusive" and "loopback: too noisy" in noisy.evidence
    few = c07.threads_help_io(io_records(rounds=5))
    assert few.verdict == "inconclusive" and "5 rounds give no interval" in few.evidence


def test_without_thread_records_nothing_is_decided():
    decided = c07.threads_help_io(io_records()[lambda rows: rows.model != "threads"])
    assert decided.verdict == "inconclusive" and "no I/O-bound records of threads" in decided.evidence
