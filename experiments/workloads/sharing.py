"""What workers share or cannot: writes to the parent's objects, who a worker is, thread-local state, values handed
back, shared counters updated at once, and payloads echoed across a channel.

Plain top-level functions and classes (module-level, so spawn and forkserver children can import them).
"""

import itertools
import threading
from multiprocessing import shared_memory
from multiprocessing.managers import BaseManager

from experiments.workloads.io import TOGETHER_TIMEOUT_S, identity

MARKS = []  # a module global that workers write to (C02)


class Box:
    """An object instance that workers write to (C02)."""

    def __init__(self):
        self.value = None


def write_everywhere(token, items, box):
    """Write `token` into a module global, a list and an object instance."""
    MARKS.append(token)
    items.append(token)
    box.value = token
    return token


def payload_size(payload):
    """The reply to a payload handed over: its length, O(1) so only the hand-over itself costs."""
    return len(payload)


def identity_when_together(together):
    """The caller's identity, once every worker waits at `together` (a Barrier), so all are alive at once."""
    together.wait(TOGETHER_TIMEOUT_S)
    return identity()


def report_identity(reports):
    """Put the caller's identity on the queue `reports`: how a child process answers."""
    reports.put(identity())


def keep_local(slot, token, shared, together):
    """Put `token` in the threading.local `slot` and in the `shared` list; once every worker has (`together`),
    read the slot back. Returns (what the slot holds now, id of the list this worker reached)."""
    slot.value = token
    shared.append(token)
    together.wait(TOGETHER_TIMEOUT_S)
    return slot.value, id(shared)


def square_into_queue(number, results):
    """The post's calc_square, handing its result back on a multiprocessing Queue."""
    results.put(number * number)


def square_into_pipe(number, conn):
    """The post's calc_square, handing its result back through its end of a Pipe."""
    conn.send(number * number)
    conn.close()


def square_into_value(number, shared):
    """The post's calc_square, writing its result into a shared multiprocessing.Value."""
    shared.value = number * number


TALLY = 0  # a module global that threads increment without a lock (C20)


class SharedCounts:
    """What C20's threads update at once: a counter attribute and its lock, a list, a dict and a count()."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()
        self.items = []
        self.table = {}
        self.numbers = itertools.count()


def handed_back(value):
    """A call and nothing else: on 3.10+ a call is one of the few places a thread switch can happen."""
    return value


def add_to_global(tally, updates):
    global TALLY
    for _ in range(updates):
        TALLY += 1
    return updates


def add_to_attribute(tally, updates):
    for _ in range(updates):
        tally.count += 1
    return updates


def add_with_a_call_between(tally, updates):
    for _ in range(updates):
        value = tally.count
        value = handed_back(value)
        tally.count = value + 1
    return updates


def add_holding_a_lock(tally, updates):
    for _ in range(updates):
        with tally.lock:
            tally.count += 1
    return updates


def append_items(tally, updates):
    for i in range(updates):
        tally.items.append(i)
    return updates


def store_keys(tally, updates):
    """`updates` keys of this thread's own: none is written twice, so every one missing was lost."""
    me = threading.get_ident()
    for i in range(updates):
        tally.table[me, i] = i
    return updates


def draw_numbers(tally, updates):
    for _ in range(updates):
        next(tally.numbers)
    return updates


class Tally:
    """A count that workers add to; methods only, so that a manager's proxy can reach all of it."""

    def __init__(self):
        self.count = 0

    def add(self, amount):
        self.count += amount
        return self.count

    def total(self):
        return self.count


class TallyManager(BaseManager):
    """A manager whose server process holds Tally instances; module-level so spawn can pickle it."""


TallyManager.register("Tally", Tally)


def add_under_lock(tally, lock, times):
    """Threads: add 1 to a plain instance `times` times, each under a threading.Lock."""
    for _ in range(times):
        with lock:
            tally.count += 1
    return times


def add_to_value(value, times):
    """Processes: add 1 to a multiprocessing.Value `times` times, each under the Value's own lock."""
    for _ in range(times):
        with value.get_lock():
            value.value += 1
    return times


def add_to_proxy(value, lock, times):
    """Processes: add 1 to a Manager().Value proxy `times` times, each under a Manager().Lock proxy."""
    for _ in range(times):
        with lock:
            value.value += 1
    return times


def add_by_method(tally, times):
    """Add 1 `times` times by calling `tally.add`: on a proxy, each call runs in the manager's server."""
    for _ in range(times):
        tally.add(1)
    return times


def echo_queue(inbox, outbox):
    """Put every item from `inbox` on `outbox` until None arrives; returns how many were echoed."""
    echoed = 0
    for item in iter(inbox.get, None):
        outbox.put(item)
        echoed += 1
    return echoed


def echo_pipe(conn):
    """Send every object received on `conn` back until None arrives; returns how many were echoed."""
    echoed = 0
    for item in iter(conn.recv, None):
        conn.send(item)
        echoed += 1
    return echoed


def echo_shared_memory(conn, name):
    """For every size S received on `conn`: copy S bytes out of the shared memory segment `name` and write them
    back (what receiving and replying cost there), then send S back as the notification; None stops it."""
    segment = shared_memory.SharedMemory(name)
    echoed = 0
    try:
        for size in iter(conn.recv, None):
            received = bytes(segment.buf[:size])
            segment.buf[:size] = received
            conn.send(size)
            echoed += 1
    finally:
        segment.close()
    return echoed


def add_in_one_statement(tally, updates):
    """One statement reads the attribute, calls a Python function and writes the attribute back (C20): from
    CPython 3.10 a call is one of the few places a thread switch can fall, and here it falls inside the statement."""
    for _ in range(updates):
        tally.count = tally.count + handed_back(1)
    return updates
