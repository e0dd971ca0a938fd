"""C16 on synthetic records: private memory per extra idle worker, a process's as a multiple of a thread's."""

import pytest
from analysis.rules import c16

from tests.rules.synthetic import PROCESSES, frame, spread_around, timed


def footprint_records(thread=0.02, processes=(1.4, 7.7, 4.7), spread=0.02, rounds=7):
    """C16 rows: private MiB per extra idle worker, per round spread around the given medians."""
    rows = []
    for model, slope in zip(["threads"] + PROCESSES, (thread,) + tuple(processes)):
        rows.append(
            dict(
                measurement="idle_workers",
                model=model,
                uss_mib_per_worker=slope,
                pss_mib_per_worker=slope * 1.1,
                uss_slopes_mib=spread_around(slope, spread, rounds),
                **timed(0.2),
            )
        )
    return frame(rows)


@pytest.mark.parametrize(
    "processes, verdict",
    [
        ((1.4, 7.7, 4.7), "confirmed"),
        ((0.02, 0.02, 0.02), "refuted"),
        ((1.4, 0.02, 4.7), "partly"),
        ((1.4, 0.03, 4.7), "inconclusive"),  # 1.5x: between "not larger" and "larger"
    ],
)
def test_c16_compares_memory_per_extra_worker(processes, verdict):
    decided = c16.processes_cost_memory(footprint_records(processes=processes))
    assert decided.verdict == verdict
    assert decided.numbers["fork_vs_thread"] == pytest.approx(processes[0] / 0.02, rel=0.01)


@pytest.mark.parametrize(
    "records, reason",
    [
        (footprint_records(processes=(1.4, 0.04, 4.7), spread=0.9), "too noisy: CI ["),
        (footprint_records(rounds=1), "no interval"),
        (footprint_records(thread=0.0), "no private memory"),
        (footprint_records()[lambda rows: rows.model != "threads"], "no idle-worker memory records"),
        (footprint_records()[lambda rows: rows.model == "threads"], "no idle-worker memory records"),
    ],
)
def test_c16_is_inconclusive_on_noise_or_missing_records(records, reason):
    decided = c16.processes_cost_memory(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c16_names_the_start_method_that_decided_nothing_or_was_not_larger():
    between = c16.processes_cost_memory(footprint_records(processes=(1.4, 0.03, 4.7)))
    assert between.evidence.endswith("; spawn: between not larger (1.1x) and larger (2x)")
    assert between.interval.value == pytest.approx(1.5, rel=0.01)
    smaller = c16.processes_cost_memory(footprint_records(processes=(1.4, 0.02, 4.7)))
    assert smaller.evidence.endswith("; but spawn: not larger: <= 1.1x")
