"""scripts/pyperf_start_cost.py: pyperf on the operations asked for, and the turns that interleave the suite's C05
rounds with pyperf's worker processes, in coin-toss order."""

import contextlib
import json
import os
import random
import subprocess
import sys

import pyperf
import pyperf_start_cost
import pytest

from experiments import test_c05_start_cost


def fake_turns(monkeypatch, suite_ms, pyperf_ms):
    """Record what turns do, in order; the suite's rounds take `suite_ms` per start, pyperf says `pyperf_ms`."""
    done = []

    def small_parent():
        def ask(model, count):
            done.append(("suite", model, count))
            return count * suite_ms[model] / 1000, count

        yield ask

    def run(command, **kwargs):
        assert os.path.isdir(os.path.dirname(command[command.index("--append") + 1]))  # pyperf makes no folder
        done.append(("pyperf", command[command.index("--operation") + 1], command))

    monkeypatch.setattr(test_c05_start_cost, "small_parent", contextlib.contextmanager(small_parent))
    monkeypatch.setattr(
        test_c05_start_cost, "sized", lambda ask, model, profile: done.append(("sized", model, profile.name)) or 7
    )
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(pyperf_start_cost, "pyperf_ms", lambda file: pyperf_ms[file.rsplit("pyperf-", 1)[1][:-5]])
    return done


EVEN = dict.fromkeys(pyperf_start_cost.available(), 1.0)


def test_each_turn_takes_one_suite_round_and_one_pyperf_worker_per_operation_in_the_orders_drawn(
    monkeypatch, tmp_path, capsys
):
    done = fake_turns(monkeypatch, EVEN, EVEN)
    folder = tmp_path / "turns"
    assert pyperf_start_cost.interleaved(3, str(folder), random.Random(7))
    names = pyperf_start_cost.available()
    assert done[: len(names)] == [
        ("sized", name, "full") for name in names
    ]  # once, as the full profile sizes a benchmark
    draws, steps = random.Random(7), iter(done[len(names) :])
    for _ in range(3):
        for name in draws.sample(names, len(names)):
            first, second = next(steps), next(steps)
            suite, pyperf = (first, second) if draws.random() < 0.5 else (second, first)
            assert suite == ("suite", name, 7) and pyperf[:2] == ("pyperf", name)
            assert pyperf[2][pyperf[2].index("-p") + 1] == "1"  # one worker process a turn
            assert pyperf[2][-2:] == ["--append", str(folder / "pyperf-{}.json".format(name))]
    assert next(steps, None) is None
    recorded = json.loads((folder / "suite.json").read_text())
    assert recorded["seconds_per_start"] == {name: [0.001] * 3 for name in names}
    assert capsys.readouterr().out.count("pyperf") == len(names)


@pytest.mark.parametrize("fork_ms, within", [(2.3, True), (2.9, True), (1.9, False), (3.1, False)])
def test_an_operation_is_judged_by_the_suites_median_against_pyperfs(monkeypatch, tmp_path, fork_ms, within):
    fake_turns(monkeypatch, dict(EVEN, fork=fork_ms), dict(EVEN, fork=2.5))
    assert pyperf_start_cost.interleaved(3, str(tmp_path / "turns"), random.Random(1)) is within


def test_turns_never_mix_with_an_earlier_comparisons_files(tmp_path):
    (tmp_path / "pyperf-fork.json").write_text("{}")
    with pytest.raises(SystemExit, match="not empty"):
        pyperf_start_cost.interleaved(1, str(tmp_path))


@pytest.mark.parametrize("asked", [["--operation", "threads"], []], ids=["one", "all"])
def test_pyperf_times_the_operations_asked_for_through_its_worker_processes(tmp_path, asked):
    out = tmp_path / "pyperf.json"
    command = [sys.executable, pyperf_start_cost.__file__, "-o", str(out)] + asked
    subprocess.run(command + "-p 2 --values 1 --warmups 0 --loops 1 --quiet".split(), check=True, timeout=120)
    benchmarks = pyperf.BenchmarkSuite.load(str(out)).get_benchmarks()
    names = ["threads"] if asked else pyperf_start_cost.available()
    assert [bench.get_name() for bench in benchmarks] == ["start_join_" + name for name in names]
    assert all(bench.get_nrun() == 2 for bench in benchmarks)  # two workers each measured it


def test_one_real_turn_leaves_a_suite_round_and_a_pyperf_worker_of_every_operation(tmp_path):
    pyperf_start_cost.interleaved(1, str(tmp_path), random.Random(3))  # within 20% or not: the timings' to say
    recorded = json.loads((tmp_path / "suite.json").read_text())
    names = pyperf_start_cost.available()
    assert sorted(recorded["seconds_per_start"]) == sorted(names)
    assert all(len(rounds) == 1 for rounds in recorded["seconds_per_start"].values())
    for name in names:
        bench = pyperf.Benchmark.load(str(tmp_path / "pyperf-{}.json".format(name)))
        assert bench.get_name() == "start_join_" + name and len(bench.get_values()) == 3  # one worker's values
