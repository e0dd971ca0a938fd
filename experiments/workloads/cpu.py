"""CPU-bound work: pure-Python loops that hold the GIL, C code that releases it, and recursion that takes stack.

Plain top-level functions, sized by their arguments, returning something checkable; no timing and no pytest:
spawn and forkserver children import them by name.
"""

import array
import hashlib
import os
import sys
import threading
import time
import zlib

MODULUS = 1000003


def cpu_spin(n):
    """Pure-Python CPU work that holds the GIL throughout: the sum of i*i below n, modulo a prime."""
    total = 0
    for i in range(n):
        total = (total + i * i) % MODULUS
    return total


def cpu_spin_expected(n):
    """What `cpu_spin(n)` must return, from the closed form of the sum of squares."""
    return (n - 1) * n * (2 * n - 1) // 6 % MODULUS


def split(total, parts):
    """`total` units of work cut into `parts` sizes that differ by at most one."""
    size, rest = divmod(total, parts)
    return [size + (1 if i < rest else 0) for i in range(parts)]


def stamped_spin(stamps, spin):
    """Pure-Python CPU work that notes the time after every `spin` empty loop turns, `stamps` times (C12);
    returns the times and this thread's CPU seconds over the loop."""
    times = array.array("d")
    cpu0 = time.thread_time()
    for _ in range(stamps):
        for _ in range(spin):
            pass
        times.append(time.perf_counter())
    return times, time.thread_time() - cpu0


def sha256_repeated(data, times):
    """The set of SHA-256 digests of `data`, hashed `times` times: C code that releases the GIL (C21)."""
    return {hashlib.sha256(data).hexdigest() for _ in range(times)}


def compress_repeated(data, times, level):
    """The set of zlib-compressed sizes of `data`, compressed `times` times: C code that releases the GIL (C21)."""
    return {len(zlib.compress(data, level)) for _ in range(times)}


def recurse(depth):
    """Pure-Python recursion; since 3.11 CPython keeps these frames on the heap, not on the C stack."""
    return 0 if depth == 0 else 1 + recurse(depth - 1)


def recurse_through_c(depth):
    """Recursion that re-enters the interpreter from C (map's next) at every level: each level takes C stack."""
    return 0 if depth == 0 else 1 + next(map(recurse_through_c, [depth - 1]))


RECURSIONS = {"python": recurse, "through_c": recurse_through_c}


FIRST_DEPTH = 16


RECURSION_MARGIN = 100  # the frames below the recursion: thread bootstrap, the climb loop


# Before 3.12 one level through C counts more than once against the recursion limit (the Python call and the C
# calls around it); the limit is set this many times the cap, so only the stack stops the climb.
CALLS_PER_LEVEL = 4


def climb_in_thread(kind, stack_bytes, cap):
    """In a new thread with `stack_bytes` of stack, recurse (RECURSIONS[kind]) 16, 32, 64 ... up to `cap` deep,
    printing each depth reached; returns what stopped it: "cap", "RecursionError", or "unsupported" when this
    platform cannot set a thread's stack size.

    A stack too small for a depth crashes the interpreter: run this only in a throwaway child interpreter.
    """
    try:
        threading.stack_size(stack_bytes)
    except (ValueError, RuntimeError):
        return "unsupported"
    sys.setrecursionlimit(CALLS_PER_LEVEL * cap + RECURSION_MARGIN)
    stopped = []

    def climb():
        depth = FIRST_DEPTH
        while depth <= cap:
            try:
                print(RECURSIONS[kind](depth), flush=True)
            except RecursionError:
                stopped.append("RecursionError")
                return
            depth *= 2
        stopped.append("cap")

    thread = threading.Thread(target=climb)
    thread.start()
    thread.join()
    return stopped[0]


def cpu_spin_pinned(cpus, n):
    """`cpu_spin(n)` pinned to `cpus` (C01), and this thread's affinity given back afterwards, so the same task can
    also run as a serial baseline in the measuring process; returns the CPUs it ran on, and the sum."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        return sorted(os.sched_getaffinity(0)), cpu_spin(n)
    finally:
        os.sched_setaffinity(0, before)


def sum_range(n):
    """One C call for the whole work: the builtin sum over a range runs in C from its start to its end, so under a
    GIL no thread switch can fall inside it (C06)."""
    return sum(range(n))


def spin_for_cpu(seconds):
    """Pure-Python CPU work for `seconds` of wall time (C04); returns the CPU seconds this process got meanwhile,
    which fall short of `seconds` when other work shared its CPU."""
    cpu0 = time.process_time()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        cpu_spin(1000)
    return time.process_time() - cpu0


def stamped_hashing(data, together, seconds):
    """C code that releases the GIL (C04): once every worker waits at `together` (a Barrier), hash `data` with
    SHA-256 again and again for `seconds`, noting the time after each hash; returns (the times, the set of
    digests)."""
    together.wait(60)
    stamps, digests = array.array("d"), set()
    deadline = time.perf_counter() + seconds
    now = 0.0
    while now < deadline:
        digests.add(hashlib.sha256(data).hexdigest())
        now = time.perf_counter()
        stamps.append(now)
    return stamps, digests
