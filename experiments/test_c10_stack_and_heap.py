"""C10: each thread has its own stack and its own thread-local state; all threads share one heap.

The post: each thread will "have its own code, own stack memory, instruction pointer, and share heap memory".

Measured: THREADS threads each put a token in one threading.local and in one shared list, and once all have,
read the local back: whether each still holds its own token, and whether all reached the same list (same
id()). And how deep a thread can recurse with a small and with a large stack (threading.stack_size), in a
throwaway child interpreter since a stack too small crashes it: pure-Python recursion (whose frames CPython
keeps on the heap since 3.11) and recursion that re-enters the interpreter from C at every level (C stack at
every level). The plain tests assert the expected behaviour; the benchmarks record what each round saw, expected
or not, and assert only that the workers and the probe ran. Rule: `c10.own_stack_shared_heap` in
scripts/analysis/rules/c10.py.
"""

import os
import subprocess
import sys
import threading

import pytest

from experiments.models import Pool
from experiments.profiles import KIB, MIB, scaled
from experiments.workloads.cpu import FIRST_DEPTH, RECURSIONS
from experiments.workloads.sharing import keep_local

pytestmark = pytest.mark.claim("C10")
THREADS = 8
STACK_SIZES = [64 * KIB, 16 * MIB]  # 256 times apart; 64 KiB is twice the least threading.stack_size takes
# Deeper than 16 MiB of C stack holds; since 3.11 pure-Python recursion only stops here (or at a memory limit)
FULL_DEPTH_CAP = 2**17
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The child turns core dumps off first: its crash is expected, and a core file would land in the repository.
PROBE = """
import sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
except ImportError:
    pass
from experiments.workloads.cpu import climb_in_thread
print(climb_in_thread(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
"""
PROBE_TIMEOUT_S = 120
PYTHON_ERROR_EXIT = 1  # an uncaught exception: a bug, not a crash


def keep_and_share(threads):
    """Facts of `threads` threads writing their own token to one threading.local and one shared list."""
    slot, shared = threading.local(), []
    together = threading.Barrier(threads)
    tokens = ["token of worker {}".format(i) for i in range(threads)]
    with Pool("threads", threads) as pool:
        seen = pool.map(keep_local, [(slot, token, shared, together) for token in tokens])
    return {
        "reported": len(seen),
        "kept_own_local": sum(read == token for (read, _), token in zip(seen, tokens)),
        "reached_same_list": sum(reached == id(shared) for _, reached in seen),
        "shared_items": len(shared),
        "main_sees_a_local": hasattr(slot, "value"),
    }


def deepest_recursion(recursion, stack_bytes, cap):
    """(deepest depth a thread with `stack_bytes` of stack reached, what stopped it: "cap", "RecursionError" or
    "crash"), from a child interpreter climbing 16, 32, 64 ... levels deep."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, recursion, str(stack_bytes), str(cap)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=PROBE_TIMEOUT_S,
    )
    lines = done.stdout.split()
    if done.returncode == PYTHON_ERROR_EXIT:
        raise AssertionError("the recursion probe failed:\n" + done.stderr)
    stopped = lines.pop() if done.returncode == 0 else "crash"
    if stopped == "unsupported":
        pytest.skip("this platform cannot set a thread's stack size")
    depths = [int(line) for line in lines]
    assert depths == [FIRST_DEPTH * 2**k for k in range(len(depths))]
    return (depths[-1] if depths else 0), stopped


def uses_the_c_stack(recursion):
    """Whether each level of `recursion` takes C stack: always through C; pure Python only before 3.11."""
    return recursion == "through_c" or sys.version_info < (3, 11)


def test_each_thread_keeps_its_own_local_and_all_reach_one_list():
    assert keep_and_share(THREADS) == {
        "reported": THREADS,
        "kept_own_local": THREADS,
        "reached_same_list": THREADS,
        "shared_items": THREADS,
        "main_sees_a_local": False,
    }


@pytest.mark.parametrize("recursion", sorted(RECURSIONS))
def test_a_larger_thread_stack_allows_deeper_recursion_where_levels_take_c_stack(profile, recursion):
    cap = scaled(FULL_DEPTH_CAP, profile)
    small, large = (deepest_recursion(recursion, size, cap) for size in STACK_SIZES)
    if uses_the_c_stack(recursion):
        assert large[0] > small[0]
    else:
        assert small == large and small[1] == "cap"


@pytest.mark.measurement("locals_and_shared_heap")
def test_locals_and_shared_heap(bench, each_round):
    seen = each_round(keep_and_share, THREADS)
    assert all(facts["reported"] == THREADS for facts in seen), "a thread did not report"
    bench.extra_info.update(threads=THREADS, facts_per_round=seen, **seen[-1])


@pytest.mark.measurement("recursion_depth")
@pytest.mark.parametrize("stack_bytes", STACK_SIZES)
@pytest.mark.parametrize("recursion", sorted(RECURSIONS))
def test_recursion_depth(bench, each_round, profile, recursion, stack_bytes):
    cap = scaled(FULL_DEPTH_CAP, profile)
    seen = each_round(deepest_recursion, recursion, stack_bytes, cap)
    assert all(0 <= deepest <= cap for deepest, _ in seen)
    deepest, stopped = seen[-1]
    bench.extra_info.update(
        deepest=deepest,
        stopped_by=stopped,
        deepest_per_round=[depth for depth, _ in seen],
        stopped_per_round=[why for _, why in seen],
        depth_cap=cap,
    )
