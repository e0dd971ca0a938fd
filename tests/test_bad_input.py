"""The commands on whatever a user may hand them: one line per bad input naming it and the problem, the good
files in the batch summarised all the same, an exit code that says some were skipped, no traceback, and a run read
twice counted once."""

import copy
import json
import math
import os
import subprocess
import sys

import pandas as pd
import pytest

from experiments.vocabulary import SUITE_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMAND_TIMEOUT_S = 300


def benchmark(name, model, workers, contender, baseline, control=False, rounds=9):
    """One pytest-benchmark entry of the C09/C14 experiment, as the suite writes it."""
    data = [contender * (1 + 0.01 * ((i * 7) % 5 - 2)) for i in range(rounds)]
    extra = dict(
        claims=["C09", "C14"],
        measurement="cpu_scaling",
        model=model,
        workers=workers,
        lifecycle="warm",
        bound="cpu",
        baseline_s=[baseline * (1 + 0.01 * ((i * 3) % 5 - 2)) for i in range(rounds)],
        cpu_s=[min(workers, 2) * d if model != "threads" else d for d in data],
    )
    if control:
        extra["null_control"] = True
    stats = dict(
        data=data,
        rounds=rounds,
        median=sorted(data)[rounds // 2],
        mean=sum(data) / rounds,
        min=min(data),
        max=max(data),
        stddev=0.0,
        iqr=0.0,
    )
    return dict(
        name=name, fullname="experiments/test_c09_c14_cpu_bound.py::" + name, params={}, extra_info=extra, stats=stats
    )


def a_run(interpreter="cpython-3.11.7", stamp="2026-12-01T10:00:00", profile="full"):
    """A run of the C09/C14 experiment on a 2-CPU GIL build, shaped as the suite records it."""
    lab = dict(
        interpreter=interpreter,
        build="gil",
        gil_enabled=True,
        cpu_usable=2,
        cpu_logical=2,
        cpu_physical=2,
        cpu_affinity=2,
        cpu_quota=None,
        core_siblings=[0],
        start_method_default="fork",
    )
    return dict(
        machine_info=dict(node="lab", claims_lab=lab),
        commit_info={},
        datetime=stamp,
        version="5.3.1",
        claims_lab=dict(suite_version=SUITE_VERSION, profile=dict(name=profile, rounds=9)),
        benchmarks=[
            benchmark("test_null_control", "serial", 1, 0.05, 0.05, control=True),
            benchmark("test_scaling[threads-2-warm]", "threads", 2, 0.10, 0.05),
            benchmark("test_scaling[fork-2-warm]", "fork", 2, 0.052, 0.05),
        ],
    )


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def broken(change):
    """A run with `change(run)` applied."""
    run = copy.deepcopy(a_run())
    change(run)
    return run


def timing(value):
    def change(run):
        run["benchmarks"][1]["stats"]["data"][0] = value

    return change


# name: (what the file holds, or a function making the path, a phrase the one line must carry)
BAD = {
    "empty": ("", "empty"),
    "truncated": (json.dumps(a_run())[:200], "not JSON"),
    "not_json": ("{ not json", "not JSON"),
    "not_benchmark_json": (json.dumps({"hello": "world"}), "not pytest-benchmark JSON"),
    "another_suite": (json.dumps(dict(machine_info={"node": "x"}, benchmarks=[])), "not recorded by this suite"),
    "machine_info_null": (json.dumps(dict(machine_info=None, benchmarks=[], claims_lab={})), "not recorded by this"),
    "suite_version": (broken(lambda run: run["claims_lab"].update(suite_version=0)), "suite version 0"),
    "nan_time": (json.dumps(broken(timing(math.nan))), "finite and positive"),
    "zero_time": (broken(timing(0.0)), "finite and positive"),
    "negative_time": (broken(timing(-0.1)), "finite and positive"),
    "baseline_short": (broken(lambda run: run["benchmarks"][1]["extra_info"]["baseline_s"].pop()), "one finite"),
    "no_stats": (broken(lambda run: run["benchmarks"][1].pop("stats")), "without stats"),
    "contender_short": (
        broken(lambda run: run["benchmarks"][1]["extra_info"].update(contender_s=[0.1])),
        "contender_s must be one finite",
    ),
    "spread_short": (broken(lambda run: run["benchmarks"][1]["extra_info"].update(cpu_spread=[1.0])), "cpu_spread"),
    "crowding_negative": (
        broken(lambda run: run["benchmarks"][1]["extra_info"].update(cpu_crowding=[-1.0] * 9)),
        "cpu_crowding must be one finite positive",
    ),
    "order_short": (
        broken(lambda run: run["benchmarks"][1]["extra_info"].update(baseline_first=[True])),
        "baseline_first must be one true or false",
    ),
}


def make_bad(kind, folder):
    """The bad input `kind` inside `folder`: (its path, the phrase its line must carry)."""
    path = folder / "{}.json".format(kind)
    if kind == "folder_named_json":
        path.mkdir(parents=True)
        return path, "folder"  # named alone: a folder of no runs; inside a folder: not a regular file (a folder...)
    if kind == "symlink_loop":
        folder.mkdir(parents=True, exist_ok=True)
        os.symlink(str(path), str(folder / "loop_partner"))
        os.symlink(str(folder / "loop_partner"), str(path))
        return path, "not a regular file"
    if kind == "larger_than_a_run":
        folder.mkdir(parents=True, exist_ok=True)
        with open(str(path), "wb") as handle:
            handle.truncate(300 * 2**20)  # sparse: no disk
        return path, "larger than"
    content, phrase = BAD[kind]
    return write(path, content), phrase


KINDS = sorted(BAD) + ["folder_named_json", "symlink_loop", "larger_than_a_run"]


def command(name, *args):
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", name)] + [str(a) for a in args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=COMMAND_TIMEOUT_S,
    )


