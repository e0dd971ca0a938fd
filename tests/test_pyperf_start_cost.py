"""scripts/pyperf_start_cost.py: pyperf on the operations asked for, its comparison with a run's records, and the
turns that interleave the suite's small parent with pyperf's worker processes, in coin-toss order."""

import contextlib
import json
import os
import random
import subprocess
import sys
import time

import pyperf
import pyperf_start_cost
import pytest

from experiments import test_c05_start_cost

REFERENCE = os.path.join(pyperf_start_cost.ROOT, "results", "reference")


def fake_turns(monkeypatch, suite_ms, pyperf_ms):
    """Record what turns do, in order. The small parent's rounds of an operation take, in turn, each of its per-start
    times in `suite_ms` (on a clock that only they move), and report `clean` starts; pyperf says `pyperf_ms`."""
    done, now, taken = [], [0.0], {name: iter(times) for name, times in suite_ms.items()}
    counts = {name: 3 + index for index, name in enumerate(pyperf_start_cost.available())}

    @contextlib.contextmanager
    def small_parent():
        def ask(model, count):
            done.append(("suite", model, count))
            now[0] += count * next(taken[model]) / 1000
            rounds = sum(step[:2] == ("suite", model) for step in done)
            return None, count - (model == suite_ms.get("unclean") and rounds == 3)  # its third round

        yield ask

    def run(command, **kwargs):
        written = command[command.index("--append") + 1]
        assert os.path.isdir(os.path.dirname(written))  # pyperf makes no folder
        done.append(("pyperf", command[command.index("--operation") + 1], command))

    monkeypatch.setattr(test_c05_start_cost, "small_parent", small_parent)
    monkeypatch.setattr(
        test_c05_start_cost, "sized", lambda ask, model, profile: counts[model] if profile.name == "full" else 0
    )
    monkeypatch.setattr(time, "perf_counter", lambda: now[0])
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(pyperf_start_cost, "pyperf_ms", lambda file: pyperf_ms[file.rsplit("pyperf-", 1)[1][:-5]])
    monkeypatch.setattr(pyperf_start_cost, "pyperf_loops", lambda file: 16)
    return done, counts


def even(ms, turns=3):
    return {name: [ms] * turns for name in pyperf_start_cost.available()}


def test_each_turn_takes_one_suite_round_and_one_pyperf_worker_per_operation_in_the_orders_drawn(
    monkeypatch, tmp_path, capsys
):
    done, counts = fake_turns(monkeypatch, even(1.0), dict.fromkeys(pyperf_start_cost.available(), 1.0))
    folder = tmp_path / "turns"
    assert pyperf_start_cost.interleaved(3, str(folder), random.Random(7))
    names, draws, steps = pyperf_start_cost.available(), random.Random(7), iter(done)
    for turn in range(3):
        for name in draws.sample(names, len(names)):
            first, second = next(steps), next(steps)
            suite, pyperf = (first, second) if draws.random() < 0.5 else (second, first)
            assert suite == ("suite", name, counts[name]) and pyperf[:2] == ("pyperf", name)
            command = pyperf[2]
            assert command[command.index("-p") + 1] == "1" and "--copy-env" in command  # one worker, our environment
            assert command[-2:] == ["--append", str(folder / "pyperf-{}.json".format(name))]
            assert ("--loops" in command) is (turn > 0)  # calibrated once, in the first turn
    assert next(steps, None) is None
    recorded = json.loads((folder / "suite.json").read_text())
    assert recorded["starts_per_round"] == counts
    assert recorded["seconds_per_start"] == {name: [pytest.approx(0.001)] * 3 for name in names}
    assert capsys.readouterr().out.count("pyperf") == len(names)


@pytest.mark.parametrize(
    "fork_rounds, within",
    [
        ([2.3, 2.2, 9.0], True),  # the median, not the mean (4.5)
        ([2.9, 3.5, 1.0], True),
        ([2.05, 2.05, 2.05], True),  # 0.82 of pyperf's, though pyperf's is 1.22 of it
        ([1.9, 1.0, 2.5], False),
        ([3.1, 3.3, 2.0], False),
    ],
)
def test_an_operation_is_judged_by_the_suites_median_against_pyperfs(monkeypatch, tmp_path, fork_rounds, within):
    fake_turns(
        monkeypatch,
        dict(even(1.0), fork=fork_rounds),
        dict(dict.fromkeys(pyperf_start_cost.available(), 1.0), fork=2.5),
    )
    assert pyperf_start_cost.interleaved(3, str(tmp_path / "turns"), random.Random(1)) is within


