"""C11: a fault in a thread is the whole process's fault; a fault in a child process stays in the child.

The post: "If a thread has a memory leak it can damage the other threads and parent process."

Measured, each in a throwaway interpreter (experiments/probes/c11_faults.py) so the suite survives and its own
memory stays clean: a worker leaks LEAK bytes into a module-level list and ends; how much of it the process
still holds (psutil USS, before and after), for a thread and for a child process per start method (whose own
growth is reported too). A worker reads address 0 (a segfault): a thread takes the whole interpreter down, a
child process dies alone and the parent sees its exit code. An uncaught exception in a thread: the process and
a sibling thread live on, threading.excepthook sees it. Each benchmark round runs a fresh interpreter; memory
is the median over rounds, with every round's share kept. The plain tests assert the expected behaviour; the
benchmarks record what each round saw, expected or not, and assert only that the probe ran. Rule:
`c11.thread_faults_hit_the_process` in scripts/analysis/rules/c11.py.
"""

import json
import os
import signal
import statistics
import subprocess
import sys

import pytest

from experiments.models import unavailable
from experiments.profiles import MIB, scaled
from experiments.vocabulary import process_models

pytestmark = pytest.mark.claim("C11")
PROBE = os.path.join(os.path.dirname(__file__), "probes", "c11_faults.py")
PROBE_TIMEOUT_S = 60
FULL_LEAK_BYTES = 64 * MIB  # far above the noise of USS (KiB) and the cost of starting a worker
WHERE = ["thread"] + process_models()


def probe(*args):
    """(exit code, the probe's JSON or None if it died before printing it)."""
    done = subprocess.run(
        [sys.executable, PROBE] + [str(a) for a in args],
        stdout=subprocess.PIPE,
        universal_newlines=True,
        timeout=PROBE_TIMEOUT_S,
    )
    lines = done.stdout.split("\n")
    return done.returncode, json.loads(lines[-2]) if len(lines) > 1 and lines[-2].startswith("{") else None


def needs(where):
    if where != "thread" and unavailable(where):
        pytest.skip(unavailable(where))


def leak(where, profile):
    code, found = probe("leak", where, scaled(FULL_LEAK_BYTES, profile))
    assert code == 0 and found, "the leak probe failed (exit code {})".format(code)
    return found


def test_a_threads_leak_stays_in_the_process(profile):
    found = leak("thread", profile)
    assert found["parent_kept_bytes"] > found["leaked_bytes"] / 2


@pytest.mark.parametrize("model", process_models())
def test_a_child_processs_leak_goes_with_the_child(profile, model):
    needs(model)
    found = leak(model, profile)
    assert found["worker_grew_bytes"] > found["leaked_bytes"] / 2
    assert found["parent_kept_bytes"] < found["leaked_bytes"] / 2


def test_a_segfault_in_a_thread_kills_the_whole_process():
    assert probe("segfault", "thread") == (-signal.SIGSEGV, None)


@pytest.mark.parametrize("model", process_models())
def test_a_segfault_in_a_child_process_leaves_the_parent_running(model):
    needs(model)
    assert probe("segfault", model) == (0, {"parent_survived": True, "worker_exitcode": -signal.SIGSEGV})


def test_an_uncaught_exception_in_a_thread_ends_only_that_thread():
    assert probe("exception", "thread") == (
        0,
        {"parent_survived": True, "sibling_alive": True, "hook_saw": "RuntimeError"},
    )


@pytest.mark.measurement("leak")
@pytest.mark.parametrize("where", WHERE)
def test_leak(bench, each_round, profile, where):
    needs(where)
    found = each_round(leak, where, profile)
    assert all(f["leaked_bytes"] == scaled(FULL_LEAK_BYTES, profile) for f in found)
    for key in ["leaked_bytes", "worker_grew_bytes", "parent_kept_bytes"]:
        bench.extra_info[key] = statistics.median(f[key] for f in found)
    for key in ["worker_grew_bytes", "parent_kept_bytes"]:
        bench.extra_info[key + "_per_round"] = [f[key] for f in found]


@pytest.mark.measurement("segfault")
@pytest.mark.parametrize("where", WHERE)
def test_segfault(bench, each_round, where):
    needs(where)
    outcomes = each_round(probe, "segfault", where)
    for code, found in outcomes:
        assert found or code < 0, "the probe neither reported nor died of a signal (exit code {})".format(code)
    survived = [bool(found and found["parent_survived"]) for _, found in outcomes]
    exitcodes = [found["worker_exitcode"] if found else code for code, found in outcomes]
    bench.extra_info.update(
        probe_exitcode=outcomes[-1][0],
        parent_survived=survived[-1],
        worker_exitcode=exitcodes[-1],
        parent_survived_per_round=survived,
        worker_exitcode_per_round=exitcodes,
    )


@pytest.mark.measurement("uncaught_exception")
def test_uncaught_exception_in_a_thread(bench, each_round):
    outcomes = each_round(probe, "exception", "thread")
    # A probe that died without its report is recorded as what it is: the process did not survive the exception.
    reports = [found or {"parent_survived": False, "sibling_alive": False, "hook_saw": ""} for _, found in outcomes]
    bench.extra_info.update(
        probe_exitcode=outcomes[-1][0],
        parent_survived=reports[-1]["parent_survived"],
        sibling_alive=reports[-1]["sibling_alive"],
        hook_saw=reports[-1]["hook_saw"],
        parent_survived_per_round=[r["parent_survived"] for r in reports],
        sibling_alive_per_round=[r["sibling_alive"] for r in reports],
    )