def no_traceback(done):
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-2000:]


@pytest.fixture
def good(tmp_path):
    """A folder with one good run."""
    return write(tmp_path / "runs" / "good.json", a_run())


@pytest.mark.parametrize("kind", KINDS)
def test_summarize_skips_a_bad_file_in_one_line_and_summarises_the_rest(tmp_path, good, kind):
    bad, phrase = make_bad(kind, tmp_path / "runs")
    done = command("summarize.py", good.parent, "--out", tmp_path / "out")
    no_traceback(done)
    lines = [line for line in done.stderr.splitlines() if str(bad) in line]
    assert len(lines) >= 1 and phrase in lines[0], done.stderr
    assert done.returncode == 1, done.stderr
    assert set(pd.read_csv(str(tmp_path / "out" / "verdicts.csv"))["claim"]) == {"C09", "C14"}


@pytest.mark.parametrize("script", ["summarize.py", "report.py"])
@pytest.mark.parametrize("kind", KINDS)
def test_only_bad_input_exits_2_in_one_line_and_leaves_the_results_as_they_were(tmp_path, script, kind):
    bad, phrase = make_bad(kind, tmp_path / "runs")
    out = tmp_path / "out"
    out.mkdir()
    (out / "verdicts.csv").write_text("earlier,summary\n")
    done = command(script, bad, "--out", out)
    no_traceback(done)
    assert done.returncode == 2 and phrase in done.stderr and str(bad) in done.stderr, done.stderr
    assert (out / "verdicts.csv").read_text() == "earlier,summary\n" and not (out / "REPORT.md").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_compare_names_a_bad_side_in_one_line(tmp_path, good, kind):
    bad, phrase = make_bad(kind, tmp_path / "bad")
    done = command("compare.py", good, bad)
    no_traceback(done)
    assert done.returncode == 2 and phrase in done.stderr and str(bad) in done.stderr, done.stderr


def test_pairs_needed_pools_the_judged_pairs_and_names_a_bad_file_in_one_line(tmp_path, good):
    """The good run's threads at N = 2 are 9 pairs at 0.97-1.03x (benchmark()): no interval of theirs reaches 1.1,
    and nearly every one holds 1.0."""
    done = command("pairs_needed.py", good, "--pairs", "9", "25")
    no_traceback(done)
    assert done.returncode == 0 and "9 pairs of threads from 1 runs" in done.stdout, done.stdout
    assert [line.split()[:2] for line in done.stdout.splitlines()[2:]] == [["9", "0.0%"], ["25", "0.0%"]]
    holds_one = command("pairs_needed.py", good, "--pairs", "9", "--bar", "1.0")
    assert float(holds_one.stdout.splitlines()[2].split()[1].rstrip("%")) > 90, holds_one.stdout
    bad, phrase = make_bad("nan_time", tmp_path / "bad")
    done = command("pairs_needed.py", bad)
    no_traceback(done)
    assert done.returncode == 2 and phrase in done.stderr and str(bad) in done.stderr, done.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_stability_skips_a_bad_run_in_one_line_and_compares_the_rest(tmp_path, kind):
    first = write(tmp_path / "runs" / "a.json", a_run(stamp="2026-12-01T10:00:00"))
    second = write(tmp_path / "runs" / "b.json", a_run(stamp="2026-12-01T11:00:00"))
    bad, phrase = make_bad(kind, tmp_path / "bad")
    done = command("stability.py", first, second, bad, "--out", tmp_path / "stability")
    no_traceback(done)
    assert phrase in done.stderr and str(bad) in done.stderr, done.stderr
    assert done.returncode == 1 and (tmp_path / "stability" / "stability.csv").exists()


