"""C03 on synthetic records: where 4 threads and 4 child processes of each start method report they run, per
round."""

import pytest
from analysis.rules import c03

from tests.rules.synthetic import PROCESSES, frame, timed

ROUNDS = 9


def thread_facts(sharing=4, native_ids=4, listed=4, gained=4):
    return dict(
        reported=4,
        share_parent_pid=sharing,
        distinct_pids=1 if sharing == 4 else 4,
        distinct_native_ids=native_ids,
        parent_native_id_seen=False,
        native_ids_among_parent_threads=listed,
        os_threads_gained=gained,
    )


def child_facts(pids=4):
    return dict(
        reported=4,
        share_parent_pid=0,
        distinct_pids=pids,
        distinct_native_ids=4,
        parent_native_id_seen=False,
        native_ids_among_parent_threads=0,
        os_threads_gained=0,
    )


def identity_records(threads=None, children=None, processes=PROCESSES):
    """C03 rows: per round, what 4 threads and 4 child processes per start method reported. `threads` is a list
    of per-round facts (default: as CPython on Linux reports them), `children` maps a start method to its own."""
    threads = threads or [thread_facts()] * ROUNDS
    children = children or {}
    rows = [
        dict(
            measurement="where_workers_run",
            model="threads",
            workers=4,
            facts_per_round=threads,
            **threads[-1],
            **timed(0.001, rounds=len(threads)),
        )
    ]
    for m in processes:
        seen = children.get(m, [child_facts()] * ROUNDS)
        rows.append(
            dict(
                measurement="where_workers_run",
                model=m,
                workers=4,
                facts_per_round=seen,
                **seen[-1],
                **timed(0.01, rounds=len(seen)),
            )
        )
    return frame(rows)


OUTCOMES = {
    "C03": {
        "confirmed": lambda: identity_records(),  # every OS CPython runs on
        # OpenBSD: psutil lists a process's threads only for root, so whether the process holds them is not seen.
        "inconclusive": lambda: identity_records(threads=[thread_facts(listed=None, gained=None)] * ROUNDS),
    }
}


def test_c03_confirmed_reports_the_last_round():
    decided = c03.threads_live_in_a_process(identity_records())
    assert decided.verdict == "confirmed" and decided.interval is None
    assert decided.evidence.startswith("4 threads reported the parent's pid 4/4 times with 4 distinct native")
    assert "4 child processes reported 4/4/4 distinct pids (fork/spawn/forkserver); in the last of 9 rounds" in (
        decided.evidence
    )


@pytest.mark.parametrize(
    "records, verdict",
    [
        # Outcomes no CPython produces (see the rule's `cannot`), still read as a reader expects.
        (identity_records(threads=[thread_facts(sharing=0)] * ROUNDS), "partly"),
        (identity_records(children={"spawn": [child_facts(pids=1)] * ROUNDS}), "partly"),
        (
            identity_records(
                threads=[thread_facts(sharing=0, native_ids=1, gained=0)] * ROUNDS,
                children={m: [child_facts(pids=1)] * ROUNDS for m in PROCESSES},
            ),
            "refuted",
        ),
    ],
)
def test_c03_would_name_what_failed(records, verdict):
    assert c03.threads_live_in_a_process(records).verdict == verdict


def test_c03_a_process_that_holds_more_threads_than_its_workers_still_holds_them():
    """Another library's helper thread starting meanwhile makes the process gain 5 for 4 threads: still all held."""
    assert c03.threads_live_in_a_process(identity_records(threads=[thread_facts(gained=5)] * ROUNDS)).verdict == (
        "confirmed"
    )


@pytest.mark.parametrize(
    "records, reason",
    [
        (identity_records(threads=[thread_facts(listed=None, gained=None)] * ROUNDS), "did not list"),
        (identity_records(threads=[thread_facts()] * 8 + [thread_facts(gained=3)]), "rounds disagree: held in 8 of 9"),
        (identity_records(processes=[]), "no records"),
        (identity_records()[lambda rows: rows.model != "threads"], "no records"),
    ],
)
def test_c03_is_inconclusive_without_records_a_thread_list_or_agreeing_rounds(records, reason):
    decided = c03.threads_live_in_a_process(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
