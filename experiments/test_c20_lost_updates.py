"""C20: does the GIL keep threads from conflicting over shared data?

The post: "multiple threads can write to the same location in the memory heap which is why the default Python
interpreter has a thread-safe mechanism, the “GIL” (Global Interpreter Lock). This prevent conflicts between
threads, by executing only one statement at a time (serial processing, or single-threading)."

Measured: THREADS threads released together, each making `updates` updates to shared state: unlocked
read-modify-writes (`TALLY += 1` on a module global, `tally.count += 1` on an attribute, and a read and a write of
the attribute with a call between them); the same `+=` under a threading.Lock; and single operations on shared
objects (list.append, dict[key] = v, next() of one itertools.count). Each at the interpreter's default switch
interval and at a tiny one (1 us), put back afterwards. Counted per round: the updates lost, expected minus found.
Where a thread switch can fall changed in CPython 3.10 (at calls and backward jumps only), so these counts are
recorded per interpreter, never assumed. Rule: `c20.gil_prevents_conflicts` in scripts/rules/c20.py.
"""

import sys

import pytest

from experiments.profiles import scaled
from experiments.together import run_together, switch_interval
from experiments.workloads import sharing

pytestmark = pytest.mark.claim("C20")
THREADS = 4
FULL_UPDATES = 100000  # per thread (~5 to 10 ms of work each here)
TINY_SWITCH_INTERVAL_S = 1e-6  # a thread switch asked for at nearly every chance the interpreter gives
SWITCHES = ["default", "tiny"]
ATTEMPTS = 10  # a loss needs a switch between a read and its write: likely in one run, all but sure in ten
# operation: (what each thread runs, how many updates the shared state shows afterwards, kind)
OPERATIONS = {
    "global_iadd": (sharing.add_to_global, lambda tally: sharing.TALLY, "read-modify-write"),
    "attribute_iadd": (sharing.add_to_attribute, lambda tally: tally.count, "read-modify-write"),
    "read_call_write": (sharing.add_with_a_call_between, lambda tally: tally.count, "read-modify-write"),
    "locked_iadd": (sharing.add_holding_a_lock, lambda tally: tally.count, "locked"),
    "list_append": (sharing.append_items, lambda tally: len(tally.items), "single operation"),
    "dict_setitem": (sharing.store_keys, lambda tally: len(tally.table), "single operation"),
    "count_next": (sharing.draw_numbers, lambda tally: next(tally.numbers), "single operation"),
}


def lost_updates(operation, updates):
    """Updates lost when THREADS threads each make `updates` of `operation` on fresh shared state at once."""
    run, found, _ = OPERATIONS[operation]
    sharing.TALLY = 0
    tally = sharing.SharedCounts()
    assert run_together([(run, (tally, updates))] * THREADS) == [updates] * THREADS
    return THREADS * updates - found(tally)


def interval_for(switch):
    return TINY_SWITCH_INTERVAL_S if switch == "tiny" else sys.getswitchinterval()


def test_the_switch_interval_is_put_back_even_after_an_error():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), switch_interval(TINY_SWITCH_INTERVAL_S) as interval:
        assert interval == pytest.approx(TINY_SWITCH_INTERVAL_S)
        raise RuntimeError("fails inside the block")
    assert sys.getswitchinterval() == before


def test_a_read_and_a_write_with_a_call_between_lose_updates():
    with switch_interval(TINY_SWITCH_INTERVAL_S):
        assert any(lost_updates("read_call_write", 50000) > 0 for _ in range(ATTEMPTS))


@pytest.mark.parametrize("operation", ["locked_iadd", "list_append", "dict_setitem", "count_next"])
def test_a_lock_and_single_operations_lose_nothing(operation):
    with switch_interval(TINY_SWITCH_INTERVAL_S):
        assert lost_updates(operation, 20000) == 0


@pytest.mark.measurement("lost_updates")
@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_lost_updates(bench, each_round, profile, operation, switch):
    updates = scaled(FULL_UPDATES, profile)
    with switch_interval(interval_for(switch)) as interval:
        kept = each_round(lost_updates, operation, updates)
    kind = OPERATIONS[operation][2]
    assert all(0 <= n < THREADS * updates for n in kept) and (kind != "locked" or sum(kept) == 0)
    bench.extra_info.update(
        kind=kind,
        threads=THREADS,
        updates_per_thread=updates,
        switch_interval_s=interval,
        expected_per_round=THREADS * updates,
        lost_total=sum(kept),
        rounds_with_lost=sum(n > 0 for n in kept),
        lost_max=max(kept),
    )
