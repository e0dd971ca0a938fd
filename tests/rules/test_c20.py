"""C20 on synthetic lost-update records: lost updates per operation and switch interval, over 3 rounds of
4 x 1000 updates."""

import pytest
from analysis.rules import c20

from tests.rules.synthetic import frame, timed

KINDS = {
    "global_iadd": "read-modify-write",
    "attribute_iadd": "read-modify-write",
    "read_call_write": "read-modify-write",
    "locked_iadd": "locked",
    "list_append": "single operation",
    "count_next": "single operation",
}


def lost_records(lost=None):
    """`lost`: {(operation, interval in s): updates lost}; every other combination lost none."""
    lost = lost or {}
    rows = [
        dict(
            measurement="lost_updates",
            operation=operation,
            kind=kind,
            switch_interval_s=interval,
            threads=4,
            expected_per_round=4000,
            rounds=3,
            lost_total=lost.get((operation, interval), 0),
            **timed(0.01, rounds=3),
        )
        for operation, kind in KINDS.items()
        for interval in (0.005, 1e-6)
    ]
    return frame(rows)


EVERY_CHANGE_LOST = {(op, i): 100 for op, kind in KINDS.items() if kind == "read-modify-write" for i in (0.005, 1e-6)}


@pytest.mark.parametrize(
    "lost, verdict",
    [
        ({("read_call_write", 1e-6): 5000}, "partly"),
        ({("list_append", 1e-6): 7}, "partly"),
        (EVERY_CHANGE_LOST, "refuted"),
        ({}, "confirmed"),
    ],
)
def test_c20_decides_on_counts_alone(lost, verdict):
    decided = c20.gil_prevents_conflicts(lost_records(lost))
    assert decided.verdict == verdict and decided.interval is None


def test_c20_says_where_updates_were_lost_and_how_many_were_made():
    partly = c20.gil_prevents_conflicts(lost_records({("read_call_write", 1e-6): 5000}))
    assert "lost updates with a read and a write with a call between (5,000 of 12,000 at 0.001 ms);" in partly.evidence
    assert "none with `+= 1` on a global (5, 0.001 ms)" in partly.evidence
    confirmed = c20.gil_prevents_conflicts(lost_records())
    assert "no conflict observed in 120,000 unlocked updates" in confirmed.evidence
    assert confirmed.numbers["unlocked_updates"] == 120000


def test_c20_partly_names_each_operation_and_interval_that_lost_updates():
    decided = c20.gil_prevents_conflicts(lost_records({("read_call_write", 1e-6): 5000, ("list_append", 0.005): 7}))
    assert decided.evidence.endswith(
        "; but a read and a write with a call between at 0.001 ms: lost updates; list.append at 5 ms: lost updates"
    )


@pytest.mark.parametrize(
    "records, reason",
    [
        (lost_records({("locked_iadd", 0.005): 3}), "under a Lock were lost"),
        (lost_records()[lambda rows: rows.kind != "locked"], "no records of both"),
        (lost_records().assign(measurement="other"), "no lost-update records"),
    ],
)
def test_c20_is_inconclusive_without_a_sound_lock_or_records(records, reason):
    decided = c20.gil_prevents_conflicts(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
