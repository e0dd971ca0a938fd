"""Interrupting a run at random moments leaves nothing behind: a real `pytest --benchmark-only` (smoke profile, on
the experiments that start processes, servers and shared memory) is stopped INTERRUPTIONS times, by Ctrl-C to its
process group or by SIGTERM to pytest as a CI cancel does, and each time: no process of its session is left, no
shared-memory segment it made stays, results/runs/ holds only whole JSON files, the earlier run is untouched, and
the summary still works."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from multiprocessing import shared_memory

import psutil
import pytest

from experiments.harness.hygiene import SHM, segments
from tests.test_bad_input import a_run, write

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INTERRUPTIONS = 20
SEED = 20210701
EXPERIMENTS = [  # children of every start method, servers, clients, shared memory
    "experiments/test_c05_start_cost.py",
    "experiments/test_c17_ipc_overhead.py",
    "experiments/test_c22_web_servers.py",
    "experiments/test_c09_c14_cpu_bound.py",
]
LATEST_INTERRUPT_S = 8.0  # interruptions fall anywhere from start-up to well into the benchmarks
GONE_WITHIN_S = 10  # after pytest exits, how long what it started gets to go


def session_processes(sid):
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == sid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return found


def interrupted_run(results, how, after_s):
    """Start the run in a session of its own, interrupt it `how` after `after_s`; its session id once it ended."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", *EXPERIMENTS, "--benchmark-only", "--profile=smoke", "-q", "-p", "no:xdist"]
        + ["--results-dir={}".format(results)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(after_s)
    if how == "SIGINT":
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground process group
    else:
        run.send_signal(signal.SIGTERM)
    run.wait(timeout=120)
    return run.pid


def lasting(names, within_s=GONE_WITHIN_S):
    """Those of the segment `names` still there `within_s` from now. A segment that a test running beside this
    one on another xdist worker made meanwhile (the smoke run's C17 partner, the guard test's) is gone by then; one
    the interrupted run left behind stays."""
    deadline = time.monotonic() + within_s
    while names & segments() and time.monotonic() < deadline:
        time.sleep(0.1)
    return names & segments()


def whole(path):
    try:
        with open(path) as handle:
            return bool(json.load(handle)["benchmarks"])
    except (ValueError, KeyError, OSError):
        return False


def test_runs_interrupted_at_random_moments_leave_no_process_segment_or_broken_file(tmp_path):
    results = tmp_path / "results"
    earlier = write(results / "runs" / "earlier.json", a_run())
    earlier_bytes = earlier.read_bytes()
    moments = random.Random(SEED)
    orphans, broken, stray_segments = [], [], set()
    for attempt in range(INTERRUPTIONS):
        before = segments()
        sid = interrupted_run(results, "SIGINT" if attempt % 2 else "SIGTERM", moments.uniform(0.5, LATEST_INTERRUPT_S))
        deadline = time.monotonic() + GONE_WITHIN_S
        while session_processes(sid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = session_processes(sid)
        orphans += [" ".join(p.cmdline()[:4]) for p in left]
        for process in left:
            process.kill()
        stray_segments |= lasting(segments() - before)
        broken += [name for name in os.listdir(str(results / "runs")) if not whole(str(results / "runs" / name))]
    print("{} interruptions: {} processes left, {} broken files".format(INTERRUPTIONS, len(orphans), len(broken)))
    assert orphans == [] and broken == [] and stray_segments == set()
    assert earlier.read_bytes() == earlier_bytes
    summary = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "summarize.py"), str(results / "runs"), "--out", str(results)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=300,
    )
    assert summary.returncode == 0, summary.stdout


@pytest.mark.skipif(not os.path.isdir(SHM), reason="shared-memory segments are not files in {} here".format(SHM))
def test_a_segment_that_stays_is_told_from_one_that_goes():
    stays, goes = (shared_memory.SharedMemory(create=True, size=16) for _ in range(2))
    unlinking = threading.Timer(0.5, goes.unlink)
    unlinking.start()
    try:
        assert lasting({stays.name.lstrip("/"), goes.name.lstrip("/")}, within_s=3) == {stays.name.lstrip("/")}
    finally:
        unlinking.join()
        for segment in (stays, goes):
            segment.close()
        stays.unlink()
