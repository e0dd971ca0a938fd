"""Fixtures that time an experiment and record what it measured: `profile`, `bench`, `each_round`, `paired`,
`measure`, `cpu_task`, `probe_units`.

Every benchmark names its measurement with the `measurement` marker, a name chosen on purpose that the analysis
selects by; `bench` records it with the claim IDs (the module's `claim` marker) and the test's parameters.
"""

import collections
import contextlib
import functools
import os
import random
import time

import psutil
import pytest

from experiments import models
from experiments.harness import steady
from experiments.profiles import DEFAULT_PROFILE, PROFILES, judged, left_out, sized_by_cpu
from experiments.vocabulary import SERIAL, is_process
from experiments.workloads.cpu import cpu_spin


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
    config.addinivalue_line(
        "markers", "start_methods(*models): process models a test compares, which even the quick profile keeps"
    )


def pytest_collection_modifyitems(config, items):
    """Deselect the experiments the chosen profile leaves out (experiments/profiles.py, `left_out`), with a line
    saying why; `start_methods` markers of a test and its module add up."""
    profile, kept, dropped, reasons = PROFILES[config.getoption("profile")], [], [], collections.Counter()
    for item in items:
        callspec = getattr(item, "callspec", None)
        compared = [name for marker in item.iter_markers("start_methods") for name in marker.args]
        reason = callspec and item.get_closest_marker("claim") and left_out(profile, callspec.params, compared)
        (dropped if reason else kept).append(item)
        if reason:
            reasons[reason] += 1
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    for reason, count in sorted(reasons.items()) if reporter else ():
        reporter.write_line("{} tests left out: {}".format(count, reason))


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


def pair_orders(rounds, rng=random):
    """For each of `rounds` pairs, whether its baseline runs first: a fair coin each. An order effect, or anything on
    the machine that recurs with the pairs, then moves a pair's ratio up or down with even odds, independently of the
    other pairs, which is what the sign-test intervals assume (scripts/analysis/stats.py). A fixed alternation
    (sides B C C B B C C ...) would let a disturbance recurring every other pair land on the same side in every
    pair; an exact half, shuffled, ties the pairs' orders to each other."""
    return [rng.random() < 0.5 for _ in range(rounds)]


LAYOUTS = 16  # call depths a timed side of a pair runs at, one drawn per call (`at_random_depth`)
_DEPTHS = random.Random()  # its own stream: drawing depths leaves the orders of `pair_orders` as seeded


def at_random_depth(fn, depth=None):
    """`fn()` called beneath `depth` extra calls, a depth drawn from 0 to LAYOUTS - 1 when not given.

    Where a call sits on the stack can move its speed: the same pure-Python loop, called the same way from two fixed
    places in one process, ran a few per cent faster from one of them in some processes, and which one won changed
    from process to process, as the addresses a process's stacks land on do (Mytkowicz et al., "Producing wrong
    data without doing anything obviously wrong!", ASPLOS 2009, found the same of environment size). The two sides
    of a pair are called from different places (pytest-benchmark's round, our setup), so a null control could lean
    one way for a whole session. Drawn afresh for every call, the depth turns such a lean into noise of the same
    spread on both sides, which the pairs' intervals cover. Each level is a call of a `functools.partial` object,
    which takes a C frame as well as a Python one (since 3.11 a Python-to-Python call takes none), so both stacks
    move. It costs about 2 us a call on average here, alike on both sides."""
    __tracebackhide__ = True  # a failing side's traceback shows the side, not up to 16 levels of this
    if depth is None:
        depth = _DEPTHS.randrange(LAYOUTS)
    return fn() if depth == 0 else functools.partial(at_random_depth, fn, depth - 1)()


