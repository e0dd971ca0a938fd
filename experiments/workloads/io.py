"""Work that waits: sleeps, file reads, waits in company, and calls whose printing is sent nowhere.

Plain top-level functions, sized by their arguments, returning something checkable (see workloads/cpu.py).
"""

import contextlib
import os
import threading
import time


def sleep_for(seconds):
    """An I/O wait that is nothing but a wait."""
    time.sleep(seconds)
    return seconds


def identity():
    """(pid, native thread id) of the caller: the process it lives in and the OS thread that runs it."""
    return os.getpid(), threading.get_native_id()


def identity_after(seconds):
    """The caller's identity after a sleep of `seconds`: N of these at once land on N different idle workers."""
    time.sleep(seconds)
    return identity()


def read_file(path, times, chunk_bytes):
    """Bytes read from the file at `path`, read `times` times unbuffered into one buffer: each read() releases
    the GIL (C21)."""
    buffer = bytearray(chunk_bytes)
    total = 0
    for _ in range(times):
        with open(path, "rb", buffering=0) as file:
            got = file.readinto(buffer)
            while got:
                total += got
                got = file.readinto(buffer)
    return total


TOGETHER_TIMEOUT_S = 60  # a barrier still waiting after this is broken: some worker never came


def wait_together(together, seconds):
    """Wait at `together` until every worker has started, then wait `seconds`: one wait among many."""
    together.wait(TOGETHER_TIMEOUT_S)
    time.sleep(seconds)
    return seconds


def quietly(fn, *args):
    """`fn(*args)` with what it prints sent to /dev/null (C13: the post's functions print their results)."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        return fn(*args)


def stamped_naps(nap_s, together, seconds):
    """Once every worker waits at `together` (a Barrier), wake every `nap_s` for `seconds`, noting the time at each
    wake-up (C04): a thread that runs a moment in every nap. Returns the times as a list."""
    together.wait(TOGETHER_TIMEOUT_S)
    stamps = []
    deadline = time.perf_counter() + seconds
    now = 0.0
    while now < deadline:
        time.sleep(nap_s)
        now = time.perf_counter()
        stamps.append(now)
    return stamps
