"""Verdict rules on synthetic records with known answers: a clear speedup, none, a noisy one, and every
inconclusive path."""

import numpy as np
import pandas as pd
import pytest

from rules import c02, c07, c09_c14

PROCESSES = ["fork", "spawn", "forkserver"]


def timed(median, spread=0.02, rounds=7):
    """A record's timing columns: `rounds` times spread evenly +-`spread` around `median`."""
    data = list(median * np.linspace(1 - spread, 1 + spread, rounds))
    return dict(median_s=median, rounds_s=data)


def cpu_records(cpus=2, threads=1.0, processes=1.9, slow_method=None, spread=0.02, rounds=7):
    """C09/C14 rows: serial takes 1 s at every N; a model at speedup s takes 1/s s (N = 1 always 1 s)."""
    rows = []
    for n in (1, 2, 4):
        rows.append(dict(test="test_serial", model="serial", workers=n, lifecycle="warm", **timed(1.0, 0.02, rounds)))
        for model, speedup in [("threads", threads)] + [(m, processes) for m in PROCESSES]:
            speedup = 1.0 if n == 1 or model == slow_method else speedup
            rows.append(
                dict(
                    test="test_parallel",
                    model=model,
                    workers=n,
                    lifecycle="warm",
                    cpu_per_wall=speedup,
                    **timed(1.0 / speedup, spread, rounds),
                )
            )
    return pd.DataFrame(rows).assign(cpu_usable=cpus)


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


def test_amdahl_serial_fraction_is_near_0_for_scaling_and_1_for_none():
    scaling = c09_c14.processes_bypass_gil(cpu_records(processes=2.0))
    flat = c09_c14.gil_serialises_threads(cpu_records(threads=1.0))
    assert scaling.numbers["fork_serial_fraction"] == pytest.approx(0, abs=0.02)
    assert flat.numbers["serial_fraction"] == pytest.approx(1, abs=0.02)


def io_records(sleep=25.0, loopback=25.0, processes=15.0, spread=0.02):
    """C07 rows at N = 1 and 32: serial takes N waits; threads and processes at the given speedups (at N = 32)."""
    rows = []
    for workload, threads in [("sleep", sleep), ("loopback", loopback)]:
        for n in (1, 32):
            rows.append(dict(model="serial", workers=n, workload=workload, **timed(0.01 * n)))
            for model, speedup in [("threads", threads)] + [(m, processes) for m in PROCESSES]:
                rows.append(
                    dict(
                        model=model, workers=n, workload=workload, **timed(0.01 * n / (speedup if n > 1 else 1), spread)
                    )
                )
    return pd.DataFrame(rows).assign(cpu_usable=2)


@pytest.mark.parametrize(
    "sleep, loopback, verdict",
    [(25.0, 25.0, "confirmed"), (25.0, 1.0, "partly"), (1.0, 1.0, "refuted"), (25.0, 12.0, "inconclusive")],
)
def test_c07_needs_threads_to_help_on_every_io_workload(sleep, loopback, verdict):
    decided = c07.threads_help_io(io_records(sleep=sleep, loopback=loopback))
    assert decided.verdict == verdict
    assert decided.numbers["threads_speedup_sleep"] == pytest.approx(sleep, rel=0.01)
    assert decided.numbers["workers"] == 32


def test_c07_is_inconclusive_without_thread_records():
    assert c07.threads_help_io(io_records()[lambda rows: rows.model != "threads"]).verdict == "inconclusive"


def memory_records(process_sees=False, process_growth=100.0, with_handoff=True, spread=0.02):
    """C02 rows: what the parent saw from each model, and hand-over times at 1 KiB and 64 MiB."""
    rows = []
    for model in ["serial", "threads"] + PROCESSES:
        sees = model in ("serial", "threads") or process_sees
        rows.append(
            dict(
                test="test_write_visibility",
                model=model,
                workers=1,
                sees_global=sees,
                sees_list=sees,
                sees_instance=sees,
                **timed(0.01),
            )
        )
        if with_handoff and model != "serial":
            growth = 1.0 if model == "threads" else process_growth
            for size, time in [(1024, 1e-4), (64 * 2**20, 1e-4 * growth)]:
                rows.append(dict(test="test_handoff", model=model, workers=1, size_bytes=size, **timed(time, spread)))
    return pd.DataFrame(rows).assign(cpu_usable=2)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (memory_records(), "confirmed"),
        (memory_records(process_sees=True), "refuted"),
        (memory_records(process_growth=1.2), "partly"),
        (memory_records(with_handoff=False), "confirmed"),
        (memory_records(process_growth=10.0, spread=0.5), "inconclusive"),
    ],
)
def test_c02_reads_visibility_first_then_copy_costs(records, verdict):
    assert c02.separate_heaps(records).verdict == verdict


def test_c02_is_inconclusive_without_visibility_records():
    records = memory_records()[lambda rows: rows.test != "test_write_visibility"]
    assert c02.separate_heaps(records).verdict == "inconclusive"
