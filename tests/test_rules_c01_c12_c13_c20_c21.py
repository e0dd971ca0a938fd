"""Verdict rules of C01, C12, C13, C20 and C21 on synthetic records with known answers, every inconclusive path
included."""

import numpy as np
import pandas as pd
import pytest

from rules import c01, c12, c13, c20, c21

PROCESSES = ["fork", "spawn", "forkserver"]


def timed(median, spread=0.02, rounds=7):
    """A record's timing columns: `rounds` times spread evenly +-`spread` around `median`."""
    return dict(median_s=median, rounds_s=list(median * np.linspace(1 - spread, 1 + spread, rounds)))


def frame(rows, cpus=2):
    return pd.DataFrame(rows).assign(cpu_usable=cpus)


# C01: serial takes 1 s at every N; processes at the given speedup for N >= 2.


def placement_records(pinned=1.0, unpinned=1.9, cpus=2, placements=("unpinned", "one_cpu"), spread=0.02):
    """`pinned`: one speedup for every N, or {N: speedup}."""
    rows = []
    for n in (2, 4):
        rows.append(dict(test="test_spin", model="serial", workers=n, placement="serial", **timed(1.0)))
        for placement in placements:
            speed = (pinned.get(n) if isinstance(pinned, dict) else pinned) if placement == "one_cpu" else unpinned
            rows.append(
                dict(test="test_spin", model="spawn", workers=n, placement=placement, **timed(1 / speed, spread))
            )
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "pinned, unpinned, verdict",
    [(1.0, 1.9, "confirmed"), (1.9, 1.9, "refuted"), (1.0, 1.0, "partly"), (1.0, 1.3, "inconclusive")],
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


def test_c01_refutes_only_when_pinned_processes_beat_serial_at_every_n():
    decided = c01.one_process_at_a_time_per_cpu(placement_records(pinned={2: 1.0, 4: 1.5}))
    assert decided.verdict == "inconclusive" and "faster than serial at N=4 but not at every N" in decided.evidence


def test_c01_noisy_pinned_records_are_inconclusive():
    decided = c01.one_process_at_a_time_per_cpu(placement_records(pinned=1.1, spread=0.5))
    assert decided.verdict == "inconclusive" and "pinned, N=2: too noisy" in decided.evidence


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


# C12: a row per switch interval, with what the time stamps showed.


def interleaving_records(overlap=0.0, windows_both=(1.0, 1.0), cpus=2, turn_p90_s=0.009, cpu_per_wall=1.0):
    rows = [
        dict(
            test="test_interleaving",
            switch_interval_s=interval,
            overlap_share=overlap,
            windows=20,
            window_switches=4,
            windows_both_share=both,
            turns=40,
            turn_median_s=interval,
            turn_p90_s=turn_p90_s,
            turn_median_stamps=500,
            spin=1000,
            threads_cpu_per_wall=cpu_per_wall + overlap,
            **timed(0.1),
        )
        for interval, both in zip((0.005, 0.001), windows_both)
    ]
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "overlap, windows_both, verdict",
    [
        (0.0, (1.0, 1.0), "confirmed"),
        (0.95, (1.0, 1.0), "refuted"),
        (0.0, (0.5, 1.0), "partly"),
        (0.2, (1.0, 1.0), "inconclusive"),
    ],
)
def test_c12_decides_on_overlap_then_interleaving(overlap, windows_both, verdict):
    decided = c12.threads_interleave(interleaving_records(overlap, windows_both))
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["turn_median_ms_5ms"] == pytest.approx(5.0)


