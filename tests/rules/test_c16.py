"""C16 on synthetic records: private memory per extra idle worker, a process's as a multiple of a thread's, per
round pair."""

import pytest
from analysis.rules import c16

from tests.rules.synthetic import PROCESSES, frame, noisy, timed

ROUNDS = 9


def footprint_records(thread=0.02, processes=(1.4, 7.7, 4.7), spread=0.02, rounds=ROUNDS, thread_rounds=None):
    """C16 rows: private MiB per extra idle worker, per round with lognormal noise around the given medians (or,
    for threads, exactly `thread_rounds`)."""
    rows = []
    for seed, (model, slope) in enumerate(zip(["threads"] + PROCESSES, (thread,) + tuple(processes))):
        slopes = thread_rounds if model == "threads" and thread_rounds else noisy(slope, spread, rounds, seed)
        rows.append(
            dict(
                measurement="idle_workers",
                model=model,
                worker_grid=[1, 2, 4, 8],
                uss_mib=[30 + slope * n for n in (1, 2, 4, 8)],
                uss_mib_per_worker=slope,
                pss_mib_per_worker=slope * 1.1,
                uss_slopes_mib=slopes,
                pss_slopes_mib=[s * 1.1 for s in slopes],
                **timed(0.2, rounds=len(slopes)),
            )
        )
    return frame(rows)


OUTCOMES = {
    "C16": {
        "confirmed": lambda: footprint_records(),  # CPython 3.11 here: 1.4/7.7/4.7 MiB a process, 0.02 a thread
        # Memory pressure: the kernel reclaimed a few of the interpreter's pages while threads were added in one
        # round, so that round's thread slope came out below zero; a ratio over it would mean nothing.
        "inconclusive": lambda: footprint_records(
            thread_rounds=[0.021, 0.019, 0.02, -0.004, 0.02, 0.018, 0.022, 0.02, 0.02]
        ),
    }
}


def test_c16_confirmed_compares_memory_per_extra_worker():
    decided = c16.processes_cost_memory(footprint_records())
    assert decided.verdict == "confirmed"
    assert decided.numbers["fork_vs_thread"] == pytest.approx(1.4 / 0.02, rel=0.05)
    assert decided.evidence.endswith("(larger: >= 2x)")


@pytest.mark.parametrize(
    "processes, verdict",
    [
        # Outcomes no CPython produces (see the rule's `cannot`), still read as a reader expects.
        ((0.02, 0.02, 0.02), "refuted"),
        ((1.4, 0.02, 4.7), "partly"),
    ],
)
def test_c16_would_name_a_start_method_no_larger_than_a_thread(processes, verdict):
    decided = c16.processes_cost_memory(footprint_records(processes=processes))
    assert decided.verdict == verdict
    if verdict == "partly":
        assert decided.evidence.endswith("; but spawn: not larger: <= 1.1x")


@pytest.mark.parametrize(
    "records, reason",
    [
        (footprint_records(processes=(1.4, 0.03, 4.7)), "spawn: between not larger (1.1x) and larger (2x)"),
        (footprint_records(processes=(1.4, 0.04, 4.7), spread=0.9), "too noisy: CI ["),
        (footprint_records(rounds=5), "no interval"),
        (footprint_records(thread=0.0), "no private memory in 9 of 9 rounds"),
        (
            footprint_records(thread_rounds=[0.021, 0.019, 0.02, -0.004, 0.02, 0.018, 0.022, 0.02, 0.02]),
            "no private memory in 1 of 9 rounds (-0.0040 MiB at least)",
        ),
        (footprint_records(thread_rounds=[0.02] * 7), "recorded other rounds than threads"),
        (footprint_records()[lambda rows: rows.model != "threads"], "no idle-worker memory records"),
        (footprint_records()[lambda rows: rows.model == "threads"], "no idle-worker memory records"),
    ],
)
def test_c16_is_inconclusive_on_noise_flat_threads_or_missing_records(records, reason):
    decided = c16.processes_cost_memory(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c16_an_undecided_start_method_carries_its_interval():
    between = c16.processes_cost_memory(footprint_records(processes=(1.4, 0.03, 4.7)))
    assert between.interval.value == pytest.approx(1.5, rel=0.05)
