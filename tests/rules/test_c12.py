"""C12 on synthetic interleaving records: a row per switch interval, with what the time stamps showed."""

import pytest
from analysis.rules import c12

from tests.rules.synthetic import frame, timed


def interleaving_records(overlap=0.0, windows_both=(1.0, 1.0), cpus=2, turn_p90_s=0.009, cpu_per_wall=1.0):
    """C12 rows at 5 ms and 1 ms switch intervals: both threads' overlap and the share of windows both progressed."""
    rows = [
        dict(
            measurement="interleaving",
            switch_interval_s=interval,
            overlap_share=overlap,
            windows=20,
            window_switches=4,
            windows_both_share=both,
            turns=40,
            turn_median_s=interval,
            turn_p90_s=turn_p90_s,
            turn_median_stamps=500,
            spin=1000,
            threads_cpu_per_wall=cpu_per_wall + overlap,
            **timed(0.1),
        )
        for interval, both in zip((0.005, 0.001), windows_both)
    ]
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "overlap, windows_both, verdict",
    [
        (0.0, (1.0, 1.0), "confirmed"),
        (0.95, (1.0, 1.0), "refuted"),
        (0.0, (0.5, 1.0), "partly"),
        (0.2, (1.0, 1.0), "inconclusive"),
    ],
)
def test_c12_decides_on_overlap_then_interleaving(overlap, windows_both, verdict):
    decided = c12.threads_interleave(interleaving_records(overlap, windows_both))
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["turn_median_ms_5ms"] == pytest.approx(5.0)


def test_c12_partly_names_the_switch_interval_where_one_thread_ran_alone():
    decided = c12.threads_interleave(interleaving_records(windows_both=(0.5, 1.0)))
    assert decided.evidence.endswith("; but interleaved: at 5 ms one thread ran on alone through over 10% of windows")


def test_c12_inconclusive_names_the_undecided_part():
    decided = c12.threads_interleave(interleaving_records(overlap=0.2))
    assert decided.evidence.endswith("; one at a time: overlap neither under 5% nor over 50% everywhere")


@pytest.mark.parametrize(
    "records, reason",
    [
        (interleaving_records(cpus=1), "1 usable CPU"),
        (interleaving_records().assign(measurement="other"), "no interleaving records"),
        (interleaving_records(turn_p90_s=None), "no interleaving records with two turns or more"),
        (interleaving_records(windows_both=(1.0, 0.7), cpu_per_wall=0.8), "at 1 ms the threads got under 0.9 CPU"),
    ],
)
def test_c12_is_inconclusive_on_one_cpu_or_without_full_records(records, reason):
    decided = c12.threads_interleave(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
