"""C07: threads for I/O-bound work.

The post: threading "is used well for I/O bound applications".

Measured: N tasks that each wait (a plain `time.sleep`, and a request/response to a loopback server that
answers after the same delay), run serially, in N threads, and in N processes per start method (warm pools:
start-up cost is C05's question), N = 1 ... 32. The speedup over serial is the evidence.
Rule: `c07.threads_help_io` in scripts/rules/c07.py.
"""

import pytest

from experiments.profiles import io_workers
from experiments.servers import delay_server, loopback_request
from experiments.vocabulary import THREADS, process_models
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


@pytest.mark.measurement("io_scaling")
@pytest.mark.parametrize("workers", io_workers())
@pytest.mark.parametrize("workload", WORKLOADS)
def test_serial(measure, profile, io_task, workers):
    fn, args, expected = io_task
    results = measure("serial", workers, fn, [args] * workers, wait_ms=profile.io_wait_ms, bound="io")
    assert results == [expected] * workers


@pytest.mark.measurement("io_scaling")
@pytest.mark.parametrize("workers", io_workers())
@pytest.mark.parametrize("model", [THREADS] + process_models())
@pytest.mark.parametrize("workload", WORKLOADS)
def test_parallel(measure, profile, io_task, model, workers):
    fn, args, expected = io_task
    results = measure(model, workers, fn, [args] * workers, wait_ms=profile.io_wait_ms, bound="io")
    assert results == [expected] * workers
