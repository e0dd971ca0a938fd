"""C09 and C14 on synthetic weak-scaling curves: GIL and free-threaded builds, 1, 2, 16 and 64 usable CPUs,
curves that saturate and curves that do not, a container whose CPU quota is below its CPU list, and noise."""

import pandas as pd
import pytest
from analysis.rules import c09_c14

from tests.rules.synthetic import PROCESSES, flat, frame, grid, linear, saturating, scaled


def cpu_records(
    cpus=2, threads=flat, thread_cores=None, processes=None, slow=(), spread=0.02, rounds=9, grid_cpus=None
):
    """C09/C14 rows: the serial null control and warm/cold pools of every model at every N of the grid. `threads`
    and `processes` map N to a speedup; the cores kept busy follow the speedup unless `thread_cores` says."""
    processes = processes or linear(cpus)
    rows = [dict(measurement="cpu_scaling", model="serial", workers=1, null_control=True, **scaled(1, 1.0, 1.0))]
    for n in grid(grid_cpus or max(1, int(cpus))):
        for model in ["threads"] + PROCESSES:
            curve = threads if model == "threads" else (flat if model in slow else processes)
            cores = thread_cores(n) if model == "threads" and thread_cores else curve(n)
            for lifecycle in ("warm", "cold"):
                record = scaled(n, curve(n), cores, spread=spread, rounds=rounds, seed=n)
                rows.append(dict(measurement="cpu_scaling", model=model, workers=n, lifecycle=lifecycle, **record))
    return frame(rows, cpus)


OUTCOMES = {
    "C09": {
        "confirmed": lambda: cpu_records(),  # a GIL build
        "refuted": lambda: cpu_records(threads=linear(2)),  # a free-threaded build
        "partly": lambda: cpu_records(threads=flat, thread_cores=linear(2)),  # no GIL, but contention in the work
        "inconclusive": lambda: cpu_records(threads=lambda n: min(n, 1.3)),  # between the bars
    },
    "C14": {
        "confirmed": lambda: cpu_records(),
        "refuted": lambda: cpu_records(processes=flat),  # a VM whose two vCPUs share one core
        "partly": lambda: cpu_records(slow=("spawn",)),
        "inconclusive": lambda: cpu_records(cpus=1),
    },
}


@pytest.mark.parametrize("cpus", [2, 16, 64])
@pytest.mark.parametrize(
    "threads, cores, verdict",
    [
        (flat, None, "confirmed"),  # GIL: one core at a time, no speedup
        ("linear", None, "refuted"),  # free-threaded and scaling
        ("saturating", None, "refuted"),  # free-threaded, saturating at a quarter of the CPUs (2 CPUs: at 1.5x)
        (flat, "linear", "partly"),  # free-threaded, cores busy, contention inside the work
    ],
)
def test_c09_on_2_16_and_64_cpus(cpus, threads, cores, verdict):
    curves = {"linear": linear(cpus), "saturating": saturating(cpus, max(1.6, cpus / 4))}
    records = cpu_records(cpus, threads=curves.get(threads, threads), thread_cores=curves.get(cores))
    decided = c09_c14.gil_serialises_threads(records)
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["workers"] == cpus  # judged at N = the usable CPUs, never the best of several N


@pytest.mark.parametrize("cpus", [2, 16, 64])
@pytest.mark.parametrize("ceiling, verdict", [(None, "confirmed"), ("quarter", "confirmed"), (1.0, "refuted")])
def test_c14_on_2_16_and_64_cpus(cpus, ceiling, verdict):
    top = {None: cpus, "quarter": max(2.0, cpus / 4), 1.0: 1.0}[ceiling]
    decided = c09_c14.processes_bypass_gil(cpu_records(cpus, processes=saturating(cpus, top)))
    assert decided.verdict == verdict, decided.evidence


@pytest.mark.parametrize("rule", [c09_c14.gil_serialises_threads, c09_c14.processes_bypass_gil])
def test_one_usable_cpu_decides_nothing(rule):
    decided = rule(cpu_records(cpus=1))
    assert decided.verdict == "inconclusive" and "fewer than 2 usable CPUs" in decided.evidence


