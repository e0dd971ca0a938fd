"""The harness (experiments/harness/): leftover detection, run files, and the machine facts it records."""

import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import threading

import psutil
import pytest

from experiments import machine
from experiments.harness import fixtures, hygiene, recording
from experiments.profiles import PROFILES
from experiments.vocabulary import process_models

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


def run_benchmarks(tmp_path, source, *options, profile="smoke"):
    """`pytest --benchmark-only` (or `options`) on a module of `source` with the suite's plugin, as a user starts
    it."""
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
            *(options or ["--benchmark-only"]),
            "--profile=" + profile,
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


LEAKS = """
import os
import socket
import threading
import time
import multiprocessing
from multiprocessing import shared_memory

KEEP = []  # what the tests leave behind stays referenced, so only the guard can end it


def sleep_long():
    time.sleep(60)


def orphan_a_grandchild():
    multiprocessing.get_context("fork").Process(target=sleep_long).start()
    os._exit(0)  # the grandchild is re-parented


def make_a_segment():
    KEEP.append(shared_memory.SharedMemory(create=True, size=4096))
    KEEP[-1].close()


def test_leaks_a_thread():
    stop = threading.Event()
    KEEP.append(stop)
    threading.Thread(target=stop.wait, args=(60,), name="leaked-thread", daemon=True).start()


def test_leaks_a_process():
    child = multiprocessing.get_context("fork").Process(target=sleep_long)
    child.start()
    KEEP.append(child)


def test_leaks_a_reparented_process():
    child = multiprocessing.get_context("fork").Process(target=orphan_a_grandchild)
    child.start()
    child.join()


def test_leaks_a_segment():
    make_a_segment()


def test_leaks_a_segment_made_in_a_forked_child():
    child = multiprocessing.get_context("fork").Process(target=make_a_segment)
    child.start()
    child.join()


def test_leaks_a_listening_socket():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    KEEP.append(server)


def test_leaves_nothing():
    threading.Thread(target=time.sleep, args=(0.01,)).start()
"""


def test_the_guard_fails_a_test_for_each_thing_it_leaves_and_cleans_it_up(tmp_path):
    """Thread, process, re-parented process, segment (also one made in a child) and socket: each fails its test,
    named; the clean test passes; nothing of them outlives the run."""
    segments_before = hygiene.segments()
    done = run_benchmarks(tmp_path, LEAKS, "-rE")
    failed = {line.split("::")[1].split(" ")[0]: line for line in done.stdout.splitlines() if line.startswith("ERROR")}
    assert sorted(failed) == sorted(re.findall(r"def (test_leaks_\w+)", LEAKS)), done.stdout
    left = [line for line in done.stdout.splitlines() if line.startswith("E ") and "Failed: left behind:" in line]
    assert len(left) == 6 and any("threads ['leaked-thread']" in line for line in left), done.stdout
    assert sum("shared memory ['psm_" in line for line in left) == 2
    assert sum("processes [" in line and "processes []" not in line for line in left) == 2
    assert any("'127.0.0.1'" in line and "LISTEN" in line for line in left)
    assert "7 passed, 6 errors" in done.stdout  # the leaking tests pass, then fail at their check
    assert hygiene.segments() <= segments_before
    assert not [p for p in psutil.process_iter(["cmdline"]) if str(tmp_path) in " ".join(p.info["cmdline"] or [])]


JUDGED = """
import pytest
from experiments.machine import usable_workers

pytestmark = pytest.mark.claim("C09")

@pytest.mark.measurement("cpu_scaling")
@pytest.mark.parametrize("lifecycle", ["warm", "cold"])
@pytest.mark.parametrize("workers", sorted({1, usable_workers()}))
def test_scaling(measure, workers, lifecycle):
    assert measure("threads", workers, abs, [(-1,)] * workers, lifecycle, bound="cpu") == [1] * workers
"""


