"""C10 on synthetic records: 8 threads' own locals and shared list, and recursion depth with two stack sizes, per
round."""

import pytest
from analysis.rules import c10

from tests.rules.synthetic import frame, timed

KIB, MIB = 2**10, 2**20
ROUNDS = 9


def heap_facts(kept=8, reached=8):
    return dict(
        reported=8, kept_own_local=kept, reached_same_list=reached, shared_items=reached, main_sees_a_local=False
    )


def stack_records(
    facts=None, small=64, large=16384, python=(65536, 65536), stopped="crash", sizes=(64 * KIB, 16 * MIB)
):
    """C10 rows: 8 threads' local and shared-list facts per round, and the depths reached with 64 KiB and 16 MiB
    stacks; a depth is one number (every round) or a list per round."""
    facts = facts or [heap_facts()] * ROUNDS
    rows = [
        dict(
            measurement="locals_and_shared_heap",
            threads=8,
            facts_per_round=facts,
            **facts[-1],
            **timed(0.001, rounds=len(facts)),
        )
    ]
    for recursion, depths in [("through_c", (small, large)), ("python", python)]:
        for size, depth in zip(sizes, depths):
            per_round = depth if isinstance(depth, list) else [depth] * ROUNDS
            rows.append(
                dict(
                    measurement="recursion_depth",
                    recursion=recursion,
                    stack_bytes=size,
                    deepest=per_round[-1],
                    stopped_by=stopped,
                    deepest_per_round=per_round,
                    stopped_per_round=[stopped] * len(per_round),
                    depth_cap=2**17,
                    **timed(0.05, rounds=len(per_round)),
                )
            )
    return frame(rows)


OUTCOMES = {
    "C10": {
        "confirmed": lambda: stack_records(),  # CPython 3.11 here: 64 levels with 64 KiB, 16384 with 16 MiB
        # A platform whose threads cannot be given a stack size: the recursion experiment skips, nothing to compare.
        "inconclusive": lambda: stack_records(sizes=()),
    }
}


@pytest.mark.parametrize(
    "records",
    [
        stack_records(),
        stack_records(small=0),  # the small stack crashed before the first depth
        stack_records(large=512, stopped="RecursionError"),  # 3.12.1: C recursion capped at a count
        stack_records(small=[64, 64, 32, 64, 64, 64, 64, 64, 64]),  # a round that crashed one step earlier
    ],
)
def test_c10_confirmed_wherever_a_larger_stack_goes_deeper(records):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == "confirmed" and decided.interval is None
    assert "with 64 KiB" in decided.evidence and "with 16 MiB" in decided.evidence


@pytest.mark.parametrize(
    "records, verdict, failed",
    [
        # Outcomes no CPython produces (see the rule's `cannot`), still read as a reader expects.
        (stack_records(facts=[heap_facts(kept=1)] * ROUNDS), "partly", "but own thread-local state: not in any of 9"),
        (stack_records(small=512, large=512), "partly", "but own stack bounding recursion: the same depth: <= 1.5x"),
        (stack_records(facts=[heap_facts(kept=1, reached=1)] * ROUNDS, small=512, large=512), "refuted", ""),
    ],
)
def test_c10_would_name_what_failed(records, verdict, failed):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == verdict and failed in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (stack_records(small=256, large=512), "own stack bounding recursion: between"),
        (stack_records(small=[64] * 8 + [256], large=512), "own stack bounding recursion: too noisy"),
        (stack_records(facts=[heap_facts()] * 8 + [heap_facts(kept=7)]), "rounds disagree: held in 8 of 9"),
        (stack_records(small=0, large=0), "no depth"),
        (stack_records(sizes=()), "no records"),
        (stack_records()[lambda rows: rows.measurement != "locals_and_shared_heap"], "no records"),
    ],
)
def test_c10_inconclusive_paths(records, reason):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c10_names_the_depths_of_rounds_that_differ():
    decided = c10.own_stack_shared_heap(stack_records(small=[64, 64, 32, 64, 64, 64, 64, 64, 64]))
    assert "32-64 levels with 64 KiB" in decided.evidence and decided.numbers["small_stack_depth"] == 64
