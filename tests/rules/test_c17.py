"""C17 on synthetic round-trip records: the best process channel against a thread's queue.Queue at every size."""

import pandas as pd
import pytest
from analysis.rules import c17

from tests.rules.synthetic import frame, timed


def ipc_records(ratios, spread=0.02, rounds=7):
    """C17 rows: a thread round trip takes 0.1 ms at every size; the Pipe `ratios[size]` times that, the other
    process channels more."""
    rows = []
    for size, ratio in ratios.items():
        rows.append(dict(measurement="round_trip", channel="queue.Queue", size_bytes=size, **timed(1e-4)))
        for channel, worse in [
            ("multiprocessing.Queue", 3.0),
            ("multiprocessing.Pipe", 1.0),
            ("multiprocessing.shared_memory", 1.5),
        ]:
            rows.append(
                dict(
                    measurement="round_trip",
                    channel=channel,
                    size_bytes=size,
                    **timed(1e-4 * ratio * worse, spread, rounds),
                )
            )
    return frame(rows)


@pytest.mark.parametrize(
    "ratios, verdict",
    [
        ({8: 3.0, 1024: 3.0, 2**26: 1000.0}, "confirmed"),
        ({8: 1.0, 1024: 0.5, 2**26: 1.0}, "refuted"),
        ({8: 0.6, 1024: 0.8, 2**26: 1000.0}, "partly"),
    ],
)
def test_c17_compares_the_best_process_channel_with_a_thread_at_every_size(ratios, verdict):
    decided = c17.ipc_costs_more(ipc_records(ratios))
    assert decided.verdict == verdict
    assert decided.numbers["ratio_67108864"] == pytest.approx(ratios[2**26], rel=0.01)
    assert decided.numbers["channel_8"] == "multiprocessing.Pipe"


def test_c17_partly_says_from_which_size_processes_cost_more_and_where_not():
    """A size that decides nothing cannot change `partly`, so the evidence names only the sizes that were no more."""
    records = pd.concat([ipc_records({8: 0.6, 2**26: 1000.0}), ipc_records({1024: 1.1}, spread=0.3)])
    decided = c17.ipc_costs_more(records)
    assert decided.verdict == "partly" and decided.numbers["costs_more_from_bytes"] == 2**26
    assert decided.evidence.endswith("; but at 8 B: no more: <= 1.1x")


@pytest.mark.parametrize(
    "records, reason",
    [
        (
            pd.concat([ipc_records({8: 3.0, 2**26: 1000.0}), ipc_records({1024: 1.1}, spread=0.3)]),
            "at 1 KiB: too noisy",
        ),
        (ipc_records({8: 3.0}, rounds=1), "no interval"),
        (ipc_records({8: 3.0})[lambda rows: rows.channel == "queue.Queue"], "no round-trip records of a thread and"),
        (ipc_records({8: 3.0})[lambda rows: rows.channel != "queue.Queue"], "no round-trip records of a thread and"),
        (ipc_records({8: 3.0}).assign(measurement="other"), "no round-trip records"),
    ],
)
def test_c17_is_inconclusive_and_says_why(records, reason):
    decided = c17.ipc_costs_more(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
