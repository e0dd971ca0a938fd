"""C21 on synthetic weak-scaling release records: threads on C code that releases the GIL, on a sleep and on pure
Python, beside processes on pure Python (the positive control); GIL and free-threaded builds, 1, 2, 16 and 64
usable CPUs, a container whose CPU quota is below its CPU list, a busy machine, and noise."""

import pytest
from analysis.rules import c21

from tests.rules.synthetic import flat, frame, grid, linear, scaled

C_CODE = ["sha256", "zlib", "file_read"]


def release_records(
    cpus=2, curves=None, cores=None, processes=None, spread=0.02, rounds=9, grid_cpus=None, workloads=None
):
    """C21 rows as experiments/test_c21_gil_releasing_code.py records them: the serial null control; threads on
    every workload at every N of the grid (`curves`: {workload: N -> speedup}, default a GIL build: C code
    scales, pure Python stays flat; the cores kept busy follow the speedup unless `cores` says); processes on pure
    Python at the largest N the usable CPUs run at once (`processes`, default linear)."""
    curves = dict(gil(cpus), **(curves or {}))
    cores, processes = cores or {}, processes or linear(cpus)
    rows = [dict(model="serial", workers=1, workload="pure_python", null_control=True, **scaled(1, 1.0, 1.0))]
    points = grid(grid_cpus or max(1, int(cpus)))
    for workload in workloads or list(curves):
        for n in points:
            busy = 0.02 if workload == "sleep" else cores.get(workload, curves[workload])(n)
            record = scaled(n, curves[workload](n), busy, spread=spread, rounds=rounds, seed=n)
            rows.append(dict(model="threads", workers=n, workload=workload, **record))
    control = max([n for n in points if n <= cpus] or [1])
    record = scaled(control, processes(control), processes(control), spread=spread, rounds=rounds, seed=99)
    rows.append(dict(model="fork", workers=control, workload="pure_python", **record))
    for row in rows:
        row.update(measurement="release_scaling", lifecycle="warm", bound="io" if row["workload"] == "sleep" else "cpu")
    return frame(rows, cpus)


def gil(cpus):
    """A GIL build: C code that releases the GIL scales to the CPUs, a sleep to N, pure Python not at all."""
    return dict({w: linear(cpus) for w in C_CODE}, sleep=lambda n: n, pure_python=flat)


def free_threaded(cpus):
    return {w: linear(cpus) for w in C_CODE + ["pure_python"]}


def holding(cpus):
    """An interpreter whose C code holds the GIL (none of CPython 3.8-3.14 with OpenSSL does)."""
    return {w: flat for w in C_CODE}


OUTCOMES = {
    "C21": {
        "confirmed": lambda: release_records(curves=holding(2)),
        "refuted": lambda: release_records(curves=free_threaded(2)),
        "partly": lambda: release_records(),  # a GIL build
        "inconclusive": lambda: release_records(processes=lambda n: 1.0),  # another program kept a CPU busy
    },
}


@pytest.mark.parametrize("cpus", [2, 16, 64])
@pytest.mark.parametrize("build, verdict", [(gil, "partly"), (free_threaded, "refuted"), (holding, "confirmed")])
def test_c21_on_2_16_and_64_cpus(cpus, build, verdict):
    decided = c21.gil_blocks_all_parallelism(release_records(cpus, curves=build(cpus)))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["workers"] == cpus  # judged at N = the usable CPUs, never the best of several N


def test_c21_partly_names_what_ran_on_several_cores():
    decided = c21.gil_blocks_all_parallelism(release_records())
    assert decided.evidence.endswith(
        "; but sha256: scales: >= 1.5x; sha256 cores: cores busy at once: >= 1.5x; zlib: scales: >= 1.5x; zlib cores:"
        " cores busy at once: >= 1.5x; file_read: scales: >= 1.5x; file_read cores: cores busy at once: >= 1.5x"
    )