def test_c12_partly_names_the_switch_interval_where_one_thread_ran_alone():
    decided = c12.threads_interleave(interleaving_records(windows_both=(0.5, 1.0)))
    assert "at 5 ms one thread ran on alone" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (interleaving_records(cpus=1), "1 usable CPU"),
        (interleaving_records().assign(test="test_other"), "no interleaving records"),
        (interleaving_records(turn_p90_s=None), "no interleaving records with two turns or more"),
        (interleaving_records(windows_both=(1.0, 0.7), cpu_per_wall=0.8), "at 1 ms the threads got under 0.9 CPU"),
    ],
)
def test_c12_is_inconclusive_on_one_cpu_or_without_full_records(records, reason):
    decided = c12.threads_interleave(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


# C13: serial takes 1 ms as written and w/1000 s at work w; the others at the speedups given.

WORKS = [1000, 10000, 100000]


def example_records(written=0.02, threads=(1.0, 1.0, 1.0), fork=(0.5, 1.5, 1.8), cpus=2, spread=0.02, grid=True):
    rows = [dict(test="test_post_example", model="serial", **timed(0.001))]
    rows.append(dict(test="test_post_example", model="threads", **timed(0.001 / written, spread)))
    rows += [dict(test="test_post_example", model=m, **timed(0.1)) for m in PROCESSES]
    for k, work in enumerate(WORKS if grid else []):
        serial = work / 1000
        rows.append(dict(test="test_growing_work", model="serial", work=work, **timed(serial)))
        rows.append(dict(test="test_growing_work", model="threads", work=work, **timed(serial / threads[k], spread)))
        rows.append(dict(test="test_growing_work", model="fork", work=work, **timed(serial / fork[k])))
        rows += [dict(test="test_growing_work", model=m, work=work, **timed(serial * 3)) for m in PROCESSES[1:]]
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "written, threads, verdict",
    [
        (0.02, (1.0, 1.0, 1.0), "refuted"),
        (0.02, (0.5, 1.5, 1.8), "partly"),
        (1.5, (1.0, 1.0, 1.0), "confirmed"),
    ],
)
def test_c13_judges_the_example_as_written_then_with_more_work(written, threads, verdict):
    decided = c13.parallel_reduces_time(example_records(written, threads))
    assert decided.verdict == verdict
    assert decided.numbers["threads_as_written"] == pytest.approx(written, rel=0.01)


