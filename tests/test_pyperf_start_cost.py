"""scripts/pyperf_start_cost.py: pyperf on one operation, and the interleaved passes that pair the suite's C05 with
pyperf in time, in coin-toss order."""

import os
import random
import subprocess
import sys

import pyperf
import pyperf_start_cost
import pytest


def fake_passes(monkeypatch, ratios):
    """Record the commands a run of passes makes; answer each operation's n-th comparison with pyperf at 1 ms and
    the suite at its n-th ratio in `ratios` (an operation's list, or one list for all)."""
    ran, compared = [], []

    def run(command, **kwargs):
        written = command[command.index("-o") + 1] if "-o" in command else command[-2].split("=", 1)[1]
        assert os.path.isdir(os.path.dirname(written))  # pyperf writes its file into the pass's folder, not makes it
        ran.append(command)

    monkeypatch.setattr(subprocess, "run", run)

    def medians(pyperf_files, runs):
        name = pyperf_files[0].rsplit("pyperf-", 1)[1][: -len(".json")]
        compared.append((name, pyperf_files[0], runs[0]))
        found = ratios.get(name, ratios.get("every")) if isinstance(ratios, dict) else ratios
        return {name: (1.0, found[sum(seen == name for seen, _, _ in compared) - 1])}

    monkeypatch.setattr(pyperf_start_cost, "medians", medians)
    return ran, compared


def test_each_pass_pairs_the_suites_c05_and_pyperf_for_one_operation_at_a_time_in_the_orders_drawn(
    monkeypatch, tmp_path, capsys
):
    ran, compared = fake_passes(monkeypatch, {"every": [1.0] * 3})
    assert pyperf_start_cost.interleaved(3, str(tmp_path / "passes"), random.Random(7))
    draws, operations = random.Random(7), sorted(pyperf_start_cost.available())
    steps = iter(ran)
    for index in range(1, 4):
        for name in draws.sample(operations, len(operations)):
            suite, pyperf = next(steps), next(steps)
            if not draws.random() < 0.5:
                suite, pyperf = pyperf, suite
            seen, pyperf_file, run_dir = compared.pop(0)
            assert seen == name and suite[-1] == pyperf_start_cost.SUITE_C05.format(name) and "--profile=full" in suite
            assert pyperf[-2:] == ["--operation", name] and pyperf[pyperf.index("-o") + 1] == pyperf_file
            assert "pass{}".format(index) in pyperf_file and "--results-dir=" + run_dir[: -len("/runs")] in suite
    assert not compared and next(steps, None) is None
    out = capsys.readouterr().out
    assert out.count("## pass") == 3 and "median over 3 passes" in out


@pytest.mark.parametrize(
    "ratios, within",
    [
        ([1.0, 1.5, 1.1], True),  # one pass's pair straddled a change of the machine's pace
        ([0.7, 0.75, 1.1], False),  # the suite reads lower than pyperf in most pairs
        ([1.3, 1.5, 1.1], False),
        ([0.85, 1.19, 0.81], True),
    ],
)
def test_an_operation_is_judged_by_its_median_ratio_over_passes(monkeypatch, tmp_path, ratios, within):
    fake_passes(monkeypatch, {"fork": ratios, "every": [1.0] * 3})
    assert pyperf_start_cost.interleaved(3, str(tmp_path / "passes"), random.Random(1)) is within


def test_passes_never_mix_with_an_earlier_comparisons_files(tmp_path):
    (tmp_path / "pyperf1.json").write_text("{}")
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
