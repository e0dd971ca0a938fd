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

PINNABLE = hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2
ALWAYS_READY = open(os.devnull)  # a file select always finds readable
AFFINITY = pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="a gate looks only where CPUs can be pinned")


def test_a_big_machine_is_sampled_evenly_from_its_first_cpu_to_its_last():
    assert steady.sampled_cpus(list(range(4))) == [0, 1, 2, 3]
    assert steady.sampled_cpus(list(range(64))) == [0, 9, 18, 27, 36, 45, 54, 63]


class FakeProbes:
    """Probes whose looks find the given times, one pair (alone, together) of per-CPU lists per look."""

    def __init__(self, looks):
        self.looks, self.closed = iter(looks), False

    def alone(self, units):
        self.current = next(self.looks)
        return self.current[0]

    def together(self, units):
        return self.current[1]

    def close(self):
        self.closed = True


def test_a_look_finds_cpus_uneven_one_at_a_time_and_crowded_all_at_once():
    def found(alone, together):
        return steady.look(FakeProbes([(alone, together)]), 1)

    assert found([1.0, 1.02], [1.05, 1.03]) == pytest.approx((1.02, 1.05))  # even, and as fast all at once
    assert found([1.0, 1.02], [1.6, 1.5]) == pytest.approx((1.02, 1.6))  # even one at a time, not all at once
    assert found([1.0, 1.8], [1.0, 1.8]) == pytest.approx((1.8, 1.0))  # one CPU slow, alone and together


class Child:
    """A stand-in for a probe process that notes what is written to it and read from it, in one shared log."""

    def __init__(self, name, log, answers=None):
        self.name, self.log, self.answers = name, log, iter(answers or [])
        self.stdin, self.stdout = self, self

    def write(self, text):
        self.log.append(("told", self.name))

    def flush(self):
        pass

    def fileno(self):
        return ALWAYS_READY.fileno()  # select finds an answer waiting at once, as from a probe that answered

    def readline(self):
        self.log.append(("answered", self.name))
        return "{}\n".format(next(self.answers, 0.003))


def test_all_at_once_means_every_probe_is_told_before_any_answer_is_read():
    log = []
    probes = steady.Probes.__new__(steady.Probes)
    probes.children = [Child(cpu, log) for cpu in (0, 1, 2)]
    assert probes.together(1) == [0.003] * 3
    told = [i for i, (what, _) in enumerate(log) if what == "told"]
    answered = [i for i, (what, _) in enumerate(log) if what == "answered"]
    assert len(told) == len(answered) == 3 * steady.TRIES
    assert all(max(told[i : i + 3]) < min(answered[i : i + 3]) for i in range(0, len(told), 3))
    log.clear()
    probes.alone(1)  # one at a time: each answers before the next is told
    assert log == [(what, cpu) for cpu in (0, 1, 2) for _ in range(steady.TRIES) for what in ("told", "answered")]


def test_each_cpus_time_alone_is_its_best_try_and_all_at_once_the_try_whose_slowest_was_fastest():
    probes = steady.Probes.__new__(steady.Probes)
    probes.children = [Child(0, [], [0.004, 0.003, 0.010, 0.006]), Child(1, [], [0.005, 0.006, 0.004, 0.007])]
    assert probes.alone(1) == [0.003, 0.005]
    assert probes.together(1) == [0.006, 0.007]  # not [0.006, 0.004]: those two never ran at the same time


@pytest.mark.skipif(not PINNABLE, reason="needs 2 CPUs and sched_setaffinity")
def test_the_probes_run_pinned_one_per_cpu_and_end_with_the_gate(monkeypatch):
    monkeypatch.setattr(steady, "usable_workers", lambda: 2)  # this machine's quota may allow fewer
    before = os.sched_getaffinity(0)
    cpus = sorted(before)[:2]
    with steady.Gate(units=20000, budget_s=0, crowding=[]) as gate:
        gate.cpus = cpus
        spread, crowding = gate()
        assert spread >= 1.0 and crowding == 1.0  # the session's first look is its own usual
        children = [psutil.Process(child.pid) for child in gate.probes.children]
        assert [child.cpu_affinity() for child in children] == [[cpus[0]], [cpus[1]]]
    assert not any(child.is_running() for child in children)
    assert os.sched_getaffinity(0) == before  # only the probes were pinned


@AFFINITY
def test_cpus_that_cannot_be_pinned_have_nothing_to_compare_and_leave_no_probe(monkeypatch):
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0])
    assert steady.Gate(units=1, budget_s=1, crowding=[])() == (None, None)
    started = []
    real = steady.subprocess.Popen
    monkeypatch.setattr(steady.subprocess, "Popen", lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0, max(os.sched_getaffinity(0)) + 1000])
    monkeypatch.setattr(steady, "usable_workers", lambda: 2)
    with steady.Gate(units=1, budget_s=1, crowding=[]) as gate:
        assert gate() == (None, None) == gate()  # the second CPU does not exist: its probe could not pin itself
    assert len(started) == 2 and all(child.poll() is not None for child in started)


