"""scripts/pyperf_start_cost.py's interleaved passes: the suite's C05 and pyperf side by side, in coin-toss order."""

import random

import pyperf_start_cost
import pytest


def fake_passes(monkeypatch, verdicts):
    """Record the commands a run of passes makes, and answer each pass's comparison from `verdicts`."""
    ran, compared = [], []
    monkeypatch.setattr(pyperf_start_cost.subprocess, "run", lambda command, **kwargs: ran.append(command))

    def compare(pyperf_file, runs):
        compared.append((pyperf_file, runs))
        return ["a line"], verdicts[len(compared) - 1]

    monkeypatch.setattr(pyperf_start_cost, "compare", compare)
    return ran, compared


def test_each_pass_runs_the_suites_c05_and_pyperf_in_the_order_drawn_and_compares_that_pass_alone(
    monkeypatch, tmp_path, capsys
):
    ran, compared = fake_passes(monkeypatch, [True, True, True, True])
    assert pyperf_start_cost.interleaved(4, str(tmp_path / "passes"), random.Random(7))
    draws = random.Random(7)
    for index in range(4):
        suite, pyperf = ran[2 * index : 2 * index + 2]
        if not draws.random() < 0.5:
            suite, pyperf = pyperf, suite
        assert suite[-3:] == pyperf_start_cost.SUITE_C05 and "--profile=full" in suite
        pyperf_file = pyperf[pyperf.index("-o") + 1]
        assert compared[index][0] == pyperf_file and pyperf_file.endswith("pyperf{}.json".format(index + 1))
        assert any(arg.endswith("suite{}".format(index + 1)) for arg in suite)  # each pass its own run folder
    assert capsys.readouterr().out.count("## pass") == 4


def test_one_pass_out_of_tolerance_fails_the_comparison(monkeypatch, tmp_path):
    fake_passes(monkeypatch, [True, False, True])
    assert not pyperf_start_cost.interleaved(3, str(tmp_path / "passes"), random.Random(1))


def test_passes_never_mix_with_an_earlier_comparisons_files(tmp_path):
    (tmp_path / "pyperf1.json").write_text("{}")
    with pytest.raises(SystemExit, match="not empty"):
        pyperf_start_cost.interleaved(1, str(tmp_path))
