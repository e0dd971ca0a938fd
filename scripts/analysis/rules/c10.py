"""C10, from experiments/test_c10_stack_and_heap.py: does each thread keep its own thread-local state, reach the
same objects as every other thread, and recurse only as deep as its own stack allows? Behaviour decides: depths
are counts, repeated rounds give the same ones.
"""

from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, exact, inconclusive

# The large stack is 256 times the small one. Where each level of recursion takes stack, the depth grows with
# the stack, about 256 times; at least 4 times leaves room for another limit stopping the large stack first
# (CPython 3.12 and 3.13 cap C recursion at a fixed count)...
DEEPER = 4
# ...and where it does not, the depth is the same: the probe's depths are 2x apart, so <= 1.5x means equal.
SAME_DEPTH = 1.5
DEPTH = Bars(SAME_DEPTH, DEEPER, "the same depth", "deeper")


def _depths(run, recursion):
    """{stack bytes: (deepest depth, what stopped it)} of one kind of recursion."""
    found = run("recursion_depth", recursion=recursion)
    return {int(row["stack_bytes"]): (int(row["deepest"]), row["stopped_by"]) for _, row in found.iterrows()}


STOPS = {"crash": "then crashed", "RecursionError": "then RecursionError", "cap": "the probe's cap"}


def _describe(depths):
    return " and ".join(
        "{} levels with {} ({})".format(depth, _size(size), STOPS.get(stopped, stopped))
        for size, (depth, stopped) in sorted(depths.items())
    )


def _size(stack_bytes):
    mib, kib = divmod(stack_bytes, 2**20)
    return "{} MiB".format(mib) if mib and not kib else "{} KiB".format(stack_bytes // 1024)


@rule("C10", "locals_and_shared_heap", "recursion_depth")
def own_stack_shared_heap(run):
    """C10 holds when every thread reads back its own threading.local value (and the main thread none), every
    thread reaches the same list (same id()), and a thread recursing through C goes >= 4x deeper with a 256x
    larger stack; refuted when none of the three holds, partly when some do."""
    heap = run("locals_and_shared_heap")
    through_c = _depths(run, "through_c")
    if heap.empty or len(through_c) < 2:
        return inconclusive("no records of thread-local state, a shared list and recursion with two stack sizes")
    facts = heap.iloc[0]
    threads = int(facts["threads"])
    sizes = sorted(through_c)
    small, large = through_c[sizes[0]][0], through_c[sizes[-1]][0]
    if large == 0:
        return inconclusive("the recursion probe reached no depth even with the large stack")
    growth = large / small if small else float("inf")
    numbers = {
        "threads": threads,
        "kept_own_local": int(facts["kept_own_local"]),
        "reached_same_list": int(facts["reached_same_list"]),
        "small_stack_depth": small,
        "large_stack_depth": large,
        "depth_growth": round(growth, 2) if small else None,
    }
    python = _depths(run, "python")
    evidence = (
        "{}/{} threads read back their own threading.local value and {}/{} reached the same list; "
        "recursing through C, a thread went {}{}".format(
            numbers["kept_own_local"],
            threads,
            numbers["reached_same_list"],
            threads,
            _describe(through_c),
            "; pure-Python recursion went {}".format(_describe(python)) if python else "",
        )
    )
    # Depths are counts, the same every round: the growth is exact, an interval of one point. Behaviour decides,
    # so the verdict carries no interval.
    stack = DEPTH.judge(exact(growth), holds="high")
    parts = {
        "own thread-local state": Part(numbers["kept_own_local"] == threads and not facts["main_sees_a_local"]),
        "one shared heap": Part(numbers["reached_same_list"] == threads and int(facts["shared_items"]) == threads),
        "own stack bounding recursion": stack._replace(interval=None),
    }
    return combine(evidence, parts, numbers)
