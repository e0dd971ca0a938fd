"""C05 on synthetic start costs: process starts paired with thread starts from the small parent, pools paired with
thread pools, and the same starts from inside pytest."""

import pytest
from analysis.rules import c05

from tests.rules.synthetic import frame, paired

THREAD_MS = 0.09  # one thread started and joined, here
PROCESS_MS = {"fork": 3.0, "spawn": 130.0, "forkserver": 4.0}
STARTS, THREAD_STARTS = 10, 200


def start_records(process_ms=PROCESS_MS, pool_factor=20.0, spread=0.02, rounds=9, pytest_extra_ms=70.0):
    """C05 rows: per start method, 10 starts per round paired with 200 thread starts; pools paired with a thread
    pool; the thread-vs-thread null controls; and the starts made from pytest's process."""
    rows = []
    for model, ms in [("threads", THREAD_MS)] + list(process_ms.items()):
        count = THREAD_STARTS if model == "threads" else STARTS
        for measurement, extra in [("start_to_joined", 0.0), ("start_to_joined_under_pytest", pytest_extra_ms)]:
            rows.append(
                dict(
                    measurement=measurement,
                    model=model,
                    starts_per_round=count,
                    baseline_starts_per_round=THREAD_STARTS,
                    null_control=model == "threads" and measurement == "start_to_joined",
                    **paired(count * (ms + (extra if model != "threads" else 0)) / 1000, 0.018, spread, rounds),
                )
            )
        pool = 0.0003 * (1 if model == "threads" else pool_factor)
        rows.append(dict(measurement="pool_first_result", model=model, **paired(pool, 0.0003, spread, rounds)))
    return frame(rows)


OUTCOMES = {
    "C05": {
        "confirmed": lambda: start_records(),
        "inconclusive": lambda: start_records(process_ms=dict(PROCESS_MS, fork=0.5)),  # fork only 5.6x a thread
    }
}


def test_c05_confirmed_names_every_start_method_and_both_measures():
    decided = c05.threads_are_lightweight(start_records())
    assert decided.verdict == "confirmed" and decided.evidence.endswith("(lightweight: >= 10x)")
    assert decided.numbers["fork_start_to_joined"] == pytest.approx(3.0 / 0.09, rel=0.05)
    assert decided.numbers["thread_start_to_joined_ms"] == pytest.approx(0.09, rel=0.05)


def test_c05_reports_what_pytest_adds_to_a_start():
    decided = c05.threads_are_lightweight(start_records(pytest_extra_ms=70.0))
    assert "+70.0 ms (spawn)" in decided.evidence and decided.numbers["spawn_under_pytest_extra_ms"] == 70.0


@pytest.mark.parametrize(
    "records, reason",
    [
        (start_records(process_ms=dict(PROCESS_MS, fork=0.5)), "fork (start_to_joined): between"),
        (start_records(pool_factor=8.0, spread=0.5), "too noisy"),
        (start_records(rounds=5), "5 rounds give no interval"),
        (start_records()[lambda rows: rows.measurement != "start_to_joined"], "no start-to-joined records"),
    ],
)
def test_c05_inconclusive_says_why(records, reason):
    decided = c05.threads_are_lightweight(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c05_says_why_it_cannot_be_refuted_or_partly():
    assert set(c05.threads_are_lightweight.cannot) == {"refuted", "partly"}
