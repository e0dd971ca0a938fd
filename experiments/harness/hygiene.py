"""Every test bounded in time and checked after it ends: a thread, a process (a re-parented descendant too), a
shared-memory segment (one made in a forked child too) or a socket it left behind fails it, and is cleaned up so
later tests start clean. SIGTERM to pytest is handled as
Ctrl-C is: the session stops, the current test's workers, servers and segments are cleaned up, and no partial run
is recorded.

Time limit: SIGALRM raises TestTimeout in the test (it reaches the main thread's Python code; forked children do
not inherit the timer), and a watchdog thread that outlives it by WATCHDOG_GRACE_S dumps every stack, kills the
test's processes, unlinks its segments and exits. (pytest-timeout would do the first half; the suite's experiment
dependencies are pytest, pytest-benchmark and psutil only.)
"""

import contextlib
import ctypes
import faulthandler
import os
import signal
import threading
import time
from multiprocessing import shared_memory

import psutil
import pytest

TEST_TIMEOUT_S = 600  # a test still running after this is hung
WATCHDOG_GRACE_S = 60  # after the timeout, how long the test gets to unwind before the process exits
LEFTOVER_GRACE_S = 5  # how long a test's threads and processes get to finish going away
SHM = "/dev/shm"  # where POSIX shared-memory segments live on Linux
SEGMENT_PREFIXES = ("psm_", "wnsm_")  # the names multiprocessing.shared_memory gives its segments (POSIX, Windows)
# multiprocessing's own helpers, started once and reused by every later test until the interpreter exits
SHARED_HELPERS = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")
PR_SET_CHILD_SUBREAPER = 36  # Linux prctl: orphaned descendants are re-parented to this process, not to init
INTERRUPT_GRACE_S = 60  # after Ctrl-C or SIGTERM, how long cleanup may take before the process ends regardless
_EXITING = threading.Event()  # set once the session is being interrupted
_CURRENT = []  # the Watch of the test running now, for the interrupt's last resort


class TestTimeout(Exception):
    """A test ran past TEST_TIMEOUT_S."""


def become_subreaper():
    """Make this process the parent of its orphaned descendants (Linux), so that a worker whose parent died is
    still seen, and killed, by `leftovers`. True when it took effect."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants():
    """This process's live descendants (zombies reaped on the way: an adopted orphan that ended is one)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                _reap(child.pid)
                continue
            found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def _reap(pid):
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _shared_helper(process):
    try:
        return any(helper in " ".join(process.cmdline()) for helper in SHARED_HELPERS)
    except psutil.Error:
        return True


def leftovers(threads_before, children_before):
    """(threads, processes) alive now that were not in the snapshots, multiprocessing's shared helpers aside."""
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    children = [c for c in descendants() if c.pid not in children_before and not _shared_helper(c)]
    return threads, children


def segments():
    """Names of the shared-memory segments that exist now (where the platform keeps them in a folder)."""
    try:
        return {name for name in os.listdir(SHM) if name.startswith(SEGMENT_PREFIXES)}
    except OSError:
        return set()


@contextlib.contextmanager
def recording_segments(registry):
    """Append to the file `registry` the name of every shared-memory segment this process, or a child forked from
    it meanwhile (it inherits the patch and the file), creates. A spawned child starts a fresh interpreter: its
    segments go unseen."""
    original = shared_memory.SharedMemory.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if kwargs.get("create", args[1] if len(args) > 1 else False):
            with open(registry, "a") as handle:
                handle.write(self.name.lstrip("/") + "\n")

    shared_memory.SharedMemory.__init__ = init
    try:
        yield
    finally:
        shared_memory.SharedMemory.__init__ = original


def unlink_segments(names):
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(SHM, name))


def _connections():
    process = psutil.Process()
    listing = getattr(process, "net_connections", None) or process.connections
    try:
        return {(c.fd, c.laddr, c.raddr, c.status) for c in listing(kind="inet") if c.status != psutil.CONN_TIME_WAIT}
    except psutil.Error:
        return set()


def kill_tree(processes):
    if not processes:
        return
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(processes, timeout=LEFTOVER_GRACE_S)
    descendants()  # reap what was killed and adopted