def test_a_probe_that_fails_otherwise_is_an_error_not_a_gate_turned_off(monkeypatch):
    monkeypatch.setattr(steady, "PINNED_SPIN", os.devnull)  # exits at once, status 0: not a CPU it could not pin
    with pytest.raises(OSError, match="ended with status 0") as raised:
        steady.Probes([0], 1)
    assert not isinstance(raised.value, steady.Unpinnable)


def test_a_probe_that_never_answers_is_an_error_within_the_timeout_and_is_ended(monkeypatch, tmp_path):
    silent = tmp_path / "silent.py"
    silent.write_text("import sys\nsys.stdin.read()\n")  # reads until told to end, never answers
    monkeypatch.setattr(steady, "PINNED_SPIN", str(silent))
    monkeypatch.setattr(steady, "ANSWER_TIMEOUT_S", 0.5)
    started = []
    real = steady.subprocess.Popen
    monkeypatch.setattr(steady.subprocess, "Popen", lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    begun = time.monotonic()
    with pytest.raises(OSError, match="did not answer within 0.5 s"):
        steady.Probes([0, 1], 1)
    assert time.monotonic() - begun < steady.END_TIMEOUT_S  # told to end, it ended: nothing was killed late
    assert len(started) == 2 and all(child.poll() is not None for child in started)


def test_a_cpu_quota_below_two_cpus_leaves_nothing_to_compare(monkeypatch):
    monkeypatch.setattr(steady, "affinity_cpus", lambda: list(range(8)))  # docker --cpus=1 on an 8-CPU host
    monkeypatch.setattr(steady, "usable_workers", lambda: 1)
    monkeypatch.setattr(steady, "Probes", None)  # never started
    assert steady.Gate(units=1, budget_s=1, crowding=[])() == (None, None)


def gate_finding(monkeypatch, looks, budget_s, crowding=None):
    """A Gate on 2 CPUs whose looks find `looks` ((spread, crowding) each) in turn."""
    monkeypatch.setattr(steady, "affinity_cpus", lambda: [0, 1])
    monkeypatch.setattr(steady, "usable_workers", lambda: 2)
    monkeypatch.setattr(steady, "Probes", lambda cpus, units: FakeProbes([]))
    found = iter(looks)
    monkeypatch.setattr(steady, "look", lambda probes, units: next(found))
    return steady.Gate(units=1, budget_s=budget_s, crowding=[] if crowding is None else crowding)


@AFFINITY
def test_uneven_cpus_are_waited_for_no_longer_than_the_budget(monkeypatch):
    gate = gate_finding(monkeypatch, [(1.9, 1.0)] * 1000, budget_s=0.3)  # a neighbour on one CPU
    start = time.perf_counter()
    assert gate() == (1.9, 1.0)
    assert 0.3 <= time.perf_counter() - start < 5 and gate.waited_s >= 0.3
    assert gate() == (1.9, 1.0) and gate.waited_s < 0.3 + 2 * steady.LOOK_EVERY_S  # the budget is the benchmark's


@AFFINITY
def test_even_cpus_begin_the_round_at_once_and_uneven_or_crowded_ones_once_they_even_out(monkeypatch):
    looks = [(1.05, 1.0), (1.6, 1.0), (1.5, 1.0), (1.08, 1.0), (1.02, 1.9), (1.03, 1.0)]
    gate = gate_finding(monkeypatch, looks, budget_s=10)
    assert gate() == (1.05, 1.0) and gate.waited_s == 0
    assert gate() == (1.08, 1.0) and gate.waited_s >= 2 * steady.LOOK_EVERY_S
    waited = gate.waited_s
    assert gate() == (1.03, 1.0) and gate.waited_s >= waited + steady.LOOK_EVERY_S  # even alone, crowded at once
    assert gate.crowding == [1.0, 1.0, 1.9]  # each round's first look, not the looks while waiting


@AFFINITY
def test_crowding_is_judged_against_the_sessions_own_rounds(monkeypatch):
    """Hyperthreads or a turbo that one busy core gets slow every look alike: no wait for what is always so."""
    gate = gate_finding(monkeypatch, [(1.0, 1.62)], budget_s=10, crowding=[1.6, 1.55, 1.65, 1.6])
    assert gate() == (1.0, pytest.approx(1.62 / 1.6)) and gate.waited_s == 0
    gate = gate_finding(monkeypatch, [(1.0, 1.62), (1.0, 1.0)], budget_s=10, crowding=[1.0, 1.02, 1.0, 1.01])
    assert gate() == (1.0, pytest.approx(1.0 / 1.005)) and gate.waited_s > 0  # usually as fast at once: a neighbour


@AFFINITY
def test_a_gate_ends_its_probes_when_the_round_is_interrupted(monkeypatch):
    gate = gate_finding(monkeypatch, [(1.0, 1.0)], budget_s=1)
    with pytest.raises(KeyboardInterrupt):
        with gate:
            assert gate() == (1.0, 1.0)
            raise KeyboardInterrupt
    assert gate.probes.closed


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
