"""C18 on synthetic records: what the post's example printed with processes and with threads, and what each
hand-back brought to the parent."""

import pytest
from analysis.rules import c18

from tests.rules.synthetic import PROCESSES, frame, timed


def example_records(processes_print="None", threads_print="None", computed=True, received=49):
    """C18 rows: what the post's example printed per model, and what each hand-back brought."""
    rows = [
        dict(
            measurement="post_example",
            model=m,
            printed_last=threads_print if m == "threads" else processes_print,
            worker_printed_49=computed,
            **timed(0.05),
        )
        for m in ["threads"] + PROCESSES
    ]
    rows += [
        dict(measurement="handed_back", method=m, channel=c, received=received, **timed(0.01))
        for m in PROCESSES
        for c in ["queue", "pipe", "value"]
    ]
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (example_records(threads_print="49"), "confirmed"),
        (example_records(), "partly"),
        (example_records(processes_print="49"), "refuted"),
        (example_records(processes_print="49", threads_print="49"), "refuted"),
    ],
)
def test_c18_reads_the_example_against_its_thread_control(records, verdict):
    decided = c18.child_value_never_returns(records)
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["handed_back"] == 9 and "9 of 9 hand-backs" in decided.evidence


def test_c18_partly_names_the_missing_control():
    decided = c18.child_value_never_returns(example_records())
    assert (
        decided.verdict == "partly" and "but separate memory is why: the threads' value is lost too" in decided.evidence
    )
    assert "the parent never gets the child's value" not in decided.evidence


def test_c18_counts_hand_backs_that_failed():
    assert c18.child_value_never_returns(example_records(received=0)).numbers["handed_back"] == 0


@pytest.mark.parametrize(
    "records",
    [
        example_records(computed=False),
        example_records()[lambda rows: rows.model != "threads"],
        example_records()[lambda rows: rows.measurement != "post_example"],
    ],
)
def test_c18_is_inconclusive_without_a_computed_value_or_the_control(records):
    assert c18.child_value_never_returns(records).verdict == "inconclusive"
