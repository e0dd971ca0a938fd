"""C10 on synthetic records: 8 threads' own locals and shared list, and recursion depth with two stack sizes."""

import pytest
from analysis.rules import c10

from tests.rules.synthetic import frame, timed

KIB, MIB = 2**10, 2**20


def stack_records(kept=8, reached=8, small=64, large=16384, python=(65536, 65536)):
    """C10 rows: 8 threads' local and shared-list facts, and the depths reached with 64 KiB and 16 MiB stacks."""
    rows = [
        dict(
            measurement="locals_and_shared_heap",
            threads=8,
            kept_own_local=kept,
            reached_same_list=reached,
            shared_items=reached,
            main_sees_a_local=False,
            **timed(0.001),
        )
    ]
    for recursion, depths in [("through_c", (small, large)), ("python", python)]:
        rows += [
            dict(
                measurement="recursion_depth",
                recursion=recursion,
                stack_bytes=size,
                deepest=depth,
                stopped_by="crash",
                depth_cap=2**17,
                **timed(0.05),
            )
            for size, depth in zip([64 * KIB, 16 * MIB], depths)
        ]
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (stack_records(), "confirmed"),
        (stack_records(small=0), "confirmed"),
        (stack_records(kept=1), "partly"),
        (stack_records(small=512, large=512), "partly"),
        (stack_records(kept=1, reached=1, small=512, large=512), "refuted"),
    ],
)
def test_c10_own_locals_one_heap_and_a_stack_that_bounds_recursion(records, verdict):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == verdict and decided.interval is None
    assert "with 64 KiB" in decided.evidence and "with 16 MiB" in decided.evidence


@pytest.mark.parametrize(
    "records, failed",
    [
        (stack_records(kept=1), "but own thread-local state: no"),
        (stack_records(small=512, large=512), "but own stack bounding recursion: the same depth: <= 1.5x"),
    ],
)
def test_c10_partly_names_what_failed(records, failed):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == "partly" and decided.evidence.endswith(failed)


@pytest.mark.parametrize(
    "records, reason",
    [
        (stack_records(small=256, large=512), "own stack bounding recursion: between"),
        (stack_records(small=0, large=0), "no depth"),
        (stack_records()[lambda rows: rows.measurement != "locals_and_shared_heap"], "no records"),
    ],
)
def test_c10_inconclusive_paths(records, reason):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
