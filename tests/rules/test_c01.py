"""C01 on synthetic placement records: processes pinned to the logical CPUs of one core (one, or two with SMT)
against processes left on every usable CPU, on 1, 2, 16 and 64 usable CPUs, in a container whose CPU quota is
below its CPU list, and with noise."""

import math

import pytest
from analysis.rules import c01

from tests.rules.synthetic import frame, scaled


def placement_records(
    cpus=2, core_cpus=1, pinned=0.92, unpinned=None, listed=None, spread=0.02, rounds=9, placements=None, extra=()
):
    """C01 rows as experiments/test_c01_one_process_per_cpu.py records them on a machine with `cpus` usable CPUs
    (`listed` in its affinity list, more than `cpus` under a CPU quota) whose cores have `core_cpus` logical CPUs:
    the serial null control; max(2, core_cpus) processes pinned to one core at speedup `pinned`; max(2, ceil(cpus))
    unpinned processes at speedup `unpinned` (default: 0.95 x N). `extra`: more unpinned (N, speedup) points."""
    placements = placements or ("one_core", "unpinned")
    listed = listed or int(math.ceil(cpus))
    rows = [dict(measurement="placement_scaling", model="serial", workers=1, null_control=True, **scaled(1, 1.0, 1.0))]
    n = max(2, core_cpus)
    if "one_core" in placements:
        record = scaled(n, pinned, min(n, core_cpus), spread=spread, rounds=rounds)
        rows.append(dict(placement="one_core", workers=n, pinned_cpus=core_cpus, **record))
    n = max(2, int(math.ceil(cpus)))
    for workers, speed in [(n, unpinned if unpinned is not None else 0.95 * n)] + list(extra):
        if "unpinned" in placements:
            record = scaled(workers, speed, speed, spread=spread, rounds=rounds, seed=workers)
            rows.append(dict(placement="unpinned", workers=workers, pinned_cpus=listed, **record))
    for row in rows[1:]:
        row.update(measurement="placement_scaling", model="spawn", lifecycle="warm", core_cpus=core_cpus)
    return frame(rows, cpus)


SMT = dict(core_cpus=2, pinned=1.25)  # two hardware threads of one core: a pure-Python loop gains about a quarter

OUTCOMES = {
    "C01": {
        "confirmed": lambda: placement_records(),  # this VM: one logical CPU per core
        "partly": lambda: placement_records(**SMT),  # a core with SMT runs two processes at once
        "inconclusive": lambda: placement_records(unpinned=1.3),  # between the bars
    },
}


@pytest.mark.parametrize("cpus", [2, 16, 64])
@pytest.mark.parametrize(
    "core_cpus, pinned, unpinned, verdict",
    [
        (1, 0.92, None, "confirmed"),  # no SMT: the pinned processes take turns
        (2, 1.02, None, "confirmed"),  # SMT that gives this work nothing
        (2, 1.25, None, "partly"),  # SMT: the core ran two at once
        (1, 0.92, 1.0, "partly"),  # the processes did not spread over the cores
    ],
)
def test_c01_on_2_16_and_64_cpus(cpus, core_cpus, pinned, unpinned, verdict):
    decided = c01.one_process_at_a_time_per_core(placement_records(cpus, core_cpus, pinned, unpinned))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["unpinned_workers"] == cpus  # judged at N = the usable CPUs
    assert decided.numbers["pinned_workers"] == 2


def test_c01_says_when_the_pinned_half_could_not_have_come_out_otherwise():
    without_smt = c01.one_process_at_a_time_per_core(placement_records())
    assert "could not have come out otherwise here" in without_smt.evidence
    with_smt = c01.one_process_at_a_time_per_core(placement_records(core_cpus=2, pinned=1.02))
    assert with_smt.verdict == "confirmed" and "could not have come out otherwise" not in with_smt.evidence


def test_c01_partly_names_smt():
    decided = c01.one_process_at_a_time_per_core(placement_records(**SMT))
    assert decided.evidence.endswith("; but one core: faster than serial: >= 1.1x")
    assert "(2 usable logical CPUs)" in decided.evidence


