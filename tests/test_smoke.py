"""A smoke run of every benchmark (the smoke profile: one round, smallest work) and of the summary on its JSON.

`pytest --benchmark-only` runs in a child interpreter exactly as a user starts it, writing into a temporary
results folder; the tests below read what it left there.
"""

import ast
import glob
import json
import os
import subprocess
import sys

import pandas
import pytest
from analysis.rules import load

from experiments import machine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMOKE_TIMEOUT_S = 480


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    results = tmp_path_factory.mktemp("results")
    # As a user starts it: not as an xdist worker, which would turn pytest-benchmark off.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "experiments",
            "--benchmark-only",
            "--profile=smoke",
            "--results-dir={}".format(results),
            "-q",
            "-p",
            "no:xdist",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=SMOKE_TIMEOUT_S,
    )
    runs = glob.glob(str(results / "runs" / "*.json"))
    return done, runs, results


def benchmark_functions():
    """(module, function) of every experiment marked with a measurement name: each is a benchmark."""
    found = set()
    for path in glob.glob(os.path.join(ROOT, "experiments", "test_*.py")):
        with open(path) as handle:
            tree = ast.parse(handle.read())
        module = os.path.basename(path)
        found |= {
            (module, node.name)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and any("measurement" in ast.unparse(d) for d in node.decorator_list)
        }
    return found


def test_smoke_run_passes_and_writes_one_run_file_named_by_interpreter(smoke):
    done, runs, _ = smoke
    assert done.returncode == 0, done.stdout[-3000:]
    assert len(runs) == 1
    assert os.path.basename(runs[0]).startswith(machine.interpreter_label() + "-")


def test_every_benchmark_recorded_its_claims_parameters_and_raw_rounds(smoke):
    _, runs, _ = smoke
    with open(runs[0]) as handle:
        run = json.load(handle)
    recorded = {(b["fullname"].split("::")[0].split("/")[-1], b["name"].split("[")[0]) for b in run["benchmarks"]}
    assert recorded == benchmark_functions()
    for bench in run["benchmarks"]:
        claims, measurement = bench["extra_info"]["claims"], bench["extra_info"]["measurement"]
        assert claims and measurement and bench["group"] == "{} {}".format("+".join(claims), measurement)
        assert set(bench["params"] or {}) <= set(bench["extra_info"])
        assert len(bench["stats"]["data"]) == bench["stats"]["rounds"] == 1
        assert len(bench["extra_info"].get("cpu_s", [0])) == 1  # kept by `measure`, one per round
        # a pair's two sides, each timed by the same clock around the call alone (`paired`)
        assert len(bench["extra_info"].get("contender_s", [])) == len(bench["extra_info"].get("baseline_s", []))
        # CPU-bound scaling rounds (C01's placements too) look at the CPUs first (harness/steady.py), even where they
        # may not wait
        steady = bench["extra_info"].get("bound") == "cpu" or "placement" in bench["extra_info"]
        assert len(bench["extra_info"].get("cpu_spread", [])) == steady
    lab = run["machine_info"]["claims_lab"]
    assert lab["interpreter"] == machine.interpreter_label() and lab["build"] in ("gil", "free-threaded")
    assert run["claims_lab"]["profile"]["name"] == "smoke"


def test_summary_ran_on_the_smoke_json(smoke):
    _, _, results = smoke
    table = pandas.read_csv(str(results / "measurements.csv"))
    assert {
        "claims",
        "experiment",
        "measurement",
        "model",
        "workers",
        "interpreter",
        "build",
        "gil_enabled",
        "median_s",
        "rounds",
        "cpu_per_wall",
    } <= set(table.columns)
    verdicts = pandas.read_csv(str(results / "verdicts.csv"))
    assert sorted(verdicts["claim"]) == sorted(load())
    assert (results / "REPORT.md").exists() and len(list((results / "plots").iterdir())) >= 3


def run_script(name, *args):
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", name)] + list(args),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=300,
    )


def test_report_from_the_smoke_json_has_a_table_a_section_per_claim_and_plots(smoke, tmp_path):
    _, runs, _ = smoke
    done = run_script("report.py", runs[0], "--out", str(tmp_path))
    assert done.returncode == 0, done.stdout
    report = (tmp_path / "REPORT.md").read_text()
    for claim in load():
        assert "| [{}](#{}) |".format(claim, claim.lower()) in report and "\n## {}\n".format(claim) in report
    images = [line[line.index("(") + 1 : -1] for line in report.splitlines() if line.startswith("![")]
    assert len(images) >= 3 and all((tmp_path / image).stat().st_size > 0 for image in images)


def test_compare_lists_the_verdict_that_changed(smoke, tmp_path):
    """A smoke run decides nothing, so A and B are the smoke run taken for a quick one; B has the writes of fork and
    spawn children seen in every try: C02 must change, nothing else."""
    _, runs, _ = smoke
    with open(runs[0]) as handle:
        run = json.load(handle)
    run["claims_lab"]["profile"]["name"] = "quick"
    before = tmp_path / "before.json"
    before.write_text(json.dumps(run))
    for bench in run["benchmarks"]:
        extra = bench["extra_info"]
        if extra["measurement"] == "write_visibility" and extra["model"] in ("fork", "spawn"):
            extra.update(sees_global=extra["tries"], sees_list=extra["tries"], sees_instance=extra["tries"])
    after = tmp_path / "after.json"
    after.write_text(json.dumps(run))
    done = run_script("compare.py", str(before), str(after))
    assert done.returncode == 0, done.stdout
    changed = [line.strip() for line in done.stdout.splitlines() if line.startswith("  C")]
    assert len(changed) == 1 and changed[0].startswith("C02: ") and "-> partly" in changed[0], done.stdout


def test_a_smoke_run_decides_nothing(smoke):
    _, _, results = smoke
    verdicts = pandas.read_csv(str(results / "verdicts.csv"))
    assert set(verdicts["verdict"]) == {"inconclusive"}
    assert verdicts["evidence"].str.contains("a smoke run proves the benchmarks run and decides nothing").all()