def test_c13_crossover_is_the_least_work_from_which_a_model_stays_faster():
    decided = c13.parallel_reduces_time(example_records(fork=(1.5, 0.9, 1.8)))
    assert decided.numbers["fork_crossover_work"] == 100000 and decided.numbers["spawn_crossover_work"] is None
    assert c13.parallel_reduces_time(example_records()).numbers["fork_crossover_work"] == 10000
    assert "50x [49, 51] slower in threads" in c13.parallel_reduces_time(example_records()).evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (example_records(cpus=1), "1 usable CPU"),
        (example_records()[lambda rows: rows.model != "threads"], "no records of the post's example"),
        (example_records(grid=False), "no records of the example's shape with growing work"),
        (example_records(written=1.1, spread=0.5), "as written: too noisy"),
        (example_records(threads=(1.0, 1.0, 1.1), spread=0.5), "most work: too noisy"),
    ],
)
def test_c13_is_inconclusive_on_one_cpu_without_records_or_on_noise(records, reason):
    decided = c13.parallel_reduces_time(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


# C20: lost updates per operation and switch interval, over 3 rounds of 4 x 1000 updates.

KINDS = {
    "global_iadd": "read-modify-write",
    "attribute_iadd": "read-modify-write",
    "read_call_write": "read-modify-write",
    "locked_iadd": "locked",
    "list_append": "single operation",
    "count_next": "single operation",
}


def lost_records(lost=None):
    """`lost`: {(operation, interval in s): updates lost}; every other combination lost none."""
    lost = lost or {}
    rows = [
        dict(
            test="test_lost_updates",
            operation=operation,
            kind=kind,
            switch_interval_s=interval,
            threads=4,
            expected_per_round=4000,
            rounds=3,
            lost_total=lost.get((operation, interval), 0),
            **timed(0.01, rounds=3),
        )
        for operation, kind in KINDS.items()
        for interval in (0.005, 1e-6)
    ]
    return frame(rows)


EVERY_CHANGE_LOST = {(op, i): 100 for op, kind in KINDS.items() if kind == "read-modify-write" for i in (0.005, 1e-6)}


@pytest.mark.parametrize(
    "lost, verdict",
    [
        ({("read_call_write", 1e-6): 5000}, "partly"),
        (EVERY_CHANGE_LOST, "refuted"),
        ({}, "confirmed"),
    ],
)
def test_c20_decides_on_counts_alone(lost, verdict):
    decided = c20.gil_prevents_conflicts(lost_records(lost))
    assert decided.verdict == verdict and decided.interval is None


def test_c20_says_where_updates_were_lost_and_how_many_were_made():
    partly = c20.gil_prevents_conflicts(lost_records({("read_call_write", 1e-6): 5000}))
    assert "lost updates with a read and a write with a call between (5,000 of 12,000 at 0.001 ms);" in partly.evidence
    assert "none with `+= 1` on a global (5, 0.001 ms)" in partly.evidence
    confirmed = c20.gil_prevents_conflicts(lost_records())
    assert "no conflict observed in 120,000 unlocked updates" in confirmed.evidence
    assert confirmed.numbers["unlocked_updates"] == 120000


@pytest.mark.parametrize(
    "records, reason",
    [
        (lost_records({("locked_iadd", 0.005): 3}), "under a Lock were lost"),
        (lost_records()[lambda rows: rows.kind != "locked"], "no records of both"),
        (lost_records().assign(test="test_other"), "no lost-update records"),
    ],
)
def test_c20_is_inconclusive_without_a_sound_lock_or_records(records, reason):
    decided = c20.gil_prevents_conflicts(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


# C21: serial takes 1 s at every N; threads at the speedup given per workload for N >= 2.


def release_records(speeds, cpus=2, spread=0.02):
    rows = []
    for workload, speed in speeds.items():
        for n in (1, 2, 4):
            rows.append(dict(model="serial", workers=n, workload=workload, **timed(1.0)))
            rows.append(
                dict(model="threads", workers=n, workload=workload, **timed(1 / (speed if n > 1 else 1), spread))
            )
    return frame(rows, cpus)


C_SCALES = {"sha256": 1.9, "zlib": 1.8, "file_read": 1.7, "sleep": 3.9, "pure_python": 1.0}


@pytest.mark.parametrize(
    "speeds, verdict",
    [
        (C_SCALES, "partly"),
        (dict(C_SCALES, sha256=1.0, zlib=1.0, file_read=1.0), "confirmed"),
        (dict(C_SCALES, pure_python=1.9), "refuted"),
    ],
)
def test_c21_sets_c_code_that_releases_the_gil_beside_pure_python(speeds, verdict):
    decided = c21.gil_blocks_all_parallelism(release_records(speeds))
    assert decided.verdict == verdict
    assert decided.numbers["sleep_speedup"] == pytest.approx(3.9, rel=0.01)


def test_c21_partly_names_what_scaled():
    decided = c21.gil_blocks_all_parallelism(release_records(C_SCALES))
    assert "on pure_python only, not on sha256, zlib, file_read" in decided.evidence


def test_c21_a_scaling_c_workload_beside_flat_pure_python_decides_despite_a_noisy_one():
    records = release_records(C_SCALES)
    noisy = release_records({"zlib": 1.1}, spread=0.5)
    decided = c21.gil_blocks_all_parallelism(pd.concat([records[records.workload != "zlib"], noisy]))
    assert decided.verdict == "partly"


@pytest.mark.parametrize(
    "records, reason",
    [
        (release_records(C_SCALES, cpus=1), "1 usable CPU"),
        (release_records({"sleep": 3.9}), "no serial and threads records"),
        (release_records(dict(C_SCALES, sha256=1.0, zlib=1.1, file_read=1.0), spread=0.5), "zlib: too noisy"),
        (release_records({"sha256": 1.0, "zlib": 1.0, "pure_python": 1.0}), "no records of file_read"),
    ],
)
def test_c21_is_inconclusive_on_one_cpu_on_noise_or_without_a_workload(records, reason):
    decided = c21.gil_blocks_all_parallelism(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