def test_cpu_bound_scaling_takes_more_pairs_where_the_rules_judge_it(tmp_path):
    done = run_benchmarks(tmp_path, JUDGED, profile="full")
    assert done.returncode == 0, done.stdout
    (run,) = (tmp_path / "results" / "runs").iterdir()
    recorded = {bench["name"]: bench for bench in json.loads(run.read_text())["benchmarks"]}
    full, usable = PROFILES["full"], machine.usable_workers()
    for workers in {1, usable}:
        for lifecycle in ("warm", "cold"):
            bench = recorded["test_scaling[{}-{}]".format(workers, lifecycle)]
            judged = workers == usable >= 2 and lifecycle == "warm"
            rounds = full.judged_rounds if judged else full.rounds
            extra = bench["extra_info"]
            assert bench["stats"]["rounds"] == len(extra["baseline_s"]) == rounds
            assert len(extra["cpu_spread"]) == rounds


PAIRS = """
import random

import pytest

from experiments.harness.fixtures import pair_orders
from tests.test_harness import levels

pytestmark = pytest.mark.claim("C09")
SIDES = []
LEVELS = {"contender": [], "baseline": []}
SEED = 20261201

@pytest.mark.measurement("order")
def test_pairs(paired, bench):
    def side(name):
        SIDES.append(name)
        LEVELS[name].append(levels())
        return name

    random.seed(SEED)
    paired(lambda: side("contender"), lambda: side("baseline"))
    recorded = [SIDES[i : i + 2] for i in range(2, len(SIDES), 2)]  # after the warm-up pair (baseline first)
    firsts = bench.extra_info["baseline_first"]
    assert firsts == pair_orders(len(firsts), random.Random(SEED))  # the order drawn is the order run and recorded
    assert recorded == [["baseline", "contender"] if first else ["contender", "baseline"] for first in firsts]
    # every timed call of either side, and only those, ran at a depth drawn for it (the warm-up baseline is untimed;
    # 1 in 16 ** 8 to find one depth in 9 rounds)
    untimed, *timed = LEVELS["baseline"]
    assert untimed == 0 and min(timed + LEVELS["contender"]) >= 1
    assert len(set(timed)) > 1 and len(set(LEVELS["contender"])) > 1

"""

ONE_PAIR = """
import pytest

pytestmark = pytest.mark.claim("C09")

@pytest.mark.measurement("order")
@pytest.mark.parametrize("rounds", [None, 50])
def test_one_pair(paired, rounds):
    calls = []

    def side(name):
        calls.append(name)
        return name

    assert paired(lambda: side("contender"), lambda: side("baseline"), rounds=rounds) == (["contender"], ["baseline"])
    assert sorted(calls) == ["baseline", "contender"]  # and no warm-up
"""


def test_with_pytest_benchmark_turned_off_as_under_xdist_paired_runs_one_pair_whatever_the_rounds_asked(tmp_path):
    done = run_benchmarks(tmp_path, ONE_PAIR, "--benchmark-disable", profile="full")  # 9 pairs and a warm-up, if on
    assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout


def walk(frame):
    """`frame` and every frame beneath it."""
    while frame is not None:
        yield frame
        frame = frame.f_back


def levels():
    """How many calls of `at_random_depth` the caller runs beneath."""
    return sum(frame.f_code is fixtures.at_random_depth.__code__ for frame in walk(sys._getframe(1)))


def depth():
    """How many Python frames are beneath the caller."""
    return sum(1 for _ in walk(sys._getframe(1)))


def test_a_timed_side_runs_at_a_depth_drawn_for_each_call_from_every_one_of_the_layouts():
    given = [fixtures.at_random_depth(depth, d) for d in (0, 1, 5)]
    assert [found - given[0] for found in given] == [0, 1, 5]
    drawn = [fixtures.at_random_depth(depth) for _ in range(400)]  # each depth missed: 1 in ~1e11
    assert sorted({found - given[0] for found in drawn}) == list(range(fixtures.LAYOUTS))
    assert fixtures.at_random_depth(lambda: "returned") == "returned"


