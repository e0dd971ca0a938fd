"""C19: sharing state and object instances is harder with processes.

The post: "This, makes sharing information harder with processes and object instances."

Measured: the cost of one update to shared state (add 1 under a lock), timed over many updates per round in this
process: a plain instance under a threading.Lock (how threads share), a multiprocessing.Value under its own
lock (shared memory and a semaphore), a Manager().Value under a Manager().Lock (every access is a round trip to
the manager's server process) and an instance of a class registered with a BaseManager (one round trip per
method call). Worker processes using the same code lose no update. And what sharing an object instance takes:
a plain instance handed to one worker that adds 1 to it, a thread vs a process per start method (does the
parent see the change, or did the worker change a copy?), and the instance held by a manager instead (how many
processes that starts, and whether its proxy allows attribute access). Rule: `c19.sharing_harder_with_processes`
in scripts/rules/c19.py.
"""

import contextlib
import multiprocessing
import threading

import psutil
import pytest

from experiments.models import stop, unavailable, worker
from experiments.profiles import scaled
from experiments.vocabulary import THREADS, process_models
from experiments.workloads.sharing import Tally, TallyManager, add_by_method, add_to_proxy, add_to_value, add_under_lock

pytestmark = pytest.mark.claim("C19")
# Updates per round, each round some tens of ms here: a thread lock takes ~0.2 us, a Value ~0.6 us, a manager
# round trip tens of us.
FULL_UPDATES = {"thread_lock": 100000, "mp_value": 50000, "manager_value": 200, "manager_instance": 1000}
MECHANISMS = list(FULL_UPDATES)
WORKERS = 2
JOIN_TIMEOUT_S = 60
WAYS = ["plain", "manager"]


@contextlib.contextmanager
def shared_counter(mechanism, context):
    """(add, its arguments but `times`, read the total) of one way to share a count; stops what it started.
    `context` (a multiprocessing context) starts the Value's lock or the manager's server."""
    if mechanism == "thread_lock":
        tally = Tally()
        yield add_under_lock, (tally, threading.Lock()), lambda: tally.count
    elif mechanism == "mp_value":
        value = context.Value("q", 0)
        yield add_to_value, (value,), lambda: value.value
    elif mechanism == "manager_value":
        with context.Manager() as manager:
            value = manager.Value("q", 0)
            yield add_to_proxy, (value, manager.Lock()), lambda: value.value
    else:
        with TallyManager(ctx=context) as manager:
            tally = manager.Tally()
            yield add_by_method, (tally,), tally.total


@pytest.mark.parametrize(
    "mechanism, model",
    [("thread_lock", THREADS)]
    + [(mechanism, model) for mechanism in ["mp_value", "manager_value"] for model in process_models()],
)
def test_no_update_from_a_worker_is_lost(profile, mechanism, model):
    if unavailable(model):
        pytest.skip(unavailable(model))
    context = None if model == THREADS else multiprocessing.get_context(model)
    times = scaled(FULL_UPDATES[mechanism], profile)
    with shared_counter(mechanism, context) as (add, args, total):
        workers = [worker(model, add, args + (times,)) for _ in range(WORKERS)]
        for started in workers:
            started.start()
        assert all([stop(started, JOIN_TIMEOUT_S) for started in workers])
        assert total() == WORKERS * times


@pytest.mark.measurement("update_cost")
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_update_cost(bench, profile, mechanism):
    times = scaled(FULL_UPDATES[mechanism], profile)
    rounds = profile.rounds + profile.warmup_rounds
    with shared_counter(mechanism, multiprocessing.get_context()) as (add, args, total):
        assert (
            bench.pedantic(add, args=args + (times,), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
            == times
        )
        assert total() == rounds * times
    bench.extra_info.update(updates=times, start_method=multiprocessing.get_start_method())


def processes_started(action):
    """The new descendants of this process that `action()` left running, and what it returned."""
    before = {child.pid for child in psutil.Process().children(recursive=True)}
    result = action()
    return len({child.pid for child in psutil.Process().children(recursive=True)} - before), result


def proxy_attribute(tally):
    """What reading the instance's attribute `count` directly gives: "works" or the exception's type name."""
    try:
        tally.count
    except Exception as error:  # the type is the finding: a proxy exposes methods only
        return type(error).__name__
    return "works"


@pytest.mark.measurement("share_an_instance")
@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("model", [THREADS] + process_models())
def test_share_an_instance(measure, bench, profile, model, way):
    with contextlib.ExitStack() as stack:
        started, tally = 0, Tally()
        if way == "manager":
            started, manager = processes_started(lambda: stack.enter_context(TallyManager()))
            tally = manager.Tally()
        assert measure(model, 1, add_by_method, [(tally, 1)], lifecycle="cold") == [1]
        calls = profile.rounds + profile.warmup_rounds
        bench.extra_info.update(
            parent_sees=tally.total() == calls, processes_started=started, attribute_access=proxy_attribute(tally)
        )
