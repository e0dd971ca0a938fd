"""X04 on synthetic start costs from the small parent: each start method's starts paired with thread starts, on
platforms whose default is fork (Linux up to 3.13), forkserver (Linux from 3.14) or spawn (macOS, Windows)."""

import pytest
from analysis.rules import x04

from tests.rules.synthetic import frame, paired

THREAD_MS = 0.09  # one thread started and joined, here
PROCESS_MS = {"fork": 3.0, "spawn": 100.0, "forkserver": 15.0}
STARTS, THREAD_STARTS = 10, 200


def start_records(default="fork", process_ms=PROCESS_MS, spread=0.02, rounds=9, subinterpreter_ms=None):
    """start_to_joined rows: the thread-vs-thread null control and 10 starts per round of each start method (and of
    subinterpreters, if given) paired with 200 thread starts; every row carries the run's default start method."""
    models = [("threads", THREAD_MS)] + list(process_ms.items())
    models += [("subinterpreters", subinterpreter_ms)] if subinterpreter_ms else []
    rows = []
    for seed, (model, ms) in enumerate(models):
        count = THREAD_STARTS if model == "threads" else STARTS
        rows.append(
            dict(
                measurement="start_to_joined",
                model=model,
                starts_per_round=count,
                baseline_starts_per_round=THREAD_STARTS,
                null_control=model == "threads",
                start_method_default=default,
                **paired(count * ms / 1000, THREAD_STARTS * THREAD_MS / 1000, spread, rounds, seed=2 * seed),
            )
        )
    return frame(rows)


OUTCOMES = {
    "X04": {
        "confirmed": lambda: start_records(default="fork"),  # Linux up to 3.13
        "refuted": lambda: start_records(default="spawn"),  # macOS: spawn, the dearest of the three
        "partly": lambda: start_records(default="forkserver"),  # Linux from 3.14
        "inconclusive": lambda: start_records(default="spawn", process_ms={"spawn": 60.0}),  # Windows: spawn alone
    }
}


def test_x04_confirmed_names_the_default_the_cheapest_and_each_cost():
    decided = x04.default_start_method_is_cheapest(start_records(default="fork"))
    assert decided.verdict == "confirmed" and decided.evidence.endswith("(no dearer: <= 1.1x)")
    assert decided.numbers["default"] == decided.numbers["cheapest"] == "fork"
    assert decided.numbers["spawn_ms"] == pytest.approx(100.0, rel=0.05)
    assert decided.numbers["default_vs_spawn"] == pytest.approx(0.03, rel=0.05)
    assert decided.numbers["forkserver_vs_thread"] == pytest.approx(15.0 / THREAD_MS, rel=0.05)


def test_x04_partly_when_the_default_is_cheaper_than_one_and_dearer_than_another():
    decided = x04.default_start_method_is_cheapest(start_records(default="forkserver"))
    assert decided.verdict == "partly" and decided.numbers["cheapest"] == "fork"
    assert decided.evidence.endswith("; but forkserver against fork: dearer: >= 1.1x")
    assert decided.numbers["default_vs_fork"] == pytest.approx(5.0, rel=0.05)


def test_x04_refuted_when_the_default_is_the_dearest():
    decided = x04.default_start_method_is_cheapest(start_records(default="spawn"))
    assert decided.verdict == "refuted" and "the default here, spawn, cost 33." in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (start_records(default="spawn", process_ms={"spawn": 60.0}), "only spawn was measured"),
        (start_records(default="forkserver", process_ms={"fork": 3.0, "spawn": 100.0}), "default start method"),
        (start_records()[lambda rows: rows.model == "threads"], "no start-to-joined records of processes"),
        (
            start_records(default="forkserver", process_ms={"fork": 14.5, "forkserver": 15.0}, spread=0.3),
            "too noisy",
        ),
    ],
)
def test_x04_inconclusive_says_why(records, reason):
    decided = x04.default_start_method_is_cheapest(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_x04_judges_start_methods_only_not_subinterpreters():
    """A subinterpreter start cheaper than fork's is X02's business: it changes neither the cheapest nor the
    verdict."""
    decided = x04.default_start_method_is_cheapest(start_records(default="fork", subinterpreter_ms=1.0))
    assert decided.verdict == "confirmed" and decided.numbers["cheapest"] == "fork"
    assert "subinterpreters" not in decided.evidence


def test_x04_can_reach_every_outcome():
    assert not x04.default_start_method_is_cheapest.cannot
