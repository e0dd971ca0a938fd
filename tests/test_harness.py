"""The harness (experiments/harness/): leftover detection, run files, and the machine facts it records."""

import json
import os
import re
import subprocess
import sys
import threading
from multiprocessing import shared_memory

import psutil
import pytest

from experiments import machine
from experiments.harness import hygiene, recording

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_leftovers_names_a_thread_and_a_process_started_after_the_snapshot():
    threads_before = set(threading.enumerate())
    children_before = {child.pid for child in psutil.Process().children(recursive=True)}
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="left-running")
    thread.start()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        threads, children = hygiene.leftovers(threads_before, children_before)
        assert [t.name for t in threads] == ["left-running"]
        assert [c.pid for c in children] == [child.pid]
    finally:
        stop.set()
        thread.join()
        child.kill()
        child.wait()
    assert hygiene.leftovers(threads_before, children_before) == ([], [])


def test_run_file_name_tells_interpreter_build_and_gil_state():
    name = recording.run_file_name()
    assert re.match(r"^[a-z]+-\d+\.\d+\.\d+t?-(gil|nogil)-\d{8}T\d{6}\.\d{6}Z\.json$", name), name
    assert name.startswith(machine.interpreter_label() + "-")


def test_free_threaded_build_is_labelled_with_t(monkeypatch):
    monkeypatch.setattr(machine.sysconfig, "get_config_var", lambda name: 1 if name == "Py_GIL_DISABLED" else None)
    assert machine.free_threaded_build() and machine.interpreter_label().endswith("t")
    monkeypatch.setattr(machine.sysconfig, "get_config_var", lambda name: 0)
    assert not machine.free_threaded_build() and not machine.interpreter_label().endswith("t")


def test_gil_state_is_read_at_run_time_where_the_interpreter_can_tell(monkeypatch):
    monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
    assert machine.gil_enabled() is False
    monkeypatch.delattr(sys, "_is_gil_enabled")
    assert machine.gil_enabled() is True  # before 3.13 every CPython has the GIL


def test_machine_description_has_what_verdicts_depend_on():
    facts = machine.describe()
    assert 1 <= facts["cpu_usable"] <= facts["cpu_logical"]
    assert facts["build"] in ("gil", "free-threaded") and isinstance(facts["gil_enabled"], bool)
    assert facts["start_method_default"] in facts["start_methods"]
    assert facts["switch_interval_s"] > 0 and facts["memory_total_bytes"] > 0


class Reporter:
    def __init__(self):
        self.lines = []

    def write_line(self, line, **markup):
        self.lines.append(line)


class Config:
    def __init__(self, results_dir):
        self.results_dir = results_dir
        self.reporter = Reporter()
        self.pluginmanager = self

    def getoption(self, name):
        return {"results_dir": self.results_dir}[name]

    def get_plugin(self, name):
        return self.reporter


def test_without_pandas_the_run_prints_the_one_summary_command(monkeypatch, tmp_path):
    monkeypatch.setattr(recording.importlib.util, "find_spec", lambda name: None)
    config = Config(str(tmp_path))
    recording.summarise(config)
    command = config.reporter.lines[-1].strip()
    assert command == "python scripts/summarize.py {} --out {}".format(tmp_path / "runs", tmp_path)


FAILING_BENCHMARK = """
import pytest

pytestmark = pytest.mark.claim("C09")


@pytest.mark.measurement("passes")
def test_passes(bench):
    bench.pedantic(lambda: 1, rounds=2)


@pytest.mark.measurement("fails")
def test_fails_after_timing(bench):
    bench.pedantic(lambda: 1, rounds=2)
    assert False, "a wrong result: its timing is no evidence"
"""
UNNAMED_BENCHMARK = """
import pytest

pytestmark = pytest.mark.claim("C09")


def test_without_a_measurement_name(bench):
    bench.pedantic(lambda: 1, rounds=2)
"""


def run_benchmarks(tmp_path, source):
    """`pytest --benchmark-only` on a module of `source` with the suite's plugin, as a user starts it."""
    (tmp_path / "test_module.py").write_text(source)
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    env["PYTHONPATH"] = ROOT
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            "--benchmark-only",
            "--profile=smoke",
            "-p",
            "no:xdist",
            "--results-dir={}".format(tmp_path / "results"),
            str(tmp_path / "test_module.py"),
        ],
        cwd=str(tmp_path),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=120,
    )


def test_a_failed_benchmark_never_reaches_the_recorded_json(tmp_path):
    done = run_benchmarks(tmp_path, FAILING_BENCHMARK)
    assert done.returncode == 1, done.stdout
    (run,) = (tmp_path / "results" / "runs").iterdir()
    names = [bench["name"] for bench in json.loads(run.read_text())["benchmarks"]]
    assert names == ["test_passes"]


def test_a_shared_memory_segment_left_linked_is_named_and_unlinked():
    created = []
    with hygiene.recording_segments(created):
        kept = shared_memory.SharedMemory(create=True, size=1024)
        gone = shared_memory.SharedMemory(create=True, size=1024)
    gone.close()
    gone.unlink()
    kept.close()
    assert hygiene.unlink_leftover_segments(created) == [kept.name]
    assert hygiene.unlink_leftover_segments(created) == []


def test_a_benchmark_without_a_measurement_name_is_an_error_and_records_nothing(tmp_path):
    done = run_benchmarks(tmp_path, UNNAMED_BENCHMARK)
    assert done.returncode != 0 and "needs @pytest.mark.measurement(name)" in done.stdout
    assert not (tmp_path / "results" / "runs").exists()


def test_a_run_file_appears_whole_under_a_new_name_and_never_replaces_another(tmp_path, monkeypatch):
    monkeypatch.setattr(recording, "run_file_name", lambda: "same-name.json")
    first = recording.write_run({"benchmarks": [1]}, str(tmp_path))
    with pytest.raises(FileExistsError):
        recording.write_run({"benchmarks": [2]}, str(tmp_path))
    assert os.listdir(str(tmp_path)) == ["same-name.json"]  # no partial file left beside it
    assert json.loads(open(first).read()) == {"benchmarks": [1]}
