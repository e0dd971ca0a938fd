"""C17 on synthetic round trips timed in pairs: each process channel against a thread's queue.Queue (30 us a round
trip at every size) with the same payload, at each size; the Pipe at the ratio given, the others dearer."""

import pytest
from analysis.rules import c17

from tests.rules.synthetic import frame, paired

SIZES = [8, 1024, 65536, 2**20, 2**24]
OTHERS = [("multiprocessing.Queue", 3.0), ("multiprocessing.shared_memory", 1.5)]
CONFIRMED = {8: 1.2, 1024: 1.25, 65536: 2.5, 2**20: 15.0, 2**24: 800.0}  # 3.8, 3.12 and 3.13 here
PARTLY = {8: 0.93, 1024: 0.95, 65536: 2.5, 2**20: 15.0, 2**24: 800.0}  # 3.11 here: a Pipe as fast as a thread's queue


def ipc_records(ratios, spread=0.02, rounds=9, noisy=(), control=True):
    """C17 rows: at each size, 100 round trips per round up to 1 MiB and 1 from there on; the Pipe at `ratios[size]`
    times the thread's, the other process channels dearer (the sizes in `noisy` with a spread of 0.4)."""
    rows = []
    for k, (size, ratio) in enumerate(sorted(ratios.items())):
        trips = max(1, min(100, 2**20 // size))
        for n, (channel, worse) in enumerate([("multiprocessing.Pipe", 1.0)] + OTHERS):
            times = paired(
                3e-5 * trips * ratio * worse, 3e-5 * trips, 0.4 if size in noisy else spread, rounds, 3 * k + n
            )
            rows.append(dict(measurement="round_trip", channel=channel, size_bytes=size, round_trips=trips, **times))
    if control:
        times = paired(3e-3, 3e-3, spread, rounds, seed=99)
        rows.append(
            dict(
                measurement="round_trip",
                channel="queue.Queue",
                size_bytes=8,
                round_trips=100,
                null_control=True,
                **times,
            )
        )
    return frame(rows)


OUTCOMES = {
    "C17": {
        "confirmed": lambda: ipc_records(CONFIRMED),
        "partly": lambda: ipc_records(PARTLY),
        "inconclusive": lambda: ipc_records({**CONFIRMED, 8: 1.1}, noisy=(8,)),  # a busy machine
    }
}


@pytest.mark.parametrize("ratios, verdict", [(CONFIRMED, "confirmed"), (PARTLY, "partly")])
def test_c17_judges_the_cheapest_process_channel_at_every_size(ratios, verdict):
    decided = c17.ipc_costs_more(ipc_records(ratios))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["ratio_16777216"] == pytest.approx(800, rel=0.05)
    assert decided.numbers["channel_8"] == "multiprocessing.Pipe"
    # 16 MiB both ways in 800 x 30 us
    assert decided.numbers["best_process_mib_per_s_at_largest"] == pytest.approx(2 * 16 / 0.024, rel=0.05)


def test_c17_partly_says_from_which_size_processes_cost_more_and_where_not():
    decided = c17.ipc_costs_more(ipc_records(PARTLY))
    assert decided.numbers["costs_more_from_bytes"] == 65536
    assert decided.evidence.endswith("; but at 8 B: no more: <= 1.1x; at 1 KiB: no more: <= 1.1x")


def test_c17_a_noisy_size_does_not_change_partly():
    decided = c17.ipc_costs_more(ipc_records({**PARTLY, 1024: 1.1}, noisy=(1024,)))
    assert decided.verdict == "partly" and decided.evidence.endswith("; but at 8 B: no more: <= 1.1x")


def test_c17_no_more_at_every_size_would_refute():
    """Cannot occur (the rule's `cannot`: 16 MiB is copied both ways); the rule still reads such records as they are."""
    assert c17.ipc_costs_more(ipc_records({8: 1.0, 2**24: 1.0})).verdict == "refuted"


@pytest.mark.parametrize(
    "records, reason",
    [
        (ipc_records({**CONFIRMED, 8: 1.1}, noisy=(8,)), "at 8 B: too noisy"),
        (ipc_records(CONFIRMED, rounds=5), "5 rounds give no interval"),
        (ipc_records(CONFIRMED)[lambda rows: rows.channel == "queue.Queue"], "no round-trip records of a process"),
        (ipc_records(CONFIRMED).assign(measurement="other"), "no round-trip records"),
    ],
)
def test_c17_is_inconclusive_and_says_why(records, reason):
    decided = c17.ipc_costs_more(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
