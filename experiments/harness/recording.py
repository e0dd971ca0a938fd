"""One run file per `pytest --benchmark-only`: pytest-benchmark's JSON, with every round's time, the machine facts
it leaves out and the suite's own, written whole into results/runs/ at the end of the session, then summarised.

Through pytest-benchmark's public hooks and options: `--benchmark-json` is pointed at a throwaway file, the JSON
it is about to write is taken from `pytest_benchmark_update_json` (failed tests' benchmarks removed: a wrong
result's timing is no evidence), and this plugin writes it under a name of its own that no run ever reuses.
"""

import datetime
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from experiments import machine
from experiments.profiles import PROFILES
from experiments.vocabulary import SUITE_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUMMARIZE = os.path.join("scripts", "summarize.py")
MACHINE_NAME = "CLAIMS_LAB_MACHINE"  # environment variable: the machine's name in the records
SUMMARY_TIMEOUT_S = 600  # the summary of a run, its report and plots included, takes seconds; more is hung
FAILED = pytest.StashKey()  # node IDs of tests that failed: their timings are not evidence
WRITES_RUN = pytest.StashKey()  # whether this session writes a run file into results/runs/
OUTPUT = pytest.StashKey()  # the run's JSON as pytest-benchmark hands it over, once it does
INTERRUPTED = pytest.StashKey()  # Ctrl-C or SIGTERM: a run cut short records nothing


def pytest_addoption(parser):
    parser.getgroup("claims lab").addoption(
        "--results-dir",
        default=os.path.join(ROOT, "results"),
        help="where runs/*.json and the summary CSVs go (default: results/); write --results-dir=DIR as one word, "
        "or pytest takes an existing DIR for a test path",
    )


def _benchmarks_run(config):
    """Whether this session times benchmarks and writes them to results/runs/ (no JSON asked for elsewhere)."""
    options = ["collectonly", "benchmark_skip", "benchmark_disable", "benchmark_json"]
    return config.pluginmanager.hasplugin("benchmark") and not any(config.getoption(o, None) for o in options)


def _benchmark_json_takes_path():
    """pytest-benchmark 5.3 takes a path for --benchmark-json; older versions (3.8 gets 4.0) an open file."""
    major, minor = importlib.metadata.version("pytest-benchmark").split(".")[:2]
    return (int(major), int(minor)) >= (5, 3)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Before pytest-benchmark reads its options: have it hand over its JSON, written to nowhere."""
    config.stash[FAILED] = set()
    config.stash[INTERRUPTED] = False
    config.stash[WRITES_RUN] = _benchmarks_run(config)
    if config.stash[WRITES_RUN]:
        config.option.benchmark_json = os.devnull if _benchmark_json_takes_path() else open(os.devnull, "wb")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if outcome.get_result().failed:
        item.config.stash[FAILED].add(item.nodeid)


def runs_dir(config):
    return os.path.join(config.getoption("results_dir"), "runs")


def run_file_name():
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    gil = "gil" if machine.gil_enabled() else "nogil"
    return "{}-{}-{}.json".format(machine.interpreter_label(), gil, stamp)


def write_run(output, folder):
    """Write `output` into `folder` under a new run file name, whole or not at all: aside first, then linked to
    its name, which fails rather than replace a file already there. Returns the path."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, run_file_name())
    partial = os.path.join(folder, "." + os.path.basename(path) + ".partial")
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            # as pytest-benchmark itself writes it: a value JSON cannot hold becomes its repr, not an error
            json.dump(output, handle, indent=1, default=lambda value: "UNSERIALIZABLE[{!r}]".format(value))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return path


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_benchmark_generate_json(config, benchmarks, include_data, machine_info, commit_info):
    """A run cut short is no evidence: hand pytest-benchmark an empty one (a benchmark stopped before its first
    round would otherwise fail it), which is then not written."""
    if config.stash.get(INTERRUPTED, False):
        return {"machine_info": machine_info, "commit_info": commit_info, "benchmarks": [], "version": "interrupted"}
    return None


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtestloop(session):
    outcome = yield
    if outcome.excinfo is not None and issubclass(outcome.excinfo[0], KeyboardInterrupt):
        session.config.stash[INTERRUPTED] = True


def pytest_sessionfinish(session, exitstatus):
    """After pytest-benchmark has handed over its JSON (its own sessionfinish wraps this one): write the run, then
    summarise it; a run cut short writes nothing."""
    output = session.config.stash.get(OUTPUT, None)
    if session.config.stash[INTERRUPTED] or exitstatus == pytest.ExitCode.INTERRUPTED:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and session.config.stash[WRITES_RUN]:
            reporter.write_line("interrupted: no run recorded")
        return
    if output is not None and output["benchmarks"]:
        write_run(output, runs_dir(session.config))
        summarise(session.config)


def summarise(config):
    results = config.getoption("results_dir")
    command = [sys.executable, os.path.join(ROOT, SUMMARIZE), runs_dir(config), "--out", results]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if importlib.util.find_spec("pandas") is None:
        reporter.write_line("pandas is not installed here; summarise in the analysis environment with:")
        reporter.write_line("  python {} {} --out {}".format(SUMMARIZE, runs_dir(config), results))
        return
    try:
        done = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            timeout=SUMMARY_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        reporter.write_line("summary still running after {} s: stopped".format(SUMMARY_TIMEOUT_S), red=True)
        return
    reporter.write(done.stdout)
    if done.returncode:
        reporter.write_line("summary failed (exit {})".format(done.returncode), red=True)


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config, machine_info):
    machine_info["claims_lab"] = machine.describe()
    # A name for the machine chosen by whoever runs it (a CI matrix's OS, say), in place of its hostname: runs of
    # the same kind of machine then share a column of the report.
    machine_info["node"] = os.environ.get(MACHINE_NAME, machine_info.get("node") or "unknown")


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_json(config, benchmarks, output_json):
    failed = config.stash[FAILED]
    output_json["benchmarks"] = [b for b in output_json["benchmarks"] if b["fullname"] not in failed]
    output_json["claims_lab"] = {
        "suite_version": SUITE_VERSION,
        "profile": PROFILES[config.getoption("profile")]._asdict(),
    }
    if config.stash[WRITES_RUN]:
        config.stash[OUTPUT] = output_json
