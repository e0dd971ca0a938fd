"""C04 on synthetic records: hardware threads per core, and 200 OS threads waiting together in one process."""

import pytest
from analysis.rules import c04

from tests.rules.synthetic import frame, timed


def cpu_thread_records(logical=2, physical=2, alive=200, waits_taken=1.2, spread=0.02):
    """C04 rows: the CPU counts, and 200 threads whose waits of 0.2 s took `waits_taken` waits in all."""
    return frame(
        [
            dict(
                measurement="cpu_counts",
                logical_cpus=logical,
                physical_cpus=physical,
                usable_cpus=logical,
                **timed(1e-4),
            ),
            dict(
                measurement="threads_alive_at_once",
                threads=200,
                wait_s=0.2,
                threads_alive_at_once=alive,
                **timed(0.2 * waits_taken, spread),
            ),
        ]
    )


@pytest.mark.parametrize(
    "records, verdict",
    [
        (cpu_thread_records(logical=4, physical=2), "confirmed"),
        (cpu_thread_records(), "partly"),
        (cpu_thread_records(logical=4, physical=2, alive=4, waits_taken=50), "partly"),
        (cpu_thread_records(alive=4, waits_taken=50), "refuted"),
    ],
)
def test_c04_tells_hardware_threads_from_os_threads(records, verdict):
    decided = c04.os_threads_vs_cores(records)
    assert decided.verdict == verdict
    assert decided.numbers["hardware_threads_per_core"] == records["logical_cpus"].iloc[0] / 2


def test_c04_without_smt_says_4_fits_only_hardware_threads():
    decided = c04.os_threads_vs_cores(cpu_thread_records())
    assert "1 hardware thread per core" in decided.evidence and "SMT" in decided.evidence
    assert decided.interval.low <= 1.2 <= decided.interval.high


def test_c04_partly_names_what_failed():
    decided = c04.os_threads_vs_cores(cpu_thread_records(logical=4, physical=2, alive=4, waits_taken=50))
    assert decided.verdict == "partly" and "but OS threads: only 4 of 200 alive at once" in decided.evidence
    assert "hardware threads on a dual core" not in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (cpu_thread_records(physical=None), "physical cores"),
        (cpu_thread_records(waits_taken=2.0, spread=0.5), "OS threads: too noisy"),
        (cpu_thread_records()[lambda rows: rows.measurement != "cpu_counts"], "no records"),
    ],
)
def test_c04_inconclusive_paths(records, reason):
    decided = c04.os_threads_vs_cores(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
