"""C06 on synthetic records: a 100 Hz UI loop's lateness and an I/O thread's round trips beside CPU-bound work."""

import pytest
from analysis.rules import c06

from tests.rules.synthetic import frame, spread_around, timed


def responsiveness_records(thread_p99=0.006, idle_p99=0.0002, convoy=20.0, spread=0.02, rounds=7, with_convoy=True):
    """C06 rows: each tick case's p99 lateness per round (10 ms ticks), and round trips idle and under load."""
    rows = []
    for load, interval_ms, p99 in [
        ("none", 5, idle_p99),
        ("thread", 5, thread_p99),
        ("thread", 0.1, 0.0004),
        ("thread", 50, 0.05),
        ("process", 5, idle_p99),
    ]:
        rows.append(
            dict(
                measurement="tick_lateness",
                load=load,
                switch_interval_ms=interval_ms,
                tick_period_s=0.01,
                lateness_p99_by_round_s=spread_around(p99, spread, rounds),
                lateness_p99_s=p99,
                lateness_median_s=p99 / 2,
                frames_missed=int(p99 > 0.01),
                **timed(0.25),
            )
        )
    if with_convoy:
        for load, slowdown in [("none", 1.0), ("thread", convoy), ("process", 1.0)]:
            rows.append(
                dict(measurement="convoy", load=load, switch_interval_ms=5.0, **timed(0.005 * slowdown, spread, rounds))
            )
    return frame(rows)


# Ticks a period late while the round trips keep their pace were refuted (the ticks decided first); combine's one
# order of checks makes that mix partly.
@pytest.mark.parametrize(
    "records, verdict",
    [
        (responsiveness_records(), "partly"),
        (responsiveness_records(convoy=1.0), "confirmed"),
        (responsiveness_records(thread_p99=0.05), "refuted"),
        (responsiveness_records(thread_p99=0.05, convoy=1.0), "partly"),
    ],
)
def test_c06_judges_the_ticks_and_the_convoy(records, verdict):
    decided = c06.threads_keep_ui_responsive(records)
    assert decided.verdict == verdict
    assert decided.numbers["thread_p99_ms"] == pytest.approx(records.lateness_p99_s[1] * 1000)
    assert "p99 50.0 ms at a 50 ms switch interval" in decided.evidence


def test_c06_partly_rests_on_the_convoy_interval():
    decided = c06.threads_keep_ui_responsive(responsiveness_records(convoy=20.0))
    assert decided.interval.low <= 20.0 <= decided.interval.high and "convoy" in decided.evidence


@pytest.mark.parametrize(
    "records, failed",
    [
        (responsiveness_records(), "but round trips: convoy: >= 2x"),
        (responsiveness_records(thread_p99=0.05, convoy=1.0), "but ticks: drops frames: >= 1x"),
    ],
)
def test_c06_partly_names_what_failed(records, failed):
    decided = c06.threads_keep_ui_responsive(records)
    assert decided.verdict == "partly" and decided.evidence.endswith(failed)


@pytest.mark.parametrize(
    "records, reason",
    [
        (responsiveness_records(thread_p99=0.0099, spread=0.3), "ticks: too noisy"),
        (responsiveness_records(convoy=2.0, spread=0.5), "round trips: too noisy"),
        (responsiveness_records(idle_p99=0.008), "too busy"),
        (responsiveness_records(with_convoy=False), "no convoy records"),
        (responsiveness_records(rounds=1), "no interval"),
        (responsiveness_records()[lambda rows: rows.load != "thread"], "no tick records"),
    ],
)
def test_c06_is_inconclusive_and_says_why(records, reason):
    decided = c06.threads_keep_ui_responsive(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