def test_a_round_with_a_start_that_did_not_finish_cleanly_stops_the_turns_keeping_those_done(monkeypatch, tmp_path):
    fake_turns(
        monkeypatch, dict(even(1.0, turns=9), unclean="spawn"), dict.fromkeys(pyperf_start_cost.available(), 1.0)
    )
    with pytest.raises(SystemExit, match="spawn starts finished cleanly"):
        pyperf_start_cost.interleaved(9, str(tmp_path / "turns"), random.Random(1))
    kept = json.loads((tmp_path / "turns" / "suite.json").read_text())["seconds_per_start"]
    assert kept["spawn"] == [pytest.approx(0.001)] * 2 and all(len(rounds) in (2, 3) for rounds in kept.values())


@pytest.mark.parametrize("turns, existing, refusal", [(1, "pyperf-fork.json", "not empty"), (0, None, "one turn")])
def test_turns_need_a_new_folder_and_at_least_one_turn(tmp_path, turns, existing, refusal):
    if existing:
        (tmp_path / existing).write_text("{}")
    with pytest.raises(SystemExit, match=refusal):
        pyperf_start_cost.interleaved(turns, str(tmp_path))


@pytest.mark.parametrize("asked", [["--operation", pyperf_start_cost.available()[-1]], []], ids=["one", "all"])
def test_pyperf_times_the_operations_asked_for_through_its_worker_processes(tmp_path, asked):
    out = tmp_path / "pyperf.json"
    command = [sys.executable, pyperf_start_cost.__file__, "-o", str(out)] + asked
    subprocess.run(command + "-p 2 --values 1 --warmups 0 --loops 1 --quiet".split(), check=True, timeout=120)
    benchmarks = pyperf.BenchmarkSuite.load(str(out)).get_benchmarks()
    names = asked[1:] or pyperf_start_cost.available()
    assert [bench.get_name() for bench in benchmarks] == ["start_join_" + name for name in names]
    assert all(bench.get_nrun() == 2 for bench in benchmarks)  # two workers each measured it


def test_a_spawn_child_imports_no_more_from_the_script_than_from_the_small_parent():
    """Each main module, run as a spawn child runs it (`__mp_main__`): what it adds to sys.modules."""
    code = "import runpy, sys; before = set(sys.modules); runpy.run_path(sys.argv[1], run_name='__mp_main__'); "
    code += "print(' '.join(sorted(set(sys.modules) - before)))"

    def imported(path):
        return set(subprocess.check_output([sys.executable, "-c", code, path], universal_newlines=True).split())

    assert imported(pyperf_start_cost.__file__) <= imported(test_c05_start_cost.PROBE)


def test_compare_prints_the_committed_comparison_of_a_reference_run():
    folder = os.path.join(REFERENCE, "vm-2cpu-cpython-3.11.7-c05-vs-pyperf")
    runs = os.path.join(REFERENCE, "vm-2cpu-cpython-3.11.7", "runs")
    with open(os.path.join(folder, "compare.txt")) as committed:
        first = committed.read().split("## full run 1 ")[1].split("\n## ")[0].splitlines()
    run_file = first[0].split("(", 1)[1].split(")", 1)[0]
    lines, within = pyperf_start_cost.compare(
        os.path.join(folder, "pyperf_start_cost1.json"), [os.path.join(runs, run_file)]
    )
    assert lines == first[1:-1] and within is (first[-1].endswith("yes"))


def test_two_real_turns_leave_the_rounds_and_one_calibrated_pyperf_worker_a_turn_of_every_operation(tmp_path):
    pyperf_start_cost.interleaved(2, str(tmp_path), random.Random(3))  # within 20% or not: the timings' to say
    names = pyperf_start_cost.available()
    recorded = json.loads((tmp_path / "suite.json").read_text())["seconds_per_start"]
    assert sorted(recorded) == sorted(names) and all(len(rounds) == 2 for rounds in recorded.values())
    for name in names:
        bench = pyperf.Benchmark.load(str(tmp_path / "pyperf-{}.json".format(name)))
        measured = [run for run in bench.get_runs() if run.values]
        assert bench.get_name() == "start_join_" + name and len(measured) == 2  # one worker a turn
        assert len({run.get_loops() for run in measured}) == 1  # the loops the first turn calibrated
