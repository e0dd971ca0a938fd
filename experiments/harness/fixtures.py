"""Fixtures that time an experiment and record what it measured: `profile`, `bench`, `measure`, `each_round`.

Every benchmark names its measurement with the `measurement` marker, a name chosen on purpose that the analysis
selects by; `bench` records it with the claim IDs (the module's `claim` marker) and the test's parameters.
"""

import contextlib
import functools
import os
import time

import psutil
import pytest

from experiments import models
from experiments.profiles import DEFAULT_PROFILE, PROFILES
from experiments.vocabulary import is_process


def pytest_addoption(parser):
    group = parser.getgroup("claims lab")
    group.addoption(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        help="rounds and work sizes of the experiments (default: %(default)s)",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "claim(*ids): the claim IDs (CLAIMS.md) a test's measurements are evidence for")
    config.addinivalue_line("markers", "measurement(name): the name a benchmark's records carry, which rules select by")


@pytest.fixture(scope="session")
def profile(pytestconfig):
    return PROFILES[pytestconfig.getoption("profile")]


@pytest.fixture
def bench(request, benchmark):
    """pytest-benchmark's fixture, with the test's claim IDs, measurement name and parameters recorded in
    `extra_info` and its group named after them. Time with `bench.pedantic(..., rounds=profile.rounds, ...)`."""
    named = request.node.get_closest_marker("measurement")
    if named is None:
        raise pytest.UsageError("{}: a benchmark needs @pytest.mark.measurement(name)".format(request.node.nodeid))
    claims = list(request.node.get_closest_marker("claim").args)
    benchmark.group = "{} {}".format("+".join(claims), named.args[0])
    callspec = getattr(request.node, "callspec", None)
    benchmark.extra_info.update(claims=claims, measurement=named.args[0], **(callspec.params if callspec else {}))
    return benchmark


@pytest.fixture
def each_round(bench, profile):
    """Time `fn(*args)` over the profile's rounds; returns what each recorded round returned (warm-up rounds'
    results dropped)."""

    def run(fn, *args):
        results = []
        bench.pedantic(lambda: results.append(fn(*args)), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
        return results[-profile.rounds :]

    return run


def tree_cpu_seconds(with_children):
    """CPU seconds of this process (ns clock), its reaped children and, if asked, its live descendants.

    Children's times come from the kernel in clock ticks (10 ms): size the work well above that.
    """
    reaped = os.times()
    total = time.process_time() + reaped.children_user + reaped.children_system
    if with_children:
        for child in psutil.Process().children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
    return total


@pytest.fixture
def measure(bench, profile):
    """Benchmark `fn` over `tasks` on N workers of `model`; return the results of the last round.

    Records the model, the lifecycle, any `facts` given, and each recorded round's process-tree CPU time in
    `extra_info`, beside what `bench` records.
    """

    def run(model, workers, fn, tasks, lifecycle="warm", **facts):
        reason = models.unavailable(model)
        if reason:
            pytest.skip(reason)
        bench.extra_info.update(model=model, workers=workers, lifecycle=lifecycle, tasks=len(tasks), **facts)
        children = is_process(model)
        # CPU is read between rounds, in pedantic's untimed setup: walking the process tree costs ~1 ms.
        cpu_marks = []
        mark = lambda: cpu_marks.append(tree_cpu_seconds(children))  # noqa: E731
        with contextlib.ExitStack() as stack:
            if lifecycle == "warm":
                call = functools.partial(stack.enter_context(models.Pool(model, workers)).map, fn, tasks)
            else:
                call = functools.partial(models.cold_map, model, workers, fn, tasks)
            results = bench.pedantic(call, setup=mark, rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
            mark()
        bench.extra_info["cpu_s"] = [b - a for a, b in zip(cpu_marks, cpu_marks[1:])][-profile.rounds :]
        return results

    return run
