"""C07 on synthetic I/O-scaling records: threads help on every workload, on some, on none, or it is unclear."""

import pytest
from analysis.rules import c07

from tests.rules.synthetic import PROCESSES, frame, timed


def io_records(sleep=25.0, loopback=25.0, processes=15.0, spread=0.02):
    """C07 rows at N = 1 and 32: serial takes N waits; threads and processes at the given speedups (at N = 32)."""
    rows = []
    for workload, threads in [("sleep", sleep), ("loopback", loopback)]:
        for n in (1, 32):
            rows.append(dict(measurement="io_scaling", model="serial", workers=n, workload=workload, **timed(0.01 * n)))
            for model, speedup in [("threads", threads)] + [(m, processes) for m in PROCESSES]:
                time = 0.01 * n / (speedup if n > 1 else 1)
                rows.append(
                    dict(measurement="io_scaling", model=model, workers=n, workload=workload, **timed(time, spread))
                )
    return frame(rows)


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
