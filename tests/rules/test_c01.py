"""C01 on synthetic placement records: pinned processes take turns on one CPU, unpinned ones spread, or not."""

import pytest
from analysis.rules import c01

from tests.rules.synthetic import frame, timed


def placement_records(pinned=1.0, unpinned=1.9, cpus=2, placements=("unpinned", "one_cpu"), spread=0.02):
    """C01 rows: serial takes 1 s at every N; processes at the given speedup for N >= 2. `pinned`: one speedup
    for every N, or {N: speedup}."""
    rows = []
    for n in (2, 4):
        rows.append(dict(measurement="placement_scaling", model="serial", workers=n, placement="serial", **timed(1.0)))
        for placement in placements:
            speed = (pinned.get(n) if isinstance(pinned, dict) else pinned) if placement == "one_cpu" else unpinned
            rows.append(
                dict(
                    measurement="placement_scaling",
                    model="spawn",
                    workers=n,
                    placement=placement,
                    **timed(1 / speed, spread),
                )
            )
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "pinned, unpinned, verdict",
    [
        (1.0, 1.9, "confirmed"),
        # was refuted: the unpinned processes scaling is a part that holds, so combine makes it partly
        (1.9, 1.9, "partly"),
        (1.9, 1.0, "refuted"),
        (1.0, 1.0, "partly"),
        (1.0, 1.3, "inconclusive"),
    ],
)
def test_c01_wants_turns_on_one_cpu_and_speed_on_all(pinned, unpinned, verdict):
    decided = c01.one_process_at_a_time_per_cpu(placement_records(pinned, unpinned))
    assert decided.verdict == verdict
    assert (
        decided.numbers["one_cpu_speedup_2"] == decided.numbers["one_cpu_speedup_4"] == pytest.approx(pinned, rel=0.01)
    )
    assert decided.numbers["unpinned_speedup"] == pytest.approx(unpinned, rel=0.01)


def test_c01_between_no_speedup_and_scaling_says_so():
    decided = c01.one_process_at_a_time_per_cpu(placement_records(unpinned=1.3))
    assert "between no speedup" in decided.evidence


def test_c01_pinned_processes_faster_than_serial_at_some_n_only_is_partly():
    """Was inconclusive: pinned at N=2 holds and at N=4 fails, and combine calls held beside failed partly."""
    decided = c01.one_process_at_a_time_per_cpu(placement_records(pinned={2: 1.0, 4: 1.5}))
    assert decided.verdict == "partly" and decided.evidence.endswith("; but pinned, N=4: faster than serial: >= 1.1x")


def test_c01_noisy_pinned_records_are_inconclusive():
    decided = c01.one_process_at_a_time_per_cpu(placement_records(pinned=1.1, spread=0.5))
    assert decided.verdict == "inconclusive" and "pinned, N=2: too noisy" in decided.evidence


def test_c01_names_the_part_that_failed_or_is_undecided():
    flat = c01.one_process_at_a_time_per_cpu(placement_records(unpinned=1.0))
    assert flat.evidence.endswith("; but unpinned: no speedup: <= 1.1x")
    between = c01.one_process_at_a_time_per_cpu(placement_records(unpinned=1.3))
    assert between.evidence.endswith("; unpinned: between no speedup (1.1x) and scales (1.5x)")


@pytest.mark.parametrize(
    "records, reason",
    [
        (placement_records(cpus=1), "1 usable CPU"),
        (placement_records(placements=("unpinned",)), "pinned to one CPU"),
        (placement_records(placements=("one_cpu",)), "no records of unpinned"),
    ],
)
def test_c01_is_inconclusive_on_one_cpu_or_without_a_placement(records, reason):
    decided = c01.one_process_at_a_time_per_cpu(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
