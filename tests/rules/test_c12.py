"""C12 on synthetic interleaving records: a row per switch interval (5 ms and 1 ms), with what the time stamps showed
per round, as a GIL build, a free-threaded build and a free-threaded build with contention record them."""

import numpy as np
import pytest
from analysis.rules import c12

from tests.rules.synthetic import frame, noisy, timed


def interleaving_records(
    overlap=0.0002, windows_both=(1.0, 0.99), cpus=2, together=(95.0, 480.0), cpu_per_wall=1.0, spread=0.3, rounds=9
):
    """C12 rows at 5 ms and 1 ms: per round, the share of running time both threads ran at once (around `overlap`),
    and the switch intervals the threads spent in their loops together (`together`, over all rounds)."""
    rows = []
    for interval, both, intervals in zip((0.005, 0.001), windows_both, together):
        by_round = [min(1.0, share) for share in noisy(overlap, spread, rounds, seed=int(interval * 1e4))]
        taking_turns = overlap <= 0.05
        rows.append(
            dict(
                measurement="interleaving",
                switch_interval_s=interval,
                overlap_share=float(np.mean(by_round)),
                overlap_share_by_round=by_round,
                switch_intervals_together=intervals,
                windows=int(intervals / 4),
                window_switches=4,
                windows_both_share=both,
                turns=int(intervals) if taking_turns else 40000,
                turn_median_s=interval * 1.03 if taking_turns else 8e-6,
                turn_p90_s=interval * 1.6 if taking_turns else 2e-5,
                turn_median_stamps=500 if taking_turns else 1,
                spin=1000,
                threads_cpu_per_wall=cpu_per_wall * (1 + overlap),
                **timed(0.08, rounds=rounds),
            )
        )
    return frame(rows, cpus)


FREE_THREADED = dict(overlap=0.96, spread=0.02, together=(30.0, 150.0))  # two loops at once: half the wall time
CONTENDED = dict(overlap=0.45, spread=0.1, together=(45.0, 220.0))  # free-threaded, stalled on a shared object

OUTCOMES = {
    "C12": {
        "confirmed": lambda: interleaving_records(**FREE_THREADED),
        "refuted": lambda: interleaving_records(),  # a GIL build: they took turns every switch interval
        "partly": lambda: interleaving_records(**CONTENDED),
        "inconclusive": lambda: interleaving_records(cpus=1),
    }
}


@pytest.mark.parametrize(
    "records, verdict, summary",
    [
        (interleaving_records(), "refuted", "confirmed"),
        (interleaving_records(**FREE_THREADED), "confirmed", "refuted"),
        (interleaving_records(**CONTENDED), "partly", "refuted"),
        (interleaving_records(windows_both=(0.5, 1.0)), "refuted", "partly"),
    ],
)
def test_c12_judges_the_example_and_gives_the_summary_its_own_outcome(records, verdict, summary):
    decided = c12.threads_run_in_parallel(records)
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["one_at_a_time_outcome"] == summary
    assert 'the summary\'s "only one statement at a time": {} ('.format(summary) in decided.evidence


def test_c12_refuted_says_they_took_turns_and_how_long_a_turn_was():
    decided = c12.threads_run_in_parallel(interleaving_records())
    assert decided.evidence.startswith("at the default 5 ms switch interval the two CPU-bound threads ran at the")
    assert (
        "a turn lasted a median 5.15 ms" in decided.evidence and "over 95 switch intervals together" in decided.evidence
    )
    assert decided.evidence.endswith("(took turns: <= 0.05 of their time, not most of the time: <= 0.8 of their time)")
    assert decided.interval.high <= 0.05


def test_c12_partly_names_what_the_threads_did_not_do():
    decided = c12.threads_run_in_parallel(interleaving_records(**CONTENDED))
    assert decided.evidence.endswith("; but most of the time: not most of the time: <= 0.8 of their time")


def test_c12_summary_half_names_a_thread_that_ran_on_alone():
    decided = c12.threads_run_in_parallel(interleaving_records(windows_both=(0.5, 1.0)))
    assert "at 5 ms one thread ran on alone through over 10% of windows" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (interleaving_records(cpus=1), "only 1 usable CPU"),
        (interleaving_records(together=(12.0, 60.0)), "12 switch intervals inside their loops together (under 20)"),
        (interleaving_records(overlap=0.05, spread=0.3), "too noisy"),
        (interleaving_records(overlap=0.8, spread=0.2), "too noisy"),
        (interleaving_records(rounds=4), "4 rounds give no interval"),
        (interleaving_records().assign(measurement="other"), "no interleaving records"),
        (interleaving_records()[lambda rows: rows.switch_interval_s < 0.005], "no interleaving records at the default"),
    ],
)
def test_c12_is_inconclusive_on_one_cpu_too_few_turns_or_noise(records, reason):
    decided = c12.threads_run_in_parallel(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence, decided.evidence


def test_c12_summary_half_is_undecided_when_another_load_took_turns_from_the_threads():
    decided = c12.threads_run_in_parallel(interleaving_records(windows_both=(1.0, 0.7), cpu_per_wall=0.8))
    assert decided.numbers["one_at_a_time_outcome"] == "inconclusive"
    assert "at 1 ms the threads got under 0.9 CPU-seconds per second" in decided.evidence
