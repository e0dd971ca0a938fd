"""C11 on synthetic records: shares of a leak held after the worker ended, and who survived a segfault."""

import pytest
from analysis.rules import c11

from tests.rules.synthetic import PROCESSES, frame, timed

MIB = 2**20


def fault_records(
    thread_kept=1.0,
    child_kept=0.0,
    child_grew=1.0,
    thread_crash_survived=False,
    child_crash_spares=True,
    methods=PROCESSES,
):
    """C11 rows: shares of a 64 MiB leak held afterwards, and who survived a segfault."""
    leaked = 64 * MIB
    rows = [
        dict(
            measurement="leak",
            where="thread",
            leaked_bytes=leaked,
            worker_grew_bytes=thread_kept * leaked,
            parent_kept_bytes=thread_kept * leaked,
            **timed(0.1),
        ),
        dict(
            measurement="segfault",
            where="thread",
            parent_survived=thread_crash_survived,
            worker_exitcode=-11,
            **timed(0.05),
        ),
        dict(
            measurement="uncaught_exception",
            parent_survived=True,
            sibling_alive=True,
            hook_saw="RuntimeError",
            **timed(0.05),
        ),
    ]
    for model in methods:
        rows.append(
            dict(
                measurement="leak",
                where=model,
                leaked_bytes=leaked,
                worker_grew_bytes=child_grew * leaked,
                parent_kept_bytes=child_kept * leaked,
                **timed(0.1),
            )
        )
        rows.append(
            dict(
                measurement="segfault",
                where=model,
                parent_survived=child_crash_spares,
                worker_exitcode=-11,
                **timed(0.1),
            )
        )
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (fault_records(), "confirmed"),
        # Children still keep their faults to themselves: one half of the claim holds.
        (fault_records(thread_kept=0.0, thread_crash_survived=True), "partly"),
        (
            fault_records(thread_kept=0.0, thread_crash_survived=True, child_kept=1.0, child_crash_spares=False),
            "refuted",
        ),
        (fault_records(thread_crash_survived=True), "partly"),
        (fault_records(thread_kept=0.0), "partly"),
        (fault_records(child_kept=1.0), "partly"),
        (fault_records(child_crash_spares=False), "partly"),
    ],
)
def test_c11_needs_thread_faults_to_hit_the_process_and_children_to_keep_theirs(records, verdict):
    decided = c11.thread_faults_hit_the_process(records)
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["leak_mib"] == 64 and "RuntimeError" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (fault_records(thread_kept=0.5), "a thread's leak: the worker's own share: between given back"),
        (fault_records(child_grew=0.5), "a fork child's leak: the worker's own share: between given back"),
        (fault_records(methods=[]), "no leak and segfault records"),
        (fault_records()[lambda rows: rows.measurement != "segfault"], "no leak and segfault records"),
    ],
)
def test_c11_is_inconclusive_on_a_half_held_leak_or_missing_records(records, reason):
    decided = c11.thread_faults_hit_the_process(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c11_partly_names_the_faults_that_went_the_wrong_way():
    decided = c11.thread_faults_hit_the_process(fault_records(thread_crash_survived=True, child_kept=1.0))
    assert decided.verdict == "partly"
    assert (
        "; but a thread's segfault: the process survived it; a fork child's leak: held: >= 0.9 of it"
        in decided.evidence
    )
