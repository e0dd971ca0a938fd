"""C07: threads for I/O-bound work.

The post: threading "is used well for I/O bound applications".

Measured, weak-scaled: N workers (threads, and processes per start method; warm pools, as start-up is C05's
question) each make one wait of `profile.io_wait_ms`, N = 1 ... 32 (`io_workers`), every round paired with one
such wait made serially (`measure`), so the speedup N x serial / round is immune to drift between rounds. Two
kinds of wait: a plain `time.sleep`, and a request/response to a loopback server (in its own interpreter) that
answers after the same delay. Waits overlap on any number of CPUs, so N is not capped by the cores. Serial against
serial is the null control. Rule: `c07.threads_help_io` in scripts/analysis/rules/c07.py.
"""

import pytest

from experiments.profiles import io_workers
from experiments.servers import delay_server, loopback_request
from experiments.vocabulary import SERIAL, THREADS, process_models
from experiments.workloads.io import sleep_for

pytestmark = pytest.mark.claim("C07")
WORKLOADS = ["sleep", "loopback"]


@pytest.fixture
def io_task(workload, profile):
    """(function, arguments, expected result) of one I/O task; the loopback server lives as long as the test."""
    if workload == "sleep":
        seconds = profile.io_wait_ms / 1000
        yield sleep_for, (seconds,), seconds
    else:
        with delay_server() as port:
            yield loopback_request, (port, profile.io_wait_ms), str(profile.io_wait_ms)


def waits(measure, profile, io_task, model, workers):
    fn, args, expected = io_task
    results = measure(model, workers, fn, [args] * workers, wait_ms=profile.io_wait_ms, bound="io")
    assert results == [expected] * workers  # every wait was made and answered


@pytest.mark.measurement("io_scaling")
@pytest.mark.parametrize("workload", ["sleep"])
def test_null_control(measure, profile, io_task):
    waits(measure, profile, io_task, SERIAL, 1)


@pytest.mark.measurement("io_scaling")
@pytest.mark.parametrize("workers", io_workers())
@pytest.mark.parametrize("workload", WORKLOADS)
def test_threads(measure, profile, io_task, workers):
    waits(measure, profile, io_task, THREADS, workers)


# Processes at the judged N alone: 32 spawned children cost seconds to start, and the rule reads no other N.
@pytest.mark.measurement("io_scaling")
@pytest.mark.parametrize("workers", io_workers()[-1:])
@pytest.mark.parametrize("model", process_models())
@pytest.mark.parametrize("workload", WORKLOADS)
def test_processes(measure, profile, io_task, model, workers):
    waits(measure, profile, io_task, model, workers)
