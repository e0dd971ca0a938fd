"""Even CPUs before CPU-bound scaling rounds (experiments/harness/steady.py): the probe, the bounded wait, and the
analysis that decides only on rounds that began even (scripts/analysis/records.py) and says how many it left out."""

import copy
import math
import os
import time

import psutil
import pytest
from analysis import controls, records, verdicts
from analysis.rules.primitives import best, weakest
from analysis.stats import Interval

from experiments.harness import steady
from experiments.vocabulary import EVEN_CPUS
from tests.test_bad_input import a_run, benchmark, write

PINNABLE = hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2 and hasattr(psutil.Process, "cpu_num")


def test_a_big_machine_is_sampled_evenly_from_its_first_cpu_to_its_last():
    assert steady.sampled_cpus(list(range(4))) == [0, 1, 2, 3]
    assert steady.sampled_cpus(list(range(64))) == [0, 9, 18, 27, 36, 45, 54, 63]


@pytest.mark.skipif(not PINNABLE, reason="needs 2 CPUs, sched_setaffinity and psutil's cpu_num")
def test_the_probe_times_each_cpu_pinned_and_gives_the_thread_its_affinity_back(monkeypatch):
    before, pinned = os.sched_getaffinity(0), []
    real = os.sched_setaffinity
    monkeypatch.setattr(os, "sched_setaffinity", lambda pid, cpus: (pinned.append(set(cpus)), real(pid, cpus)))
    cpus = sorted(before)[:2]
    monkeypatch.setattr(psutil.Process, "cpu_num", lambda self: cpus[0])  # the thread was on the first
    assert steady.spread(cpus, 20000) >= 1.0
    assert pinned[::2] == [{cpus[1]}] * 2 + [{cpus[0]}] * 2  # each CPU twice, alone; where the thread was, last
    assert pinned[1::2] == [before] * 4 and os.sched_getaffinity(0) == before

    def broken(units):
        raise KeyboardInterrupt

    monkeypatch.setattr(steady, "cpu_spin", broken)
    with pytest.raises(KeyboardInterrupt):
        steady.pinned_seconds(cpus[0], 1)
    assert os.sched_getaffinity(0) == before


def test_uneven_cpus_are_waited_for_no_longer_than_the_budget(monkeypatch):
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0, 1])
    monkeypatch.setattr(steady, "spread", lambda cpus, units: 1.9)  # a neighbour on one CPU's other hyperthread
    gate = steady.Gate(units=1, budget_s=0.3)
    start = time.perf_counter()
    assert gate() == 1.9
    assert 0.3 <= time.perf_counter() - start < 5
    start = time.perf_counter()
    assert gate() == 1.9 and gate.left_s <= 0  # the budget is the whole benchmark's: spent, no more waiting


def test_even_cpus_begin_the_round_at_once_and_uneven_ones_once_they_even_out(monkeypatch):
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0, 1])
    found = iter([1.05, 1.6, 1.5, 1.08])
    monkeypatch.setattr(steady, "spread", lambda cpus, units: next(found))
    gate = steady.Gate(units=1, budget_s=10)
    assert gate() == 1.05 and gate.left_s == 10
    assert gate() == 1.08 and gate.left_s < 10 - 2 * steady.LOOK_EVERY_S


def test_one_cpu_or_cpus_that_cannot_be_pinned_have_nothing_to_compare(monkeypatch):
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0])
    assert steady.Gate(units=1, budget_s=1)() is None
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0, 1])

    def offline(cpus, units):
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(steady, "spread", offline)
    assert steady.Gate(units=1, budget_s=1)() is None


def test_only_rounds_that_began_even_or_were_not_compared_count():
    assert records.even_rounds(None, 3) == [0, 1, 2]
    assert records.even_rounds([None, EVEN_CPUS + 0.01, EVEN_CPUS, 1.0], 4) == [0, 2, 3]


