"""The harness every experiment plugs into: profiles, the `measure` fixture, recording and clean-up.

Runs on CPython 3.8 to 3.14, GIL or free-threaded, with stdlib + pytest + pytest-benchmark + psutil only.
`pytest --benchmark-only` writes one pytest-benchmark JSON per run into results/runs/ (raw rounds included),
named by interpreter, GIL state and time, then runs scripts/summarize.py when pandas is importable.
"""

import contextlib
import datetime
import faulthandler
import functools
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import threading
import time

import psutil
import pytest
from multiprocessing import shared_memory

from experiments import machine, runners
from experiments.profiles import DEFAULT_PROFILE, PROFILES

ROOT = os.path.dirname(os.path.abspath(__file__))
SUMMARIZE = os.path.join("scripts", "summarize.py")
SUITE_VERSION = 1  # bump when a change makes new records incomparable with old ones
TEST_TIMEOUT_S = 600  # a test still running after this is hung: dump every stack and exit
LEFTOVER_GRACE_S = 5  # how long a test's threads and processes get to finish going away
# multiprocessing's own helpers, started once and reused by every later test until the interpreter exits
SHM = "/dev/shm"  # where POSIX shared-memory segments live on Linux
SHARED_HELPERS = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")


def pytest_addoption(parser):
    group = parser.getgroup("claims lab")
    group.addoption(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        help="rounds and work sizes of the experiments (default: %(default)s)",
    )
    group.addoption(
        "--results-dir",
        default=os.path.join(ROOT, "results"),
        help="where runs/*.json and the summary CSVs go (default: results/); write --results-dir=DIR as one word, "
        "or pytest takes an existing DIR for a test path",
    )


@pytest.fixture(scope="session")
def profile(pytestconfig):
    return PROFILES[pytestconfig.getoption("profile")]


@pytest.fixture
def bench(request, benchmark):
    """pytest-benchmark's fixture, with the test's claim IDs (its `claim` marker) and parameters recorded in
    `extra_info` and its group named after them. Time with `bench.pedantic(..., rounds=profile.rounds, ...)`."""
    claims = list(request.node.get_closest_marker("claim").args)
    benchmark.group = "{} {}".format("+".join(claims), request.node.originalname)
    callspec = getattr(request.node, "callspec", None)
    benchmark.extra_info.update(claims=claims, **(callspec.params if callspec else {}))
    return benchmark


