"""Verdict rules of C03, C04, C05, C10 and C18 on synthetic records with known answers, every inconclusive path
included."""

import numpy as np
import pandas as pd
import pytest

from rules import c03, c04, c05, c10, c18

PROCESSES = ["fork", "spawn", "forkserver"]
KIB, MIB = 2**10, 2**20


def timed(median, spread=0.02, rounds=7):
    """A record's timing columns: `rounds` times spread evenly +-`spread` around `median`."""
    return dict(median_s=median, rounds_s=list(median * np.linspace(1 - spread, 1 + spread, rounds)))


def frame(rows):
    return pd.DataFrame(rows).assign(cpu_usable=2)


def identity_records(threads_sharing=4, native_ids=4, listed=4, gained=4, process_pids=4, processes=PROCESSES):
    """C03 rows: 4 threads and 4 child processes per start method reporting where they run."""
    rows = [
        dict(
            test="test_where_workers_run",
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
            test="test_where_workers_run",
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


@pytest.mark.parametrize(
    "records, verdict",
    [
        (identity_records(), "confirmed"),
        (identity_records(threads_sharing=0), "refuted"),
        (identity_records(native_ids=1), "refuted"),
        (identity_records(listed=0), "refuted"),
        (identity_records(gained=0), "partly"),
        (identity_records(process_pids=1), "partly"),
    ],
)
def test_c03_threads_inside_the_process_processes_apart(records, verdict):
    decided = c03.threads_live_in_a_process(records)
    assert decided.verdict == verdict and decided.interval is None
    assert "4 threads reported the parent's pid" in decided.evidence


@pytest.mark.parametrize(
    "records",
    [
        identity_records(processes=[]),
        identity_records()[lambda rows: rows.model != "threads"],
    ],
)
def test_c03_is_inconclusive_without_threads_and_processes(records):
    assert c03.threads_live_in_a_process(records).verdict == "inconclusive"


def cpu_thread_records(logical=2, physical=2, alive=200, waits_taken=1.2, spread=0.02):
    """C04 rows: the CPU counts, and 200 threads whose waits of 0.2 s took `waits_taken` waits in all."""
    return frame(
        [
            dict(
                test="test_cpu_counts", logical_cpus=logical, physical_cpus=physical, usable_cpus=logical, **timed(1e-4)
            ),
            dict(
                test="test_threads_alive_at_once",
                threads=200,
                wait_s=0.2,
                threads_alive_at_once=alive,
                **timed(0.2 * waits_taken, spread),
            ),
        ]
    )


@pytest.mark.parametrize(
    "records, verdict",
    [
        (cpu_thread_records(logical=4, physical=2), "confirmed"),
        (cpu_thread_records(), "partly"),
        (cpu_thread_records(logical=4, physical=2, alive=4, waits_taken=50), "partly"),
        (cpu_thread_records(alive=4, waits_taken=50), "refuted"),
    ],
)
def test_c04_tells_hardware_threads_from_os_threads(records, verdict):
    decided = c04.os_threads_vs_cores(records)
    assert decided.verdict == verdict
    assert decided.numbers["hardware_threads_per_core"] == records["logical_cpus"].iloc[0] / 2


def test_c04_without_smt_says_4_fits_only_hardware_threads():
    decided = c04.os_threads_vs_cores(cpu_thread_records())
    assert "1 hardware thread per core" in decided.evidence and "SMT" in decided.evidence
    assert decided.interval.low <= 1.2 <= decided.interval.high


@pytest.mark.parametrize(
    "records, reason",
    [
        (cpu_thread_records(physical=None), "physical cores"),
        (cpu_thread_records(waits_taken=2.0, spread=0.5), "too noisy"),
        (cpu_thread_records()[lambda rows: rows.test != "test_cpu_counts"], "no records"),
    ],
)
def test_c04_inconclusive_paths(records, reason):
    decided = c04.os_threads_vs_cores(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def start_records(ratios, pool=True, spread=0.02, rounds=7):
    """C05 rows: a thread starts in 0.1 ms; a process of each start method takes ratios[method] times that."""
    rows = []
    for test in ["test_start_to_joined"] + (["test_pool_first_result"] if pool else []):
        rows.append(dict(test=test, model="threads", **timed(1e-4, spread, rounds)))
        rows += [dict(test=test, model=m, **timed(1e-4 * r, spread, rounds)) for m, r in ratios.items()]
    return frame(rows)


@pytest.mark.parametrize(
    "ratios, pool, verdict",
    [
        ({"fork": 30, "spawn": 500, "forkserver": 100}, True, "confirmed"),
        ({"fork": 30, "spawn": 500, "forkserver": 100}, False, "confirmed"),
        ({"fork": 5, "spawn": 500, "forkserver": 100}, True, "partly"),
        ({"fork": 1.2, "spawn": 1.2, "forkserver": 1.2}, True, "refuted"),
        ({"fork": 5, "spawn": 5, "forkserver": 5}, True, "inconclusive"),
    ],
)
def test_c05_threads_lightweight_when_processes_cost_ten_times(ratios, pool, verdict):
    decided = c05.threads_are_lightweight(start_records(ratios, pool))
    assert decided.verdict == verdict
    assert decided.numbers["fork_start"] == pytest.approx(ratios["fork"], rel=0.01)
    assert decided.interval.low <= min(ratios.values()) <= decided.interval.high
    assert ("fork (start)" in decided.evidence) == (verdict in ("partly", "inconclusive"))


def test_c05_is_inconclusive_when_noisy_or_without_thread_records():
    noisy = c05.threads_are_lightweight(start_records({"fork": 10, "spawn": 500, "forkserver": 100}, spread=0.5))
    assert noisy.verdict == "inconclusive" and "too noisy" in noisy.evidence
    one_round = c05.threads_are_lightweight(start_records({"fork": 30, "spawn": 500, "forkserver": 100}, rounds=1))
    assert one_round.verdict == "inconclusive" and "no interval" in one_round.evidence
    no_threads = start_records({"fork": 30})[lambda rows: rows.model != "threads"]
    assert c05.threads_are_lightweight(no_threads).verdict == "inconclusive"


def stack_records(kept=8, reached=8, small=64, large=16384, python=(65536, 65536)):
    """C10 rows: 8 threads' local and shared-list facts, and the depths reached with 64 KiB and 16 MiB stacks."""
    rows = [
        dict(
            test="test_locals_and_shared_heap",
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
                test="test_recursion_depth",
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
    "records, reason",
    [
        (stack_records(small=256, large=512), "between"),
        (stack_records(small=0, large=0), "no depth"),
        (stack_records()[lambda rows: rows.test != "test_locals_and_shared_heap"], "no records"),
    ],
)
def test_c10_inconclusive_paths(records, reason):
    decided = c10.own_stack_shared_heap(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def example_records(processes_print="None", threads_print="None", computed=True, received=49):
    """C18 rows: what the post's example printed per model, and what each hand-back brought."""
    rows = [
        dict(
            test="test_post_example",
            model=m,
            printed_last=threads_print if m == "threads" else processes_print,
            worker_printed_49=computed,
            **timed(0.05),
        )
        for m in ["threads"] + PROCESSES
    ]
    rows += [
        dict(test="test_handed_back", method=m, channel=c, received=received, **timed(0.01))
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
    ],
)
def test_c18_reads_the_example_against_its_thread_control(records, verdict):
    decided = c18.child_value_never_returns(records)
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["handed_back"] == 9 and "9 of 9 hand-backs" in decided.evidence


def test_c18_counts_hand_backs_that_failed():
    assert c18.child_value_never_returns(example_records(received=0)).numbers["handed_back"] == 0


@pytest.mark.parametrize(
    "records",
    [
        example_records(computed=False),
        example_records()[lambda rows: rows.model != "threads"],
        example_records()[lambda rows: rows.test != "test_post_example"],
    ],
)
def test_c18_is_inconclusive_without_a_computed_value_or_the_control(records):
    assert c18.child_value_never_returns(records).verdict == "inconclusive"
