"""Verdict rules on synthetic records with known answers, including every inconclusive path."""
import pandas as pd
import pytest

from rules import c02, c07, c09_c14

PROCESSES = ["fork", "spawn", "forkserver"]


def cpu_records(cpus=2, threads=1.0, processes=1.9, slow_method=None):
    """C09/C14 rows: serial takes 1 s at every N; a model at speedup s takes 1/s s (N = 1 always 1 s)."""
    rows = []
    for n in (1, 2, 4):
        rows.append(dict(test="test_serial", model="serial", workers=n, lifecycle="warm", median_s=1.0))
        for model, speedup in [("threads", threads)] + [(m, processes) for m in PROCESSES]:
            speedup = 1.0 if n == 1 or model == slow_method else speedup
            rows.append(dict(test="test_parallel", model=model, workers=n, lifecycle="warm", median_s=1.0 / speedup,
                             cpu_per_wall=speedup))
    return pd.DataFrame(rows).assign(cpu_usable=cpus)


@pytest.mark.parametrize("threads, verdict", [(1.0, "confirmed"), (1.9, "refuted"), (1.3, "inconclusive")])
def test_c09_follows_thread_scaling(threads, verdict):
    """A GIL build where threads don't scale confirms C09; a free-threaded build where they do refutes it."""
    assert c09_c14.gil_serialises_threads(cpu_records(threads=threads)).verdict == verdict


@pytest.mark.parametrize("rule", [c09_c14.gil_serialises_threads, c09_c14.processes_bypass_gil])
def test_cpu_claims_are_inconclusive_on_one_cpu(rule):
    decided = rule(cpu_records(cpus=1))
    assert decided.verdict == "inconclusive" and "1 usable CPU" in decided.evidence


def test_c09_judges_at_the_usable_cpus_not_past_them():
    decided = c09_c14.gil_serialises_threads(cpu_records(cpus=3, threads=1.0))
    assert decided.numbers["workers"] == 2


def test_cpu_claims_are_inconclusive_without_records():
    no_threads = cpu_records()[lambda rows: rows.model != "threads"]
    assert c09_c14.gil_serialises_threads(no_threads).verdict == "inconclusive"
    serial_only = cpu_records()[lambda rows: rows.model == "serial"]
    assert c09_c14.processes_bypass_gil(serial_only).verdict == "inconclusive"


@pytest.mark.parametrize("processes, slow_method, verdict", [
    (1.9, None, "confirmed"), (1.9, "spawn", "partly"), (1.0, None, "refuted")])
def test_c14_needs_every_start_method_to_scale(processes, slow_method, verdict):
    decided = c09_c14.processes_bypass_gil(cpu_records(processes=processes, slow_method=slow_method))
    assert decided.verdict == verdict
    assert "{:.2f}x (fork)".format(1.0 if slow_method == "fork" else processes) in decided.evidence


def io_records(sleep=25.0, loopback=25.0, processes=15.0):
    """C07 rows at N = 1 and 32: serial takes N waits; threads and processes at the given speedups (at N = 32)."""
    rows = []
    for workload, threads in [("sleep", sleep), ("loopback", loopback)]:
        for n in (1, 32):
            rows.append(dict(model="serial", workers=n, workload=workload, median_s=0.01 * n))
            for model, speedup in [("threads", threads)] + [(m, processes) for m in PROCESSES]:
                rows.append(dict(model=model, workers=n, workload=workload, median_s=0.01 * n / (speedup if n > 1 else 1)))
    return pd.DataFrame(rows).assign(cpu_usable=2)


@pytest.mark.parametrize("sleep, loopback, verdict", [
    (25.0, 25.0, "confirmed"), (25.0, 3.0, "partly"), (1.0, 1.05, "refuted")])
def test_c07_needs_threads_to_help_on_every_io_workload(sleep, loopback, verdict):
    decided = c07.threads_help_io(io_records(sleep=sleep, loopback=loopback))
    assert decided.verdict == verdict
    assert decided.numbers["threads_speedup_sleep"] == sleep and decided.numbers["workers"] == 32


def test_c07_is_inconclusive_without_thread_records():
    assert c07.threads_help_io(io_records()[lambda rows: rows.model != "threads"]).verdict == "inconclusive"


def memory_records(process_sees=False, process_growth=100.0, with_handoff=True):
    """C02 rows: what the parent saw from each model, and hand-over times at 1 KiB and 64 MiB."""
    rows = []
    for model in ["serial", "threads"] + PROCESSES:
        sees = model in ("serial", "threads") or process_sees
        rows.append(dict(test="test_write_visibility", model=model, workers=1, median_s=0.01,
                         sees_global=sees, sees_list=sees, sees_instance=sees))
        if with_handoff and model != "serial":
            growth = 1.0 if model == "threads" else process_growth
            for size, time in [(1024, 1e-4), (64 * 2 ** 20, 1e-4 * growth)]:
                rows.append(dict(test="test_handoff", model=model, workers=1, size_bytes=size, median_s=time))
    return pd.DataFrame(rows).assign(cpu_usable=2)


@pytest.mark.parametrize("records, verdict", [
    (memory_records(), "confirmed"),
    (memory_records(process_sees=True), "refuted"),
    (memory_records(process_growth=1.2), "partly"),
    (memory_records(with_handoff=False), "confirmed"),
])
def test_c02_reads_visibility_first_then_copy_costs(records, verdict):
    assert c02.separate_heaps(records).verdict == verdict


def test_c02_is_inconclusive_without_visibility_records():
    records = memory_records()[lambda rows: rows.test != "test_write_visibility"]
    assert c02.separate_heaps(records).verdict == "inconclusive"