@pytest.fixture
def paired(bench, profile):
    """Time `contender()` in each round with pytest-benchmark, and `baseline()` right beside it outside that
    timing: before or after it by a coin toss per round (`pair_orders`, recorded as `baseline_first`), so every
    round is a pair measured under the same load, and neither an order effect nor anything that recurs on the
    machine can keep landing on one side. Returns what the contender returned in each recorded round.

    Both sides of a pair are also timed by the same clock, around the call alone (`contender_s`, `baseline_s` per
    recorded round): pytest-benchmark's own round adds some 10 us of its bookkeeping, which a null control of two
    10 ms sleeps tells from 1 and the analysis must not read as an effect. Each call is made at a depth drawn for it
    (`at_random_depth`). Given `cpu` (a function returning CPU seconds so far), the contender's CPU seconds per round
    (`cpu_s`); given `gate` (a harness/steady.py Gate), calls it before each recorded pair and records what it found
    (`cpu_spread`, `cpu_crowding`). A benchmark whose baseline is the contender itself is a null control
    (`null_control=True`): its true ratio is 1. `rounds`: recorded pairs, if not the profile's. With pytest-benchmark
    turned off (under xdist, or --benchmark-disable) it runs one pair and no warm-up, whatever `rounds` says.
    """

    def run(contender, baseline, cpu=None, null_control=False, gate=None, rounds=None):
        # pytest-benchmark turned off sets up and calls the contender once
        rounds, warmup_rounds = (1, 0) if bench.disabled else (rounds or profile.rounds, profile.warmup_rounds)
        baseline_first = pair_orders(rounds)
        results, contender_s, baseline_s, baseline_results, cpu_s, marks = [], [], [], [], [], []
        spreads, crowding = [], []
        next_round = [-warmup_rounds]  # index of the round about to run; warm-up rounds are negative

        def timed(fn, returned, seconds):
            start = time.perf_counter()
            returned.append(at_random_depth(fn))
            seconds.append(time.perf_counter() - start)

        def time_baseline():
            timed(baseline, baseline_results, baseline_s)

        def close(index):
            """After contender `index` ran: its CPU time, then its baseline if this pair puts it after."""
            if cpu is not None:
                cpu_s.append(cpu() - marks[-1])
            if not baseline_first[index]:
                time_baseline()

        def setup():
            index = next_round[0]
            next_round[0] += 1
            if index < 0:
                baseline()  # warm it up too, untimed
            else:
                if index > 0:
                    close(index - 1)
                if gate is not None:
                    spread, crowded = gate()
                    spreads.append(spread)
                    crowding.append(crowded)
                if baseline_first[index]:
                    time_baseline()
            if cpu is not None:
                marks.append(cpu())

        bench.pedantic(
            functools.partial(timed, contender, results, contender_s),
            setup=setup,
            rounds=rounds,
            warmup_rounds=warmup_rounds,
        )
        close(rounds - 1)
        bench.extra_info["contender_s"] = contender_s[-rounds:]
        bench.extra_info["baseline_s"] = baseline_s
        bench.extra_info["baseline_first"] = baseline_first
        if cpu is not None:
            bench.extra_info["cpu_s"] = cpu_s
        if gate is not None:
            bench.extra_info.update(cpu_spread=spreads, cpu_crowding=crowding)
        if null_control:
            bench.extra_info["null_control"] = True
        return results[-rounds:], baseline_results

    return run


def pairs_made(bench, rounds, warmup_rounds=0):
    """How many pairs `paired(..., rounds=rounds)` records (with `warmup_rounds`: how many times each side runs in
    all). With pytest-benchmark turned off, one."""
    return 1 if bench.disabled else rounds + warmup_rounds


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


@pytest.fixture(scope="session")
def cpu_task(profile):
    """`cpu_spin` iterations of one CPU-bound task (about `profile.task_s` on this interpreter)."""
    return sized_by_cpu(cpu_spin, profile.task_s)


@pytest.fixture(scope="session")
def probe_units():
    """`cpu_spin` iterations of the probe that harness/steady.py times on each CPU."""
    return sized_by_cpu(cpu_spin, steady.PROBE_S)


@pytest.fixture(scope="session")
def crowding_looks():
    """The crowding of this session's CPU-bound rounds, each round's first look (harness/steady.py): the machine's
    usual, which each look is judged against."""
    return []


@pytest.fixture
def measure(bench, paired, profile, probe_units, crowding_looks):
    """Benchmark `fn` over `tasks` on N workers of `model`, each round paired with one of the tasks run serially
    (the baseline of weak scaling: speedup = N x baseline / round); return the results of the last round. The
    baseline goes through the serial model's own `map`, as the serial contender does: on a VM a 10 ms sleep made
    inside its loop returned ~30 us later than one called directly, which a null control tells from 1.

    A warm pool has all N workers up before its first round (`Pool.wait_started`). Records the model, the lifecycle,
    any `facts` given, and each recorded round's process-tree CPU time, beside what `bench` and `paired` record.
    CPU-bound work (`bound="cpu"`, or `even_cpus=True` for work not to be drawn as a scaling curve) waits for
    even CPUs before each round (harness/steady.py) where the profile looks at them, recording how long in all
    (`cpu_wait_s`), and takes the profile's `judged_rounds` where the rules judge it. Serial on one worker is the null
    control: its true ratio is 1.
    """

    def run(model, workers, fn, tasks, lifecycle="warm", even_cpus=False, **facts):
        reason = models.unavailable(model)
        if reason:
            pytest.skip(reason)
        bench.extra_info.update(model=model, workers=workers, lifecycle=lifecycle, tasks=len(tasks), **facts)
        children = is_process(model)
        cpu_bound = even_cpus or facts.get("bound") == "cpu"
        gated = cpu_bound and profile.steady_wait_s is not None
        with contextlib.ExitStack() as stack:
            if lifecycle == "warm":
                pool = stack.enter_context(models.Pool(model, workers))
                pool.wait_started()
                contender = functools.partial(pool.map, fn, tasks)
            else:
                contender = functools.partial(models.cold_map, model, workers, fn, tasks)
            gate = (
                stack.enter_context(steady.Gate(probe_units, profile.steady_wait_s, crowding_looks)) if gated else None
            )
            results, baselines = paired(
                contender,
                functools.partial(models.Pool(SERIAL, 1).map, fn, tasks[:1]),
                cpu=functools.partial(tree_cpu_seconds, children),
                null_control=model == SERIAL and workers == 1,
                gate=gate,
                rounds=profile.judged_rounds if cpu_bound and judged(workers, lifecycle) else None,
            )
        if gate is not None:
            bench.extra_info["cpu_wait_s"] = round(gate.waited_s, 3)
        assert all(found == results[-1][:1] for found in baselines), "the serial baseline computed something else"
        return results[-1]

    return run
