"""C03 on synthetic records: where 4 threads and 4 child processes of each start method report they run."""

import pytest
from analysis.rules import c03

from tests.rules.synthetic import PROCESSES, frame, timed


def identity_records(threads_sharing=4, native_ids=4, listed=4, gained=4, process_pids=4, processes=PROCESSES):
    """C03 rows: 4 threads and 4 child processes per start method reporting where they run."""
    rows = [
        dict(
            measurement="where_workers_run",
            model="threads",
            workers=4,
            share_parent_pid=threads_sharing,
            distinct_pids=1,
            distinct_native_ids=native_ids,
            parent_native_id_seen=False,
            native_ids_among_parent_threads=listed,
            os_threads_gained=gained,
            **timed(0.001),
        )
    ]
    rows += [
        dict(
            measurement="where_workers_run",
            model=m,
            workers=4,
            share_parent_pid=0,
            distinct_pids=process_pids,
            distinct_native_ids=4,
            parent_native_id_seen=False,
            native_ids_among_parent_threads=0,
            os_threads_gained=0,
            **timed(0.01),
        )
        for m in processes
    ]
    return frame(rows)


# Threads outside the parent process, while the process gains its OS threads and the children have pids of their
# own, are partly: combine's one order of checks makes any mix of held and failed parts partly.
@pytest.mark.parametrize(
    "records, verdict",
    [
        (identity_records(), "confirmed"),
        (identity_records(threads_sharing=0), "partly"),
        (identity_records(native_ids=1), "partly"),
        (identity_records(listed=0), "partly"),
        (identity_records(threads_sharing=0, gained=0, process_pids=1), "refuted"),
        (identity_records(gained=0), "partly"),
        (identity_records(process_pids=1), "partly"),
    ],
)
def test_c03_threads_inside_the_process_processes_apart(records, verdict):
    decided = c03.threads_live_in_a_process(records)
    assert decided.verdict == verdict and decided.interval is None
    assert "4 threads reported the parent's pid" in decided.evidence


def test_c03_partly_names_what_failed():
    decided = c03.threads_live_in_a_process(identity_records(gained=0, processes=["spawn"], process_pids=1))
    assert decided.verdict == "partly"
    assert "the process gains an OS thread per thread: no" in decided.evidence
    assert "spawn children have pids of their own: no" in decided.evidence
    assert "each an OS thread of its own" not in decided.evidence


@pytest.mark.parametrize(
    "records",
    [
        identity_records(processes=[]),
        identity_records()[lambda rows: rows.model != "threads"],
    ],
)
def test_c03_is_inconclusive_without_threads_and_processes(records):
    assert c03.threads_live_in_a_process(records).verdict == "inconclusive"
