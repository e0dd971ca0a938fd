"""C08 on synthetic records: what stopped a spinning thread from outside, and whether terminate()/kill() ended a
spinning child in every round."""

import pytest
from analysis.rules import c08

from tests.rules.synthetic import PROCESSES, frame, timed


def kill_records(
    kill_api="none",
    cancelled=False,
    ends=True,
    caught=True,
    reaches=False,
    survivors=(),
    methods=PROCESSES,
    hows=("terminate", "kill"),
):
    """C08 rows: what stopped a spinning thread, and whether terminate()/kill() ended a child in every round."""
    rows = [
        dict(
            measurement="stop_a_thread",
            thread_kill_api=kill_api,
            running_task_cancelled=cancelled,
            raised_exit_ends_spinning=ends,
            raised_exit_caught=caught,
            raised_exit_reaches_blocked=reaches,
            **timed(3e-5),
        )
    ]
    for model in methods:
        for how in hows:
            rows.append(
                dict(
                    measurement="stop_a_process",
                    model=model,
                    how=how,
                    started_rounds=8,
                    ended_rounds=7 if model in survivors else 8,
                    **timed(0.002),
                )
            )
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (kill_records(), "confirmed"),
        (kill_records(kill_api="kill", survivors=PROCESSES), "refuted"),
        (kill_records(kill_api="kill"), "partly"),
        (kill_records(cancelled=True), "partly"),
        (kill_records(caught=False, reaches=True), "partly"),
        (kill_records(caught=False), "confirmed"),  # an exception that waits for a blocking call is no kill
        (kill_records(survivors=["spawn"]), "partly"),
    ],
)
def test_c08_needs_no_lever_on_threads_and_every_child_killed(records, verdict):
    decided = c08.processes_killable_threads_not(records)
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["fork_kill_ms"] == pytest.approx(2.0)


@pytest.mark.parametrize(
    "records",
    [
        kill_records()[lambda rows: rows.measurement != "stop_a_thread"],
        kill_records(methods=[]),
        kill_records(hows=["terminate"]),
    ],
)
def test_c08_is_inconclusive_without_a_thread_and_both_ways_of_stopping_a_child(records):
    assert c08.processes_killable_threads_not(records).verdict == "inconclusive"


def test_c08_partly_names_the_lever_and_the_child_that_survived():
    decided = c08.processes_killable_threads_not(kill_records(cancelled=True, survivors=["spawn"]))
    assert decided.verdict == "partly"
    assert decided.evidence.endswith(
        "; but a thread: stopped from outside by Future.cancel(); a spawn child: outlived terminate() or kill()"
    )
    assert "never (spawn)" in decided.evidence
