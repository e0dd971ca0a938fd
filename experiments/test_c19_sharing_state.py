"""C19: sharing state and object instances is harder with processes.

The post: "This, makes sharing information harder with processes and object instances."

Measured, two ways:
- Paired: the cost of updates to shared state (add 1 under a lock), many per round in this process, each round paired
  with as many updates of a plain instance under a threading.Lock (how threads share), the baseline. The contenders:
  a multiprocessing.Value under its own lock (shared memory and a semaphore), a Manager().Value under a
  Manager().Lock (every access is a round trip to the manager's server process) and an instance of a class
  registered with a BaseManager (one round trip per method call). The threading.Lock updates against themselves are
  the null control. Worker processes using the same code lose no update (plain tests).
- Facts: what sharing an object instance takes. In every round a new instance is handed to the one worker of a warm
  pool (a thread, or a process per start method), which adds 1 to it: a plain instance (does the parent see the
  change, or did the worker change a copy?) and one held by a manager (how many processes that started, whether its
  proxy allows attribute access). How many rounds the parent saw the change in is recorded, whatever it was.
Rule: `c19.sharing_harder_with_processes` in scripts/analysis/rules/c19.py.
"""

import contextlib
import functools
import multiprocessing
import threading

import psutil
import pytest

from experiments.harness.fixtures import pairs_made
from experiments.models import Pool, stop, unavailable, worker
from experiments.profiles import scaled
from experiments.vocabulary import THREADS, process_models
from experiments.workloads.sharing import Tally, TallyManager, add_by_method, add_to_proxy, add_to_value, add_under_lock

pytestmark = pytest.mark.claim("C19")
# Updates per round, each round some tens of ms here: a thread lock takes ~0.2 us, a Value ~0.6 us, a manager
# round trip tens of us.
FULL_UPDATES = {"thread_lock": 100000, "mp_value": 50000, "manager_value": 200, "manager_instance": 1000}
BASELINE = "thread_lock"  # every pair's baseline: a plain instance under a threading.Lock, the same count
PROCESS_MECHANISMS = ["mp_value", "manager_value", "manager_instance"]
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
@pytest.mark.parametrize("mechanism", PROCESS_MECHANISMS)
def test_update_cost(bench, paired, profile, mechanism):
    times = scaled(FULL_UPDATES[mechanism], profile)
    calls = pairs_made(bench, profile.rounds, profile.warmup_rounds)
    context = multiprocessing.get_context()
    with shared_counter(mechanism, context) as (add, args, total):
        with shared_counter(BASELINE, None) as (thread_add, thread_args, thread_total):
            done, thread_done = paired(
                functools.partial(add, *args + (times,)), functools.partial(thread_add, *thread_args + (times,))
            )
            assert done + thread_done == [times] * 2 * pairs_made(bench, profile.rounds)
            assert (total(), thread_total()) == (calls * times, calls * times), "an update was lost"
    bench.extra_info.update(updates=times, baseline=BASELINE, start_method=context.get_start_method())


@pytest.mark.measurement("update_cost")
def test_update_cost_null_control(bench, paired, profile):
    times = scaled(FULL_UPDATES[BASELINE], profile)
    with shared_counter(BASELINE, None) as (add, args, total):
        update = functools.partial(add, *args + (times,))
        done, again = paired(update, update, null_control=True)
        assert done + again == [times] * 2 * pairs_made(bench, profile.rounds)
        assert total() == 2 * pairs_made(bench, profile.rounds, profile.warmup_rounds) * times, "an update was lost"
    bench.extra_info.update(mechanism=BASELINE, updates=times, baseline=BASELINE)


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


def hand_to_worker(pool, make):
    """A new instance from `make()`, handed to the pool's worker, which adds 1 to it; returns (what the worker
    returned, what the parent's instance holds after)."""
    tally = make()
    return pool.map(add_by_method, [(tally, 1)]), tally.total()


@pytest.mark.measurement("share_an_instance")
@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("model", [THREADS] + process_models())
def test_share_an_instance(bench, each_round, model, way):
    if unavailable(model):
        pytest.skip(unavailable(model))
    with contextlib.ExitStack() as stack:
        started, make = 0, Tally
        if way == "manager":
            started, manager = processes_started(lambda: stack.enter_context(TallyManager()))
            make = manager.Tally
        pool = stack.enter_context(Pool(model, 1))
        tries = each_round(hand_to_worker, pool, make)
        attribute = proxy_attribute(make())
    assert all(returned == [1] for returned, _ in tries), "the worker did not add to the instance it got"
    bench.extra_info.update(
        model=model,
        parent_sees=sum(total == 1 for _, total in tries),
        tries=len(tries),
        processes_started=started,
        attribute_access=attribute,
    )