def test_c01_pins_as_many_processes_as_the_core_has_logical_cpus():
    """A core with 4 hardware threads (POWER's SMT4) gets 4 pinned processes."""
    decided = c01.one_process_at_a_time_per_core(placement_records(cpus=16, core_cpus=4, pinned=1.6))
    assert decided.verdict == "partly" and decided.numbers["pinned_workers"] == 4


def test_one_usable_cpu_decides_nothing():
    decided = c01.one_process_at_a_time_per_core(placement_records(cpus=1, unpinned=1.0))
    assert decided.verdict == "inconclusive" and "fewer than 2 usable CPUs" in decided.evidence


def test_a_cpu_quota_below_the_cpu_list_is_what_counts():
    """A container limited to 1 CPU (cgroup cpu.max) on an 8-CPU host with SMT: the pinned processes share two
    hardware threads but one CPU-second per second, so they look like turns; nothing may be read from that."""
    records = placement_records(cpus=1, listed=8, core_cpus=2, pinned=1.0, unpinned=1.0)
    assert c01.one_process_at_a_time_per_core(records).verdict == "inconclusive"


def test_a_quota_of_4_cpus_on_a_64_cpu_host_is_judged_at_4():
    records = placement_records(cpus=4, listed=64, core_cpus=2, pinned=1.02, unpinned=3.7)
    decided = c01.one_process_at_a_time_per_core(records)
    assert decided.verdict == "confirmed" and decided.numbers["unpinned_workers"] == 4


def test_c01_judges_unpinned_processes_at_n_equal_to_the_usable_cpus_not_at_the_best_n():
    decided = c01.one_process_at_a_time_per_core(placement_records(unpinned=1.0, extra=[(4, 1.9)]))
    assert decided.verdict == "partly" and decided.numbers["unpinned_workers"] == 2
    assert decided.evidence.endswith("; but unpinned: no speedup: <= 1.1x")


def test_c01_between_no_speedup_and_scaling_says_so():
    decided = c01.one_process_at_a_time_per_core(placement_records(unpinned=1.3))
    assert decided.evidence.endswith("; unpinned: between no speedup (1.1x) and scales (1.5x)")


def test_c01_cannot_be_refuted_and_says_so_when_the_halves_contradict_each_other():
    """Pinned processes faster than serial beside flat unpinned ones: the unpinned could have used that core."""
    decided = c01.one_process_at_a_time_per_core(placement_records(core_cpus=2, pinned=1.25, unpinned=1.0))
    assert decided.verdict == "inconclusive" and "contradict each other" in decided.evidence
    assert "refuted" in c01.one_process_at_a_time_per_core.cannot


def test_noise_or_too_few_rounds_decide_nothing():
    noisy = c01.one_process_at_a_time_per_core(placement_records(pinned=1.1, spread=0.5))
    assert noisy.verdict == "inconclusive" and "one core: too noisy" in noisy.evidence
    few = c01.one_process_at_a_time_per_core(placement_records(rounds=5))
    assert few.verdict == "inconclusive" and "5 rounds give no interval" in few.evidence


@pytest.mark.parametrize(
    "placements, reason", [(("unpinned",), "pinned to one core"), (("one_core",), "no records of unpinned")]
)
def test_without_a_placement_nothing_is_decided(placements, reason):
    decided = c01.one_process_at_a_time_per_core(placement_records(placements=placements))
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c01_says_how_many_rounds_it_left_out_as_uneven():
    records = placement_records().assign(rounds=9, rounds_uneven=0, cpu_spread_max=1.0)
    unpinned = records["placement"] == "unpinned"
    records.loc[unpinned, "rounds"], records.loc[unpinned, "rounds_uneven"] = 25, 3
    records.loc[unpinned, "cpu_spread_max"] = 1.4
    decided = c01.one_process_at_a_time_per_core(records)
    assert "left out: unpinned 3 of 25 (the slowest up to 1.40x the fastest)" in decided.evidence, decided.evidence
    assert "pinned 0 of" not in decided.evidence
