"""Every test bounded in time and checked after it ends: a thread, a process or a shared-memory segment it left
behind fails it (and is cleaned up, so later tests start clean)."""

import contextlib
import faulthandler
import os
import threading
import time
from multiprocessing import shared_memory

import psutil
import pytest

TEST_TIMEOUT_S = 600  # a test still running after this is hung: dump every stack and exit
LEFTOVER_GRACE_S = 5  # how long a test's threads and processes get to finish going away
SHM = "/dev/shm"  # where POSIX shared-memory segments live on Linux
# multiprocessing's own helpers, started once and reused by every later test until the interpreter exits
SHARED_HELPERS = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")


def leftovers(threads_before, children_before):
    """(threads, processes) alive now that were not in the snapshots, multiprocessing's shared helpers aside."""
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    children = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.pid in children_before or child.status() == psutil.STATUS_ZOMBIE:
                continue
            if any(helper in " ".join(child.cmdline()) for helper in SHARED_HELPERS):
                continue
        except psutil.NoSuchProcess:
            continue
        children.append(child)
    return threads, children


@contextlib.contextmanager
def recording_segments(created):
    """Note in `created` the name of every shared-memory segment this process creates meanwhile."""
    original = shared_memory.SharedMemory.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if kwargs.get("create", args[1] if len(args) > 1 else False):
            created.append(self.name)

    shared_memory.SharedMemory.__init__ = init
    try:
        yield
    finally:
        shared_memory.SharedMemory.__init__ = original


def unlink_leftover_segments(created):
    """The segments of `created` still linked; unlinked now, so later tests start clean."""
    left = [name for name in created if os.path.exists(os.path.join(SHM, name.lstrip("/")))]
    for name in left:
        os.unlink(os.path.join(SHM, name.lstrip("/")))
    return left


@pytest.fixture(autouse=True)
def nothing_left_behind():
    """Bound every test in time, and fail it if it leaves a thread, a process or a shared-memory segment."""
    faulthandler.dump_traceback_later(TEST_TIMEOUT_S, exit=True)
    threads_before = set(threading.enumerate())
    children_before = {child.pid for child in psutil.Process().children(recursive=True)}
    created = []
    with recording_segments(created):
        yield
    faulthandler.cancel_dump_traceback_later()
    segments = unlink_leftover_segments(created)
    deadline = time.monotonic() + LEFTOVER_GRACE_S
    threads, children = leftovers(threads_before, children_before)
    while (threads or children) and time.monotonic() < deadline:
        time.sleep(0.05)
        threads, children = leftovers(threads_before, children_before)
    for child in children:
        child.kill()
    if threads or children or segments:
        pytest.fail(
            "left behind: threads {}, processes {}, shared memory {}".format(
                [t.name for t in threads], children, segments
            )
        )
