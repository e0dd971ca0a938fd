"""C09 and C14 on synthetic CPU-scaling records: a clear speedup, none, a noisy one, and every inconclusive path."""

import pytest
from analysis.rules import c09_c14

from tests.rules.synthetic import PROCESSES, frame, timed


def cpu_records(cpus=2, threads=1.0, processes=1.9, slow_method=None, spread=0.02, rounds=7):
    """C09/C14 rows: serial takes 1 s at every N; a model at speedup s takes 1/s s (N = 1 always 1 s)."""
    rows = []
    for n in (1, 2, 4):
        rows.append(dict(measurement="cpu_scaling", model="serial", workers=n, **timed(1.0, 0.02, rounds)))
        for model, speedup in [("threads", threads)] + [(m, processes) for m in PROCESSES]:
            speedup = 1.0 if n == 1 or model == slow_method else speedup
            rows.append(
                dict(
                    measurement="cpu_scaling",
                    model=model,
                    workers=n,
                    lifecycle="warm",
                    cpu_per_wall=speedup,
                    **timed(1.0 / speedup, spread, rounds),
                )
            )
    return frame(rows, cpus)


@pytest.mark.parametrize("threads, verdict", [(1.0, "confirmed"), (1.9, "refuted"), (1.3, "inconclusive")])
def test_c09_follows_thread_scaling(threads, verdict):
    """A GIL build where threads don't scale confirms C09; a free-threaded build where they do refutes it."""
    decided = c09_c14.gil_serialises_threads(cpu_records(threads=threads))
    assert decided.verdict == verdict
    assert decided.interval.low <= threads <= decided.interval.high and decided.interval.rounds == "21/7"


def test_c09_on_noisy_records_is_inconclusive_and_says_why():
    decided = c09_c14.gil_serialises_threads(cpu_records(threads=1.05, spread=0.6))
    assert decided.verdict == "inconclusive" and "too noisy: CI [" in decided.evidence


def test_one_round_gives_no_interval_and_decides_nothing():
    decided = c09_c14.gil_serialises_threads(cpu_records(threads=1.0, rounds=1))
    assert decided.verdict == "inconclusive" and "no interval" in decided.evidence


@pytest.mark.parametrize("rule", [c09_c14.gil_serialises_threads, c09_c14.processes_bypass_gil])
def test_cpu_claims_are_inconclusive_on_one_cpu(rule):
    decided = rule(cpu_records(cpus=1))
    assert decided.verdict == "inconclusive" and "1 usable CPU" in decided.evidence


def test_cpu_claims_are_inconclusive_without_records():
    no_threads = cpu_records()[lambda rows: rows.model != "threads"]
    assert c09_c14.gil_serialises_threads(no_threads).verdict == "inconclusive"
    serial_only = cpu_records()[lambda rows: rows.model == "serial"]
    assert c09_c14.processes_bypass_gil(serial_only).verdict == "inconclusive"


@pytest.mark.parametrize(
    "processes, slow_method, verdict", [(1.9, None, "confirmed"), (1.9, "spawn", "partly"), (1.0, None, "refuted")]
)
def test_c14_needs_every_start_method_to_scale(processes, slow_method, verdict):
    decided = c09_c14.processes_bypass_gil(cpu_records(processes=processes, slow_method=slow_method))
    assert decided.verdict == verdict
    assert decided.numbers["fork_speedup"] == pytest.approx(1.0 if slow_method == "fork" else processes, abs=0.01)


def test_c14_partly_names_the_start_method_that_did_not_scale():
    decided = c09_c14.processes_bypass_gil(cpu_records(slow_method="spawn"))
    assert decided.evidence.endswith("; but spawn: no speedup: <= 1.1x")


def test_amdahl_serial_fraction_is_near_0_for_scaling_and_1_for_none():
    scaling = c09_c14.processes_bypass_gil(cpu_records(processes=2.0))
    flat = c09_c14.gil_serialises_threads(cpu_records(threads=1.0))
    assert scaling.numbers["fork_serial_fraction"] == pytest.approx(0, abs=0.02)
    assert flat.numbers["serial_fraction"] == pytest.approx(1, abs=0.02)
