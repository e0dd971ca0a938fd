"""X02 on synthetic records of subinterpreters beside threads and processes: an own GIL (3.12+), a shared one (3.11),
no subinterpreters at all (no backport), a busy machine, and starts dearer than spawn's."""

import pandas as pd
import pytest
from analysis.rules import c05, x02

from tests.rules.synthetic import PROCESSES, flat, frame, grid, linear, paired, saturating, scaled, spread_around
from tests.rules.test_c05 import start_records

THREAD_MS, STARTS, THREAD_STARTS = 0.09, 10, 200
START_MS = {"fork": 3.0, "spawn": 100.0, "forkserver": 15.0}
USS_MIB = {"threads": 0.02, "fork": 1.4, "spawn": 7.7, "forkserver": 4.8}


def x02_records(
    cpus=2,
    interpreter="cpython-3.12.1",
    subinterpreters=None,
    processes=None,
    start_ms=60.0,
    uss_mib=5.1,
    spread=0.02,
    rounds=9,
    with_subinterpreters=True,
):
    """The rows X02 reads from one run: write visibility, CPU scaling (warm and cold, every N of the grid, the serial
    null control), start-to-joined from the small parent, idle-worker memory, and round trips over interpreters.Queue
    (and a thread's against themselves, its null control).
    `subinterpreters` and `processes` map N to a speedup (default: linear on `cpus`)."""
    subinterpreters, processes = subinterpreters or linear(cpus), processes or linear(cpus)
    models = ["threads"] + PROCESSES + (["subinterpreters"] if with_subinterpreters else [])
    rows = []
    for model in models:
        seen = 9 if model == "threads" else 0
        rows.append(
            dict(
                measurement="write_visibility",
                model=model,
                tries=9,
                sees_global=seen,
                sees_list=seen,
                sees_instance=seen,
            )
        )
    rows.append(dict(measurement="cpu_scaling", model="serial", workers=1, null_control=True, **scaled(1, 1.0, 1.0)))
    for n in grid(max(1, int(cpus))):
        for model in models:
            curve = {"threads": flat, "subinterpreters": subinterpreters}.get(model, processes)
            for lifecycle in ("warm", "cold"):
                record = scaled(n, curve(n), curve(n), spread=spread, rounds=rounds, seed=n)
                rows.append(dict(measurement="cpu_scaling", model=model, workers=n, lifecycle=lifecycle, **record))
    costs = dict(START_MS, threads=THREAD_MS, subinterpreters=start_ms)
    uss = dict(USS_MIB, subinterpreters=uss_mib)
    for seed, model in enumerate(models):
        count = THREAD_STARTS if model == "threads" else STARTS
        timing = paired(count * costs[model] / 1000, THREAD_STARTS * THREAD_MS / 1000, spread, rounds, seed=2 * seed)
        rows.append(
            dict(
                measurement="start_to_joined",
                model=model,
                starts_per_round=count,
                baseline_starts_per_round=THREAD_STARTS,
                null_control=model == "threads",
                **timing,
            )
        )
        slopes = spread_around(uss[model], spread, rounds)
        rows.append(
            dict(
                measurement="idle_workers",
                model=model,
                uss_slopes_mib=slopes,
                uss_mib_per_worker=uss[model],
                pss_mib_per_worker=uss[model] * 1.02,
            )
        )
    rows.append(
        dict(
            measurement="interpreter_round_trip",
            model="threads",
            size_bytes=8,
            round_trips=2,
            null_control=True,
            **paired(0.0001, 0.0001, spread, rounds),
        )
    )
    for size, trip_s in ([8, 0.015], [16 * 2**20, 0.08]) if with_subinterpreters else ():
        thread_s = 0.00005 if size == 8 else 0.00006
        rows.append(
            dict(
                measurement="interpreter_round_trip",
                model="subinterpreters",
                size_bytes=size,
                round_trips=1,
                **paired(trip_s, thread_s, spread, rounds),
            )
        )
    return frame(rows, cpus).assign(interpreter=interpreter)


