"""C20: does the GIL keep threads from conflicting over shared data, by running one statement at a time?

The post: "multiple threads can write to the same location in the memory heap which is why the default Python
interpreter has a thread-safe mechanism, the “GIL” (Global Interpreter Lock). This prevent conflicts between
threads, by executing only one statement at a time (serial processing, or single-threading)."

Measured: THREADS threads released together, each updating shared state in one of several forms (FORMS): single
statements (`TALLY += 1` on a module global, `c.count += 1` on an attribute, `c.count = c.count + handed_back(1)`
with a Python-level call inside the statement, and one C operation each: list.append, dict[key] = v, next() of an
itertools.count), a read, a call and a write as three statements, and `c.count += 1` under a threading.Lock (the
count's own check). Each at the interpreter's default switch interval and at a tiny one (1 us), put back
afterwards. The work per thread is sized by CPU time, per form and interpreter, so that every round spans about
FULL_SWITCHES_PER_ROUND (scaled by the profile) switch intervals at the default, and thousands at the tiny one: a
form that keeps its updates kept them over many chances to be interrupted. Recorded per round: the updates lost
(expected minus found) and the switch intervals the round spanned (its wall time over the interval). Where a thread
switch can fall changed in CPython 3.10 (at calls and backward jumps only), so which forms lose is recorded per
interpreter, never assumed.
Rule: `c20.gil_prevents_conflicts` in scripts/analysis/rules/c20.py.
"""

import functools
import sys
import time

import pytest

from experiments.profiles import scaled, sized_by_cpu
from experiments.together import run_together, switch_interval
from experiments.workloads import sharing

pytestmark = pytest.mark.claim("C20")
THREADS = 4
DEFAULT_SWITCH_INTERVAL_S = sys.getswitchinterval()  # the interpreter's own, read before any test changes it
TINY_SWITCH_INTERVAL_S = 1e-6  # a thread switch asked for at nearly every chance the interpreter gives
SWITCHES = {"default": DEFAULT_SWITCH_INTERVAL_S, "tiny": TINY_SWITCH_INTERVAL_S}
FULL_SWITCHES_PER_ROUND = 40  # switch intervals one round spans, at full size (12 in quick, x 9 rounds)
MIN_ROUND_S = 0.01  # a round's floor, where the interval is tiny: long enough that all threads overlap
ATTEMPTS = 10  # a loss needs a switch between a read and its write: likely in one run, all but sure in ten
ONE = "one statement"
SEVERAL = "several statements"
LOCKED = "locked"
# form: (what each thread runs, how many updates the shared state shows afterwards, kind, the code it runs)
FORMS = {
    "global_iadd": (sharing.add_to_global, lambda tally: sharing.TALLY, ONE, "TALLY += 1"),
    "attribute_iadd": (sharing.add_to_attribute, lambda tally: tally.count, ONE, "c.count += 1"),
    "call_in_statement": (
        sharing.add_in_one_statement,
        lambda tally: tally.count,
        ONE,
        "c.count = c.count + handed_back(1)",
    ),
    "list_append": (sharing.append_items, lambda tally: len(tally.items), ONE, "c.items.append(i)"),
    "dict_setitem": (sharing.store_keys, lambda tally: len(tally.table), ONE, "c.table[me, i] = i"),
    "count_next": (sharing.draw_numbers, lambda tally: next(tally.numbers), ONE, "next(c.numbers)"),
    "read_call_write": (
        sharing.add_with_a_call_between,
        lambda tally: tally.count,
        SEVERAL,
        "value = c.count; value = handed_back(value); c.count = value + 1",
    ),
    "locked_iadd": (sharing.add_holding_a_lock, lambda tally: tally.count, LOCKED, "with c.lock: c.count += 1"),
}


def lost_updates(form, updates):
    """(updates lost, seconds the threads took) when THREADS threads each make `updates` of `form` on fresh shared
    state at once."""
    run, found, _, _ = FORMS[form]
    sharing.TALLY = 0
    tally = sharing.SharedCounts()
    start = time.perf_counter()
    assert run_together([(run, (tally, updates))] * THREADS) == [updates] * THREADS
    return THREADS * updates - found(tally), time.perf_counter() - start


def alone(form, updates):
    """One thread making `updates` of `form` on fresh state: what the work per thread is sized by."""
    sharing.TALLY = 0
    return FORMS[form][0](sharing.SharedCounts(), updates)


@functools.lru_cache(maxsize=None)
def updates_per_thread(form, round_s):
    """Updates of `form` per thread that make a round of THREADS threads last about `round_s` under a GIL."""
    return sized_by_cpu(functools.partial(alone, form), round_s / THREADS, size=20000)


def round_seconds(interval, profile):
    """How long a round runs: the profile's switch intervals per round at `interval`, at least MIN_ROUND_S."""
    return max(MIN_ROUND_S, scaled(FULL_SWITCHES_PER_ROUND, profile) * interval)


@pytest.mark.parametrize("form", ["call_in_statement", "read_call_write"])
def test_a_read_and_a_write_with_a_call_between_lose_updates(form):
    """Within one statement or across three, on every CPython measured: the call is a place a switch can fall."""
    with switch_interval(TINY_SWITCH_INTERVAL_S):
        assert any(lost_updates(form, 50000)[0] > 0 for _ in range(ATTEMPTS))


@pytest.mark.parametrize("form", ["locked_iadd", "list_append", "dict_setitem", "count_next"])
def test_a_lock_and_single_operations_lose_nothing(form):
    with switch_interval(TINY_SWITCH_INTERVAL_S):
        assert lost_updates(form, 20000)[0] == 0


@pytest.mark.measurement("lost_updates")
@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize("form", FORMS)
def test_lost_updates(bench, each_round, profile, form, switch):
    round_s = round_seconds(SWITCHES[switch], profile)
    updates = updates_per_thread(form, round_s)
    with switch_interval(SWITCHES[switch]) as interval:
        kept = each_round(lost_updates, form, updates)
    lost = [n for n, _ in kept]
    assert all(0 <= n < THREADS * updates for n in lost), "the count itself is broken"
    _, _, kind, code = FORMS[form]
    bench.extra_info.update(
        kind=kind,
        code=code,
        threads=THREADS,
        updates_per_thread=updates,
        round_s_sized=round_s,
        switch_interval_s=interval,
        expected_per_round=THREADS * updates,
        lost_by_round=lost,
        lost_total=sum(lost),
        rounds_with_lost=sum(n > 0 for n in lost),
        lost_max=max(lost),
        switch_intervals_spanned=sum(seconds for _, seconds in kept) / interval,
    )