def test_a_model_without_rounds_left_is_the_weakest_and_never_the_best():
    empty, low, high = (
        Interval(math.nan, math.nan, math.nan, "0"),
        Interval(1.2, 1.1, 1.3, "9"),
        Interval(1.9, 1.8, 2, "9"),
    )
    wide = Interval(1.95, 1.1, 2.0, "9")  # a higher median, but an interval that does not clear 1.5
    for order in ([empty, low, high, wide], [wide, high, low, empty]):
        assert best(order) is high
        assert weakest(order, "high") is empty and weakest(order, "low") is empty


def c14_run(spreads, control_spreads=None):
    """A run of the C09/C14 experiment whose process rounds were fast in even rounds and slow in uneven ones, as on
    a VM whose CPUs run at uneven speed for a while: where `spreads` (one per round) is over EVEN_CPUS, N = 2 workers
    waited for the slow CPU (1.1x); elsewhere they ran 1.9x as fast as serial. The serial null control's rounds
    began with `control_spreads` (even throughout unless given)."""
    run = a_run()
    run["benchmarks"] = [b for b in run["benchmarks"] if b["extra_info"]["model"] != "fork"]
    run["benchmarks"][0]["extra_info"]["cpu_spread"] = control_spreads or [1.0] * len(spreads)
    for model in ("fork", "spawn", "forkserver"):
        bench = benchmark("test_scaling[{}-2-warm]".format(model), model, 2, 0.05, 0.05)
        bench["stats"]["data"] = [2 * 0.05 / (1.1 if s > EVEN_CPUS else 1.9) for s in spreads]
        bench["extra_info"]["baseline_s"] = [0.05] * len(spreads)
        bench["extra_info"]["cpu_s"] = [2 * d for d in bench["stats"]["data"]]
        bench["extra_info"]["cpu_spread"] = spreads
        run["benchmarks"].append(bench)
    return run


def decided(tmp_path, run, claim="C14"):
    table = records.measurements([str(write(tmp_path / "runs" / "run.json", run))]).table
    return table, verdicts.verdicts(table).set_index("claim").loc[claim]


def test_rounds_that_began_uneven_are_left_out_and_counted(tmp_path):
    spreads = [1.0, 1.9, 1.1, 1.0, 1.8, 1.05, 1.0, 1.7, 1.0]  # 3 of 9 uneven: the 6 even ones still give an interval
    table, c14 = decided(tmp_path, c14_run(spreads))
    assert c14["verdict"] == "confirmed", c14["evidence"]
    assert "fork 3 of 9, spawn 3 of 9, forkserver 3 of 9 (the slowest up to 1.90x the fastest)" in c14["evidence"]
    fork = table[table["model"] == "fork"].iloc[0]
    assert (fork["rounds"], fork["rounds_even"], fork["rounds_uneven"], len(fork["rounds_s"])) == (9, 6, 3, 6)
    blind = copy.deepcopy(c14_run(spreads))  # the same rounds where nobody looked at the CPUs: all of them count
    for bench in blind["benchmarks"]:
        bench["extra_info"].pop("cpu_spread", None)
    assert decided(tmp_path / "blind", blind)[1]["verdict"] != "confirmed"


def test_a_run_whose_cpus_were_uneven_throughout_decides_nothing_and_says_why(tmp_path):
    _, c14 = decided(tmp_path, c14_run([1.9] * 9))
    assert c14["verdict"] == "inconclusive"
    assert "fork 9 of 9" in c14["evidence"] and "0 rounds give no interval" in c14["evidence"]


def test_a_null_control_left_without_rounds_by_uneven_cpus_makes_the_run_unreliable(tmp_path):
    table, c14 = decided(tmp_path, c14_run([1.0] * 9, control_spreads=[1.9] * 8 + [1.0]))
    checked = controls.controls(table)
    assert checked["holds"].tolist() == [False]
    assert c14["verdict"] == "inconclusive" and "too few to check it" in c14["evidence"], c14["evidence"]