@pytest.mark.parametrize("script", ["summarize.py", "report.py", "stability.py"])
@pytest.mark.parametrize("out", ["a_file", "unwritable"])
def test_an_out_that_is_a_file_or_cannot_be_written_is_one_line(tmp_path, script, out):
    runs = [write(tmp_path / "runs" / "a.json", a_run()), write(tmp_path / "runs" / "b.json", a_run(stamp="x2"))]
    target = write(tmp_path / "file", "not a folder") if out == "a_file" else "/proc/claims-lab-results"
    done = command(script, *runs, "--out", target)
    no_traceback(done)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_the_same_run_given_twice_counts_once_and_says_so(tmp_path, good):
    copy_of = write(tmp_path / "elsewhere" / "good.json", good.read_text())
    done = command("summarize.py", good, copy_of, good, "--out", tmp_path / "out")
    no_traceback(done)
    assert done.returncode == 0 and done.stderr.count("counted once") == 2, done.stderr
    verdicts = pd.read_csv(str(tmp_path / "out" / "verdicts.csv"))
    assert set(verdicts["rounds"].dropna().astype(str)) <= {"9"}  # 9 pairs, never 18 or 27


def test_two_different_runs_under_the_same_name_both_count(tmp_path):
    first = write(tmp_path / "a" / "run.json", a_run(stamp="2026-12-01T10:00:00"))
    second = write(tmp_path / "b" / "run.json", a_run(stamp="2026-12-01T11:00:00"))
    done = command("stability.py", first, second, "--out", tmp_path / "stability")
    no_traceback(done)
    assert "counted once" not in done.stderr and "over 2 runs" in done.stdout, done.stdout + done.stderr


def test_stability_refuses_runs_of_several_interpreters_in_one_line(tmp_path):
    write(tmp_path / "runs" / "a.json", a_run(interpreter="cpython-3.11.7"))
    write(tmp_path / "runs" / "b.json", a_run(interpreter="cpython-3.12.1"))
    done = command("stability.py", tmp_path / "runs", "--out", tmp_path / "stability")
    no_traceback(done)
    assert done.returncode == 2 and "2 interpreters or machines" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_rounds_beyond_the_cap_are_thinned_not_a_memory_hog(tmp_path):
    run = a_run()
    many = 100000
    for bench in run["benchmarks"]:
        bench["stats"]["data"] = bench["stats"]["data"][:1] * many
        bench["stats"]["rounds"] = many
        bench["extra_info"]["baseline_s"] = bench["extra_info"]["baseline_s"][:1] * many
        bench["extra_info"]["cpu_s"] = bench["extra_info"]["cpu_s"][:1] * many
    path = write(tmp_path / "runs" / "many.json", run)
    done = command("summarize.py", path, "--out", tmp_path / "out")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    verdicts = pd.read_csv(str(tmp_path / "out" / "verdicts.csv"))
    assert set(verdicts["rounds"].dropna().astype(str)) == {"1000"}


def test_two_summaries_at_once_both_succeed_and_leave_one_whole_set(tmp_path):
    """Two summaries of different inputs into one folder: one waits for the other, both succeed, and the CSVs that
    remain come from one input, not a mix; a plot of an earlier summary does not stay behind."""
    first = write(tmp_path / "a" / "run.json", a_run(interpreter="cpython-3.11.7"))
    second = write(tmp_path / "b" / "run.json", a_run(interpreter="cpython-3.12.1"))
    out = tmp_path / "out"
    (out / "plots").mkdir(parents=True)
    (out / "plots" / "stale-from-an-earlier-summary.png").write_bytes(b"old")
    argv = [
        [sys.executable, os.path.join(ROOT, "scripts", "summarize.py"), str(run), "--out", str(out)]
        for run in (first, second)
    ]
    started = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in argv]
    try:
        done = [process.communicate(timeout=COMMAND_TIMEOUT_S) for process in started]
    finally:
        for process in started:
            process.kill()
            process.wait()
    assert [process.returncode for process in started] == [0, 0], done
    interpreters = {
        name: set(pd.read_csv(str(out / name))["interpreter"]) for name in ("measurements.csv", "verdicts.csv")
    }
    assert interpreters["measurements.csv"] == interpreters["verdicts.csv"], interpreters
    assert len(interpreters["verdicts.csv"]) == 1, interpreters
    assert not (out / "plots" / "stale-from-an-earlier-summary.png").exists()