def test_c21_reports_sleep_beside_without_judging_it():
    decided = c21.gil_blocks_all_parallelism(release_records(curves=holding(2)))
    assert decided.verdict == "confirmed" and decided.numbers["sleep_speedup"] == pytest.approx(2.0, rel=0.05)


def test_c21_busy_cores_without_a_speedup_is_contention_not_a_gil():
    """A free-threaded build whose pure-Python task contends inside the work: cores busy at once, no speedup."""
    contended = release_records(curves=dict(free_threaded(2), pure_python=flat), cores={"pure_python": linear(2)})
    decided = c21.gil_blocks_all_parallelism(contended)
    assert decided.verdict == "partly" and "pure_python cores: cores busy at once: >= 1.5x" in decided.evidence


def test_one_usable_cpu_decides_nothing():
    decided = c21.gil_blocks_all_parallelism(release_records(cpus=1, curves=holding(1)))
    assert decided.verdict == "inconclusive" and "fewer than 2 usable CPUs" in decided.evidence


def test_a_cpu_quota_below_the_cpu_list_is_what_counts():
    """A container limited to 1 CPU (cgroup cpu.max) on an 8-CPU host: threads and processes alike stay flat on
    every on-core workload; no verdict may read that as the GIL holding C code too."""
    records = release_records(cpus=1, curves=holding(1), processes=flat, grid_cpus=8)
    assert c21.gil_blocks_all_parallelism(records).verdict == "inconclusive"


def test_a_quota_of_4_cpus_on_a_64_cpu_host_is_judged_at_4():
    records = release_records(cpus=4, grid_cpus=4)
    decided = c21.gil_blocks_all_parallelism(records)
    assert decided.verdict == "partly" and decided.numbers["workers"] == 4


def test_c21_needs_processes_to_scale_in_the_same_run_before_flat_threads_mean_a_gil():
    decided = c21.gil_blocks_all_parallelism(release_records(curves=holding(2), processes=lambda n: min(n, 1.3)))
    assert decided.verdict == "inconclusive" and "machine's own capacity is not shown" in decided.evidence
    missing = release_records(curves=holding(2))[lambda rows: rows.model != "fork"]
    decided = c21.gil_blocks_all_parallelism(missing)
    assert decided.verdict == "inconclusive" and "no processes were recorded" in decided.evidence


def test_c21_judges_threads_at_n_equal_to_the_usable_cpus_not_at_the_best_n():
    """A noise burst that made pure Python look fast at N=4 on a GIL build does not decide: N=2 does."""
    burst = lambda n: 1.6 if n == 4 else 1.0  # noqa: E731
    decided = c21.gil_blocks_all_parallelism(release_records(curves=dict(holding(2), pure_python=burst)))
    assert decided.verdict == "confirmed" and decided.numbers["workers"] == 2


def test_noise_a_missing_workload_or_too_few_rounds_decide_nothing():
    noisy = c21.gil_blocks_all_parallelism(release_records(curves=holding(2), spread=0.4))
    assert noisy.verdict == "inconclusive" and "too noisy" in noisy.evidence
    missing = release_records(curves=holding(2), workloads=["sha256", "zlib", "sleep", "pure_python"])
    decided = c21.gil_blocks_all_parallelism(missing)
    assert decided.verdict == "inconclusive" and "file_read: no records" in decided.evidence
    few = c21.gil_blocks_all_parallelism(release_records(curves=holding(2), rounds=5))
    assert few.verdict == "inconclusive" and "5 rounds give no interval" in few.evidence


def test_without_records_nothing_is_decided():
    sleep_only = release_records(workloads=["sleep"])
    assert "no threads records of work that runs on a core" in c21.gil_blocks_all_parallelism(sleep_only).evidence
    no_threads = release_records()[lambda rows: rows.model != "threads"]
    assert c21.gil_blocks_all_parallelism(no_threads).verdict == "inconclusive"