class Watch:
    """What one test started: its threads, processes, segments and sockets are what is new when it ends."""

    def __init__(self, registry):
        self.threads = set(threading.enumerate())
        self.children = {child.pid for child in descendants()}
        self.registry = registry  # names of the segments the test made (see recording_segments)
        self.sockets = _connections()

    def new_segments(self):
        """The test's segments still linked. Only those it is known to have made: another program on the machine
        (or another xdist worker) may make segments of its own meanwhile."""
        try:
            with open(self.registry) as handle:
                made = set(handle.read().split())
        except OSError:
            made = set()
        return sorted(made & segments())

    def left(self):
        """(threads, processes, segments, sockets) the test left, after a grace for those on their way out."""
        deadline = time.monotonic() + LEFTOVER_GRACE_S
        threads, children = leftovers(self.threads, self.children)
        sockets = _connections() - self.sockets
        while (threads or children or sockets) and time.monotonic() < deadline:
            time.sleep(0.05)
            threads, children = leftovers(self.threads, self.children)
            sockets = _connections() - self.sockets
        return threads, children, self.new_segments(), sockets


def _watchdog(done, watch):
    """Backstop for a test that SIGALRM could not stop: stacks dumped, its processes killed, its segments unlinked,
    and the process ended, so nothing of it outlives the run."""
    if done.wait(TEST_TIMEOUT_S + WATCHDOG_GRACE_S):
        return
    faulthandler.dump_traceback(all_threads=True)
    _, children = leftovers(watch.threads, watch.children)
    kill_tree(children)
    unlink_segments(watch.new_segments())
    os._exit(3)


def _alarm(signum, frame):
    raise TestTimeout("still running after {} s".format(TEST_TIMEOUT_S))


@contextlib.contextmanager
def time_limit(watch):
    """SIGALRM after TEST_TIMEOUT_S (main thread only), and the watchdog behind it."""
    done = threading.Event()
    watchdog = threading.Thread(target=_watchdog, args=(done, watch), name="claims-lab-watchdog", daemon=True)
    watchdog.start()
    alarmed = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if alarmed:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, TEST_TIMEOUT_S)
    try:
        yield
    finally:
        if alarmed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        done.set()
        watchdog.join(LEFTOVER_GRACE_S)  # gone before the test's leftovers are looked for


@pytest.fixture(autouse=True)
def nothing_left_behind(tmp_path_factory):
    """Bound every test in time, and fail it if it leaves a thread, a process, a segment or a socket."""
    watch = Watch(str(tmp_path_factory.mktemp("segments", numbered=True) / "made"))
    _CURRENT[:] = [watch]
    with time_limit(watch), recording_segments(watch.registry):
        yield
    threads, children, left_segments, sockets = watch.left()
    kill_tree(children)
    unlink_segments(left_segments)
    if threads or children or left_segments or sockets:
        pytest.fail(
            "left behind: threads {}, processes {}, shared memory {}, sockets {}".format(
                [t.name for t in threads], [c.pid for c in children], left_segments, sorted(sockets, key=str)
            )
        )


def _interrupt(signum, frame):
    """Ctrl-C (SIGINT) or SIGTERM (a CI cancel, `kill`): the session stops the way Ctrl-C stops it, so teardown
    runs; and if that teardown hangs (an exception raised into code that held a lock can leave it held), the
    process is ended after INTERRUPT_GRACE_S all the same, with what it started."""
    if not _EXITING.is_set():
        _EXITING.set()
        threading.Thread(target=_exit_if_stuck, name="claims-lab-exit", daemon=True).start()
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _exit_if_stuck():
    time.sleep(INTERRUPT_GRACE_S)
    faulthandler.dump_traceback(all_threads=True)
    kill_tree([c for c in descendants() if not _shared_helper(c)])
    if _CURRENT:
        unlink_segments(_CURRENT[-1].new_segments())
    os._exit(2)


def _default_signals():
    """In a forked child: SIGTERM ends it and Ctrl-C interrupts it as they would outside pytest (terminate() gives
    exit code -15)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_configure(config):
    become_subreaper()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, _interrupt)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_default_signals)


def pytest_unconfigure(config):
    """Whatever is still running when pytest ends (an interrupted test's workers) is killed."""
    kill_tree([c for c in descendants() if not _shared_helper(c)])
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