def test_each_level_of_depth_is_a_call_through_c_so_the_c_stack_moves_too(monkeypatch):
    """Since 3.11 a Python-to-Python call takes no C frame; a call of a `functools.partial` object does."""
    made, partial = [], fixtures.functools.partial
    monkeypatch.setattr(fixtures.functools, "partial", lambda *args: made.append(args) or partial(*args))
    assert fixtures.at_random_depth(lambda: "returned", 5) == "returned"
    assert len(made) == 5


def test_each_pair_tosses_a_coin_for_which_side_runs_first():
    runs = [fixtures.pair_orders(9, random.Random(seed)) for seed in range(400)]
    assert len({tuple(orders) for orders in runs}) > 200  # not one fixed alternation, nor a few patterns (~278 of 512)
    for i in range(9):  # each pair goes either way, about as often
        assert 150 < sum(orders[i] for orders in runs) < 250
    # independent pairs: as often all on one side as 9 coins would be (2 in 512: 1.6 of 400 expected)
    assert sum(len(set(orders)) == 1 for orders in runs) < 10


def test_a_run_records_which_side_of_each_pair_ran_first(tmp_path):
    done = run_benchmarks(tmp_path, PAIRS, profile="full")
    assert done.returncode == 0, done.stdout
    (run,) = (tmp_path / "results" / "runs").iterdir()
    (bench,) = json.loads(run.read_text())["benchmarks"]
    assert bench["stats"]["rounds"] == len(bench["extra_info"]["baseline_first"]) == PROFILES["full"].rounds


SERIAL_PATH = """
import sys

import pytest

pytestmark = pytest.mark.claim("C07")


def callers():
    return sys._getframe(1).f_code.co_name, sys._getframe(2).f_code.co_name


@pytest.mark.measurement("io_scaling")
def test_serial(measure):
    measure("serial", 1, callers, [()], bound="io")
"""


def test_the_baseline_takes_the_serial_contenders_path_so_its_null_control_compares_the_same_call(tmp_path):
    """`measure` asserts the baseline computed what the contender's first task did: here, who called the task."""
    done = run_benchmarks(tmp_path, SERIAL_PATH)
    assert done.returncode == 0, done.stdout


GRIDS = """
import pytest
from experiments.profiles import PROFILES
from experiments.vocabulary import process_models

pytestmark = [pytest.mark.claim("C05"), pytest.mark.start_methods("forkserver")]

@pytest.mark.parametrize("model", ["threads"] + process_models())
def test_each_model(model):
    pass

@pytest.mark.start_methods("spawn")
@pytest.mark.parametrize("model", process_models())
def test_compares_spawn(model):
    pass

@pytest.mark.parametrize("concurrency", [1000, 10000])
def test_waits(concurrency):
    pass
"""


@pytest.mark.parametrize("profile", ["full", "quick", "smoke"])
def test_only_the_quick_profile_leaves_out_other_start_methods_and_the_most_waits_saying_so(tmp_path, profile):
    done = run_benchmarks(tmp_path, GRIDS, "--collect-only", "-q", profile=profile)
    collected = {line.split("::")[1] for line in done.stdout.splitlines() if "::" in line}
    default, methods = multiprocessing.get_start_method(), process_models()
    everything = {"test_each_model[{}]".format(m) for m in ["threads"] + methods}
    everything |= {"test_compares_spawn[{}]".format(m) for m in methods} | {"test_waits[1000]", "test_waits[10000]"}
    if profile != "quick":
        assert collected == everything, done.stdout
        assert "left out" not in done.stdout
        return
    kept = {"test_each_model[{}]".format(m) for m in {"threads", default, "forkserver"}} | {"test_waits[1000]"}
    kept |= {"test_compares_spawn[{}]".format(m) for m in {default, "spawn", "forkserver"}}  # the module's marker too
    assert collected == kept, done.stdout
    assert "tests left out: the quick profile runs processes of the default start method ({}) only".format(default) in (
        done.stdout
    )
    assert "1 tests left out: the quick profile measures at most 1,000 concurrent waits" in done.stdout
