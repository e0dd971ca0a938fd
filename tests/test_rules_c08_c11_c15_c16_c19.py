"""Verdict rules of C08, C11, C15, C16 and C19 on synthetic records with known answers, every inconclusive path
included."""

import numpy as np
import pandas as pd
import pytest

from rules import c08, c11, c15, c16, c19

PROCESSES = ["fork", "spawn", "forkserver"]
MIB = 2**20


def spread_around(median, spread=0.02, rounds=7):
    """`rounds` values spread evenly +-`spread` around `median`."""
    return list(median * np.linspace(1 - spread, 1 + spread, rounds))


def timed(median, spread=0.02, rounds=7):
    return dict(median_s=median, rounds_s=spread_around(median, spread, rounds))


def frame(rows):
    return pd.DataFrame(rows).assign(cpu_usable=2)


def kill_records(
    kill_api="none",
    cancelled=False,
    ends=True,
    caught=True,
    reaches=False,
    survivors=(),
    methods=PROCESSES,
    hows=("terminate", "kill"),
):
    """C08 rows: what stopped a spinning thread, and whether terminate()/kill() ended a child in every round."""
    rows = [
        dict(
            test="test_stop_a_spinning_thread",
            thread_kill_api=kill_api,
            running_task_cancelled=cancelled,
            raised_exit_ends_spinning=ends,
            raised_exit_caught=caught,
            raised_exit_reaches_blocked=reaches,
            **timed(3e-5),
        )
    ]
    for model in methods:
        for how in hows:
            rows.append(
                dict(
                    test="test_stop_a_spinning_process",
                    model=model,
                    how=how,
                    started_rounds=8,
                    ended_rounds=7 if model in survivors else 8,
                    **timed(0.002),
                )
            )
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (kill_records(), "confirmed"),
        (kill_records(kill_api="kill", survivors=PROCESSES), "refuted"),
        (kill_records(kill_api="kill"), "partly"),
        (kill_records(cancelled=True), "partly"),
        (kill_records(caught=False, reaches=True), "partly"),
        (kill_records(caught=False), "confirmed"),  # an exception that waits for a blocking call is no kill
        (kill_records(survivors=["spawn"]), "partly"),
    ],
)
def test_c08_needs_no_lever_on_threads_and_every_child_killed(records, verdict):
    decided = c08.processes_killable_threads_not(records)
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["fork_kill_ms"] == pytest.approx(2.0)