@pytest.fixture
def measure(bench, profile):
    """Benchmark `fn` over `tasks` on N workers of `model`; return the results of the last round.

    Records the model, the lifecycle, any `facts` given, and each recorded round's process-tree CPU time in
    `extra_info`, beside what `bench` records.
    """

    def run(model, workers, fn, tasks, lifecycle="warm", **facts):
        reason = runners.unavailable(model)
        if reason:
            pytest.skip(reason)
        bench.extra_info.update(model=model, workers=workers, lifecycle=lifecycle, tasks=len(tasks), **facts)
        children = model in runners.PROCESS_MODELS
        # CPU is read between rounds, in pedantic's untimed setup: walking the process tree costs ~1 ms.
        cpu_marks = []
        mark = lambda: cpu_marks.append(runners.tree_cpu_seconds(children))  # noqa: E731
        with contextlib.ExitStack() as stack:
            if lifecycle == "warm":
                call = functools.partial(stack.enter_context(runners.Workers(model, workers)).map, fn, tasks)
            else:
                call = functools.partial(runners.cold_map, model, workers, fn, tasks)
            results = bench.pedantic(call, setup=mark, rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
            mark()
        bench.extra_info["cpu_s"] = [b - a for a, b in zip(cpu_marks, cpu_marks[1:])][-profile.rounds :]
        return results

    return run


def _leftovers(threads_before, children_before):
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    children = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.pid in children_before or child.status() == psutil.STATUS_ZOMBIE:
                continue
            if any(helper in " ".join(child.cmdline()) for helper in SHARED_HELPERS):
                continue
        except psutil.NoSuchProcess:
            continue
        children.append(child)
    return threads, children


@contextlib.contextmanager
def recording_segments(created):
    """Note in `created` the name of every shared-memory segment this process creates meanwhile."""
    original = shared_memory.SharedMemory.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if kwargs.get("create", args[1] if len(args) > 1 else False):
            created.append(self.name)

    shared_memory.SharedMemory.__init__ = init
    try:
        yield
    finally:
        shared_memory.SharedMemory.__init__ = original


def _unlink_leftover_segments(created):
    """The segments of `created` still linked; unlinked now, so later tests start clean."""
    left = [name for name in created if os.path.exists(os.path.join(SHM, name.lstrip("/")))]
    for name in left:
        os.unlink(os.path.join(SHM, name.lstrip("/")))
    return left


@pytest.fixture(autouse=True)
def nothing_left_behind():
    """Bound every test in time, and fail it if it leaves a thread, a process or a shared-memory segment."""
    faulthandler.dump_traceback_later(TEST_TIMEOUT_S, exit=True)
    threads_before = set(threading.enumerate())
    children_before = {child.pid for child in psutil.Process().children(recursive=True)}
    created = []
    with recording_segments(created):
        yield
    faulthandler.cancel_dump_traceback_later()
    segments = _unlink_leftover_segments(created)
    deadline = time.monotonic() + LEFTOVER_GRACE_S
    threads, children = _leftovers(threads_before, children_before)
    while (threads or children) and time.monotonic() < deadline:
        time.sleep(0.05)
        threads, children = _leftovers(threads_before, children_before)
    for child in children:
        child.kill()
    if threads or children or segments:
        pytest.fail(
            "left behind: threads {}, processes {}, shared memory {}".format(
                [t.name for t in threads], children, segments
            )
        )


FAILED = pytest.StashKey()  # node IDs of tests that failed: their timings are not evidence


def pytest_configure(config):
    config.stash[FAILED] = set()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if outcome.get_result().failed:
        item.config.stash[FAILED].add(item.nodeid)


def _runs_dir(config):
    return os.path.join(config.getoption("results_dir"), "runs")


def _run_file_name():
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    gil = "gil" if machine.gil_enabled() else "nogil"
    return "{}-{}-{}.json".format(machine.interpreter_label(), gil, stamp)


def _benchmark_json_takes_path():
    """pytest-benchmark 5.3 takes a path for --benchmark-json; older versions (3.8 gets 4.0) an open file."""
    major, minor = importlib.metadata.version("pytest-benchmark").split(".")[:2]
    return (int(major), int(minor)) >= (5, 3)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_sessionfinish(session):
    """Drop failed tests' benchmarks, point pytest-benchmark's JSON at results/runs/ (unless --benchmark-json
    says otherwise), then summarise."""
    bench_session = getattr(session.config, "_benchmarksession", None)
    path = None
    if bench_session is not None and not bench_session.disabled:
        failed = session.config.stash[FAILED]
        bench_session.benchmarks[:] = [b for b in bench_session.benchmarks if b.fullname not in failed]
        if bench_session.benchmarks and not bench_session.json:
            os.makedirs(_runs_dir(session.config), exist_ok=True)
            path = os.path.join(_runs_dir(session.config), _run_file_name())
            open(path, "xb").close()  # "x": claim the name, so a run never overwrites an earlier one
            bench_session.json = path if _benchmark_json_takes_path() else open(path, "wb")
    yield
    if path:
        _summarise(session.config)


def _summarise(config):
    results = config.getoption("results_dir")
    command = [sys.executable, os.path.join(ROOT, SUMMARIZE), _runs_dir(config), "--out", results]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if importlib.util.find_spec("pandas") is None:
        reporter.write_line("pandas is not installed here; summarise in the analysis environment with:")
        reporter.write_line("  python {} {} --out {}".format(SUMMARIZE, _runs_dir(config), results))
        return
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    reporter.write(done.stdout)
    if done.returncode:
        reporter.write_line("summary failed (exit {})".format(done.returncode), red=True)


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config, machine_info):
    machine_info["claims_lab"] = machine.describe()


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_json(config, benchmarks, output_json):
    output_json["claims_lab"] = {
        "suite_version": SUITE_VERSION,
        "profile": PROFILES[config.getoption("profile")]._asdict(),
    }