OUTCOMES = {
    "X02": {
        "confirmed": lambda: x02_records(),  # 3.12+: a GIL of their own
        "partly": lambda: x02_records(interpreter="cpython-3.11.7", subinterpreters=flat),  # one GIL for all
        "inconclusive": lambda: x02_records(with_subinterpreters=False),  # no backport: the model is unavailable
    }
}


def test_x02_confirmed_on_an_own_gil_gives_every_number():
    decided = x02.subinterpreters_are_a_third_way(x02_records())
    assert decided.verdict == "confirmed", decided.evidence
    assert decided.numbers["speedup"] == pytest.approx(2.0, rel=0.05) and decided.numbers["workers"] == 2
    assert decided.numbers["start_vs_spawn"] == pytest.approx(0.6, rel=0.05)
    assert decided.numbers["memory_vs_spawn"] == pytest.approx(5.1 / 7.7, rel=0.05)
    assert decided.numbers["sees"] == "nothing" and decided.numbers["queue_vs_thread_8"] == pytest.approx(300, rel=0.1)
    assert decided.interval.value == pytest.approx(2.0, rel=0.05)  # the speedup: what decided it beyond the facts
    assert "interpreters.Queue cost 300" in decided.evidence and "at 8 B and 1337" in decided.evidence


@pytest.mark.parametrize("cpus", [2, 16, 64])
def test_x02_judges_scaling_at_n_equal_to_the_usable_cpus(cpus):
    decided = x02.subinterpreters_are_a_third_way(x02_records(cpus=cpus))
    assert decided.verdict == "confirmed" and decided.numbers["workers"] == cpus


def test_x02_partly_before_3_12_says_the_gil_is_shared():
    decided = x02.subinterpreters_are_a_third_way(x02_records(interpreter="cpython-3.11.7", subinterpreters=flat))
    assert decided.verdict == "partly"
    assert decided.evidence.endswith(
        "; but scales: no speedup: <= 1.1x (before 3.12 subinterpreters share the main interpreter's GIL)"
    )


def test_x02_partly_when_a_start_costs_as_much_as_spawns():
    decided = x02.subinterpreters_are_a_third_way(x02_records(start_ms=120.0))
    assert decided.verdict == "partly" and "starts for less: not less than spawn's: >= 0.9x" in decided.evidence


def test_x02_flat_subinterpreters_on_a_busy_machine_decide_nothing():
    """Processes stayed flat too: the machine ran one thing at a time, whatever the GIL."""
    records = x02_records(subinterpreters=flat, processes=lambda n: min(n, 1.2))
    decided = x02.subinterpreters_are_a_third_way(records)
    assert decided.verdict == "inconclusive" and "processes did not scale either" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (x02_records(with_subinterpreters=False), "needs CPython 3.14 (concurrent.interpreters)"),
        (x02_records(cpus=1), "fewer than 2 usable CPUs"),
        (x02_records(subinterpreters=saturating(2, 1.3)), "between no speedup"),
        (x02_records(start_ms=92.0, spread=0.3), "too noisy"),
        (x02_records(rounds=5), "5 rounds give no interval"),
    ],
)
def test_x02_inconclusive_says_why(records, reason):
    decided = x02.subinterpreters_are_a_third_way(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence, decided.evidence


def test_x02_says_why_it_cannot_be_refuted():
    assert set(x02.subinterpreters_are_a_third_way.cannot) == {"refuted"}


def test_subinterpreter_rows_leave_c05_as_it_was():
    """C05 judges processes against threads; a subinterpreter start of 5x a thread's (between its bars) is X02's."""
    alone = start_records()
    row = alone[alone.model == "spawn"].iloc[0].to_dict()
    row.update(model="subinterpreters", **paired(10 * 5 * 0.09 / 1000, 0.018))
    both = pd.concat([alone, pd.DataFrame([row])], ignore_index=True)
    assert c05.threads_are_lightweight(both) == c05.threads_are_lightweight(alone)