@pytest.mark.parametrize(
    "records",
    [
        kill_records()[lambda rows: rows.test != "test_stop_a_spinning_thread"],
        kill_records(methods=[]),
        kill_records(hows=["terminate"]),
    ],
)
def test_c08_is_inconclusive_without_a_thread_and_both_ways_of_stopping_a_child(records):
    assert c08.processes_killable_threads_not(records).verdict == "inconclusive"


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
            test="test_leak",
            where="thread",
            leaked_bytes=leaked,
            worker_grew_bytes=thread_kept * leaked,
            parent_kept_bytes=thread_kept * leaked,
            **timed(0.1),
        ),
        dict(
            test="test_segfault",
            where="thread",
            parent_survived=thread_crash_survived,
            worker_exitcode=-11,
            **timed(0.05),
        ),
        dict(
            test="test_uncaught_exception_in_a_thread",
            parent_survived=True,
            sibling_alive=True,
            hook_saw="RuntimeError",
            **timed(0.05),
        ),
    ]
    for model in methods:
        rows.append(
            dict(
                test="test_leak",
                where=model,
                leaked_bytes=leaked,
                worker_grew_bytes=child_grew * leaked,
                parent_kept_bytes=child_kept * leaked,
                **timed(0.1),
            )
        )
        rows.append(
            dict(
                test="test_segfault", where=model, parent_survived=child_crash_spares, worker_exitcode=-11, **timed(0.1)
            )
        )
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (fault_records(), "confirmed"),
        (fault_records(thread_kept=0.0, thread_crash_survived=True), "refuted"),
        (fault_records(thread_crash_survived=True), "partly"),
        (fault_records(thread_kept=0.0), "partly"),
        (fault_records(child_kept=1.0), "partly"),
        (fault_records(child_crash_spares=False), "partly"),
    ],
)
def test_c11_needs_thread_faults_to_hit_the_process_and_children_to_keep_theirs(records, verdict):
    decided = c11.thread_faults_hit_the_process(records)
    assert decided.verdict == verdict
    assert decided.numbers["leak_mib"] == 64 and "RuntimeError" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (fault_records(thread_kept=0.5), "neither held"),
        (fault_records(child_grew=0.5), "neither held"),
        (fault_records(methods=[]), "no leak and segfault records"),
        (fault_records()[lambda rows: rows.test != "test_segfault"], "no leak and segfault records"),
    ],
)
def test_c11_is_inconclusive_on_a_half_held_leak_or_missing_records(records, reason):
    decided = c11.thread_faults_hit_the_process(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def handoff_records(threads=9, processes=(1, 1, 1), guard=True, apis=("pool", "worker")):
    """C15 rows: cells that worked out of 9 per API and model; the unguarded script works with threads and fork."""
    rows = []
    for api in apis:
        for model, works in zip(["threads"] + PROCESSES, (threads,) + tuple(processes)):
            rows.append(dict(test="test_handoff_matrix", api=api, model=model, works=works, cells=9, **timed(0.1)))
    if guard:
        for model in ["threads"] + PROCESSES:
            outcome = "RuntimeError" if model in ("spawn", "forkserver") else "works"
            rows.append(dict(test="test_script_without_main_guard", model=model, no_main_guard=outcome, **timed(0.1)))
    return frame(rows)


@pytest.mark.parametrize(
    "threads, processes, verdict",
    [
        (9, (1, 1, 1), "refuted"),
        (9, (9, 9, 9), "refuted"),  # as easy is not easier
        (1, (5, 5, 5), "confirmed"),
        (3, (5, 1, 1), "partly"),
    ],
)
def test_c15_counts_cells_that_work(threads, processes, verdict):
    decided = c15.processes_easier(handoff_records(threads, processes))
    assert decided.verdict == verdict and decided.interval is None
    assert decided.numbers["pool_threads_works"] == threads + 1 and decided.numbers["cells"] == 10
    assert decided.numbers["pool_spawn_works"] == processes[1]  # the unguarded script fails under spawn


@pytest.mark.parametrize(
    "records",
    [
        handoff_records(guard=False),
        handoff_records()[lambda rows: rows.model != "threads"],
        handoff_records(apis=()),
    ],
)
def test_c15_is_inconclusive_without_threads_processes_and_guard_records(records):
    assert c15.processes_easier(records).verdict == "inconclusive"


def footprint_records(thread=0.02, processes=(1.4, 7.7, 4.7), spread=0.02, rounds=7):
    """C16 rows: private MiB per extra idle worker, per round spread around the given medians."""
    rows = []
    for model, slope in zip(["threads"] + PROCESSES, (thread,) + tuple(processes)):
        rows.append(
            dict(
                test="test_idle_workers",
                model=model,
                uss_mib_per_worker=slope,
                pss_mib_per_worker=slope * 1.1,
                uss_slopes_mib=spread_around(slope, spread, rounds),
                **timed(0.2),
            )
        )
    return frame(rows)


@pytest.mark.parametrize(
    "processes, verdict",
    [
        ((1.4, 7.7, 4.7), "confirmed"),
        ((0.02, 0.02, 0.02), "refuted"),
        ((1.4, 0.02, 4.7), "partly"),
        ((1.4, 0.03, 4.7), "inconclusive"),  # 1.5x: between "not larger" and "larger"
    ],
)
def test_c16_compares_memory_per_extra_worker(processes, verdict):
    decided = c16.processes_cost_memory(footprint_records(processes=processes))
    assert decided.verdict == verdict
    assert decided.numbers["fork_vs_thread"] == pytest.approx(processes[0] / 0.02, rel=0.01)


@pytest.mark.parametrize(
    "records, reason",
    [
        (footprint_records(processes=(1.4, 0.04, 4.7), spread=0.9), "too noisy: CI ["),
        (footprint_records(rounds=1), "no interval"),
        (footprint_records(thread=0.0), "no private memory"),
        (footprint_records()[lambda rows: rows.model != "threads"], "no idle-worker memory records"),
        (footprint_records()[lambda rows: rows.model == "threads"], "no idle-worker memory records"),
    ],
)
def test_c16_is_inconclusive_on_noise_or_missing_records(records, reason):
    decided = c16.processes_cost_memory(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def sharing_records(costs=(6.0, 500.0, 250.0), plain_seen_by=("threads",), spread=0.02, rounds=7):
    """C19 rows: per-update time as a multiple of a thread's 0.2 us, and which workers' changes to a plain
    instance reached the parent (a manager's always did)."""
    rows = []
    for mechanism, ratio in zip(["thread_lock", "mp_value", "manager_value", "manager_instance"], (1.0,) + costs):
        rows.append(
            dict(
                test="test_update_cost", mechanism=mechanism, updates=1000, **timed(1000 * 2e-7 * ratio, spread, rounds)
            )
        )
    for model in ["threads"] + PROCESSES:
        for way in ["plain", "manager"]:
            managed = way == "manager"
            rows.append(
                dict(
                    test="test_share_an_instance",
                    model=model,
                    way=way,
                    processes_started=int(managed),
                    parent_sees=managed or model in plain_seen_by,
                    attribute_access="AttributeError" if managed else "works",
                    **timed(0.01),
                )
            )
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (sharing_records(), "confirmed"),
        (sharing_records(costs=(1.0, 1.0, 1.0), plain_seen_by=["threads"] + PROCESSES), "refuted"),
        (sharing_records(costs=(1.0, 500.0, 250.0)), "partly"),
        (sharing_records(plain_seen_by=("threads", "fork")), "partly"),
        (sharing_records(plain_seen_by=()), "partly"),
    ],
)
def test_c19_needs_costlier_updates_and_copied_instances(records, verdict):
    decided = c19.sharing_harder_with_processes(records)
    assert decided.verdict == verdict
    assert decided.numbers["thread_lock_us"] == pytest.approx(0.2)
    weakest = min(ratio for name, ratio in decided.numbers.items() if name.endswith("_vs_thread"))
    assert decided.interval.value == pytest.approx(weakest, rel=0.05)


@pytest.mark.parametrize(
    "records, reason",
    [
        (sharing_records(costs=(1.5, 500.0, 250.0)), "between 1.1x and 2.0x"),
        (sharing_records(costs=(2.0, 500.0, 250.0), spread=0.6), "too noisy: CI ["),
        (sharing_records(rounds=1), "no interval"),
        (sharing_records()[lambda rows: rows.mechanism != "thread_lock"], "no update-cost"),
        (sharing_records()[lambda rows: rows.test != "test_share_an_instance"], "no update-cost"),
    ],
)
def test_c19_is_inconclusive_on_noise_or_missing_records(records, reason):
    decided = c19.sharing_harder_with_processes(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