@pytest.mark.parametrize("rule", [c09_c14.gil_serialises_threads, c09_c14.processes_bypass_gil])
def test_a_cpu_quota_below_the_cpu_list_is_what_counts(rule):
    """A container limited to 1 CPU (cgroup cpu.max) on an 8-CPU host: its runs record 1 usable CPU, and the curve
    it measures is flat for threads and processes alike; no verdict may read that as the GIL or as processes
    failing to use the cores."""
    records = cpu_records(cpus=1, processes=flat, grid_cpus=8)
    assert rule(records).verdict == "inconclusive"


def test_c09_judges_threads_at_n_equal_to_the_usable_cpus_not_at_the_best_n():
    """A noise burst that made N=4 look fast on a GIL build does not decide: N=2 does."""
    burst = lambda n: 1.6 if n == 4 else 1.0  # noqa: E731
    decided = c09_c14.gil_serialises_threads(cpu_records(threads=burst))
    assert decided.verdict == "confirmed" and decided.numbers["workers"] == 2


def test_c09_partly_names_contention_when_cores_are_busy_without_a_speedup():
    decided = c09_c14.gil_serialises_threads(cpu_records(threads=flat, thread_cores=linear(2)))
    assert decided.evidence.endswith("; but one core at a time: cores busy at once: >= 1.5x")


@pytest.mark.parametrize(
    "rule, records",
    [
        (c09_c14.gil_serialises_threads, cpu_records(threads=lambda n: 1.2, spread=0.4)),
        (c09_c14.processes_bypass_gil, cpu_records(processes=lambda n: 1.3, spread=0.4)),
    ],
)
def test_noise_or_too_few_rounds_decide_nothing(rule, records):
    noisy = rule(records)
    assert noisy.verdict == "inconclusive" and "too noisy" in noisy.evidence
    few = rule(cpu_records(rounds=5))
    assert few.verdict == "inconclusive" and "5 rounds give no interval" in few.evidence


def test_c09_needs_processes_to_scale_in_the_same_run_before_flat_threads_mean_a_gil():
    """One CPU kept busy by another program: threads and processes both stay flat; that is the machine."""
    decided = c09_c14.gil_serialises_threads(cpu_records(processes=lambda n: min(n, 1.3)))
    assert decided.verdict == "inconclusive" and "machine's own capacity is not shown" in decided.evidence


def test_c14_partly_names_the_start_method_that_did_not_scale():
    decided = c09_c14.processes_bypass_gil(cpu_records(slow=("spawn",)))
    assert decided.verdict == "partly" and "spawn: no speedup: <= 1.1x" in decided.evidence


def test_without_records_nothing_is_decided():
    no_threads = cpu_records()[lambda rows: rows.model != "threads"]
    assert c09_c14.gil_serialises_threads(no_threads).verdict == "inconclusive"
    serial_only = cpu_records()[lambda rows: rows.model == "serial"]
    assert c09_c14.processes_bypass_gil(serial_only).verdict == "inconclusive"


def test_c09_takes_capacity_from_the_start_method_surest_to_show_it():
    """Spawn's median is the highest, but 3 slow rounds of 9 put its interval across the bar; fork's clears it: the
    machine did run 2 processes at once, so flat threads speak of the GIL."""
    records = cpu_records()
    spawn = records.index[(records["model"] == "spawn") & (records["workers"] == 2) & (records["lifecycle"] == "warm")]
    rounds = [0.1] * 3 + [0.1 / 2.05] * 6  # 1.0x in 3 rounds, 2.05x in 6, against a 0.05 s serial task
    records.loc[spawn, "rounds_s"] = pd.Series([rounds], index=spawn)
    records.loc[spawn, "baseline_s"] = pd.Series([[0.05] * 9], index=spawn)
    decided = c09_c14.gil_serialises_threads(records)
    assert decided.verdict == "confirmed", decided.evidence
