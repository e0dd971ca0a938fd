"""C18 on synthetic records: what the post's example printed as written and with `global result` in calc_square,
per model and round, and what each hand-back brought to the parent."""

import pytest
from analysis.rules import c18

from tests.rules.synthetic import PROCESSES, frame, timed

ROUNDS = 4


def example_records(
    printed=None, idle=(), computed=True, received=49, methods=PROCESSES, variants=("as_written", "global_result")
):
    """C18 rows, as CPython prints them unless `printed` says otherwise ({(variant, model): [printed per round]});
    the workers of the (variant, model) pairs in `idle`, or of all when not `computed`, did not print 49."""
    printed = printed or {}
    rows = []
    for variant in variants:
        for model in ["threads"] + list(methods):
            usual = "49" if (variant, model) == ("global_result", "threads") else "None"
            seen = printed.get((variant, model), [usual] * ROUNDS)
            rows.append(
                dict(
                    measurement="post_example",
                    variant=variant,
                    model=model,
                    printed_last=seen[-1],
                    printed_per_round=seen,
                    worker_printed_49=computed and (variant, model) not in idle,
                    **timed(0.05, rounds=ROUNDS),
                )
            )
    rows += [
        dict(
            measurement="handed_back",
            method=m,
            channel=c,
            received=received,
            received_per_round=[received] * ROUNDS,
            **timed(0.01, rounds=ROUNDS),
        )
        for m in methods
        for c in ["queue", "pipe", "value"]
    ]
    return frame(rows)


OUTCOMES = {
    "C18": {
        "confirmed": lambda: example_records(),  # every CPython: the variant's threads print 49, processes None
        # A memory-starved container whose OOM killer ended a spawn child before calc_square printed: the parent
        # still prints None, which then says nothing of where the value went.
        "inconclusive": lambda: example_records(idle=[("global_result", "spawn")]),
    }
}


def test_c18_confirmed_names_both_forms_of_the_example_and_the_hand_backs():
    decided = c18.child_value_never_returns(example_records())
    assert decided.verdict == "confirmed" and decided.interval is None
    assert (
        "printed None/None/None (fork/spawn/forkserver), None with threads in the example as written"
        in decided.evidence
    )
    assert "None/None/None (fork/spawn/forkserver), 49 with threads with `global result`" in decided.evidence
    assert decided.numbers["handed_back"] == 9 and "9 of 9 hand-backs" in decided.evidence


def test_c18_reports_the_example_as_written_cannot_show_its_reason():
    decided = c18.child_value_never_returns(example_records())
    assert "that None is not the reason the comment gives" in decided.evidence
    assert decided.numbers["threads_written_printed"] == "None" and decided.numbers["threads_global_printed"] == "49"


@pytest.mark.parametrize(
    "printed, failed",
    [
        ({("global_result", "fork"): ["49"] * ROUNDS}, "a process's value reached the parent's print"),
        ({("global_result", "threads"): ["None"] * ROUNDS}, "threads assigning the global did not print 49 either"),
    ],
)
def test_c18_would_name_a_part_that_failed(printed, failed):
    """Outcomes no CPython produces (see the rule's `cannot`), still read the way a reader expects."""
    decided = c18.child_value_never_returns(example_records(printed=printed))
    assert decided.verdict == "partly" and decided.evidence.endswith(failed)


def test_c18_counts_hand_backs_that_failed():
    decided = c18.child_value_never_returns(example_records(received=None))
    assert decided.numbers["handed_back"] == 0 and "0 of 9 hand-backs" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (example_records(computed=False), "did not compute 49"),
        (example_records(idle=[("global_result", "spawn")]), "did not compute 49 in every round (spawn)"),
        (
            example_records(printed={("as_written", "fork"): ["None", "49", "None", "None"]}),
            "rounds disagree (written/fork)",
        ),
        (example_records()[lambda rows: rows.model != "threads"], "no records of both forms"),
        (example_records(variants=("as_written",)), "no records of both forms"),
        (example_records(methods=[]), "no records of both forms"),
    ],
)
def test_c18_is_inconclusive_without_both_forms_a_computed_value_or_agreeing_rounds(records, reason):
    decided = c18.child_value_never_returns(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
