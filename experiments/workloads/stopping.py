"""Workers to start and stop: an empty one, CPU-bound loads that run until told to stop, and spinners that a
thread or a child process runs until something outside ends them.
"""

import threading
import time

from experiments.workloads.cpu import cpu_spin


def nothing():
    """An empty worker: starting and joining it is all it costs."""


def spin_until_stopped(stop, chunk, spun):
    """`cpu_spin(chunk)` again and again until `stop` (an Event) is set; counts the chunks in `spun` (a
    multiprocessing.Value, so a thread's and a child process's progress read the same way) and returns it."""
    while not stop.is_set():
        cpu_spin(chunk)
        with spun.get_lock():
            spun.value += 1
    return spun.value


def spin_until(stop, started, limit_s):
    """Spin, checking `stop` between spins (a cooperative stop); give up after `limit_s`. Puts the thread's id
    into `started` (a queue) first; returns the spins done."""
    started.put(threading.get_ident())
    deadline = time.monotonic() + limit_s
    spins = 0
    while not stop.is_set() and time.monotonic() < deadline:
        spins += 1
    return spins


def spin_through_exits(stop, started, limit_s):
    """Like `spin_until`, but catch any SystemExit raised into the thread and spin on (putting the thread's id
    into `started` again); returns how many it caught."""
    deadline = time.monotonic() + limit_s
    caught = 0
    while True:
        try:
            started.put(threading.get_ident())
            while not stop.is_set() and time.monotonic() < deadline:
                pass
            return caught
        except SystemExit:
            caught += 1


def wait_for_lock(lock, started, limit_s):
    """Block in one C call, acquiring a lock someone else holds; True once it got it."""
    started.put(threading.get_ident())
    got = lock.acquire(True, limit_s)
    if got:
        lock.release()
    return got


def spin_for(started, limit_s):
    """A child process's busy loop: set `started`, then spin until `limit_s` has passed."""
    started.set()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        pass
    return limit_s


def call_until_stopped(stop, call, size, done):
    """`call(size)` again and again until `stop` (an Event) is set; counts the calls in `done` (a
    multiprocessing.Value, read the same way from a thread and from a child process) and returns it. With
    `cpu_spin` the work is a pure-Python loop, in which a thread switch can fall anywhere; with `sum_range` it is
    one long C call, inside which none can (C06)."""
    while not stop.is_set():
        call(size)
        with done.get_lock():
            done.value += 1
    return done.value


def echo_bytes_after(sock, delay_s):
    """Send every byte received on `sock` (a socket) back after `delay_s`, until the other end closes: a peer that
    takes a moment to answer, so that its caller blocks on the reply (C06); returns how many were echoed."""
    echoed = 0
    with sock:
        for byte in iter(lambda: sock.recv(1), b""):
            time.sleep(delay_s)
            sock.sendall(byte)
            echoed += 1
    return echoed
