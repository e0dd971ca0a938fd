"""C15 on synthetic records: cells of the hand-over matrix that work per API and model, and the unguarded script."""

import pytest
from analysis.rules import c15

from tests.rules.synthetic import PROCESSES, frame, timed


def handoff_records(threads=9, processes=(1, 1, 1), guard=True, apis=("pool", "worker")):
    """C15 rows: cells that worked out of 9 per API and model; the unguarded script works with threads and fork."""
    rows = []
    for api in apis:
        for model, works in zip(["threads"] + PROCESSES, (threads,) + tuple(processes)):
            rows.append(dict(measurement="handoff_matrix", api=api, model=model, works=works, cells=9, **timed(0.1)))
    if guard:
        for model in ["threads"] + PROCESSES:
            outcome = "RuntimeError" if model in ("spawn", "forkserver") else "works"
            rows.append(dict(measurement="script_without_main_guard", model=model, no_main_guard=outcome, **timed(0.1)))
    return frame(rows)


@pytest.mark.parametrize(
    "threads, processes, verdict",
    [
        (9, (1, 1, 1), "refuted"),
        (9, (9, 9, 9), "refuted"),  # as easy is not easier
        (1, (5, 5, 5), "confirmed"),
        (3, (5, 1, 1), "partly"),
    ],
)
def test_c15_counts_cells_that_work(threads, processes, verdict):
    decided = c15.processes_easier(handoff_records(threads, processes))
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["pool_threads_works"] == threads + 1 and decided.numbers["cells"] == 10
    assert decided.numbers["pool_spawn_works"] == processes[1]  # the unguarded script fails under spawn


@pytest.mark.parametrize(
    "records",
    [
        handoff_records(guard=False),
        handoff_records()[lambda rows: rows.model != "threads"],
        handoff_records(apis=()),
    ],
)
def test_c15_is_inconclusive_without_threads_processes_and_guard_records(records):
    assert c15.processes_easier(records).verdict == "inconclusive"


def test_c15_partly_names_the_start_methods_and_apis_that_were_no_easier():
    decided = c15.processes_easier(handoff_records(3, (5, 1, 1)))
    assert decided.evidence.endswith(
        "; but spawn through an executor: no more than threads; forkserver through an executor: no more than "
        "threads; spawn through Thread/Process: no more than threads; forkserver through Thread/Process: no more "
        "than threads"
    )
